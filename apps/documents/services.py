"""Writes of the documents app: starting a render job and running it."""

from __future__ import annotations

import hashlib
import logging
import re
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.permissions import can_view

from . import registry
from .models import STALE_AFTER, JobStatus, RenderJob
from .pdf import BASE_URL, render_pdf

logger = logging.getLogger(__name__)

# Finished jobs kept per document: the latest PDF and a few before it, not every click.
KEEP_FINISHED = 3

# The PDF's creation and modification dates (metadata, not shown on any page) may be the
# moment of rendering: left out of the content hash, or nothing would ever be unchanged.
_DATE_META = re.compile(r"<meta\s+name=[\"']?dcterms\.(?:created|modified)[\"']?[^>]*>", re.I)
# The footer's date of printing (base_print.html) changes every day, the document does not.
_PRINTED_ON = re.compile(r'<span class="printed-on">[^<]*</span>')


def content_hash_of(document: registry.PrintDocument) -> str:
    """The SHA-256 of the print HTML of ``document``, rendered as render_pdf renders it.

    What the PDF shows is in it (the texts, the numbering, the cover's review status from the
    context hooks), so an edit or an approval changes it; rendering HTML takes milliseconds
    where WeasyPrint takes seconds. Call it inside the app's language, as the render does."""
    html = render_to_string(
        document.template_name, {**document.context, "print_base_url": BASE_URL}
    )
    stable = _PRINTED_ON.sub("", _DATE_META.sub("", html))
    return hashlib.sha256(stable.encode()).hexdigest()


def _current_hash(municipality, kind: str, object_id: int) -> str:
    # A savepoint: a failed query in here must not break the request's transaction.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        document = registry.document_for(kind=kind, municipality=municipality, object_id=object_id)
        return content_hash_of(document)


def _finished_with(municipality, kind: str, object_id: int, content_hash: str):
    return (
        RenderJob.objects.without_pdf()
        .for_document(kind, object_id)
        .filter(municipality=municipality, status=JobStatus.DONE, content_hash=content_hash)
        .exclude(content_hash="")
        .order_by("-finished_at")
        .first()
    )


def render_job_unchanged(*, municipality, kind: str, object_id: int) -> RenderJob | None:
    """The finished job whose PDF shows the document as it is now, or None."""
    if not registry.is_registered(kind):
        return None
    try:
        content_hash = _current_hash(municipality, kind, object_id)
    except Exception:
        logger.exception("PDF: inhoudshash van %s %s mislukt", kind, object_id)
        return None
    return _finished_with(municipality, kind, object_id, content_hash)


def render_job_start(*, municipality, kind: str, object_id: int, by) -> RenderJob:
    """Queue a PDF of the document, or hand back the one already on its way, or the finished
    one made from the same content (nothing changed since: no new render).

    ``kind`` must be a registered printable document and ``object_id`` one of its objects in
    ``municipality``: an unknown kind is a ValidationError, another municipality's object
    the loader's ObjectDoesNotExist (or Http404). No job is made for either."""
    if not can_view(by, municipality):
        raise PermissionDenied
    if not registry.is_registered(kind):
        raise ValidationError(_("Dit document kan niet afgedrukt worden."), code="unknown_kind")
    registry.get(kind).load(municipality, object_id)
    try:
        content_hash = _current_hash(municipality, kind, object_id)
    except Exception:
        # A document that cannot be printed fails in its job, where the user sees it.
        logger.exception("PDF: inhoudshash van %s %s mislukt", kind, object_id)
        content_hash = ""
    finished = _finished_with(municipality, kind, object_id, content_hash)
    if finished is not None:
        return finished
    pending = (
        RenderJob.objects.without_pdf()
        .for_document(kind, object_id)
        .filter(
            municipality=municipality,
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .first()
    )
    if pending is not None:
        return pending
    job = RenderJob.objects.create(
        municipality=municipality,
        kind=kind,
        object_id=object_id,
        requested_by=by,
        content_hash=content_hash,
    )
    from .tasks import enqueue_render

    # After the commit: a worker thread must find the row the request just wrote.
    transaction.on_commit(partial(enqueue_render, str(job.pk)))
    return job


def render_job_run(*, job_id: str) -> None:
    """Render the job's document; the outcome lands on the job, never as an exception."""
    claimed = RenderJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # already taken, or gone
    job = RenderJob.objects.without_pdf().select_related("municipality").get(pk=job_id)
    try:
        # The printed document is in the app's own language, whoever asked for it and in
        # whichever thread it runs.
        with translation.override(settings.LANGUAGE_CODE):
            document = registry.document_for(
                kind=job.kind, municipality=job.municipality, object_id=job.object_id
            )
            # Hashed again here: the document may have changed since the job was queued, and
            # the hash must describe what this PDF shows.
            content_hash = content_hash_of(document)
            pdf = render_pdf(template_name=document.template_name, context=document.context)
    except Exception as exc:
        logger.exception("PDF-opdracht %s mislukt", job_id)
        RenderJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        return
    RenderJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE,
        pdf=pdf,
        size=len(pdf),
        filename=document.filename,
        content_hash=content_hash,
        finished_at=timezone.now(),
    )
    _prune(job)


def _prune(job: RenderJob) -> None:
    finished = (
        RenderJob.objects.for_document(job.kind, job.object_id)
        .filter(municipality_id=job.municipality_id, status__in=[JobStatus.DONE, JobStatus.FAILED])
        .order_by("-created_at")
        .values_list("pk", flat=True)
    )
    old = list(finished[KEEP_FINISHED:])
    if old:
        RenderJob.objects.filter(pk__in=old).delete()
