"""History of a document: its activity timeline, one part's versions compared word by word,
and bringing an earlier version back as a new one.

Every member reads; only the opsteller restores, and only while the document is a concept
(the service says why not otherwise). Each page runs a fixed number of queries.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.editing import StaleVersionError
from apps.core.http import bad_request

from . import selectors, services
from .diff import has_changes, word_diff
from .scope import ReviewScope

TIMELINE_LIMIT = 200
VERSIONS_LIMIT = 200
# The largest id a PostgreSQL bigint holds; a larger "id" is junk, never a lookup.
MAX_ID = 2**63 - 1


def _part_or_404(scope: ReviewScope, part_key: str):
    part = selectors.find_part(scope.reviewable, scope.document, part_key)
    if part is None:
        raise Http404
    return part


def _versions_url(scope: ReviewScope, part_key: str) -> str:
    return reverse(
        "review:versions",
        args=[scope.municipality.nis_code, scope.kind, scope.object_id, part_key],
    )


@login_required
@require_GET
def timeline(request, nis_code: str, kind: str, object_id: int):
    scope = ReviewScope(request, nis_code, kind, object_id)
    events = selectors.timeline(scope.reviewable, scope.document, limit=TIMELINE_LIMIT + 1)
    return render(
        request,
        "review/timeline.html",
        scope.context(
            events=events[:TIMELINE_LIMIT],
            truncated=len(events) > TIMELINE_LIMIT,
            limit=TIMELINE_LIMIT,
        ),
    )


def _chosen(records: list, value: str | None, default):
    """The version named by a GET parameter among ``records``; (record, whether the value
    was unusable). An empty or absent value takes the default."""
    if not value:
        return default, False
    # Length first: int() of thousands of digits is refused (and slow) before any compare.
    if value.isascii() and value.isdigit() and len(value) <= 18 and int(value) <= MAX_ID:
        for record in records:
            if record.history_id == int(value):
                return record, False
    return default, True


@login_required
@require_GET
def versions(request, nis_code: str, kind: str, object_id: int, part_key: str):
    scope = ReviewScope(request, nis_code, kind, object_id)
    part = _part_or_404(scope, part_key)
    records = selectors.versions(part, limit=VERSIONS_LIMIT + 1)
    truncated = len(records) > VERSIONS_LIMIT
    records = records[:VERSIONS_LIMIT]
    newest = records[0] if records else None
    previous = records[1] if len(records) > 1 else newest
    old, bad_a = _chosen(records, request.GET.get("a"), previous)
    new, bad_b = _chosen(records, request.GET.get("b"), newest)
    if old is not None and new is not None and old.history_date > new.history_date:
        old, new = new, old
    comparison = []
    if old is not None and new is not None:
        for name, label in part.fields.items():
            before, after = getattr(old, name) or "", getattr(new, name) or ""
            # Unchanged, the "diff" is simply the text, its paragraphs kept, without marks.
            comparison.append(
                {
                    "label": label,
                    "changed": has_changes(before, after),
                    "diff": word_diff(before, after),
                }
            )
    return render(
        request,
        "review/versions.html",
        scope.context(
            part=part,
            records=records,
            rows=[
                (record, records[index + 1] if index + 1 < len(records) else None)
                for index, record in enumerate(records)
            ],
            truncated=truncated,
            limit=VERSIONS_LIMIT,
            newest=newest,
            old=old,
            new=new,
            comparison=comparison,
            bad_choice=bad_a or bad_b,
            current_version=part.instance.version,
            timeline_url=reverse(
                "review:timeline", args=[scope.municipality.nis_code, scope.kind, scope.object_id]
            ),
        ),
    )


class RestoreForm(forms.Form):
    history_id = forms.IntegerField(min_value=1, max_value=MAX_ID)
    expected_version = forms.IntegerField(min_value=0, max_value=MAX_ID)


@login_required
@require_POST
def restore(request, nis_code: str, kind: str, object_id: int, part_key: str):
    scope = ReviewScope(request, nis_code, kind, object_id)
    if not scope.may_write:
        raise PermissionDenied
    part = _part_or_404(scope, part_key)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        return bad_request(
            request,
            _("Kies een versie uit de lijst om te herstellen; deze aanvraag noemt er geen."),
        )
    history_id = form.cleaned_data["history_id"]
    try:
        services.version_restore(
            document=scope.document,
            part=part,
            history_id=history_id,
            expected_version=form.cleaned_data["expected_version"],
            by=request.user,
        )
    except services.ReviewError as error:
        messages.error(request, str(error))
    except StaleVersionError:
        messages.error(
            request,
            _(
                "Iemand heeft dit onderdeel intussen gewijzigd, daarom is er niets hersteld. "
                "Bekijk de versies hieronder opnieuw en herstel dan de versie die je wilt."
            ),
        )
    else:
        restored = part.instance.history.filter(history_id=history_id).first()
        when = formats.date_format(timezone.localtime(restored.history_date), "DATETIME_FORMAT")
        messages.success(
            request, _("Versie van %(date)s hersteld als nieuwe versie.") % {"date": when}
        )
    return redirect(_versions_url(scope, part.key))
