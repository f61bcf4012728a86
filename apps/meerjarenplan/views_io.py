"""The meerjarenplan in spreadsheets: every member downloads the budgets as XLSX or CSV; the
opsteller imports them back from the same layout (403 for the others, 404 for another
municipality). The import checks the whole file before writing anything (see spreadsheet.py).

A body far over the file limit is refused before Django reads it: the import view is exempt
from the CSRF middleware (which would parse the whole upload to find the token), looks at
Content-Length, and only then runs the CSRF check itself (``csrf_protect``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from . import spreadsheet
from .forms_io import ImportForm
from .scope import PlanScope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Room for the multipart envelope and the CSRF token around a file of the maximum size.
MAX_BODY_BYTES = spreadsheet.MAX_FILE_BYTES + 64 * 1024


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_xlsx(request, nis_code: str):
    plan = PlanScope(request, nis_code).require_plan()
    return _download(spreadsheet.export(plan), XLSX, spreadsheet.filename(plan, "xlsx"))


@login_required
@require_GET
def export_csv(request, nis_code: str):
    plan = PlanScope(request, nis_code).require_plan()
    return _download(
        spreadsheet.export_csv(plan),
        "text/csv; charset=utf-8",
        spreadsheet.filename(plan, "csv"),
    )


def _page(request, scope, form, errors=(), status=200):
    return render(
        request,
        "meerjarenplan/import.html",
        scope.context(
            form=form,
            errors=list(errors),
            heading=_("Ramingen inlezen uit een rekenblad"),
            back_url=reverse("meerjarenplan:plan", args=[scope.municipality.nis_code]),
            max_rows=spreadsheet.MAX_ROWS,
        ),
        status=status,
    )


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def import_budgets(request, nis_code: str):
    scope = PlanScope(request, nis_code)
    scope.require_plan()
    if request.method == "POST":
        scope.require_edit()
        if _content_length(request) > MAX_BODY_BYTES:
            return _page(
                request, scope, ImportForm(), [_("Het bestand is groter dan 2 MB.")], status=413
            )
    return _import(request, scope)


@csrf_protect
def _import(request, scope):
    if request.method != "POST":
        return _page(request, scope, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, scope, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = spreadsheet.import_budgets(
            scope.plan, upload.read(), upload.name or "", by=scope.user
        )
    except spreadsheet.ImportRefused as refused:
        return _page(request, scope, ImportForm(), refused.messages, status=400)
    if result.changed_amounts:
        messages.success(
            request,
            ngettext(
                "Het bestand is ingelezen: %(count)d bedrag is gewijzigd.",
                "Het bestand is ingelezen: %(count)d bedragen zijn gewijzigd.",
                result.changed_amounts,
            )
            % {"count": result.changed_amounts},
        )
    else:
        messages.info(request, _("Het bestand is ingelezen: er is geen enkel bedrag gewijzigd."))
    return redirect("meerjarenplan:plan", nis_code=scope.municipality.nis_code)
