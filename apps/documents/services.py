"""Writes of the documents app: starting a render job and running it."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.permissions import can_view

from . import registry
from .models import STALE_AFTER, JobStatus, RenderJob
from .pdf import render_pdf

logger = logging.getLogger(__name__)

# Finished jobs kept per document: the latest PDF and a few before it, not every click.
KEEP_FINISHED = 3


def render_job_start(*, municipality, kind: str, object_id: int, by) -> RenderJob:
    """Queue a PDF of the document, or hand back the one already on its way.

    ``kind`` must be a registered printable document and ``object_id`` one of its objects in
    ``municipality``: an unknown kind is a ValidationError, another municipality's object
    the loader's ObjectDoesNotExist (or Http404). No job is made for either."""
    if not can_view(by, municipality):
        raise PermissionDenied
    if not registry.is_registered(kind):
        raise ValidationError(_("Dit document kan niet afgedrukt worden."), code="unknown_kind")
    registry.get(kind).load(municipality, object_id)
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
        municipality=municipality, kind=kind, object_id=object_id, requested_by=by
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
