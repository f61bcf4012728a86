"""Moves and additions that arrive at the same moment, on PostgreSQL, each thread with its own
connection: orders stay distinct and gap-free in every parent, no write is lost, and of two
saves from one version exactly one wins."""

from decimal import Decimal

import pytest

from apps.core.editing import StaleVersionError
from apps.meerjarenplan import services
from apps.meerjarenplan.models import Action, ActionPlan, Goal
from apps.meerjarenplan.selectors import plan_tree
from tests.concurrency import THREADS, run_at_once

from .conftest import build

pytestmark = pytest.mark.django_db(transaction=True)


def orders(model, **parent):
    return sorted(model.objects.filter(**parent).values_list("order", flat=True))


def test_moves_and_additions_at_once_keep_orders_distinct_and_gap_free(plan, opsteller):
    _goals, (first, second), actions = build(plan, opsteller, [[5, 5]])
    # Three actions move from the first plan to the second and three the other way, two
    # new actions arrive in each plan, all at once.
    work = [("move", a, second) for a in actions[:3]] + [("move", a, first) for a in actions[5:8]]
    work += [("add", None, first), ("add", None, first), ("add", None, second)]
    work += [("add", None, second)]

    def run(job):
        what, action, target = job
        if what == "move":
            return services.action_move_to(action=action, action_plan=target, by=opsteller)
        return services.action_create(action_plan=target, title="Nieuw", by=opsteller)

    results = run_at_once(run, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(work) == THREADS
    assert orders(Action, action_plan=first) == list(range(7))
    assert orders(Action, action_plan=second) == list(range(7))
    assert (
        Action.objects.filter(action_plan=second, pk__in=[a.pk for a in actions[:3]]).count() == 3
    )
    codes = [node.code for node in plan_tree(plan).nodes()]
    assert len(codes) == len(set(codes)) == 1 + 2 + 14


def test_ten_goals_added_at_once_get_places_0_to_9(plan, opsteller):
    results = run_at_once(
        lambda n: services.goal_create(plan=plan, title=f"Doel {n}", by=opsteller),
        range(THREADS),
    )
    assert all(isinstance(r, Goal) for r in results), results
    assert orders(Goal, plan=plan) == list(range(THREADS))


def test_plans_moved_between_goals_both_ways_at_once(plan, opsteller):
    (goal_a, goal_b), action_plans, _actions = build(plan, opsteller, [[0] * 5, [0] * 5])
    targets = [goal_b] * 5 + [goal_a] * 5
    results = run_at_once(
        lambda pair: services.action_plan_move_to(action_plan=pair[0], goal=pair[1], by=opsteller),
        list(zip(action_plans, targets, strict=True)),
    )
    assert results == [None] * THREADS
    assert orders(ActionPlan, goal=goal_a) == list(range(5))
    assert orders(ActionPlan, goal=goal_b) == list(range(5))
    assert set(ActionPlan.objects.filter(goal=goal_b)) == set(action_plans[:5])


def test_moves_up_and_deletions_at_once_leave_no_gaps(plan, opsteller):
    _goals, (action_plan,), actions = build(plan, opsteller, [[THREADS]])
    movers, doomed = actions[1::2], actions[0::2]

    def run(job):
        what, action = job
        if what == "up":
            return services.item_move(item=action, direction="up", by=opsteller)
        return services.item_delete(item=action, by=opsteller)

    results = run_at_once(run, [("up", a) for a in movers] + [("delete", a) for a in doomed])
    # A move may find itself on top once its neighbours are gone; nothing else may fail.
    for result in results:
        assert result is None or getattr(result, "code", None) == "first", results
    assert orders(Action, action_plan=action_plan) == list(range(len(movers)))


def test_ten_budget_saves_from_one_version_one_wins(plan, opsteller):
    _goals, _plans, (action,) = build(plan, opsteller, [[1]])
    results = run_at_once(
        lambda n: services.budget_set(
            item=action,
            amounts={(2026, "exploitatie", "uitgaven"): Decimal(n + 1)},
            expected_version=action.version,
            by=opsteller,
        ),
        range(THREADS),
    )
    winners = [r for r in results if isinstance(r, Action)]
    assert len(winners) == 1
    assert sum(isinstance(r, StaleVersionError) for r in results) == THREADS - 1
    assert (
        Action.objects.get(pk=action.pk).budget_lines.get().amount
        == winners[0].budget_lines.get().amount
    )
