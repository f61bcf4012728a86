"""Editing the meerjarenplan in the browser's place: goals, action plans and actions created,
edited, deleted, moved up and down and to another parent with the codes following, the budget
grid in Belgian amounts checked as a whole, milestones, the numbering style, the growth path,
stale saves kept for the user, roles and scoping, and edit pages whose queries do not grow."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import SDGGoal, SDGTarget
from apps.meerjarenplan import services
from apps.meerjarenplan.models import (
    Action,
    ActionPlan,
    BudgetLine,
    Goal,
    GrowthTarget,
    Milestone,
    Numbering,
)
from apps.meerjarenplan.selectors import plan_tree
from tests.beleidsvoorstellen.factories import MemorandumFactory, MemorandumProposalFactory

from .conftest import build

pytestmark = pytest.mark.django_db

STALE = "Iemand anders heeft dit intussen gewijzigd"
LEVEL = {Goal: "doelstelling", ActionPlan: "actieplan", Action: "actie"}


def url(name, municipality, *args, query=""):
    path = reverse(f"meerjarenplan:{name}", args=[municipality.nis_code, *args])
    return f"{path}?{query}" if query else path


def item_url(name, item):
    return url(name, item.plan.municipality, LEVEL[type(item)], item.pk)


def plan_page(municipality, anchor=""):
    path = reverse("meerjarenplan:plan", args=[municipality.nis_code])
    return f"{path}#{anchor}" if anchor else path


def codes(plan):
    return [(node.code, node.title) for node in plan_tree(plan).nodes()]


def fresh(item):
    return type(item).objects.get(pk=item.pk)


def item_data(item, **changes):
    data = {
        "title": item.title,
        "description": item.description,
        "responsible_service": item.responsible_service,
        "sdg_goals": list(item.sdg_goals.values_list("pk", flat=True)),
        "sdg_targets": list(item.sdg_targets.values_list("pk", flat=True)),
        "version": item.version,
    }
    if not isinstance(item, Goal) and item.priority:
        data["priority"] = "on"
    data.update(changes)
    return data


@pytest.fixture
def goals(hierarchy):
    return hierarchy[0]


@pytest.fixture
def action_plans(hierarchy):
    return hierarchy[1]


@pytest.fixture
def actions(hierarchy):
    return hierarchy[2]


@pytest.fixture
def editor(client, opsteller):
    client.force_login(opsteller)
    return client


# --- creating ------------------------------------------------------------------------------


def test_a_goal_is_created_at_the_end_of_the_plan(editor, plan, municipality, goals):
    response = editor.get(url("item_create", municipality, "doelstelling"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="priority"' not in content  # a goal's priority is derived
    assert 'name="sdg_targets"' in content
    response = editor.post(
        url("item_create", municipality, "doelstelling"),
        {
            "title": "Mondiaal burgerschap",
            "description": "Eerste alinea.\n\nTweede alinea.",
            "responsible_service": "Dienst Noord-Zuid",
            "sdg_goals": [SDGGoal.objects.get(number=4).pk],
        },
    )
    goal = Goal.objects.get(title="Mondiaal burgerschap")
    assert response.status_code == 302
    assert response["Location"] == plan_page(municipality, f"item-goal-{goal.pk}")
    assert goal.description == "<p>Eerste alinea.</p>\n\n<p>Tweede alinea.</p>"
    assert goal.responsible_service == "Dienst Noord-Zuid"
    assert [g.number for g in goal.sdg_goals.all()] == [4]
    assert codes(plan)[-1] == ("BD3", "Mondiaal burgerschap")


def test_an_action_plan_and_an_action_are_created_under_their_parent(
    editor, plan, municipality, goals, action_plans
):
    target = SDGTarget.objects.order_by("goal__number", "order").first()
    response = editor.post(
        url("item_create", municipality, "actieplan", query=f"parent={goals[1].pk}"),
        {"title": "Fairtrade", "priority": "on", "sdg_targets": [target.pk]},
    )
    action_plan = ActionPlan.objects.get(title="Fairtrade")
    assert response["Location"] == plan_page(municipality, f"item-action_plan-{action_plan.pk}")
    assert action_plan.goal == goals[1] and action_plan.priority
    assert list(action_plan.sdg_targets.all()) == [target]
    response = editor.post(
        url("item_create", municipality, "actie", query=f"parent={action_plan.pk}"),
        {"title": "Fairtrade-ontbijt"},
    )
    action = Action.objects.get(title="Fairtrade-ontbijt")
    assert response["Location"] == plan_page(municipality, f"item-action-{action.pk}")
    assert ("AC2.2.1", "Fairtrade-ontbijt") in codes(plan)
    tree = plan_tree(plan)
    assert tree.goals[1].priority  # derived from its priority action plan


def test_an_item_carries_out_proposals_of_this_municipalitys_memorandum_only(
    editor, plan, municipality, action_plans, other_municipality
):
    memorandum = MemorandumFactory(municipality=municipality)
    own = MemorandumProposalFactory(memorandum=memorandum, title="Stedenband")
    foreign = MemorandumProposalFactory(
        memorandum=MemorandumFactory(municipality=other_municipality)
    )
    path = url("item_create", municipality, "actie", query=f"parent={action_plans[0].pk}")
    content = editor.get(path).content.decode()
    assert "Stedenband" in content and foreign.title not in content
    response = editor.post(path, {"title": "Vreemd", "proposals": [foreign.pk]})
    assert response.status_code == 200
    assert "staat niet (meer) in het memorandum" in response.content.decode()
    assert not Action.objects.filter(title="Vreemd").exists()
    editor.post(path, {"title": "Stedenband uitbouwen", "proposals": [own.pk]})
    assert list(Action.objects.get(title="Stedenband uitbouwen").proposals.all()) == [own]


def test_without_a_memorandum_the_proposals_field_is_left_out(editor, municipality, action_plans):
    path = url("item_create", municipality, "actie", query=f"parent={action_plans[0].pk}")
    assert 'name="proposals"' not in editor.get(path).content.decode()


@pytest.mark.parametrize("query", ["", "parent=abc", "parent=-1"])
def test_a_new_action_without_a_readable_parent_is_a_400(editor, municipality, plan, query):
    response = editor.get(url("item_create", municipality, "actie", query=query))
    assert response.status_code == 400


def test_a_parent_of_the_wrong_level_or_another_plan_is_a_404(
    editor, municipality, goals, action_plans
):
    # ?parent= of an action is an action plan: a goal's pk that no action plan has is a 404.
    missing = max(ActionPlan.objects.values_list("pk", flat=True)) + 100
    response = editor.get(url("item_create", municipality, "actie", query=f"parent={missing}"))
    assert response.status_code == 404


def test_an_action_is_refused_under_an_action_plan_with_its_own_amounts(
    editor, municipality, goals, opsteller
):
    own = services.action_plan_create(goal=goals[0], title="Eigen bedragen", by=opsteller)
    services.budget_set(
        item=own,
        amounts={(2026, "exploitatie", "uitgaven"): Decimal(100)},
        expected_version=own.version,
        by=opsteller,
    )
    response = editor.post(
        url("item_create", municipality, "actie", query=f"parent={own.pk}"), {"title": "Nieuw"}
    )
    assert response.status_code == 200
    assert "Dit actieplan heeft eigen ramingen" in response.content.decode()
    assert not Action.objects.filter(title="Nieuw").exists()


def test_an_empty_title_is_a_form_error(editor, municipality, plan):
    response = editor.post(url("item_create", municipality, "doelstelling"), {"title": "  "})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Goal.objects.exists()


# --- editing -------------------------------------------------------------------------------


@pytest.mark.parametrize("index", [0, 1, 2])
def test_each_level_is_edited(editor, hierarchy, index):
    item = hierarchy[index][0]
    response = editor.get(item_url("item_edit", item))
    assert response.status_code == 200
    assert ('name="priority"' in response.content.decode()) == (index > 0)
    changes = {"title": "Nieuwe titel", "description": "<p>Nieuw <script>x</script></p>"}
    if index:
        changes["priority"] = "on"
    response = editor.post(item_url("item_edit", item), item_data(item, **changes))
    assert response.status_code == 302
    level = ("goal", "action_plan", "action")[index]
    assert response["Location"].endswith(f"#item-{level}-{item.pk}")
    saved = fresh(item)
    assert saved.title == "Nieuwe titel"
    assert "script" not in saved.description
    assert saved.version == item.version + 1
    if index:
        assert saved.priority


def test_a_stale_edit_is_a_409_and_keeps_the_typed_text(editor, actions, opsteller):
    action = actions[0]
    services.item_update(
        item=action,
        title="Intussen gewijzigd",
        description="",
        responsible_service="",
        sdg_goals=[],
        sdg_targets=[],
        proposals=[],
        expected_version=action.version,
        by=opsteller,
    )
    response = editor.post(
        item_url("item_edit", action), item_data(action, title="Mijn eigen titel")
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert STALE in content
    assert 'value="Mijn eigen titel"' in content
    assert "Intussen gewijzigd" in content
    assert fresh(action).title == "Intussen gewijzigd"


# --- deleting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "index, anchor",
    [
        (0, lambda item: ""),
        (1, lambda item: f"#item-goal-{item.goal_id}"),
        (2, lambda item: f"#item-action_plan-{item.action_plan_id}"),
    ],
)
def test_each_level_is_deleted_after_a_confirmation(editor, plan, hierarchy, index, anchor):
    item = hierarchy[index][0]
    response = editor.get(item_url("item_delete", item))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ja, verwijderen" in content
    if index == 0:
        assert "Ook de 2 actieplannen eronder verdwijnen" in content and "met 3 acties" in content
    assert type(item).objects.filter(pk=item.pk).exists()
    response = editor.post(item_url("item_delete", item))
    assert response.status_code == 302
    assert response["Location"] == plan_page(plan.municipality) + anchor(item)
    assert not type(item).objects.filter(pk=item.pk).exists()
    assert codes(plan)[0][0] == "BD1"


# --- moving --------------------------------------------------------------------------------


def test_moving_up_and_down_changes_the_codes(editor, plan, actions):
    first, second = actions[0], actions[1]
    response = editor.post(item_url("item_move", second), {"direction": "up"})
    assert response["Location"].endswith(f"#item-action-{second.pk}")
    assert codes(plan)[2:4] == [("AC1.1.1", "Actie 1.1.2"), ("AC1.1.2", "Actie 1.1.1")]
    editor.post(item_url("item_move", second), {"direction": "down"})
    assert codes(plan)[2:4] == [("AC1.1.1", "Actie 1.1.1"), ("AC1.1.2", "Actie 1.1.2")]
    response = editor.post(item_url("item_move", first), {"direction": "up"}, follow=False)
    assert response.status_code == 302  # already at the top: a message, nothing changes


@pytest.mark.parametrize("data", [{"direction": "left"}, {}])
def test_a_bad_direction_is_a_400(editor, actions, data):
    response = editor.post(item_url("item_move", actions[0]), data)
    assert response.status_code == 400


def test_an_action_moves_to_another_action_plan_and_the_codes_follow(
    editor, plan, action_plans, actions
):
    action = actions[0]  # AC1.1.1
    response = editor.get(item_url("item_move_to", action))
    assert response.status_code == 200
    content = response.content.decode()
    assert "AP2.1 — Plan 2.1" in content and "AP1.1 — Plan 1.1" not in content
    response = editor.post(item_url("item_move_to", action), {"target": action_plans[2].pk})
    assert response["Location"].endswith(f"#item-action-{action.pk}")
    by_title = {title: code for code, title in codes(plan)}
    assert by_title["Actie 1.1.1"] == "AC2.1.4"
    assert by_title["Actie 1.1.2"] == "AC1.1.1"
    assert "haar code is nu AC2.1.4" in " ".join(
        str(m) for m in get_messages(response.wsgi_request)
    )
    assert fresh(action).action_plan == action_plans[2]


def test_an_action_plan_moves_to_another_goal_with_its_actions(editor, plan, goals, action_plans):
    response = editor.post(item_url("item_move_to", action_plans[0]), {"target": goals[1].pk})
    assert response.status_code == 302
    by_title = {title: code for code, title in codes(plan)}
    assert by_title["Plan 1.1"] == "AP2.2"
    assert by_title["Actie 1.1.1"] == "AC2.2.1"
    assert by_title["Plan 1.2"] == "AP1.1"


def test_move_to_a_foreign_or_unknown_parent_is_refused(
    editor, plan, action_plans, actions, other_municipality, outsider
):
    from apps.core.models import Legislature

    other_plan = services.plan_get_or_create(
        municipality=other_municipality, legislature=Legislature.objects.current(), by=outsider
    )
    _g, other_plans, _a = build(other_plan, outsider, [[1]])
    response = editor.post(item_url("item_move_to", actions[0]), {"target": other_plans[0].pk})
    assert response.status_code == 400
    response = editor.post(item_url("item_move_to", actions[0]), {"target": "x"})
    assert response.status_code == 400
    response = editor.post(item_url("item_move_to", actions[0]), {})
    assert response.status_code == 400
    assert "Kies waarheen" in response.content.decode()
    assert fresh(actions[0]).action_plan == action_plans[0]


def test_a_goal_has_no_move_to_page(editor, goals):
    assert editor.get(item_url("item_move_to", goals[0])).status_code == 404


# --- amounts -------------------------------------------------------------------------------


def _grid(item, **cells):
    data = {"version": fresh(item).version}
    data.update(cells)
    return data


def test_the_budget_grid_saves_decimal_amounts(editor, actions):
    action = actions[0]
    response = editor.get(item_url("budget_edit", action))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="visually-hidden" for="id_b_') == 36
    assert "Exploitatie, uitgaven, 2026" in content
    response = editor.post(
        item_url("budget_edit", action),
        _grid(
            action,
            b_2026_exploitatie_uitgaven="1.234,56",
            b_2031_investeringen_ontvangsten="€ 40.000",
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-action-{action.pk}")
    lines = {(b.year, b.kind, b.direction): b.amount for b in BudgetLine.objects.all()}
    assert lines == {
        (2026, "exploitatie", "uitgaven"): Decimal("1234.56"),
        (2031, "investeringen", "ontvangsten"): Decimal("40000.00"),
    }
    assert all(isinstance(amount, Decimal) for amount in lines.values())
    content = editor.get(item_url("budget_edit", action)).content.decode()
    assert 'value="1.234,56"' in content
    # emptying a cell clears its amount
    editor.post(
        item_url("budget_edit", action),
        _grid(action, b_2031_investeringen_ontvangsten="40.000"),
    )
    assert BudgetLine.objects.count() == 1


def test_a_bad_amount_names_its_cell_and_saves_nothing(editor, actions):
    action = actions[0]
    response = editor.post(
        item_url("budget_edit", action),
        _grid(
            action,
            b_2026_exploitatie_uitgaven="1.000",
            b_2027_investeringen_ontvangsten="twaalf",
            b_2028_financiering_uitgaven="-5",
        ),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Niets opgeslagen" in content
    assert 'href="#id_b_2027_investeringen_ontvangsten">Investeringen, ontvangsten, 2027' in content
    assert "Financiering, uitgaven, 2028" in content
    assert 'value="twaalf"' in content
    assert not BudgetLine.objects.exists()


def test_amounts_are_refused_on_an_action_plan_with_actions(editor, action_plans):
    with_actions = action_plans[0]
    content = editor.get(item_url("budget_edit", with_actions)).content.decode()
    assert "de bedragen staan op de acties" in content
    assert 'name="b_2026_exploitatie_uitgaven"' not in content
    response = editor.post(
        item_url("budget_edit", with_actions),
        _grid(with_actions, b_2026_exploitatie_uitgaven="100"),
    )
    assert response.status_code == 200
    assert "geef de bedragen op bij de acties" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_an_action_plan_without_actions_takes_amounts(editor, plan, goals, opsteller):
    empty = services.action_plan_create(goal=goals[0], title="Zonder acties", by=opsteller)
    response = editor.post(
        item_url("budget_edit", empty), _grid(empty, b_2029_exploitatie_uitgaven="2500")
    )
    assert response.status_code == 302
    assert BudgetLine.objects.get().action_plan == empty


def test_a_goal_has_no_budget_page(editor, goals):
    assert editor.get(item_url("budget_edit", goals[0])).status_code == 404


def test_a_stale_budget_is_a_409_and_keeps_the_amounts(editor, actions, opsteller):
    action = actions[0]
    data = _grid(action, b_2026_exploitatie_uitgaven="77")
    services.budget_set(
        item=action,
        amounts={(2026, "exploitatie", "uitgaven"): Decimal(5)},
        expected_version=action.version,
        by=opsteller,
    )
    response = editor.post(item_url("budget_edit", action), data)
    assert response.status_code == 409
    assert 'value="77"' in response.content.decode()
    assert BudgetLine.objects.get().amount == Decimal(5)


# --- milestones ----------------------------------------------------------------------------


def _milestones(item, rows, extra=0):
    data = {
        "version": fresh(item).version,
        "mijlpaal-TOTAL_FORMS": str(len(rows) + extra),
        "mijlpaal-INITIAL_FORMS": "0",
    }
    for i, (name, value, year) in enumerate(rows):
        data.update(
            {
                f"mijlpaal-{i}-name": name,
                f"mijlpaal-{i}-target_value": value,
                f"mijlpaal-{i}-year": year,
            }
        )
    return data


@pytest.mark.parametrize("index", [0, 1, 2])
def test_milestones_are_saved_and_removed(editor, hierarchy, index):
    item = hierarchy[index][0]
    response = editor.get(item_url("milestones_edit", item))
    assert response.status_code == 200
    assert response.content.decode().count('name="mijlpaal-') >= 9  # three empty rows
    response = editor.post(
        item_url("milestones_edit", item),
        _milestones(item, [("Fair-o-meter", "60", "2028"), ("Activiteiten", "12,5", "2031")], 1),
    )
    assert response.status_code == 302
    rows = list(Milestone.objects.values_list("name", "target_value", "year"))
    assert rows == [
        ("Fair-o-meter", Decimal("60.00"), 2028),
        ("Activiteiten", Decimal("12.50"), 2031),
    ]
    editor.post(
        item_url("milestones_edit", item),
        _milestones(item, [("Fair-o-meter", "70", "2029"), ("", "", "")]),
    )
    assert list(Milestone.objects.values_list("name", "year")) == [("Fair-o-meter", 2029)]


def test_a_half_filled_milestone_row_or_a_year_outside_the_period_is_an_error(editor, actions):
    action = actions[0]
    response = editor.post(
        item_url("milestones_edit", action),
        _milestones(action, [("Fair-o-meter", "", "2028"), ("Vroeg", "1", "2020")]),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vul ook dit in" in content
    assert "Kies een jaar van de planperiode" in content
    assert not Milestone.objects.exists()


def test_a_broken_milestone_management_form_is_an_error_not_a_500(editor, actions):
    response = editor.post(item_url("milestones_edit", actions[0]), {"version": "1"})
    assert response.status_code == 200
    assert not Milestone.objects.exists()


# --- settings and growth path --------------------------------------------------------------


def test_the_settings_change_the_numbering_to_the_year_style(editor, plan, municipality, goals):
    response = editor.get(url("settings", municipality))
    assert response.status_code == 200
    response = editor.post(
        url("settings", municipality),
        {
            "title": "LMB in het meerjarenplan",
            "introduction": "Inleiding.",
            "numbering": Numbering.YEAR,
            "goal_prefix": "BD",
            "plan_prefix": "AP",
            "action_prefix": "AC",
            "version": plan.version,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "LMB in het meerjarenplan"
    assert [code for code, _t in codes(plan)][:3] == ["2026-1", "2026-1-1", "2026-1-1-1"]


def test_a_prefix_with_digits_is_a_form_error(editor, plan, municipality):
    response = editor.post(
        url("settings", municipality),
        {
            "title": "Plan",
            "numbering": Numbering.PREFIX,
            "goal_prefix": "B1",
            "plan_prefix": "AP",
            "action_prefix": "AC",
            "version": plan.version,
        },
    )
    assert response.status_code == 200
    assert "zonder cijfers" in response.content.decode()


def test_the_growth_path_is_saved(editor, plan, municipality):
    response = editor.get(url("growth_edit", municipality))
    assert response.status_code == 200
    response = editor.post(
        url("growth_edit", municipality),
        {"share_2026": "0,2", "share_2031": "0,7", "version": plan.version},
    )
    assert response.status_code == 302
    assert dict(GrowthTarget.objects.values_list("year", "share")) == {
        2026: Decimal("0.20"),
        2031: Decimal("0.70"),
    }
    response = editor.post(
        url("growth_edit", municipality), {"share_2027": "150", "version": plan.version + 1}
    )
    assert response.status_code == 200
    assert GrowthTarget.objects.count() == 2


# --- roles and scoping ---------------------------------------------------------------------


def _pages(hierarchy):
    goals, action_plans, actions = hierarchy
    municipality = goals[0].plan.municipality
    return [
        ("get", url("settings", municipality)),
        ("get", url("growth_edit", municipality)),
        ("get", url("item_create", municipality, "doelstelling")),
        ("post", url("item_create", municipality, "actie", query=f"parent={action_plans[0].pk}")),
        ("get", item_url("item_edit", goals[0])),
        ("post", item_url("item_edit", actions[0])),
        ("post", item_url("item_delete", actions[0])),
        ("post", item_url("item_move", actions[0])),
        ("post", item_url("item_move_to", actions[0])),
        ("get", item_url("budget_edit", actions[0])),
        ("post", item_url("budget_edit", actions[0])),
        ("post", item_url("milestones_edit", action_plans[0])),
    ]


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_readers_get_a_403(request, client, hierarchy, role):
    client.force_login(request.getfixturevalue(role))
    for method, path in _pages(hierarchy):
        assert getattr(client, method)(path, {"direction": "up"}).status_code == 403, path
    assert Action.objects.count() == 6


def test_another_municipality_gets_a_404(client, hierarchy, outsider):
    client.force_login(outsider)
    for method, path in _pages(hierarchy):
        assert getattr(client, method)(path).status_code == 404, path


@pytest.mark.parametrize("name", ["item_edit", "item_delete", "budget_edit", "milestones_edit"])
def test_an_unknown_level_or_item_is_a_404(editor, municipality, actions, name):
    # An unknown level matches no URL at all (the <level> converter), so it is a 404 too.
    plan_url = reverse("meerjarenplan:plan", args=[municipality.nis_code])
    assert editor.get(f"{plan_url}project/{actions[0].pk}/").status_code == 404
    # an action's pk under the goal level is not that goal
    missing = max(Goal.objects.values_list("pk", flat=True)) + 100
    assert editor.get(url(name, municipality, "doelstelling", missing)).status_code == 404
    assert editor.get(f"{plan_url}project/nieuw/").status_code == 404


def test_without_a_plan_the_edit_pages_are_404(editor, municipality):
    assert editor.get(url("settings", municipality)).status_code == 404
    assert editor.get(url("item_create", municipality, "doelstelling")).status_code == 404


# --- the actions of an item on the plan page -----------------------------------------------


def test_the_item_actions_name_the_item_and_offer_what_its_level_allows(plan, hierarchy):
    tree = plan_tree(plan)
    goal = tree.goals[0]
    request = RequestFactory().get("/")
    context = {"municipality": plan.municipality, "can_edit": True, "request": request}

    def render(node, **extra):
        return render_to_string(
            "meerjarenplan/_item_actions.html", {**context, "node": node, **extra}
        )

    html = render(goal, item_first=True)
    assert item_url("item_edit", goal.item) in html
    assert 'Bewerken<span class="visually-hidden">: BD1 Doel 1</span>' in html
    assert "budget" not in html and "verhuizen" not in html
    assert "disabled" in html  # Omhoog at the top
    action_plan = goal.children[0]
    html = render(action_plan)
    assert item_url("item_move_to", action_plan.item) in html
    assert item_url("budget_edit", action_plan.item) not in html  # it has actions
    action = action_plan.children[0]
    html = render(action)
    for name in ("item_edit", "budget_edit", "milestones_edit", "item_move", "item_delete"):
        assert item_url(name, action.item) in html
    assert ": AC1.1.1 Actie 1.1.1</span>" in html
    assert 'name="direction" value="up"' in html and "disabled" not in html
    assert render(action, can_edit=False).strip() == ""


# --- queries -------------------------------------------------------------------------------


def _count(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_the_edit_pages_run_a_fixed_number_of_queries(editor, plan, opsteller):
    goals, _plans, actions = build(plan, opsteller, [[2], [1]])
    services.milestones_set(
        item=actions[0],
        milestones=[("A", Decimal(1), 2027)],
        expected_version=actions[0].version,
        by=opsteller,
    )
    paths = lambda: [  # noqa: E731
        item_url("item_edit", fresh(actions[0])),
        url("item_create", plan.municipality, "actie", query=f"parent={_plans[0].pk}"),
        item_url("item_move_to", actions[0]),
        item_url("budget_edit", actions[0]),
        item_url("milestones_edit", actions[0]),
        item_url("item_delete", goals[0]),
        url("settings", plan.municipality),
        url("growth_edit", plan.municipality),
    ]
    few = [_count(editor, path) for path in paths()]
    build(plan, opsteller, [[10] * 5] * 3)  # 150 more actions
    services.milestones_set(
        item=fresh(actions[0]),
        milestones=[(f"M{j}", Decimal(j), 2027) for j in range(12)],
        expected_version=fresh(actions[0]).version,
        by=opsteller,
    )
    assert Action.objects.count() == 153
    many = [_count(editor, path) for path in paths()]
    assert few == many


# --- odd input -----------------------------------------------------------------------------

ODD = ["\x00", "9" * 5000, "1e309", "-1", "\u202eevil", "99999999999999999999999", ""]


def test_odd_values_in_every_field_never_fail(editor, plan, municipality, hierarchy):
    goals, action_plans, actions = hierarchy
    action = actions[0]
    pages = [
        (item_url("item_edit", action), item_data(action)),
        (item_url("item_edit", goals[0]), item_data(goals[0])),
        (
            url("item_create", municipality, "actie", query=f"parent={action_plans[0].pk}"),
            {"title": "Nieuw", "priority": "on", "sdg_goals": "1", "sdg_targets": "1"},
        ),
        (item_url("item_move", action), {"direction": "up"}),
        (item_url("item_move_to", action), {"target": action_plans[2].pk}),
        (item_url("budget_edit", action), _grid(action, b_2026_exploitatie_uitgaven="1")),
        (item_url("milestones_edit", action), _milestones(action, [("A", "1", "2027")], 1)),
        (
            url("settings", municipality),
            {
                "title": "Plan",
                "introduction": "Tekst",
                "numbering": "prefix",
                "goal_prefix": "BD",
                "plan_prefix": "AP",
                "action_prefix": "AC",
                "version": plan.version,
            },
        ),
        (url("growth_edit", municipality), {"share_2026": "0,3", "version": plan.version}),
    ]
    for path, data in pages:
        for name in [*data, "version", "proposals"]:
            for value in ODD:
                response = editor.post(path, {**data, name: value})
                assert response.status_code in {200, 302, 400, 404, 409}, (path, name, value)
        response = editor.post(path, {})
        assert response.status_code in {200, 302, 400, 409}, path
    assert Action.objects.filter(pk=action.pk).exists()
