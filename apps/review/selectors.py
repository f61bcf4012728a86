"""Reads of the review app: a document's state, its threads and open counts, the review page,
the timeline and a part's versions. Each runs a fixed number of queries, however many parts,
comments or versions a document has."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from . import registry
from .diff import has_changes, passage_diff
from .models import (
    EDITABLE,
    Action,
    ApprovedVersion,
    Comment,
    DocumentReview,
    Notification,
    Status,
    Thread,
    Transition,
)

_CACHE = "_lmb_review"


def review_of(document) -> DocumentReview | None:
    """The document's review row (None: never submitted, a concept); cached on the object."""
    if document is None:
        return None
    if _CACHE not in document.__dict__:
        reviewable = registry.for_document(document)
        document.__dict__[_CACHE] = (
            DocumentReview.objects.filter(kind=reviewable.key, object_id=document.pk).first()
            if reviewable and document.pk
            else None
        )
    return document.__dict__[_CACHE]


def forget(document) -> None:
    """Drop the cached state (after a transition in the same request)."""
    document.__dict__.pop(_CACHE, None)


def status_of(document) -> str:
    review = review_of(document)
    return review.status if review else Status.CONCEPT


def edit_guard(document) -> str | None:
    """Why ``document`` cannot be edited now (registered with apps.core.editing)."""
    if registry.for_document(document) is None:
        return None
    status = status_of(document)
    if status in EDITABLE:
        return None
    return {
        Status.TER_REVIEW: _(
            "Dit document is ter review bij de schepen en kan intussen door niemand gewijzigd "
            "worden. Wil je nog iets aanpassen, trek het dan in met de knop ‘Indiening "
            "intrekken’ op de pagina van het document."
        ),
        Status.GOEDGEKEURD: _(
            "Dit document is goedgekeurd en ligt daarom vast. Om het aan te passen heropent de "
            "opsteller het met de knop ‘Heropenen’; de goedgekeurde versie blijft bewaard."
        ),
        Status.TERUGGESTUURD: _(
            "Dit document is teruggestuurd. De opsteller heropent het met de knop ‘Heropenen’ "
            "om het aan te passen en dient het daarna opnieuw in."
        ),
    }[status]


@dataclass(frozen=True)
class StatusInfo:
    """What a page, a dashboard card or a PDF cover says of a document's state."""

    status: str
    label: str
    date: object = None  # the date of the approval, for "Goedgekeurd op …"
    by: object = None
    message: str = ""
    version: int = 0

    @property
    def is_concept(self) -> bool:
        return self.status == Status.CONCEPT

    @property
    def under_review(self) -> bool:
        return self.status == Status.TER_REVIEW

    @property
    def is_approved(self) -> bool:
        return self.status == Status.GOEDGEKEURD

    @property
    def is_sent_back(self) -> bool:
        return self.status == Status.TERUGGESTUURD


def status_info(document) -> StatusInfo:
    """The state with its last transition (one query more when the document was reviewed)."""
    review = review_of(document)
    if review is None:
        return StatusInfo(status=Status.CONCEPT, label=str(Status.CONCEPT.label))
    last = (
        Transition.objects.filter(review=review)
        .select_related("by")
        .order_by("-created_at", "-pk")
        .first()
    )
    return StatusInfo(
        status=review.status,
        label=str(Status(review.status).label),
        date=last.created_at if last else None,
        by=last.by if last else None,
        message=last.message if last else "",
        version=review.version,
    )


def _document_of(obj):
    """The reviewable document ``obj`` is, or belongs to (a section prints alone)."""
    if registry.for_document(obj) is not None:
        return obj
    for name in ("memorandum", "analysis", "plan"):
        parent = getattr(obj, name, None)
        if parent is not None and registry.for_document(parent) is not None:
            return parent
    return None


def print_context(obj) -> dict:
    """The print-context hook (apps/documents): the review state for the cover."""
    document = _document_of(obj)
    if document is None:
        return {}
    info = status_info(document)
    return {
        "review_status": {
            "label": info.label,
            "date": info.date if info.is_approved else None,
        }
    }


_OPEN_COUNTS = "_lmb_open_counts"


def open_counts_of(reviewable, document) -> dict[str, int]:
    """``open_counts`` of a document, cached on it: the review bar and every part's comment
    link of a page share one query."""
    if _OPEN_COUNTS not in document.__dict__:
        document.__dict__[_OPEN_COUNTS] = open_counts(reviewable.key, document.pk)
    return document.__dict__[_OPEN_COUNTS]


def open_counts(kind: str, object_id: int) -> dict[str, int]:
    """Open threads per part key ("" is the document as a whole) and in all ("*")."""
    rows = (
        Thread.objects.for_document(kind, object_id)
        .open()
        .values("part_key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["part_key"]: row["n"] for row in rows}
    counts["*"] = sum(counts.values())
    return counts


def threads(kind: str, object_id: int, *, part_key: str | None = None):
    """The document's threads (or one part's), their comments and authors prefetched."""
    queryset = (
        Thread.objects.for_document(kind, object_id)
        .select_related("created_by", "resolved_by")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author").prefetch_related("mentions"),
            )
        )
        .order_by("resolved_at", "created_at", "pk")
    )
    if part_key is not None:
        queryset = queryset.filter(part_key=part_key)
    return list(queryset)


def submissions(review: DocumentReview | None) -> list[Transition]:
    """The latest two submissions, newest first, with who submitted."""
    if review is None:
        return []
    return list(
        Transition.objects.filter(review=review, action=Action.SUBMIT)
        .select_related("by")
        .order_by("-created_at", "-pk")[:2]
    )


def approved_versions(review: DocumentReview | None, *, limit: int | None = None) -> list:
    """The document's approvals, newest first, without their PDF bytes."""
    if review is None:
        return []
    queryset = (
        ApprovedVersion.objects.filter(review=review)
        .only("pk", "approved_at", "render_status", "filename", "review_id")
        .order_by("-approved_at", "-pk")
    )
    return list(queryset[:limit] if limit else queryset)


@dataclass(frozen=True)
class ChangedPart:
    key: str
    label: str
    url: str
    diff: object
    is_new: bool = False
    is_removed: bool = False


def changes_since_previous_submission(
    reviewable, document, recent: list[Transition] | None = None
) -> tuple[list[ChangedPart], bool]:
    """The parts that changed between the previous submission and now (the text under
    review), and whether there was a previous submission at all. ``recent`` is
    ``submissions(review)`` when the caller has it already."""
    review = review_of(document)
    if recent is None:
        recent = submissions(review)
    # Under review, recent[0] is the current submission; the one before it is the base.
    if review and review.status == Status.TER_REVIEW:
        base = recent[1] if len(recent) > 1 else None
    else:
        base = recent[0] if recent else None
    if base is None or not base.snapshot:
        return [], False
    before = base.snapshot
    changed: list[ChangedPart] = []
    seen = set()
    for part in reviewable.parts(document):
        seen.add(part.key)
        now = part.text()
        old = before.get(part.key)
        if old is None:
            changed.append(
                ChangedPart(part.key, part.label, part.url, passage_diff("", now), is_new=True)
            )
        elif has_changes(old["text"], now):
            changed.append(
                ChangedPart(part.key, part.label, part.url, passage_diff(old["text"], now))
            )
    for key, old in before.items():
        if key not in seen:
            changed.append(
                ChangedPart(key, old["label"], "", passage_diff(old["text"], ""), is_removed=True)
            )
    return changed, True


def review_page(reviewable, document) -> dict:
    """What the schepen's review page shows, in a fixed number of queries: the state, the
    latest submission, what changed since the one before (or, at a first submission, the
    parts submitted), the open comment threads and the approved versions."""
    review = review_of(document)
    recent = submissions(review)
    changed, had_previous = changes_since_previous_submission(reviewable, document, recent)
    all_threads = threads(reviewable.key, document.pk)
    open_threads = [thread for thread in all_threads if not thread.is_resolved]
    return {
        "info": status_info(document),
        "version": review.version if review else 1,
        "submission": recent[0] if recent else None,
        "changed_parts": changed,
        "had_previous": had_previous,
        # At a first submission: the parts the schepen reads, to link to each of them.
        "submitted_parts": reviewable.parts(document) if recent and not had_previous else [],
        "open_threads": open_threads,
        "resolved_count": len(all_threads) - len(open_threads),
        "approved_versions": approved_versions(review),
    }


def snapshot(reviewable, document) -> dict:
    return {
        part.key: {"label": str(part.label), "text": part.text()}
        for part in reviewable.parts(document)
    }


def timeline(reviewable, document, *, limit: int = 200) -> list[dict]:
    """Edits, transitions and comments of the document, newest first, at most ``limit``.

    One query per history queryset of the registration, one for the parts, one each for the
    transitions and the comments: never a query per event. An edit of a part that still
    exists carries that ``part`` (for a link to its versions), else None."""
    parts = {(part.model, part.instance.pk): part for part in reviewable.parts(document)}
    events: list[dict] = []
    for queryset in reviewable.history(document):
        for record in queryset.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[:limit]:
            model = record.instance_type
            part = parts.get((model, getattr(record, model._meta.pk.attname)))
            events.append(
                {
                    "at": record.history_date,
                    "who": record.history_user,
                    "what": "edit",
                    "record": record,
                    "type": record.history_type,
                    "label": str(model._meta.verbose_name),
                    "title": _record_title(record) or (str(part.label) if part else ""),
                    "part": part,
                }
            )
    review = review_of(document)
    if review is not None:
        for transition in review.transitions.select_related("by").order_by("-created_at", "-pk")[
            :limit
        ]:
            events.append(
                {
                    "at": transition.created_at,
                    "who": transition.by,
                    "what": "transition",
                    "transition": transition,
                }
            )
    for comment in (
        Comment.objects.filter(thread__kind=reviewable.key, thread__object_id=document.pk)
        .select_related("author", "thread")
        .order_by("-created_at", "-pk")[:limit]
    ):
        events.append(
            {"at": comment.created_at, "who": comment.author, "what": "comment", "comment": comment}
        )
    events.sort(key=lambda event: event["at"], reverse=True)
    return events[:limit]


def _record_title(record) -> str:
    for name in ("title", "name", "text"):
        value = getattr(record, name, None)
        if value:
            return str(value)[:120]
    return ""


def find_part(reviewable, document, part_key: str):
    for part in reviewable.parts(document):
        if part.key == part_key:
            return part
    return None


def versions(part, *, limit: int = 200) -> list:
    """The part's saved versions (historical records), newest first."""
    return list(
        part.instance.history.select_related("history_user").order_by("-history_date", "-pk")[
            :limit
        ]
    )


def notifications_for(user, *, limit: int = 50):
    return list(
        Notification.objects.filter(user=user)
        .select_related("municipality", "actor")
        .order_by("-created_at", "-pk")[:limit]
    )


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user).unread().count()


def dashboard_summary(documents: list) -> dict:
    """Per document: state and open comment count, in two queries for all of them."""
    keyed = {}
    for document in documents:
        reviewable = registry.for_document(document)
        if reviewable is not None and document.pk:
            keyed[(reviewable.key, document.pk)] = document
    if not keyed:
        return {}
    condition = Q()
    for kind, pk in keyed:
        condition |= Q(kind=kind, object_id=pk)
    states = {(r.kind, r.object_id): r.status for r in DocumentReview.objects.filter(condition)}
    open_threads = {
        (row["kind"], row["object_id"]): row["n"]
        for row in Thread.objects.filter(condition)
        .open()
        .values("kind", "object_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return {
        key: {
            "status": states.get(key, Status.CONCEPT),
            "label": str(Status(states.get(key, Status.CONCEPT)).label),
            "open_comments": open_threads.get(key, 0),
        }
        for key in keyed
    }
