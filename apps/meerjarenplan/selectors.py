"""Reads for the meerjarenplan. Every function runs a fixed number of queries, however many
goals, action plans and actions the plan holds: ``plan_tree`` 16, ``m1_table`` 4 (none with
the page's tree), ``growth_path`` 3 — for a plan from ``plan_for`` (its legislature and
municipality loaded; otherwise one more query for each).

Numbering (computed here, never stored, so the page, the spreadsheet and the PDF agree):

- prefix style (default): goal ``BD1``, its action plans ``AP1.1``, ``AP1.2``, their actions
  ``AC1.1.1`` — the plan's own prefixes replace BD/AP/AC;
- year style: the plan period's first year, then the numbers joined by hyphens: goal
  ``2026-1``, action plan ``2026-1-1`` (goal 1, plan 1), action ``2026-1-1-1``.

Numbers are the positions within the parent, from 1, so they are gap-free after every move
and deletion.

Amounts: each action's budget lines; an action plan's amount is the sum of its actions plus
its own lines (only an action plan without actions has any), a goal's the sum of its action
plans, the plan's the sum of its goals. All sums are Decimal.

The LMB budget of a year (for the growth path towards 0.7 %) is the plan's gross expenses
that year: exploitatie-uitgaven + investeringsuitgaven. Receipts are not subtracted (the
guide compares what the municipality spends on LMB with what it spends in total) and
financiering (loans, repayments) is not policy spending.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from apps.beleidsvoorstellen.models import MemorandumProposal
from apps.core.charts import Chart, Reference, Series
from apps.core.figures import YearFigure, year_figures
from apps.core.models import Legislature, Municipality

from .models import (
    Action,
    ActionPlan,
    BudgetLine,
    Direction,
    Goal,
    GrowthTarget,
    Kind,
    Milestone,
    Numbering,
    Plan,
)

ZERO = Decimal("0.00")
ODA_SHARE = Decimal("0.70")  # SDG target 17.2: 0.7 % (of the municipal budget, for LMB)
LMB_KINDS = (Kind.EXPLOITATIE, Kind.INVESTERINGEN)


def plan_for(
    *, municipality: Municipality, legislature: Legislature | None, user=None
) -> Plan | None:
    """The municipality's plan for the legislature, or None if not started yet; with ``user``
    through the user's scope."""
    if legislature is None:
        return None
    queryset = Plan.objects.all() if user is None else Plan.objects.for_user(user)
    return (
        queryset.filter(municipality=municipality, legislature=legislature)
        .select_related("municipality", "legislature", "updated_by")
        .first()
    )


def item_for_user(model, *, user, plan: Plan, pk: int):
    """One goal, action plan or action of the plan, through the user's scope: anything of
    another municipality or another plan is a 404."""
    queryset = (
        model.objects.for_user(user)
        .filter(plan=plan)
        .select_related("plan__municipality", "plan__legislature")
        .prefetch_related("sdg_goals", "sdg_targets", "proposals", "milestones")
    )
    return get_object_or_404(queryset, pk=pk)


# --- amounts -------------------------------------------------------------------------------


class Budget:
    """Amounts per (year, kind, direction); a cell without a line is zero. Always Decimal."""

    def __init__(self, years: list[int]):
        self.years = years
        self.cells: dict[tuple[int, str, str], Decimal] = {}

    def add_line(self, year: int, kind: str, direction: str, amount: Decimal) -> None:
        key = (year, kind, direction)
        self.cells[key] = self.cells.get(key, ZERO) + amount

    def add(self, other: Budget) -> None:
        for (year, kind, direction), amount in other.cells.items():
            self.add_line(year, kind, direction, amount)

    def get(self, year: int, kind: str, direction: str) -> Decimal:
        return self.cells.get((year, kind, direction), ZERO)

    def saldo(self, year: int, kind: str) -> Decimal:
        """Ontvangsten minus uitgaven."""
        return self.get(year, kind, Direction.ONTVANGSTEN) - self.get(
            year, kind, Direction.UITGAVEN
        )

    def total(self, direction: str, year: int | None = None, kinds=tuple(Kind.values)) -> Decimal:
        return sum(
            (
                amount
                for (y, k, d), amount in self.cells.items()
                if d == direction and k in kinds and (year is None or y == year)
            ),
            ZERO,
        )

    def lmb_budget(self, year: int) -> Decimal:
        """The year's gross LMB expenses: exploitatie + investeringen, uitgaven."""
        return self.total(Direction.UITGAVEN, year, kinds=LMB_KINDS)

    @property
    def is_empty(self) -> bool:
        return not any(self.cells.values())

    def rows(self) -> list[dict]:
        """Six rows (kind × direction) with an amount per year and the period's total: the
        table of one item on the page, in the PDF and in the spreadsheet."""
        rows = []
        for kind in Kind:
            for direction in Direction:
                amounts = [self.get(year, kind.value, direction.value) for year in self.years]
                rows.append(
                    {
                        "kind": kind.value,
                        "kind_label": kind.label,
                        "direction": direction.value,
                        "direction_label": direction.label,
                        "amounts": amounts,
                        "total": sum(amounts, ZERO),
                    }
                )
        return rows


# --- the tree ------------------------------------------------------------------------------


@dataclass
class Node:
    item: Goal | ActionPlan | Action
    level: str  # "goal", "action_plan" or "action"
    numbers: tuple[int, ...]
    code: str
    priority: bool  # stored for action plans and actions, derived for goals
    budget: Budget
    children: list[Node] = field(default_factory=list)
    has_own_amounts: bool = False  # an action (always) or an action plan with its own lines

    @property
    def title(self) -> str:
        return self.item.title


@dataclass
class PlanTree:
    plan: Plan
    years: list[int]
    goals: list[Node]
    budget: Budget

    def nodes(self) -> Iterator[Node]:
        """Every node, depth first, in the printed order."""
        for goal in self.goals:
            yield goal
            for action_plan in goal.children:
                yield action_plan
                yield from action_plan.children

    def by_code(self) -> dict[str, Node]:
        return {node.code: node for node in self.nodes()}


LEVELS = ("goal", "action_plan", "action")


def code_for(plan: Plan, level: str, numbers: tuple[int, ...]) -> str:
    if plan.numbering == Numbering.YEAR:
        return "-".join(str(n) for n in (plan.legislature.start_year, *numbers))
    prefix = {"goal": plan.goal_prefix, "action_plan": plan.plan_prefix}.get(
        level, plan.action_prefix
    )
    return prefix + ".".join(str(n) for n in numbers)


def _with_details(queryset):
    return queryset.prefetch_related(
        "sdg_goals",
        "sdg_targets",
        Prefetch(
            "proposals",
            queryset=MemorandumProposal.objects.order_by("order", "pk").only(
                "pk", "title", "order", "memorandum_id", "action_area_id"
            ),
        ),
        Prefetch("milestones", queryset=Milestone.objects.order_by("year", "name", "pk")),
    )


def _lines(plan: Plan):
    return BudgetLine.objects.filter(Q(action__plan=plan) | Q(action_plan__plan=plan)).values_list(
        "action_id", "action_plan_id", "year", "kind", "direction", "amount"
    )


def _build(plan: Plan, *, details: bool) -> PlanTree:
    years = plan.legislature.years
    querysets = [
        Goal.objects.filter(plan=plan),
        ActionPlan.objects.filter(plan=plan),
        Action.objects.filter(plan=plan),
    ]
    if details:
        querysets = [_with_details(queryset) for queryset in querysets]
    goals, action_plans, actions = (list(q.order_by("order", "pk")) for q in querysets)
    own: dict[tuple[str, int], Budget] = {}
    for action_id, action_plan_id, year, kind, direction, amount in _lines(plan):
        key = ("action", action_id) if action_id else ("action_plan", action_plan_id)
        own.setdefault(key, Budget(years)).add_line(year, kind, direction, amount)

    actions_of: dict[int, list[Action]] = {}
    for action in actions:
        actions_of.setdefault(action.action_plan_id, []).append(action)
    plans_of: dict[int, list[ActionPlan]] = {}
    for action_plan in action_plans:
        plans_of.setdefault(action_plan.goal_id, []).append(action_plan)

    total = Budget(years)
    goal_nodes = []
    for g, goal in enumerate(goals, start=1):
        goal_node = Node(goal, "goal", (g,), code_for(plan, "goal", (g,)), False, Budget(years))
        for p, action_plan in enumerate(plans_of.get(goal.pk, []), start=1):
            numbers = (g, p)
            plan_own = own.get(("action_plan", action_plan.pk))
            plan_node = Node(
                action_plan,
                "action_plan",
                numbers,
                code_for(plan, "action_plan", numbers),
                action_plan.priority,
                Budget(years),
                has_own_amounts=plan_own is not None,
            )
            if plan_own is not None:
                plan_node.budget.add(plan_own)
            for a, action in enumerate(actions_of.get(action_plan.pk, []), start=1):
                numbers = (g, p, a)
                action_node = Node(
                    action,
                    "action",
                    numbers,
                    code_for(plan, "action", numbers),
                    action.priority,
                    own.get(("action", action.pk)) or Budget(years),
                    has_own_amounts=True,
                )
                plan_node.children.append(action_node)
                plan_node.budget.add(action_node.budget)
            goal_node.children.append(plan_node)
            goal_node.budget.add(plan_node.budget)
        goal_node.priority = any(
            plan_node.priority or any(action.priority for action in plan_node.children)
            for plan_node in goal_node.children
        )
        total.add(goal_node.budget)
        goal_nodes.append(goal_node)
    return PlanTree(plan=plan, years=years, goals=goal_nodes, budget=total)


def plan_tree(plan: Plan) -> PlanTree:
    """Goals → action plans → actions in their order, each with its code, its priority (a
    goal's derived), its SDGs, proposals and milestones, and its amounts rolled up."""
    return _build(plan, details=True)


# --- M1 ------------------------------------------------------------------------------------


@dataclass
class M1Row:
    kind: str
    kind_label: str
    line: str  # "uitgaven", "ontvangsten" or "saldo"
    line_label: str
    amounts: list[Decimal]  # one per year, in the order of ``M1Table.years``


@dataclass
class M1Block:
    role: str  # "goal" (a priority goal), "other" (the non-priority goals) or "total"
    label: str
    code: str
    rows: list[M1Row]
    node: Node | None = None


@dataclass
class M1Table:
    years: list[int]
    blocks: list[M1Block]  # the priority goals, then "other", then "total"

    @property
    def goals(self) -> list[M1Block]:
        return [block for block in self.blocks if block.role == "goal"]

    @property
    def other(self) -> M1Block:
        return next(block for block in self.blocks if block.role == "other")

    @property
    def total(self) -> M1Block:
        return next(block for block in self.blocks if block.role == "total")


def _m1_rows(budget: Budget, years: list[int]) -> list[M1Row]:
    rows = []
    for kind in Kind:
        for direction in Direction:
            rows.append(
                M1Row(
                    kind.value,
                    kind.label,
                    direction.value,
                    direction.label,
                    [budget.get(year, kind.value, direction.value) for year in years],
                )
            )
        rows.append(
            M1Row(
                kind.value,
                kind.label,
                "saldo",
                _("Saldo"),
                [budget.saldo(year, kind.value) for year in years],
            )
        )
    return rows


def m1_table(plan: Plan, tree: PlanTree | None = None) -> M1Table:
    """The M1 "financieel doelstellingenplan" of the LMB part: per priority goal, then the
    non-priority goals together, then the whole plan; nine rows each (exploitatie,
    investeringen, financiering × uitgaven, ontvangsten, saldo = ontvangsten − uitgaven) with
    a column per year. Pass the page's ``tree`` to spend no queries at all."""
    tree = tree or _build(plan, details=False)
    years = tree.years
    other = Budget(years)
    blocks = []
    for node in tree.goals:
        if node.priority:
            blocks.append(
                M1Block("goal", node.title, node.code, _m1_rows(node.budget, years), node)
            )
        else:
            other.add(node.budget)
    blocks.append(M1Block("other", _("Overige beleidsdoelstellingen"), "", _m1_rows(other, years)))
    blocks.append(M1Block("total", _("Totaal"), "", _m1_rows(tree.budget, years)))
    return M1Table(years=years, blocks=blocks)


# --- the growth path towards 0.7 % ---------------------------------------------------------


@dataclass
class GrowthYear:
    figure: YearFigure  # total budget, LMB budget (from the plan), inhabitants, share, €/inh.
    target_share: Decimal | None  # the path the opsteller set
    decreased: bool  # the share went down from the year before

    @property
    def year(self) -> int:
        return self.figure.year


@dataclass
class GrowthPath:
    years: list[GrowthYear]
    warnings: list[GrowthYear]  # the years whose share went down
    chart: Chart
    reference: Decimal = ODA_SHARE


def lmb_budgets(plan: Plan) -> dict[int, Decimal]:
    """The plan's LMB budget per year of the period (one query)."""
    years = plan.legislature.years
    budget = Budget(years)
    for _action, _plan, year, kind, direction, amount in _lines(plan):
        budget.add_line(year, kind, direction, amount)
    return {year: budget.lmb_budget(year) for year in years}


def growth_path(plan: Plan, targets: dict[int, Decimal] | None = None) -> GrowthPath:
    """The LMB budget per year from the plan, with the total budget and the inhabitants the
    municipality keeps once in ``core.YearFigures``: its share and € per inhabitant, the
    growth path (``targets``, or the one stored), the 0.7 % line, the years where the share
    goes down (compared with the last earlier year that has a share: a year without a total
    budget has none and is skipped), and the chart (``chart_svg``; ``chart_rows`` gives the
    table beside it)."""
    years = plan.legislature.years
    if targets is None:
        targets = dict(GrowthTarget.objects.filter(plan=plan).values_list("year", "share"))
    figures = year_figures(plan.municipality, years, lmb_budgets=lmb_budgets(plan))
    rows = []
    previous = None
    for figure in figures:
        share = figure.lmb_share
        decreased = previous is not None and share is not None and share < previous
        rows.append(GrowthYear(figure, targets.get(figure.year), decreased))
        if share is not None:
            previous = share
    series = [Series(_("aandeel LMB in het budget"), {r.year: r.figure.lmb_share for r in rows})]
    if any(target is not None for target in targets.values()):
        series.append(Series(_("groeipad"), {r.year: r.target_share for r in rows}, dashed=True))
    chart = Chart(
        title=_("Groeipad naar 0,7 %"),
        years=years,
        unit="%",
        series=series,
        references=[Reference(_("0,7 % (SDG 17.2)"), ODA_SHARE)],
        decimals=2,
    )
    return GrowthPath(years=rows, warnings=[r for r in rows if r.decreased], chart=chart)
