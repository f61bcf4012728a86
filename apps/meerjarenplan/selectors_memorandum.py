"""Reads that join the memorandum and the meerjarenplan: where each memorandum proposal landed
in the plan (by code) and which proposals are not in the plan yet. Each function runs one
query, however many proposals and items there are.

Codes are computed the way ``selectors.plan_tree`` numbers the tree: an item's number is its
position among its siblings, counted in SQL as 1 + the siblings with a lower ``order`` (order is
unique within a parent, so this is exactly the tree's position).
"""

from __future__ import annotations

from django.db.models import F, Func, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from apps.beleidsvoorstellen.models import Memorandum, MemorandumProposal
from apps.core.models import Legislature

from .models import Action, ActionPlan, Goal, Plan
from .selectors import code_for

# The levels as the URLs name them, and as ``selectors.code_for`` names them.
TREE_LEVEL = {"doelstelling": "goal", "actieplan": "action_plan", "actie": "action"}
_DEPTH = {"doelstelling": 1, "actieplan": 2, "actie": 3}


def _position(model, parent: str, outer_parent: str, outer_order: str):
    """1 + the number of the item's siblings that come before it."""
    before = (
        model.objects.filter(**{parent: OuterRef(outer_parent), "order__lt": OuterRef(outer_order)})
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Coalesce(Subquery(before, output_field=IntegerField()), 0) + 1


def _links(model, item: str, *, memorandum: Memorandum):
    """One row per (proposal, item) link of one level, with what its code needs."""
    through = model.proposals.through.objects.filter(
        memorandumproposal__memorandum=memorandum,
        **{f"{item}__plan__municipality_id": memorandum.municipality_id},
        **{f"{item}__plan__legislature_id": memorandum.legislature_id},
    )
    zero = Value(0, output_field=IntegerField())
    if model is Goal:
        level = "doelstelling"
        g = _position(Goal, "plan_id", "goal__plan_id", "goal__order")
        p = a = zero
    elif model is ActionPlan:
        level = "actieplan"
        g = _position(Goal, "plan_id", "actionplan__plan_id", "actionplan__goal__order")
        p = _position(ActionPlan, "goal_id", "actionplan__goal_id", "actionplan__order")
        a = zero
    else:
        level = "actie"
        g = _position(Goal, "plan_id", "action__plan_id", "action__action_plan__goal__order")
        p = _position(
            ActionPlan,
            "goal_id",
            "action__action_plan__goal_id",
            "action__action_plan__order",
        )
        a = _position(Action, "action_plan_id", "action__action_plan_id", "action__order")
    return through.annotate(
        l_proposal=F("memorandumproposal_id"),
        l_level=Value(level),
        l_numbering=F(f"{item}__plan__numbering"),
        l_goal_prefix=F(f"{item}__plan__goal_prefix"),
        l_plan_prefix=F(f"{item}__plan__plan_prefix"),
        l_action_prefix=F(f"{item}__plan__action_prefix"),
        l_start_year=F(f"{item}__plan__legislature__start_year"),
        l_g=g,
        l_p=p,
        l_a=a,
    ).values_list(
        "l_proposal",
        "l_level",
        "l_numbering",
        "l_goal_prefix",
        "l_plan_prefix",
        "l_action_prefix",
        "l_start_year",
        "l_g",
        "l_p",
        "l_a",
    )


def _code(numbering, goal_prefix, plan_prefix, action_prefix, start_year, level, numbers) -> str:
    plan = Plan(
        numbering=numbering,
        goal_prefix=goal_prefix,
        plan_prefix=plan_prefix,
        action_prefix=action_prefix,
    )
    plan.legislature = Legislature(start_year=start_year, end_year=start_year + 5)
    return code_for(plan, TREE_LEVEL[level], numbers)


def where_proposals_landed(memorandum: Memorandum | None) -> dict[int, list[str]]:
    """{proposal id: [codes of the plan items that carry it out]} for the memorandum's
    proposals, in the plan of the same municipality and legislature; a proposal in no item is
    not a key. One query (none without a memorandum)."""
    if memorandum is None:
        return {}
    rows = _links(Goal, "goal", memorandum=memorandum).union(
        _links(ActionPlan, "actionplan", memorandum=memorandum),
        _links(Action, "action", memorandum=memorandum),
        all=True,
    )
    found: dict[int, list[tuple[tuple[int, ...], str]]] = {}
    for proposal_id, level, numbering, gp, pp, ap, start, g, p, a in rows:
        numbers = (g, p, a)[: _DEPTH[level]]
        code = _code(numbering, gp, pp, ap, start, level, numbers)
        found.setdefault(proposal_id, []).append((numbers, code))
    return {pk: [code for _n, code in sorted(codes)] for pk, codes in found.items()}


def proposals_not_in_plan(plan: Plan) -> list[MemorandumProposal]:
    """The proposals of the plan's memorandum (same municipality and legislature) that no goal,
    action plan or action of the plan carries out, in the memorandum's order. One query."""
    return list(
        MemorandumProposal.objects.filter(
            memorandum__municipality_id=plan.municipality_id,
            memorandum__legislature_id=plan.legislature_id,
        )
        .exclude(mjp_goals__plan=plan)
        .exclude(mjp_actionplans__plan=plan)
        .exclude(mjp_actions__plan=plan)
        .select_related("action_area")
        .order_by("action_area__order", "order", "pk")
    )


def memorandum_of(plan: Plan) -> Memorandum | None:
    """The memorandum of the plan's municipality and legislature (one query)."""
    return (
        Memorandum.objects.filter(
            municipality_id=plan.municipality_id, legislature_id=plan.legislature_id
        )
        .select_related("municipality", "legislature")
        .first()
    )


def memorandum_proposals(memorandum: Memorandum) -> list[MemorandumProposal]:
    """The memorandum's proposals in the page's order, with their SDGs (two queries)."""
    return list(
        MemorandumProposal.objects.filter(memorandum=memorandum)
        .select_related("action_area", "level")
        .prefetch_related("sdg_goals")
        .order_by("action_area__order", "order", "pk")
    )
