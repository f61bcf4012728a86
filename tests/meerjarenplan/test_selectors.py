"""Reads of the meerjarenplan: amounts rolled up as Decimal, the M1 table whose totals equal the
sum of the actions' amounts, the growth path towards 0.7 % from the core key figures, and a
fixed number of queries for 10 and for 150 actions."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from apps.core.charts import chart_rows, chart_svg
from apps.core.models import SDGGoal, YearFigures
from apps.meerjarenplan import services
from apps.meerjarenplan.models import Action, ActionPlan, BudgetLine, Goal, Milestone
from apps.meerjarenplan.selectors import growth_path, m1_table, plan_for, plan_tree
from tests.beleidsvoorstellen.factories import MemorandumProposalFactory

from .conftest import build

pytestmark = pytest.mark.django_db

EXP, INV, FIN = "exploitatie", "investeringen", "financiering"
OUT, IN = "uitgaven", "ontvangsten"
YEARS = list(range(2026, 2032))


def set_amounts(item, by, amounts):
    item = type(item).objects.get(pk=item.pk)
    return services.budget_set(item=item, amounts=amounts, expected_version=item.version, by=by)


def prioritise(item, by):
    item = type(item).objects.get(pk=item.pk)
    services.item_update(
        item=item,
        title=item.title,
        description="",
        responsible_service="",
        sdg_goals=[],
        sdg_targets=[],
        proposals=[],
        priority=True,
        expected_version=item.version,
        by=by,
    )


@pytest.fixture
def budgeted(plan, opsteller):
    """Goal 1 (priority through one action) with two plans; goal 2 with a plan with actions
    and a plan without actions that carries its own amounts."""
    goals, action_plans, actions = build(plan, opsteller, [[2, 1], [2, 0]])
    prioritise(actions[1], opsteller)
    set_amounts(
        actions[0],
        opsteller,
        {
            (2026, EXP, OUT): Decimal("1000.10"),
            (2026, EXP, IN): Decimal("200.05"),
            (2027, INV, OUT): Decimal("5000"),
        },
    )
    set_amounts(actions[1], opsteller, {(2026, EXP, OUT): Decimal("0.20")})
    set_amounts(
        actions[2], opsteller, {(2031, FIN, OUT): Decimal("300"), (2031, FIN, IN): Decimal("50")}
    )
    set_amounts(actions[3], opsteller, {(2026, EXP, OUT): Decimal("0.10")})
    set_amounts(actions[4], opsteller, {(2028, INV, IN): Decimal("999999999.99")})
    set_amounts(action_plans[3], opsteller, {(2026, EXP, OUT): Decimal("7.77")})
    return goals, action_plans, actions


def line_sum(year, kind, direction, **filters):
    total = BudgetLine.objects.filter(
        year=year, kind=kind, direction=direction, **filters
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def test_amounts_roll_up_from_actions_to_the_whole_plan(plan, budgeted):
    tree = plan_tree(plan)
    goal1, goal2 = tree.goals
    # 0.10 + 0.20 in binary floating point is not 0.30; in Decimal it is.
    assert goal1.budget.get(2026, EXP, OUT) == Decimal("1000.30")
    assert goal1.children[0].budget.get(2026, EXP, OUT) == Decimal("1000.30")
    assert goal2.budget.get(2026, EXP, OUT) == Decimal("7.87")
    assert goal2.children[1].has_own_amounts and not goal2.children[1].children
    assert tree.budget.get(2026, EXP, OUT) == Decimal("1008.17")
    for year in YEARS:
        for kind in (EXP, INV, FIN):
            for direction in (OUT, IN):
                assert tree.budget.get(year, kind, direction) == line_sum(year, kind, direction)
                for goal in tree.goals:
                    assert goal.budget.get(year, kind, direction) == sum(
                        (p.budget.get(year, kind, direction) for p in goal.children),
                        Decimal(0),
                    )
    amounts = [amount for node in tree.nodes() for amount in node.budget.cells.values()]
    assert amounts and all(type(amount) is Decimal for amount in amounts)
    rows = goal1.budget.rows()
    assert len(rows) == 6 and rows[0]["amounts"][0] == Decimal("1000.30")
    assert rows[0]["total"] == Decimal("1000.30")


def test_the_tree_carries_codes_priority_and_details(plan, budgeted, opsteller, municipality):
    _goals, _plans, actions = budgeted
    proposal = MemorandumProposalFactory(memorandum__municipality=municipality)
    action = Action.objects.get(pk=actions[0].pk)
    services.item_update(
        item=action,
        title=action.title,
        description="",
        responsible_service="Noord-Zuid",
        sdg_goals=SDGGoal.objects.filter(number=17),
        sdg_targets=[],
        proposals=[proposal],
        expected_version=action.version,
        by=opsteller,
    )
    tree = plan_tree(plan)
    node = tree.by_code()["AC1.1.1"]
    assert node.item.responsible_service == "Noord-Zuid"
    assert [g.number for g in node.item.sdg_goals.all()] == [17]
    assert [p.title for p in node.item.proposals.all()] == [proposal.title]
    assert [(g.code, g.priority) for g in tree.goals] == [("BD1", True), ("BD2", False)]
    assert tree.by_code()["AC1.1.2"].priority and not node.priority


def test_m1_totals_equal_the_sum_of_the_actions(plan, budgeted):
    table = m1_table(plan)
    assert table.years == YEARS
    assert [block.role for block in table.blocks] == ["goal", "other", "total"]
    assert [block.code for block in table.goals] == ["BD1"]
    assert len(table.total.rows) == 9
    goal1_ids = list(Action.objects.filter(action_plan__goal__order=0).values_list("pk", flat=True))
    for row in table.total.rows:
        for year, amount in zip(table.years, row.amounts, strict=True):
            assert type(amount) is Decimal
            if row.line == "saldo":
                assert amount == line_sum(year, row.kind, IN) - line_sum(year, row.kind, OUT)
            else:
                assert amount == line_sum(year, row.kind, row.line)
    for goal_row, other_row, total_row in zip(
        table.goals[0].rows, table.other.rows, table.total.rows, strict=True
    ):
        assert [g + o for g, o in zip(goal_row.amounts, other_row.amounts, strict=True)] == (
            total_row.amounts
        )
        if goal_row.line != "saldo":
            assert goal_row.amounts == [
                line_sum(year, goal_row.kind, goal_row.line, action__in=goal1_ids) for year in YEARS
            ]
    saldo = next(r for r in table.goals[0].rows if r.kind == EXP and r.line == "saldo")
    assert saldo.amounts[0] == Decimal("200.05") - Decimal("1000.30")
    assert m1_table(plan, plan_tree(plan)).total.rows == table.total.rows


def test_without_priority_goals_m1_has_only_the_totals(plan, opsteller):
    build(plan, opsteller, [[1]])
    table = m1_table(plan)
    assert [block.role for block in table.blocks] == ["other", "total"]
    assert all(amount == 0 for row in table.total.rows for amount in row.amounts)


def test_growth_path_uses_the_core_key_figures(plan, opsteller, municipality):
    _goals, _plans, actions = build(plan, opsteller, [[2]])
    for year in YEARS:
        YearFigures.objects.create(
            municipality=municipality,
            year=year,
            total_budget=None if year == 2030 else Decimal("10000000"),
            lmb_budget=Decimal("1"),  # typed, but the plan's amounts take its place
            inhabitants=20000 if year == 2026 else None,
        )
    set_amounts(
        actions[0],
        opsteller,
        {
            (2026, EXP, OUT): Decimal("50000"),
            (2026, INV, OUT): Decimal("10000"),
            (2026, EXP, IN): Decimal("40000"),  # receipts are not subtracted
            (2026, FIN, OUT): Decimal("90000"),  # financiering is not policy spending
            (2027, EXP, OUT): Decimal("70000"),
            (2028, EXP, OUT): Decimal("40000"),
            (2029, EXP, OUT): Decimal("80000"),
            (2031, EXP, OUT): Decimal("90000"),
        },
    )
    plan = services.growth_path_set(
        plan=plan,
        shares={2026: Decimal("0.5"), 2031: Decimal("0.7")},
        expected_version=plan.version,
        by=opsteller,
    )
    path = growth_path(plan)
    by_year = {row.year: row for row in path.years}
    assert by_year[2026].figure.lmb_budget == Decimal("60000")
    assert by_year[2026].figure.lmb_share == Decimal("0.60")
    assert by_year[2026].figure.per_inhabitant == Decimal("3.00")
    assert by_year[2027].figure.per_inhabitant == Decimal("2.80")  # the municipality's 25,000
    assert by_year[2027].figure.lmb_share == Decimal("0.70")
    assert by_year[2030].figure.lmb_share is None
    assert by_year[2026].target_share == Decimal("0.50")
    assert by_year[2027].target_share is None
    # 2028 goes down from 2027; 2031 (0.90) is compared with 2029 (0.80), the last known share.
    assert [row.year for row in path.warnings] == [2028]
    assert path.reference == Decimal("0.70")
    svg = chart_svg(path.chart, ident="groeipad")
    assert svg.startswith("<svg") and "stroke-dasharray" in svg
    assert len(path.chart.series) == 2 and path.chart.series[1].dashed
    assert [row["year"] for row in chart_rows(path.chart)] == YEARS
    preview = growth_path(plan, targets={})
    assert len(preview.chart.series) == 1


def _big_plan(plan, by, action_count: int) -> None:
    """A plan of 5 goals × 3 action plans with ``action_count`` actions spread over them, each
    with SDGs, a milestone and two amounts (bulk-created: this is about reading)."""
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


def _count(function, plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        function(plan)
    return len(queries)


@pytest.mark.parametrize(
    ("function", "expected"), [(plan_tree, 16), (m1_table, 4), (growth_path, 3)]
)
def test_a_fixed_number_of_queries_for_10_and_150_actions(
    function, expected, municipality, opsteller, other_municipality, outsider
):
    from apps.core.models import Legislature

    counts = []
    for owner, by, action_count in (
        (municipality, opsteller, 10),
        (other_municipality, outsider, 150),
    ):
        legislature = Legislature.objects.current()
        plan = services.plan_get_or_create(municipality=owner, legislature=legislature, by=by)
        _big_plan(plan, by, action_count)
        plan = plan_for(municipality=owner, legislature=legislature)
        counts.append(_count(function, plan))
    assert counts == [expected, expected]
    tree = plan_tree(plan)
    assert sum(1 for node in tree.nodes() if node.level == "action") == 150
    assert tree.budget.get(2026, EXP, OUT) == Decimal("1501.50")
