"""Shared fixtures of the meerjarenplan tests: the opsteller's plan for the current plan period
and a helper that builds a hierarchy of goals, action plans and actions."""

import pytest

from apps.core.models import Legislature
from apps.meerjarenplan import services


@pytest.fixture
def plan(municipality, opsteller):
    return services.plan_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )


def build(plan, by, shape: list[list[int]]):
    """Goals as listed in ``shape``: each goal a list of action plans, each the number of its
    actions. Returns (goals, action_plans, actions) in their order."""
    goals, action_plans, actions = [], [], []
    for g, plans in enumerate(shape, start=1):
        goal = services.goal_create(plan=plan, title=f"Doel {g}", by=by)
        goals.append(goal)
        for p, count in enumerate(plans, start=1):
            action_plan = services.action_plan_create(goal=goal, title=f"Plan {g}.{p}", by=by)
            action_plans.append(action_plan)
            for a in range(1, count + 1):
                actions.append(
                    services.action_create(
                        action_plan=action_plan, title=f"Actie {g}.{p}.{a}", by=by
                    )
                )
    return goals, action_plans, actions


@pytest.fixture
def hierarchy(plan, opsteller):
    """Two goals: the first with plans of 2 and 1 actions, the second with one plan of 3."""
    return build(plan, opsteller, [[2, 1], [3]])
