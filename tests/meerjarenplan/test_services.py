"""Writes to the meerjarenplan: codes that follow moves and deletions, derived priority,
amounts checked before anything is written, optimistic locking, roles and scoping."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.editing import StaleVersionError
from apps.core.models import Legislature, SDGGoal
from apps.meerjarenplan import services
from apps.meerjarenplan.models import Action, ActionPlan, BudgetLine, Goal, Numbering, Plan
from apps.meerjarenplan.selectors import item_for_user, plan_for, plan_tree
from tests.beleidsvoorstellen.factories import MemorandumProposalFactory

from .conftest import build

pytestmark = pytest.mark.django_db

EXP, INV, FIN = "exploitatie", "investeringen", "financiering"
OUT, IN = "uitgaven", "ontvangsten"


def codes(plan):
    return [(node.code, node.title) for node in plan_tree(plan).nodes()]


def fresh(item):
    return type(item).objects.get(pk=item.pk)


def test_codes_follow_the_hierarchy(plan, hierarchy):
    assert codes(plan) == [
        ("BD1", "Doel 1"),
        ("AP1.1", "Plan 1.1"),
        ("AC1.1.1", "Actie 1.1.1"),
        ("AC1.1.2", "Actie 1.1.2"),
        ("AP1.2", "Plan 1.2"),
        ("AC1.2.1", "Actie 1.2.1"),
        ("BD2", "Doel 2"),
        ("AP2.1", "Plan 2.1"),
        ("AC2.1.1", "Actie 2.1.1"),
        ("AC2.1.2", "Actie 2.1.2"),
        ("AC2.1.3", "Actie 2.1.3"),
    ]


def test_own_prefixes_and_the_year_style(plan, hierarchy, opsteller):
    plan = services.plan_update(
        plan=plan,
        title="Plan",
        introduction="Inleiding",
        goal_prefix="SD",
        plan_prefix="OD",
        action_prefix="A",
        expected_version=plan.version,
        by=opsteller,
    )
    assert [code for code, _t in codes(plan)][:3] == ["SD1", "OD1.1", "A1.1.1"]
    plan = services.plan_update(
        plan=plan,
        title="Plan",
        introduction="",
        numbering=Numbering.YEAR,
        expected_version=plan.version,
        by=opsteller,
    )
    assert [code for code, _t in codes(plan)][:5] == [
        "2026-1",
        "2026-1-1",
        "2026-1-1-1",
        "2026-1-1-2",
        "2026-1-2",
    ]


def test_a_prefix_with_digits_or_dots_is_refused(plan, opsteller):
    with pytest.raises(ValidationError):
        services.plan_update(
            plan=plan,
            title="Plan",
            introduction="",
            goal_prefix="B1.",
            expected_version=plan.version,
            by=opsteller,
        )


def test_moving_an_action_to_another_plan_renumbers_both(plan, hierarchy, opsteller):
    _goals, action_plans, actions = hierarchy
    services.action_move_to(action=actions[0], action_plan=action_plans[2], by=opsteller)
    by_code = {code: title for code, title in codes(plan)}
    assert by_code["AC1.1.1"] == "Actie 1.1.2"  # the gap closed
    assert "AC1.1.2" not in by_code
    assert by_code["AC2.1.4"] == "Actie 1.1.1"  # appended at the end
    orders = list(
        Action.objects.filter(action_plan=action_plans[0]).values_list("order", flat=True)
    )
    assert orders == [0]


def test_moving_a_plan_to_another_goal_takes_its_actions_along(plan, hierarchy, opsteller):
    goals, action_plans, _actions = hierarchy
    services.action_plan_move_to(action_plan=action_plans[0], goal=goals[1], by=opsteller)
    assert codes(plan) == [
        ("BD1", "Doel 1"),
        ("AP1.1", "Plan 1.2"),
        ("AC1.1.1", "Actie 1.2.1"),
        ("BD2", "Doel 2"),
        ("AP2.1", "Plan 2.1"),
        ("AC2.1.1", "Actie 2.1.1"),
        ("AC2.1.2", "Actie 2.1.2"),
        ("AC2.1.3", "Actie 2.1.3"),
        ("AP2.2", "Plan 1.1"),
        ("AC2.2.1", "Actie 1.1.1"),
        ("AC2.2.2", "Actie 1.1.2"),
    ]


def test_moving_up_and_down_and_deleting_keep_codes_gap_free(plan, hierarchy, opsteller):
    goals, _action_plans, actions = hierarchy
    services.item_move(item=actions[4], direction="up", by=opsteller)  # Actie 2.1.2 up
    services.item_move(item=goals[1], direction="up", by=opsteller)
    titles = [title for _c, title in codes(plan)]
    assert titles[:5] == ["Doel 2", "Plan 2.1", "Actie 2.1.2", "Actie 2.1.1", "Actie 2.1.3"]
    with pytest.raises(ValidationError) as error:
        services.item_move(item=fresh(goals[1]), direction="up", by=opsteller)
    assert error.value.code == "first"
    services.item_delete(item=fresh(actions[4]), by=opsteller)
    services.item_delete(item=fresh(goals[1]), by=opsteller)
    assert codes(plan) == [
        ("BD1", "Doel 1"),
        ("AP1.1", "Plan 1.1"),
        ("AC1.1.1", "Actie 1.1.1"),
        ("AC1.1.2", "Actie 1.1.2"),
        ("AP1.2", "Plan 1.2"),
        ("AC1.2.1", "Actie 1.2.1"),
    ]
    assert list(Goal.objects.filter(plan=plan).values_list("order", flat=True)) == [0]
    assert not Action.objects.filter(pk=actions[3].pk).exists()  # deleted with its goal


def test_moves_stay_within_the_plan(plan, hierarchy, opsteller, other_municipality, outsider):
    _goals, _action_plans, actions = hierarchy
    other_plan = services.plan_get_or_create(
        municipality=other_municipality, legislature=Legislature.objects.current(), by=outsider
    )
    _g, other_plans, _a = build(other_plan, outsider, [[0]])
    with pytest.raises(ValidationError) as error:
        services.action_move_to(action=actions[0], action_plan=other_plans[0], by=opsteller)
    assert error.value.code == "plan"


def test_a_goal_is_priority_exactly_when_a_plan_or_action_is(plan, hierarchy, opsteller):
    goals, action_plans, actions = hierarchy
    assert [node.priority for node in plan_tree(plan).goals] == [False, False]
    action = actions[3]  # in goal 2
    services.item_update(
        item=action,
        title=action.title,
        description="",
        responsible_service="Dienst Welzijn",
        sdg_goals=[],
        sdg_targets=[],
        proposals=[],
        priority=True,
        expected_version=action.version,
        by=opsteller,
    )
    services.item_update(
        item=action_plans[1],
        title="Plan 1.2",
        description="",
        responsible_service="",
        sdg_goals=[],
        sdg_targets=[],
        proposals=[],
        priority=True,
        expected_version=action_plans[1].version,
        by=opsteller,
    )
    assert [node.priority for node in plan_tree(plan).goals] == [True, True]
    # Moving the priority action plan away takes goal 1's priority with it.
    services.action_plan_move_to(action_plan=action_plans[1], goal=goals[1], by=opsteller)
    assert [node.priority for node in plan_tree(plan).goals] == [False, True]
    # A goal's priority cannot be typed.
    with pytest.raises(ValidationError) as error:
        services.item_update(
            item=goals[0],
            title="Doel 1",
            description="",
            responsible_service="",
            sdg_goals=[],
            sdg_targets=[],
            proposals=[],
            priority=True,
            expected_version=goals[0].version,
            by=opsteller,
        )
    assert error.value.code == "derived"
    assert not hasattr(Goal, "priority")


def test_update_sanitises_and_links(plan, hierarchy, opsteller, municipality):
    _goals, _plans, actions = hierarchy
    proposal = MemorandumProposalFactory(memorandum__municipality=municipality)
    action = services.item_update(
        item=actions[0],
        title="  Fairtrade-aankopen\x00 ",
        description="<p>Eerlijk</p><script>alert(1)</script>",
        responsible_service="Aankoopdienst",
        sdg_goals=SDGGoal.objects.filter(number__in=[12, 17]),
        sdg_targets=[],
        proposals=[proposal],
        expected_version=actions[0].version,
        by=opsteller,
    )
    assert action.title == "Fairtrade-aankopen"
    assert "<script" not in action.description
    assert action.version == actions[0].version + 1
    assert action.updated_by == opsteller
    assert sorted(action.sdg_goals.values_list("number", flat=True)) == [12, 17]
    assert list(proposal.mjp_actions.all()) == [action]


def test_a_proposal_of_another_municipality_is_refused(plan, hierarchy, opsteller):
    _goals, _plans, actions = hierarchy
    foreign = MemorandumProposalFactory()
    with pytest.raises(ValidationError) as error:
        services.item_update(
            item=actions[0],
            title="x",
            description="",
            responsible_service="",
            sdg_goals=[],
            sdg_targets=[],
            proposals=[foreign],
            expected_version=actions[0].version,
            by=opsteller,
        )
    assert error.value.code == "proposal"


def test_a_stale_version_is_refused(plan, hierarchy, opsteller):
    _goals, _plans, actions = hierarchy
    action = actions[0]
    kwargs = {
        "item": action,
        "description": "",
        "responsible_service": "",
        "sdg_goals": [],
        "sdg_targets": [],
        "proposals": [],
        "expected_version": action.version,
        "by": opsteller,
    }
    services.item_update(title="Eerste", **kwargs)
    with pytest.raises(StaleVersionError) as error:
        services.item_update(title="Tweede", **kwargs)
    assert error.value.current.title == "Eerste"
    with pytest.raises(StaleVersionError):
        services.budget_set(
            item=action,
            amounts={(2026, EXP, OUT): Decimal("1")},
            expected_version=action.version,
            by=opsteller,
        )
    with pytest.raises(StaleVersionError):
        services.plan_update(
            plan=plan, title="x", introduction="", expected_version=plan.version + 5, by=opsteller
        )
    assert fresh(action).title == "Eerste"


# --- amounts -------------------------------------------------------------------------------


def test_amounts_are_stored_as_decimal_and_zero_clears(plan, hierarchy, opsteller):
    _goals, _plans, actions = hierarchy
    action = services.budget_set(
        item=actions[0],
        amounts={
            (2026, EXP, OUT): Decimal("1000.10"),
            (2027, INV, IN): 250,
            (2028, FIN, OUT): None,
        },
        expected_version=actions[0].version,
        by=opsteller,
    )
    lines = {(b.year, b.kind, b.direction): b.amount for b in BudgetLine.objects.all()}
    assert lines == {(2026, EXP, OUT): Decimal("1000.10"), (2027, INV, IN): Decimal("250.00")}
    assert all(type(amount) is Decimal for amount in lines.values())
    services.budget_set(
        item=action,
        amounts={(2026, EXP, OUT): Decimal("0"), (2027, INV, IN): Decimal("300")},
        expected_version=action.version,
        by=opsteller,
    )
    lines = {(b.year, b.kind, b.direction): b.amount for b in BudgetLine.objects.all()}
    assert lines == {(2027, INV, IN): Decimal("300.00")}


@pytest.mark.parametrize(
    ("cell", "amount", "code"),
    [
        ((2025, EXP, OUT), Decimal("10"), "year"),
        ((2032, EXP, OUT), Decimal("10"), "year"),
        ((2026, EXP, OUT), Decimal("-0.01"), "min_value"),
        ((2026, EXP, OUT), 12.5, "type"),
        ((2026, EXP, OUT), "12", "type"),
        ((2026, EXP, OUT), Decimal("NaN"), "invalid"),
        ((2026, EXP, OUT), Decimal("1.001"), "max_digits"),
        ((2026, EXP, OUT), Decimal("1e13"), "max_digits"),
        ((2026, "lening", OUT), Decimal("1"), "kind"),
    ],
)
def test_bad_amounts_refuse_the_whole_call(plan, hierarchy, opsteller, cell, amount, code):
    _goals, _plans, actions = hierarchy
    with pytest.raises(ValidationError) as error:
        services.budget_set(
            item=actions[0],
            amounts={(2027, EXP, OUT): Decimal("5"), cell: amount},
            expected_version=actions[0].version,
            by=opsteller,
        )
    assert [e.code for e in error.value.error_list] == [code]
    assert not BudgetLine.objects.exists()
    assert fresh(actions[0]).version == actions[0].version


def test_amounts_on_an_action_plan_only_without_actions(plan, hierarchy, opsteller):
    goals, action_plans, _actions = hierarchy
    with pytest.raises(ValidationError) as error:
        services.budget_set(
            item=action_plans[0],
            amounts={(2026, EXP, OUT): Decimal("10")},
            expected_version=action_plans[0].version,
            by=opsteller,
        )
    assert error.value.code == "plan_has_actions"
    empty = services.action_plan_create(goal=goals[0], title="Zonder acties", by=opsteller)
    empty = services.budget_set(
        item=empty,
        amounts={(2026, EXP, OUT): Decimal("10")},
        expected_version=empty.version,
        by=opsteller,
    )
    # Now it carries amounts, it takes no actions (new or moved) until they are cleared.
    with pytest.raises(ValidationError) as error:
        services.action_create(action_plan=empty, title="Nieuw", by=opsteller)
    assert error.value.code == "plan_has_amounts"
    with pytest.raises(ValidationError) as error:
        services.action_move_to(action=_actions[0], action_plan=empty, by=opsteller)
    assert error.value.code == "plan_has_amounts"
    with pytest.raises(ValidationError) as error:
        services.budget_set(
            item=goals[0], amounts={}, expected_version=goals[0].version, by=opsteller
        )
    assert error.value.code == "level"


def test_milestones_and_growth_path_years_are_checked(plan, hierarchy, opsteller):
    goals, _plans, _actions = hierarchy
    goal = services.milestones_set(
        item=goals[0],
        milestones=[("Fair-o-meter", Decimal("70"), 2028), ("Fair-o-meter", Decimal("85"), 2031)],
        expected_version=goals[0].version,
        by=opsteller,
    )
    assert [(m.year, m.target_value) for m in goal.milestones.all()] == [
        (2028, Decimal("70.00")),
        (2031, Decimal("85.00")),
    ]
    with pytest.raises(ValidationError):
        services.milestones_set(
            item=goal,
            milestones=[("x", Decimal("1"), 2040)],
            expected_version=goal.version,
            by=opsteller,
        )
    with pytest.raises(ValidationError):
        services.growth_path_set(
            plan=plan, shares={2026: Decimal("-1")}, expected_version=plan.version, by=opsteller
        )
    with pytest.raises(ValidationError):
        services.growth_path_set(
            plan=plan, shares={2019: Decimal("0.1")}, expected_version=plan.version, by=opsteller
        )


# --- roles and scoping -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["schepen", "lezer", "outsider"])
def test_only_the_opsteller_writes(request, role, plan, hierarchy, municipality):
    user = request.getfixturevalue(role)
    goals, action_plans, actions = hierarchy
    writes = [
        lambda: services.plan_get_or_create(
            municipality=municipality, legislature=plan.legislature, by=user
        ),
        lambda: services.plan_update(
            plan=plan, title="x", introduction="", expected_version=plan.version, by=user
        ),
        lambda: services.goal_create(plan=plan, title="x", by=user),
        lambda: services.action_plan_create(goal=goals[0], title="x", by=user),
        lambda: services.action_create(action_plan=action_plans[0], title="x", by=user),
        lambda: services.item_update(
            item=actions[0],
            title="x",
            description="",
            responsible_service="",
            sdg_goals=[],
            sdg_targets=[],
            proposals=[],
            expected_version=actions[0].version,
            by=user,
        ),
        lambda: services.item_delete(item=actions[0], by=user),
        lambda: services.item_move(item=actions[1], direction="up", by=user),
        lambda: services.action_move_to(action=actions[0], action_plan=action_plans[2], by=user),
        lambda: services.action_plan_move_to(action_plan=action_plans[0], goal=goals[1], by=user),
        lambda: services.budget_set(
            item=actions[0],
            amounts={(2026, EXP, OUT): Decimal("1")},
            expected_version=actions[0].version,
            by=user,
        ),
        lambda: services.milestones_set(
            item=goals[0], milestones=[], expected_version=goals[0].version, by=user
        ),
        lambda: services.growth_path_set(
            plan=plan, shares={}, expected_version=plan.version, by=user
        ),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    assert codes(plan)[2] == ("AC1.1.1", "Actie 1.1.1")
    assert not BudgetLine.objects.exists()


def test_for_user_scopes_plans_and_items(
    plan, hierarchy, municipality, lezer, outsider, other_municipality
):
    from django.http import Http404

    _goals, _plans, actions = hierarchy
    assert plan_for(municipality=municipality, legislature=plan.legislature, user=lezer) == plan
    assert plan_for(municipality=municipality, legislature=plan.legislature, user=outsider) is None
    assert list(Plan.objects.for_user(outsider)) == []
    for model in (Goal, ActionPlan, Action):
        assert model.objects.for_user(lezer).count() == model.objects.count()
        assert not model.objects.for_user(outsider).exists()
    assert item_for_user(Action, user=lezer, plan=plan, pk=actions[0].pk) == actions[0]
    with pytest.raises(Http404):
        item_for_user(Action, user=outsider, plan=plan, pk=actions[0].pk)
    other_plan = services.plan_get_or_create(
        municipality=other_municipality, legislature=plan.legislature, by=outsider
    )
    with pytest.raises(Http404):
        item_for_user(Action, user=outsider, plan=other_plan, pk=actions[0].pk)


def test_plan_get_or_create_returns_the_one_plan(plan, municipality, opsteller):
    again = services.plan_get_or_create(
        municipality=municipality, legislature=plan.legislature, by=opsteller
    )
    assert again == plan and Plan.objects.count() == 1
