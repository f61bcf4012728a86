"""The meerjarenplan page, starting it from each of the guide's four structures, the M1 page and
the growth path towards 0.7 %: who may start (403, 404), what the pages show (codes, priority in
words, euro amounts in the Belgian format, the decrease warning, the chart), totals that equal
the actions' amounts, the dashboard card, and pages whose number of queries does not grow."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from apps.core.models import Legislature, SDGGoal, YearFigures
from apps.meerjarenplan import reference, services
from apps.meerjarenplan.dashboard import plan_card
from apps.meerjarenplan.models import Action, ActionPlan, BudgetLine, Goal, Milestone, Plan
from apps.meerjarenplan.services_start import plan_start

from .conftest import build

pytestmark = pytest.mark.django_db

EXP, INV, FIN = "exploitatie", "investeringen", "financiering"
OUT, IN = "uitgaven", "ontvangsten"


def url(name, municipality, *args):
    return reverse(f"meerjarenplan:{name}", args=[municipality.nis_code, *args])


def set_amounts(item, by, amounts):
    item = type(item).objects.get(pk=item.pk)
    return services.budget_set(item=item, amounts=amounts, expected_version=item.version, by=by)


def titles(model, plan):
    return list(model.objects.filter(plan=plan).values_list("title", flat=True))


# --- the structures --------------------------------------------------------------------------


def test_the_four_structures_are_read_from_the_data_file():
    structures = reference.structures()
    assert [s.key for s in structures] == [
        "tactische-doelstelling",
        "project-thematische-doelstelling",
        "actieplannen-bredere-doelstelling",
        "verweven-sdg-plan",
    ]
    assert [s.example for s in structures] == [
        "Brugge",
        "Harelbeke",
        "Herent, Westerlo",
        "Hoogstraten, Wevelgem",
    ]
    for structure in structures:
        assert structure.name_nl and structure.name_en and structure.description_nl
        assert structure.goals and all(goal.title_nl and goal.sdg_goals for goal in structure.goals)
        assert all(1 <= n <= 17 for goal in structure.goals for n in goal.sdg_goals)


def test_before_the_start_the_opsteller_chooses_a_structure_or_starts_empty(
    client, opsteller, municipality
):
    client.force_login(opsteller)
    response = client.get(url("plan", municipality))
    assert response.status_code == 200
    content = response.content.decode()
    for structure in reference.structures():
        assert f'value="{structure.key}"' in content
        assert escape(structure.name_nl) in content
        assert escape(structure.description_nl[:40]) in content
        assert escape(structure.example) in content
    assert "1 beleidsdoelstelling, 2 actieplannen en 4 acties" in content  # Brugge
    assert f'value="{reference.EMPTY}"' in content and "Leeg beginnen" in content
    assert url("start", municipality) in content and "Beginnen" in content
    assert "Voorbeelden uit de praktijk" in content


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_before_the_start_readers_see_that_it_has_not_begun(request, client, role, municipality):
    client.force_login(request.getfixturevalue(role))
    content = client.get(url("plan", municipality)).content.decode()
    assert "nog niet begonnen" in content
    assert 'name="structure"' not in content
    assert url("start", municipality) not in content


@pytest.mark.parametrize("structure", reference.structures(), ids=lambda s: s.key)
def test_starting_from_each_structure_creates_its_skeleton(
    client, opsteller, municipality, structure
):
    client.force_login(opsteller)
    response = client.post(url("start", municipality), {"structure": structure.key}, follow=True)
    assert response.status_code == 200
    assert "is gestart met de structuur" in response.content.decode()
    plan = Plan.objects.get(municipality=municipality)
    goals = list(Goal.objects.filter(plan=plan).order_by("order").prefetch_related("sdg_goals"))
    assert [g.title for g in goals] == [spec.title_nl for spec in structure.goals]
    assert [sorted(s.number for s in g.sdg_goals.all()) for g in goals] == [
        sorted(spec.sdg_goals) for spec in structure.goals
    ]
    plan_specs = [p for g in structure.goals for p in g.children]
    action_plans = list(ActionPlan.objects.filter(plan=plan).order_by("goal__order", "order"))
    assert [p.title for p in action_plans] == [spec.title_nl for spec in plan_specs]
    assert [p.priority for p in action_plans] == [spec.priority for spec in plan_specs]
    action_specs = [a for p in plan_specs for a in p.children]
    actions = Action.objects.filter(plan=plan).order_by(
        "action_plan__goal__order", "action_plan__order", "order"
    )
    assert [a.title for a in actions] == [spec.title_nl for spec in action_specs]
    assert structure.counts == (len(goals), len(action_plans), len(action_specs))
    # The page shows the skeleton, numbered.
    content = client.get(url("plan", municipality)).content.decode()
    assert "BD1" in content and "AP1.1" in content
    assert escape(goals[0].title) in content


def test_starting_empty_creates_only_the_plan(client, opsteller, municipality):
    client.force_login(opsteller)
    response = client.post(url("start", municipality), {"structure": reference.EMPTY}, follow=True)
    assert "zonder structuur" in response.content.decode()
    plan = Plan.objects.get(municipality=municipality)
    assert not plan.goals.exists()
    assert "nog geen beleidsdoelstellingen" in response.content.decode()


def test_starting_twice_says_so_and_keeps_the_first(client, opsteller, municipality, plan):
    client.force_login(opsteller)
    response = client.post(
        url("start", municipality), {"structure": "verweven-sdg-plan"}, follow=True
    )
    assert "is al gestart" in response.content.decode()
    assert not Goal.objects.filter(plan=plan).exists()
    assert Plan.objects.filter(municipality=municipality).count() == 1


def test_the_start_service_refuses_an_existing_plan(municipality, opsteller, plan):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="al gestart"):
        plan_start(
            municipality=municipality,
            legislature=plan.legislature,
            structure_key="tactische-doelstelling",
            by=opsteller,
        )
    assert not Goal.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("data", [{}, {"structure": "onbekend"}, {"structure": "\x00"}])
def test_starting_without_a_known_structure_is_a_400(client, opsteller, municipality, data):
    client.force_login(opsteller)
    response = client.post(url("start", municipality), data)
    assert response.status_code == 400
    assert "structuur" in response.content.decode()
    assert not Plan.objects.exists()


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_only_the_opsteller_starts_the_plan(request, client, role, municipality):
    client.force_login(request.getfixturevalue(role))
    response = client.post(url("start", municipality), {"structure": "verweven-sdg-plan"})
    assert response.status_code == 403
    assert not Plan.objects.exists()


def test_another_municipality_is_a_404(client, outsider, municipality, plan):
    client.force_login(outsider)
    for name in ("plan", "m1", "growth"):
        assert client.get(url(name, municipality)).status_code == 404
    response = client.post(url("start", municipality), {"structure": "verweven-sdg-plan"})
    assert response.status_code == 404


def test_m1_and_growth_pages_are_a_404_before_the_start(client, opsteller, municipality):
    client.force_login(opsteller)
    assert client.get(url("m1", municipality)).status_code == 404
    assert client.get(url("growth", municipality)).status_code == 404


def test_start_is_post_only(client, opsteller, municipality):
    client.force_login(opsteller)
    assert client.get(url("start", municipality)).status_code == 405


def test_anonymous_is_sent_to_login(client, municipality, plan):
    response = client.get(url("plan", municipality))
    assert response.status_code == 302 and "aanmelden" in response["Location"]


# --- the plan page ---------------------------------------------------------------------------


@pytest.fixture
def budgeted(plan, opsteller):
    """Goal 1 with a priority action (and so priority itself), goal 2 without priority."""
    goals, action_plans, actions = build(plan, opsteller, [[2, 1], [1]])
    action = Action.objects.get(pk=actions[1].pk)
    services.item_update(
        item=action,
        title=action.title,
        description="<p>Een <strong>vormingsreeks</strong> voor scholen.</p>",
        responsible_service="Dienst Internationale Samenwerking",
        sdg_goals=[SDGGoal.objects.get(number=4)],
        sdg_targets=[],
        proposals=[],
        priority=True,
        expected_version=action.version,
        by=opsteller,
    )
    action = Action.objects.get(pk=actions[1].pk)
    services.milestones_set(
        item=action,
        milestones=[("Deelnemende scholen", Decimal("12"), 2028)],
        expected_version=action.version,
        by=opsteller,
    )
    set_amounts(
        actions[0],
        opsteller,
        {(2026, EXP, OUT): Decimal("1234567.89"), (2027, INV, OUT): Decimal("5000")},
    )
    set_amounts(actions[1], opsteller, {(2026, EXP, OUT): Decimal("1000.11")})
    set_amounts(
        actions[3],
        opsteller,
        {(2026, EXP, OUT): Decimal("250"), (2026, EXP, IN): Decimal("100"), (2031, FIN, OUT): 7},
    )
    return goals, action_plans, actions


@pytest.mark.parametrize("role", ["opsteller", "schepen", "lezer"])
def test_members_read_the_plan_with_codes_priority_and_euro_totals(
    request, client, role, municipality, budgeted
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url("plan", municipality))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Meerjarenplan 2026-2031" in content
    for code in ("BD1", "BD2", "AP1.1", "AP1.2", "AP2.1", "AC1.1.1", "AC1.1.2", "AC2.1.1"):
        assert f'<span class="mjp-code">{code}</span>' in content
    assert content.count(">prioritair<") == 2  # the action and, derived, its goal
    assert "Dienst Internationale Samenwerking" in content
    assert "<strong>vormingsreeks</strong>" in content
    assert "SDG 4" in content
    assert "Deelnemende scholen: 12 in 2028" in content
    assert "€ 1.234.567,89" in content  # the action
    assert "€ 1.235.568,00" in content  # AP1.1 and BD1 in 2026: 1.234.567,89 + 1.000,11
    assert "€ 1.235.818,00" in content  # the whole plan in 2026, with BD2's 250
    assert "Investeringen: uitgaven" in content and "€ 5.000,00" in content
    assert url("m1", municipality) in content and url("growth", municipality) in content
    assert "Voorbeelden uit de praktijk" in content
    has_edit_links = url("item_edit", municipality, "actie", budgeted[2][0].pk) in content
    assert has_edit_links == (role == "opsteller")


def _big_plan(plan, by, action_count: int) -> None:
    goals = Goal.objects.bulk_create(
        Goal(plan=plan, order=g, title=f"Doel {g}", updated_by=by) for g in range(5)
    )
    action_plans = ActionPlan.objects.bulk_create(
        ActionPlan(plan=plan, goal=goal, order=p, title=f"Plan {p}", priority=p == 0)
        for goal in goals
        for p in range(3)
    )
    actions = Action.objects.bulk_create(
        Action(
            plan=plan,
            action_plan=action_plans[n % len(action_plans)],
            order=n // len(action_plans),
            title=f"Actie {n}",
            description="<p>Omschrijving.</p>",
            responsible_service="Dienst",
            priority=n % 7 == 0,
        )
        for n in range(action_count)
    )
    sdg = SDGGoal.objects.get(number=17)
    for item in [*goals, *action_plans, *actions]:
        item.sdg_goals.add(sdg)
    Milestone.objects.bulk_create(
        Milestone(action=action, name="Deelnemers", target_value=Decimal(100), year=2028)
        for action in actions
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(action=action, year=year, kind=EXP, direction=OUT, amount=Decimal("10.01"))
        for action in actions
        for year in (2026, 2027)
    )


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["plan", "m1", "growth"])
def test_pages_run_the_same_number_of_queries_for_10_and_150_actions(
    client, name, municipality, opsteller, other_municipality, outsider
):
    counts = []
    legislature = Legislature.objects.current()
    for owner, by, action_count in (
        (municipality, opsteller, 10),
        (other_municipality, outsider, 150),
    ):
        plan = services.plan_get_or_create(municipality=owner, legislature=legislature, by=by)
        _big_plan(plan, by, action_count)
        client.force_login(by)
        counts.append(_count(client, url(name, owner)))
    assert counts[0] == counts[1]


# --- M1 ----------------------------------------------------------------------------------------


def test_m1_grand_total_equals_the_sum_of_the_actions_amounts(
    client, lezer, municipality, plan, budgeted
):
    client.force_login(lezer)
    response = client.get(url("m1", municipality))
    assert response.status_code == 200
    content = response.content.decode()
    table = content[content.index('<table class="table table-sm caption-top m1-table">') :]
    assert "<caption>" in table and '<th scope="col" class="text-end">2031</th>' in table
    assert 'scope="rowgroup"' in table and 'scope="row"' in table
    # One priority goal (BD1), then the others, then the total.
    assert table.count('class="m1-block m1-goal"') == 1
    assert "BD1 Doel 1" in table and "Niet-prioritaire" in table
    total = table[table.index('class="m1-block m1-total"') :]
    expected_2026 = sum(
        BudgetLine.objects.filter(
            action__plan=plan, year=2026, kind=EXP, direction=OUT
        ).values_list("amount", flat=True),
        Decimal(0),
    )
    assert expected_2026 == Decimal("1235818.00")
    assert "€ 1.235.818,00" in total  # exploitatie-uitgaven 2026
    assert "€ 100,00" in total  # exploitatie-ontvangsten 2026
    assert "€ -1.235.718,00" in total or "€ −1.235.718,00" in total  # saldo
    assert "€ 5.000,00" in total and "€ 7,00" in total
    other = table[table.index('class="m1-block m1-other"') : table.index("m1-block m1-total")]
    assert "€ 250,00" in other and "€ 1.234.567,89" not in other


# --- growth path --------------------------------------------------------------------------------


def test_growth_page_shows_the_chart_the_table_and_the_decrease_warning(
    client, opsteller, municipality, plan
):
    _goals, _plans, actions = build(plan, opsteller, [[1]])
    for year in range(2026, 2032):
        YearFigures.objects.create(
            municipality=municipality,
            year=year,
            total_budget=Decimal("10000000"),
            inhabitants=20000,
        )
    set_amounts(
        actions[0],
        opsteller,
        {
            (2026, EXP, OUT): Decimal("50000"),
            (2027, EXP, OUT): Decimal("70000"),
            (2028, EXP, OUT): Decimal("40000"),
            (2029, EXP, OUT): Decimal("80000"),
        },
    )
    services.growth_path_set(
        plan=Plan.objects.get(pk=plan.pk),
        shares={2031: Decimal("0.7")},
        expected_version=Plan.objects.get(pk=plan.pk).version,
        by=opsteller,
    )
    client.force_login(opsteller)
    response = client.get(url("growth", municipality))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Het aandeel daalt in 2028 ten opzichte van 2027." in content
    # 2030 and 2031 have no LMB amounts: a share of 0 %, down from 2029, then level.
    assert "Het aandeel daalt in 2030 ten opzichte van 2029." in content
    assert content.count("Het aandeel daalt in") == 2
    assert "<svg" in content and "Groeipad naar 0,7 %" in content
    assert "€ 10.000.000,00" in content and "€ 70.000,00" in content
    assert "0,70 %" in content and "0,40 %" in content
    assert "€ 3,50" in content  # 70.000 / 20.000 inhabitants
    assert reverse("core:figures", args=[municipality.nis_code]) in content
    assert url("growth_edit", municipality) in content


def test_readers_get_no_link_to_set_the_growth_path(client, lezer, municipality, plan):
    client.force_login(lezer)
    content = client.get(url("growth", municipality)).content.decode()
    assert url("growth_edit", municipality) not in content
    assert "<svg" in content


# --- dashboard -----------------------------------------------------------------------------------


def test_dashboard_card_begins_then_opens_the_plan(client, opsteller, municipality):
    legislature = Legislature.objects.current()
    card = plan_card(municipality, legislature, opsteller)
    assert card["url"] == url("plan", municipality)
    assert card["action"] == "Beginnen"
    plan_start(
        municipality=municipality,
        legislature=legislature,
        structure_key="actieplannen-bredere-doelstelling",
        by=opsteller,
    )
    card = plan_card(municipality, legislature, opsteller)
    assert card["status"] == "Concept" and card["action"] == "Openen"
    assert card["summary"] == "3 acties"
    client.force_login(opsteller)
    content = client.get(reverse("core:dashboard", args=[municipality.nis_code])).content.decode()
    assert url("plan", municipality) in content
    assert "3 acties" in content


# --- starts at once --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_starts_at_once_make_one_plan_with_one_skeleton(municipality, opsteller):
    from django.core.exceptions import ValidationError

    from tests.concurrency import THREADS, run_at_once

    legislature = Legislature.objects.current()
    keys = [reference.EMPTY, *(s.key for s in reference.structures())] * 2
    keys = keys[:THREADS]
    results = run_at_once(
        lambda key: plan_start(
            municipality=municipality, legislature=legislature, structure_key=key, by=opsteller
        ),
        keys,
    )
    started = [r for r in results if isinstance(r, Plan)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(started) == 1 and len(refused) == THREADS - 1, results
    plan = Plan.objects.get(municipality=municipality)
    winner = reference.structure(keys[results.index(started[0])])
    expected = winner.counts if winner else (0, 0, 0)
    assert (
        Goal.objects.filter(plan=plan).count(),
        ActionPlan.objects.filter(plan=plan).count(),
        Action.objects.filter(plan=plan).count(),
    ) == expected
