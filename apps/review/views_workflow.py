"""The workflow of a document's review: the transitions (submit, withdraw, approve, send back,
reopen), the alderman's review page and the frozen PDFs of approved versions.

Thin views: ReviewScope finds the municipality and the document (a 404 for any other), one
selector or service does the work, a refused transition comes back as a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.http import bad_request, local_redirect

from . import selectors, services
from .models import Action, ApprovedVersion
from .scope import ReviewScope

SUCCESS_MESSAGES = {
    Action.SUBMIT: lambda: _(
        "Het document is ter review ingediend. De schepenen krijgen een melding; tot zij "
        "beslissen, kan niemand het wijzigen."
    ),
    Action.WITHDRAW: lambda: _("De indiening is ingetrokken. Het document is weer een concept."),
    Action.APPROVE: lambda: _(
        "Het document is goedgekeurd. De goedgekeurde versie wordt als PDF bewaard."
    ),
    Action.SEND_BACK: lambda: _("Het document is teruggestuurd naar de opsteller."),
    Action.REOPEN: lambda: _("Het document is heropend en kan weer aangepast worden."),
}


def _expected_version(value: str | None) -> int | None:
    """The review version the form was loaded with; None when the form sent none."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError from None
    if number < 0:
        raise ValueError
    return number


@login_required
@require_POST
def transition(request, nis_code: str, kind: str, object_id: int):
    scope = ReviewScope(request, nis_code, kind, object_id)
    # A lezer takes no transition at all; the service checks which role may take which.
    if not scope.can_comment:
        raise PermissionDenied
    fallback = scope.reviewable.page_url(scope.document)
    try:
        expected_version = _expected_version(request.POST.get("expected_version"))
    except ValueError:
        return bad_request(request, _("De versie van de status ontbreekt of klopt niet."))
    action = request.POST.get("action", "")
    try:
        services.transition(
            document=scope.document,
            action=action,
            by=request.user,
            message=request.POST.get("message", ""),
            expected_version=expected_version,
        )
    except services.ReviewError as error:
        messages.error(request, str(error))
        return local_redirect(request, request.POST.get("next"), fallback)
    messages.success(request, SUCCESS_MESSAGES[Action(action)]())
    return local_redirect(request, request.POST.get("next"), fallback)


@login_required
@require_GET
def review_page(request, nis_code: str, kind: str, object_id: int):
    scope = ReviewScope(request, nis_code, kind, object_id)
    page = selectors.review_page(scope.reviewable, scope.document)
    return render(
        request,
        "review/review_page.html",
        scope.context(
            **page,
            transition_url=reverse(
                "review:transition", args=[nis_code, scope.kind, scope.object_id]
            ),
            comments_url=reverse("review:comments", args=[nis_code, scope.kind, scope.object_id]),
            review_url=request.path,
        ),
    )


@login_required
@require_GET
def approved_pdf(request, nis_code: str, kind: str, object_id: int, approved_id: int):
    scope = ReviewScope(request, nis_code, kind, object_id)
    approved = get_object_or_404(
        ApprovedVersion.objects.select_related("approved_by"),
        pk=approved_id,
        review__kind=scope.kind,
        review__object_id=scope.object_id,
        review__municipality=scope.municipality,
    )
    if approved.render_status != ApprovedVersion.RenderStatus.DONE or not approved.pdf:
        return render(
            request,
            "review/_workflow_approved_pending.html",
            scope.context(approved=approved),
        )
    response = HttpResponse(bytes(approved.pdf), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, approved.filename)
    response["Content-Length"] = str(len(approved.pdf))
    return response
