"""From the memorandum to the plan: every member sees the memorandum's proposals and where each
landed in the plan; the opsteller turns a proposal into an action or an action plan with one
POST (403 for the others; a proposal of another municipality is a 404)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from apps.beleidsvoorstellen.selectors import proposal_for_user
from apps.core.http import bad_request, first_error

from . import selectors, selectors_memorandum, services_memorandum
from .models import ActionPlan, Goal
from .scope import PlanScope

PARENT_MODEL = {services_memorandum.AS_ACTION: ActionPlan, services_memorandum.AS_ACTION_PLAN: Goal}


class ProposalToPlanForm(forms.Form):
    """Where the proposal goes: ``actie:<action plan id>`` (as an action under that action
    plan) or ``actieplan:<goal id>`` (as an action plan under that goal)."""

    target = forms.CharField(
        label=gettext_lazy("Opnemen als"),
        max_length=40,
        error_messages={"required": gettext_lazy("Kies waar het voorstel komt.")},
    )

    def clean_target(self) -> tuple[str, int]:
        level, _sep, pk = self.cleaned_data["target"].partition(":")
        if level not in PARENT_MODEL or not pk.isdigit() or len(pk) > 12:
            raise ValidationError(_("Kies waar het voorstel komt."), code="target")
        return level, int(pk)


def _targets(tree) -> list[dict]:
    """The choices of the select: action plans (as an action) and goals (as an action plan),
    each labelled with its code."""
    as_action, as_plan = [], []
    for goal in tree.goals:
        as_plan.append({"value": f"actieplan:{goal.item.pk}", "label": f"{goal.code} {goal.title}"})
        for node in goal.children:
            as_action.append(
                {"value": f"actie:{node.item.pk}", "label": f"{node.code} {node.title}"}
            )
    return [
        {"label": _("Als actie onder het actieplan"), "options": as_action},
        {"label": _("Als actieplan onder de beleidsdoelstelling"), "options": as_plan},
    ]


@login_required
@require_GET
def proposals_page(request, nis_code: str):
    scope = PlanScope(request, nis_code)
    plan = scope.plan
    memorandum = proposals = None
    landed: dict[int, list[str]] = {}
    targets: list[dict] = []
    if plan is not None:
        memorandum = selectors_memorandum.memorandum_of(plan)
        if memorandum is not None:
            proposals = selectors_memorandum.memorandum_proposals(memorandum)
            landed = selectors_memorandum.where_proposals_landed(memorandum)
            for proposal in proposals:
                proposal.landed_codes = landed.get(proposal.pk, [])
            if scope.can_edit:
                targets = _targets(selectors.plan_tree(plan))
    return render(
        request,
        "meerjarenplan/from_memorandum.html",
        scope.context(
            memorandum=memorandum,
            proposals=proposals,
            targets=targets,
            has_targets=any(group["options"] for group in targets),
        ),
    )


@login_required
@require_POST
def proposal_to_plan(request, nis_code: str, proposal_pk: int):
    scope = PlanScope(request, nis_code)
    scope.require_edit()
    plan = scope.require_plan()
    proposal = proposal_for_user(user=scope.user, municipality=scope.municipality, pk=proposal_pk)
    form = ProposalToPlanForm(request.POST)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    level, parent_pk = form.cleaned_data["target"]
    parent = PARENT_MODEL[level].objects.filter(plan=plan, pk=parent_pk).first()
    if parent is None:
        return bad_request(
            request,
            _("Dat actieplan hoort niet bij dit meerjarenplan.")
            if level == services_memorandum.AS_ACTION
            else _("Die beleidsdoelstelling hoort niet bij dit meerjarenplan."),
        )
    back = reverse("meerjarenplan:from_memorandum", args=[nis_code])
    try:
        services_memorandum.proposal_to_plan(
            plan=plan, proposal=proposal, as_level=level, parent=parent, by=scope.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    codes = selectors_memorandum.where_proposals_landed(proposal.memorandum).get(proposal.pk, [])
    messages.success(
        request,
        _("“%(title)s” staat nu in het meerjarenplan als %(code)s.")
        % {"title": proposal.title, "code": ", ".join(codes)},
    )
    return redirect(reverse("meerjarenplan:plan", args=[nis_code]))
