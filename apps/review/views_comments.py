"""Comment threads on a document and its parts: the page that lists them, starting one,
replying, resolving and reopening, and the members a comment can mention.

Every member reads the threads; the opsteller and the schepen write (a lezer's POST is a
403). The scope gives a 404 for another municipality's document, and a thread id that is not
of the scope's document is a 404 too.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.http import bad_request, first_error

from . import selectors, services
from .forms import ReplyForm, ResolveForm, ThreadForm
from .models import COMMENT_MAX_LENGTH, PART_KEY_MAX_LENGTH, Thread
from .scope import ReviewScope


def _comments_url(scope: ReviewScope, *, part_key: str = "", anchor: str = "") -> str:
    url = reverse(
        "review:comments", args=[scope.municipality.nis_code, scope.kind, scope.object_id]
    )
    if part_key:
        url += "?" + urlencode({"deel": part_key})
    return f"{url}#{anchor}" if anchor else url


def _members_url(scope: ReviewScope) -> str:
    return reverse(
        "review:members", args=[scope.municipality.nis_code, scope.kind, scope.object_id]
    )


def _thread_of(scope: ReviewScope, thread_id: int) -> Thread:
    thread = (
        Thread.objects.for_document(scope.kind, scope.object_id)
        .filter(pk=thread_id, municipality=scope.municipality)
        .first()
    )
    if thread is None:
        raise Http404
    return thread


def _require_comment(scope: ReviewScope) -> None:
    if not scope.can_comment:
        raise PermissionDenied


def _page(request, scope: ReviewScope, *, form: ThreadForm | None = None, status: int = 200):
    part_key = (request.GET.get("deel") or "")[:PART_KEY_MAX_LENGTH]
    parts = scope.reviewable.parts(scope.document)
    known = {part.key: part for part in parts}
    all_threads = selectors.threads(scope.kind, scope.object_id)
    counts = {
        "open": sum(1 for thread in all_threads if not thread.is_resolved),
        "resolved": sum(1 for thread in all_threads if thread.is_resolved),
    }
    document_url = scope.reviewable.page_url(scope.document)
    shown = [t for t in all_threads if t.part_key == part_key] if part_key else all_threads
    for thread in shown:
        part = known.get(thread.part_key) if thread.part_key else None
        # A part that is gone keeps its threads and their label; they link to the document.
        thread.part_url = part.url if part else document_url
        thread.part_gone = bool(thread.part_key) and part is None
    mentions_url = _members_url(scope) if scope.can_comment else ""
    if form is None and scope.can_comment:
        form = ThreadForm(
            parts=parts,
            mentions_url=mentions_url,
            initial={"part": part_key if part_key in known else ""},
        )
    return render(
        request,
        "review/comments.html",
        scope.context(
            form=form,
            comment_max_length=COMMENT_MAX_LENGTH,
            open_threads=[t for t in shown if not t.is_resolved],
            resolved_threads=[t for t in shown if t.is_resolved],
            counts=counts,
            part_key=part_key,
            part=known.get(part_key),
            part_label=(
                known[part_key].label
                if part_key in known
                else next((t.part_label for t in shown if t.part_label), part_key)
            ),
            comments_url=_comments_url(scope),
            mentions_url=mentions_url,
        ),
        status=status,
    )


@login_required
@require_GET
def comments_page(request, nis_code: str, kind: str, object_id: int):
    scope = ReviewScope(request, nis_code, kind, object_id)
    return _page(request, scope)


@login_required
@require_POST
def thread_create(request, nis_code: str, kind: str, object_id: int):
    scope = ReviewScope(request, nis_code, kind, object_id)
    _require_comment(scope)
    parts = scope.reviewable.parts(scope.document)
    form = ThreadForm(request.POST, parts=parts, mentions_url=_members_url(scope))
    if not form.is_valid():
        return _page(request, scope, form=form, status=400)
    try:
        thread = services.thread_start(
            document=scope.document,
            part_key=form.cleaned_data["part"],
            quote=form.cleaned_data["quote"],
            text=form.cleaned_data["text"],
            by=request.user,
        )
    except services.ReviewError as error:
        form.add_error(None, str(error))
        return _page(request, scope, form=form, status=400)
    messages.success(request, _("Je opmerking is geplaatst."))
    return redirect(_comments_url(scope, anchor=f"thread-{thread.pk}"))


@login_required
@require_POST
def comment_reply(request, nis_code: str, kind: str, object_id: int, thread_id: int):
    scope = ReviewScope(request, nis_code, kind, object_id)
    _require_comment(scope)
    thread = _thread_of(scope, thread_id)
    back = _comments_url(scope, anchor=f"thread-{thread.pk}")
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(back)
    try:
        services.comment_reply(thread=thread, text=form.cleaned_data["text"], by=request.user)
    except services.ReviewError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, _("Je reactie is geplaatst."))
    return redirect(back)


@login_required
@require_POST
def thread_resolve(request, nis_code: str, kind: str, object_id: int, thread_id: int):
    scope = ReviewScope(request, nis_code, kind, object_id)
    _require_comment(scope)
    thread = _thread_of(scope, thread_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    resolved = form.cleaned_data["action"] == "resolve"
    try:
        services.thread_resolve(thread=thread, by=request.user, resolved=resolved)
    except services.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("De opmerking is afgehandeld.") if resolved else _("De opmerking is heropend."),
        )
    return redirect(_comments_url(scope, anchor=f"thread-{thread.pk}"))


@login_required
@require_GET
def members(request, nis_code: str, kind: str, object_id: int):
    """The municipality's members a comment can mention: [{"handle", "name"}]."""
    scope = ReviewScope(request, nis_code, kind, object_id)
    _require_comment(scope)
    data = [
        {"handle": handle, "name": user.get_full_name() or user.email}
        for handle, user in services.members_for_mentions(scope.municipality)
        if user.pk != request.user.pk
    ]
    response = JsonResponse(data, safe=False)
    response["Cache-Control"] = "private, no-store"
    return response
