"""Starting the meerjarenplan from one of the guide's structures (``reference.py``), or empty.

Starting is a single transaction: the plan and the whole skeleton of the structure, or
nothing. A plan that exists already (started in another tab, or by a colleague) is never
started again: the call is refused and the existing plan is left as it is. Starts of the same
municipality run one after the other under a lock of its row.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.models import Legislature, Municipality, SDGGoal
from apps.core.permissions import can_edit

from . import reference, services
from .models import Plan


def _started() -> ValidationError:
    return ValidationError(_("Het meerjarenplan is al gestart."), code="started")


def plan_start(
    *, municipality: Municipality, legislature: Legislature, structure_key: str, by
) -> Plan:
    """Create the municipality's plan for the legislature with the skeleton of the structure
    ``structure_key`` (goals, action plans and actions with their titles, SDGs and priority,
    to fill in), or with nothing for ``reference.EMPTY``."""
    if not can_edit(by, municipality):
        raise PermissionDenied(_("Alleen de opsteller mag het meerjarenplan bewerken."))
    structure = None
    if structure_key != reference.EMPTY:
        structure = reference.structure(structure_key)
        if structure is None:
            raise ValidationError(
                _("Deze structuur bestaat niet; kies een van de vier structuren."),
                code="structure",
            )
    with transaction.atomic():
        # Starts of one municipality wait for each other here, so a second start (another tab,
        # a double click) sees the first one's plan and is refused, whatever it started with.
        Municipality.objects.select_for_update().only("pk").get(pk=municipality.pk)
        if Plan.objects.filter(municipality=municipality, legislature=legislature).exists():
            raise _started()
        plan = services.plan_get_or_create(
            municipality=municipality, legislature=legislature, by=by
        )
        if structure is not None:
            sdgs = {goal.number: goal for goal in SDGGoal.objects.all()}

            def goals_of(spec):
                return [sdgs[number] for number in spec.sdg_goals if number in sdgs]

            for goal_spec in structure.goals:
                goal = services.goal_create(
                    plan=plan, title=goal_spec.title_nl, sdg_goals=goals_of(goal_spec), by=by
                )
                for plan_spec in goal_spec.children:
                    action_plan = services.action_plan_create(
                        goal=goal,
                        title=plan_spec.title_nl,
                        priority=plan_spec.priority,
                        sdg_goals=goals_of(plan_spec),
                        by=by,
                    )
                    for action_spec in plan_spec.children:
                        services.action_create(
                            action_plan=action_plan,
                            title=action_spec.title_nl,
                            priority=action_spec.priority,
                            sdg_goals=goals_of(action_spec),
                            by=by,
                        )
    return plan
