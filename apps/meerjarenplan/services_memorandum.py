"""From the memorandum to the plan: one click turns an adopted memorandum proposal into an action
(under a chosen action plan) or an action plan (under a chosen goal), keeping its title, its text
as the description, its SDGs and the link back to the proposal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.beleidsvoorstellen.models import MemorandumProposal

from . import services
from .models import Action, ActionPlan, Goal, Plan
from .selectors_memorandum import where_proposals_landed

AS_ACTION = "actie"
AS_ACTION_PLAN = "actieplan"
AS_LEVELS = (AS_ACTION, AS_ACTION_PLAN)


def proposal_to_plan(
    *,
    plan: Plan,
    proposal: MemorandumProposal,
    as_level: str,
    parent: Goal | ActionPlan,
    by,
) -> Action | ActionPlan:
    """A new action at the end of ``parent`` (an action plan) or a new action plan at the end of
    ``parent`` (a goal), carrying out ``proposal``. Refused for a proposal of another
    municipality's memorandum, a parent of another plan, and a proposal an item of this plan
    already carries out (the message names that item's code)."""
    services._check(by, plan)
    if as_level not in AS_LEVELS:
        raise ValidationError(_("Kies actie of actieplan."), code="level")
    expected_parent = ActionPlan if as_level == AS_ACTION else Goal
    if not isinstance(parent, expected_parent) or parent.plan_id != plan.pk:
        raise ValidationError(
            _("Kies een actieplan van dit meerjarenplan.")
            if as_level == AS_ACTION
            else _("Kies een beleidsdoelstelling van dit meerjarenplan."),
            code="parent",
        )
    with transaction.atomic():
        # The proposal's row lock makes two quick clicks (even under two parents) take turns:
        # the second sees the item the first made.
        current = (
            MemorandumProposal.objects.select_for_update(of=("self",))
            .select_related("memorandum")
            .filter(pk=proposal.pk)
            .first()
        )
        if current is None or current.memorandum.municipality_id != plan.municipality_id:
            raise ValidationError(
                _("Dat beleidsvoorstel hoort niet bij het memorandum van deze gemeente."),
                code="proposal",
            )
        codes = where_proposals_landed(current.memorandum).get(current.pk)
        if codes:
            raise ValidationError(
                _("“%(title)s” staat al in het meerjarenplan: %(codes)s."),
                code="in_plan",
                params={"title": current.title, "codes": ", ".join(codes)},
            )
        fields = {
            "title": current.title,
            "description": current.text,
            "sdg_goals": list(current.sdg_goals.all()),
            "sdg_targets": list(current.sdg_targets.all()),
            "proposals": [current],
            "by": by,
        }
        if as_level == AS_ACTION:
            return services.action_create(action_plan=parent, **fields)
        return services.action_plan_create(goal=parent, **fields)
