"""The meerjarenplan page, starting the plan, the M1 page and the growth path towards 0.7 %.

Thin views: resolve the plan through the user's scope (another municipality is a 404), call one
selector or service, render. Every member reads; only the opsteller starts the plan (403
otherwise). ``m1_context`` and ``growth_context`` give the partials ``_m1_table.html`` and
``_growth.html`` their context, for the page and for the PDF alike."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.charts import chart_svg
from apps.core.http import bad_request, first_error
from apps.core.models import DocumentKind
from apps.library.selectors import practice_examples

from . import reference, selectors, services_start
from .forms_plan import StartForm
from .scope import PlanScope
from .selectors_memorandum import proposals_not_in_plan

PDF_KIND = "meerjarenplan"


def _plan_url(scope: PlanScope) -> str:
    return reverse("meerjarenplan:plan", args=[scope.municipality.nis_code])


def _pdf_available() -> bool:
    from apps.documents import registry

    return registry.is_registered(PDF_KIND)


def m1_context(plan, tree=None) -> dict:
    """What ``meerjarenplan/_m1_table.html`` needs: ``m1`` (a ``selectors.M1Table``)."""
    return {"m1": selectors.m1_table(plan, tree)}


def growth_context(plan) -> dict:
    """What ``meerjarenplan/_growth.html`` needs: ``growth`` (a ``selectors.GrowthPath``),
    ``growth_svg`` (its chart) and ``growth_warnings`` (each year whose share went down, with
    the earlier year it is compared with)."""
    growth = selectors.growth_path(plan)
    warnings = []
    previous = None
    for row in growth.years:
        if row.decreased and previous is not None:
            warnings.append({"year": row.year, "previous": previous.year, "row": row})
        if row.figure.lmb_share is not None:
            previous = row
    return {
        "growth": growth,
        "growth_svg": chart_svg(growth.chart, ident="groeipad"),
        "growth_warnings": warnings,
    }


@login_required
@require_GET
def plan_page(request, nis_code: str):
    scope = PlanScope(request, nis_code)
    data = {"examples": practice_examples(DocumentKind.MEERJARENPLAN)}
    if scope.plan is None:
        data["structures"] = reference.structures()
        data["empty_key"] = reference.EMPTY
    else:
        data["tree"] = selectors.plan_tree(scope.plan)
        data["pdf_available"] = _pdf_available()
        data["not_in_plan"] = proposals_not_in_plan(scope.plan)
    return render(request, "meerjarenplan/plan.html", scope.context(**data))


@login_required
@require_POST
def plan_start(request, nis_code: str):
    scope = PlanScope(request, nis_code)
    scope.require_edit()
    if scope.legislature is None:
        raise Http404
    if scope.plan is not None:
        messages.info(request, _("Het meerjarenplan is al gestart."))
        return redirect(_plan_url(scope))
    form = StartForm(request.POST)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    key = form.cleaned_data["structure"]
    try:
        services_start.plan_start(
            municipality=scope.municipality,
            legislature=scope.legislature,
            structure_key=key,
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        structure = reference.structure(key)
        if structure is None:
            messages.success(request, _("Het meerjarenplan is gestart, zonder structuur."))
        else:
            messages.success(
                request,
                _("Het meerjarenplan is gestart met de structuur “%(name)s”.")
                % {"name": structure.name},
            )
    return redirect(_plan_url(scope))


@login_required
@require_GET
def m1_page(request, nis_code: str):
    scope = PlanScope(request, nis_code)
    plan = scope.require_plan()
    return render(request, "meerjarenplan/m1.html", scope.context(**m1_context(plan)))


@login_required
@require_GET
def growth_page(request, nis_code: str):
    scope = PlanScope(request, nis_code)
    plan = scope.require_plan()
    return render(request, "meerjarenplan/growth.html", scope.context(**growth_context(plan)))
