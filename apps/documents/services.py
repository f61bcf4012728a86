"""Writes of the documents app: starting a render job, and the render queue's work.

The queue is the RenderJob table. A job is queued by the request that asks for it, together
with a task row of the "documents" task backend (django-tasks-db: the same database, the same
transaction), and rendered by a worker process (`manage.py db_worker --backend documents`)
whose task claims a job: not necessarily that one, but the fairest one it may take now
(render_queue_work). So:

- nothing is lost: a job and its task are written together; a worker that dies in the middle
  of a render leaves a running job that the next task puts back in the queue once its time
  limit has long passed (RENDER_TIME_LIMIT + RENDER_LOST_AFTER); every claim also leaves a
  task for that moment, so this happens even when nobody prints anything else;
- nothing is done twice: a claim locks the job row (select_for_update, skip_locked) and counts
  an attempt; only the worker holding the latest attempt may write the outcome;
- no municipality holds every worker: at most RENDER_LIMIT_PER_MUNICIPALITY of its jobs run at
  once (claims of one municipality take turns on its row), and the queue runs each
  municipality's first job before anyone's second (models.with_turn);
- nothing waits for ever: a job that ends leaves a task for the next one in the queue.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import signal
import socket
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.models import Municipality
from apps.core.permissions import can_view

from . import registry, tasks
from .models import (
    ERROR_LOST,
    ERROR_TIMEOUT,
    ERROR_TOO_MANY_PAGES,
    QUEUE_ORDER,
    JobStatus,
    Output,
    RenderJob,
    with_turn,
)
from .pdf import BASE_URL, TooManyPages, render_html_pdf

logger = logging.getLogger(__name__)

# Finished jobs kept per document: the latest PDF and a few before it, not every click.
KEEP_FINISHED = 3

# The PDF's creation and modification dates (metadata, not shown on any page) may be the
# moment of rendering: left out of the content hash, or nothing would ever be unchanged.
_DATE_META = re.compile(r"<meta\s+name=[\"']?dcterms\.(?:created|modified)[\"']?[^>]*>", re.I)
# The footer's date of printing (base_print.html) changes every day, the document does not.
_PRINTED_ON = re.compile(r'<span class="printed-on">[^<]*</span>')


def print_html(document: registry.PrintDocument) -> str:
    """The print HTML of ``document``, as render_pdf renders it."""
    return render_to_string(
        document.template_name, {**document.context, "print_base_url": BASE_URL}
    )


def content_hash_of(document: registry.PrintDocument, html: str | None = None) -> str:
    """The SHA-256 of the print HTML of ``document`` (``html``, when it is already made).

    What the PDF shows is in it (the texts, the numbering, the cover's review status from the
    context hooks), so an edit or an approval changes it; rendering HTML takes milliseconds
    where WeasyPrint takes seconds. Call it inside the app's language, as the render does."""
    html = print_html(document) if html is None else html
    stable = _PRINTED_ON.sub("", _DATE_META.sub("", html))
    return hashlib.sha256(stable.encode()).hexdigest()


def _current_hash(municipality, kind: str, object_id: int, obj=None) -> str:
    """``obj``: the document, when the caller has just loaded it (one load less)."""
    # A savepoint: a failed query in here must not break the request's transaction.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        if obj is None:
            document = registry.document_for(
                kind=kind, municipality=municipality, object_id=object_id
            )
        else:
            document = registry.build(registry.get(kind), obj)
        return content_hash_of(document)


def _finished_with(municipality, kind: str, object_id: int, output: str, content_hash: str):
    return (
        RenderJob.objects.without_pdf()
        .for_document(kind, object_id)
        .filter(
            municipality=municipality,
            output=output,
            status=JobStatus.DONE,
            content_hash=content_hash,
        )
        .exclude(content_hash="")
        .order_by("-finished_at")
        .first()
    )


def _pending(municipality, kind: str, object_id: int, output: str):
    return (
        RenderJob.objects.without_pdf()
        .for_document(kind, object_id)
        .pending()
        .filter(municipality=municipality, output=output)
        .first()
    )


def render_job_unchanged(
    *, municipality, kind: str, object_id: int, output: str = Output.PDF
) -> RenderJob | None:
    """The finished job whose file shows the document as it is now, or None."""
    if not registry.is_registered(kind):
        return None
    try:
        content_hash = _current_hash(municipality, kind, object_id)
    except Exception:
        logger.exception("PDF: inhoudshash van %s %s mislukt", kind, object_id)
        return None
    return _finished_with(municipality, kind, object_id, output, content_hash)


def render_job_start(
    *, municipality, kind: str, object_id: int, by, output: str = Output.PDF
) -> RenderJob:
    """Queue a PDF (or Word file, ``output``) of the document, or hand back the job already on
    its way, or the finished one made from the same content (nothing changed since: no new
    render).

    ``kind`` must be a registered printable document and ``object_id`` one of its objects in
    ``municipality``: an unknown kind or output is a ValidationError, another municipality's
    object the loader's ObjectDoesNotExist (or Http404). No job is made for either."""
    if not can_view(by, municipality):
        raise PermissionDenied
    if not registry.is_registered(kind):
        raise ValidationError(_("Dit document kan niet afgedrukt worden."), code="unknown_kind")
    if output not in Output.values:
        raise ValidationError(_("Onbekend formaat."), code="unknown_output")
    obj = registry.get(kind).load(municipality, object_id)
    try:
        content_hash = _current_hash(municipality, kind, object_id, obj)
    except Exception:
        # A document that cannot be printed fails in its job, where the user sees it.
        logger.exception("PDF: inhoudshash van %s %s mislukt", kind, object_id)
        content_hash = ""
    finished = _finished_with(municipality, kind, object_id, output, content_hash)
    if finished is not None:
        return finished
    pending = _pending(municipality, kind, object_id, output)
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            job = RenderJob.objects.create(
                municipality=municipality,
                kind=kind,
                object_id=object_id,
                output=output,
                requested_by=by,
                content_hash=content_hash,
            )
            tasks.enqueue_render()
    except IntegrityError:
        # The same document was queued at the same moment by another request (in this web
        # process or another): one job, that one (models: documents_one_pending_job).
        pending = _pending(municipality, kind, object_id, output)
        if pending is None:
            raise
        return pending
    return job


# --- the queue's work (in a worker process) ---------------------------------------------------

# Queued jobs a claim looks at, in the queue's order: enough to get past those that another
# worker is claiming at the same moment.
CLAIM_CANDIDATES = 20


class RenderTimeout(KeyboardInterrupt):
    """The render's time is up. Raised as a Ctrl-C is: the libraries' own ``except Exception``
    does not swallow it in the middle of a layout, and psycopg cancels a query it interrupts
    (a Word export may query) instead of leaving the connection in the middle of it."""


@contextmanager
def time_limit(seconds: float):
    """Raise RenderTimeout in the block once ``seconds`` have passed. A signal reaches the main
    thread only, where db_worker runs its tasks; anywhere else (a test's live server) the
    limit is checked when the block ends."""
    if threading.current_thread() is not threading.main_thread():
        started = time.monotonic()
        yield
        if time.monotonic() - started > seconds:
            raise RenderTimeout
        return

    def expire(signum, frame):
        raise RenderTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _lost_after() -> timedelta:
    return timedelta(seconds=settings.RENDER_TIME_LIMIT + settings.RENDER_LOST_AFTER)


def render_queue_work() -> str | None:
    """One task's work: put back the jobs whose worker was lost, claim the job this worker
    may take now and render it. The id of the job it rendered, or None (nothing to take)."""
    requeue_lost_jobs()
    job = _claim_next()
    if job is None:
        return None
    _render(job)
    return str(job.pk)


def requeue_lost_jobs() -> int:
    """Running jobs long past their time limit lost their worker (killed, machine down): back to
    the queue at their old place, or failed after RENDER_MAX_ATTEMPTS claims. How many went
    back."""
    now = timezone.now()
    lost = RenderJob.objects.filter(status=JobStatus.RUNNING, started_at__lt=now - _lost_after())
    with transaction.atomic():
        lost.filter(attempts__gte=settings.RENDER_MAX_ATTEMPTS).update(
            status=JobStatus.FAILED, error=ERROR_LOST, finished_at=now
        )
        requeued = lost.update(status=JobStatus.QUEUED, started_at=None, worker="")
    if requeued:
        logger.warning("PDF-wachtrij: %s opdracht(en) van een gestopte verwerker terug", requeued)
    return requeued


def _claim_next() -> RenderJob | None:
    limit = settings.RENDER_LIMIT_PER_MUNICIPALITY
    running = RenderJob.objects.filter(status=JobStatus.RUNNING)
    full = (
        running.order_by()
        .values("municipality_id")
        .annotate(running=Count("pk"))
        .filter(running__gte=limit)
        .values("municipality_id")
    )
    candidates = list(
        with_turn(
            RenderJob.objects.filter(status=JobStatus.QUEUED).exclude(municipality_id__in=full)
        )
        .order_by(*QUEUE_ORDER)
        .values_list("pk", "municipality_id")[:CLAIM_CANDIDATES]
    )
    for pk, municipality_id in candidates:
        with transaction.atomic():
            # Claims of one municipality's jobs take turns on its row, so the count of its
            # running jobs below includes a claim another worker has just made.
            turn = (
                Municipality.objects.select_for_update(skip_locked=True)
                .filter(pk=municipality_id)
                .values_list("pk", flat=True)
            )
            if turn.first() is None:
                continue  # another worker is claiming for this municipality right now
            if running.filter(municipality_id=municipality_id).count() >= limit:
                continue
            free = (
                RenderJob.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=JobStatus.QUEUED)
                .values_list("pk", flat=True)
            )
            if free.first() is None:
                continue  # claimed by another worker since the list was read
            RenderJob.objects.filter(pk=pk).update(
                status=JobStatus.RUNNING,
                started_at=timezone.now(),
                attempts=F("attempts") + 1,
                worker=_worker_name(),
            )
            # Should this worker die, this task finds the job lost and puts it back.
            tasks.enqueue_render(after=_lost_after() + timedelta(seconds=1))
            return RenderJob.objects.without_pdf().select_related("municipality").get(pk=pk)
    return None


def _make(output: str, document: registry.PrintDocument, html: str) -> tuple[bytes, str]:
    if output == Output.DOCX:
        from .word import render_docx

        return render_docx(document), document.filename.removesuffix(".pdf") + ".docx"
    return render_html_pdf(html, max_pages=settings.RENDER_MAX_PAGES), document.filename


def _render(job: RenderJob) -> None:
    """Render a claimed job; the outcome lands on the job, never as an exception."""
    # Only the worker of the latest attempt writes: a worker taken for lost that wakes up
    # after all finds its job in other hands.
    mine = RenderJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)
    error = ""
    try:
        # The document is in the app's own language, whoever asked for it.
        with translation.override(settings.LANGUAGE_CODE):
            document = registry.document_for(
                kind=job.kind, municipality=job.municipality, object_id=job.object_id
            )
            # The print HTML is made first: its queries are done before the clock runs, so
            # the time limit stops WeasyPrint (the seconds of a render), not a query.
            html = print_html(document)
            # Hashed again here: the document may have changed since the job was queued, and
            # the hash must describe what this file shows.
            content_hash = content_hash_of(document, html)
            with time_limit(settings.RENDER_TIME_LIMIT):
                data, filename = _make(job.output, document, html)
    except RenderTimeout:
        logger.warning("PDF-opdracht %s: tijdslimiet bereikt", job.pk)
        error = f"{ERROR_TIMEOUT}:{settings.RENDER_TIME_LIMIT}"
    except TooManyPages as exc:
        logger.warning("PDF-opdracht %s: %s", job.pk, exc)
        error = f"{ERROR_TOO_MANY_PAGES}:{exc.max_pages}"
    except (KeyboardInterrupt, SystemExit):
        # The worker is told to stop now (a second Ctrl-C, a forced stop): the job goes back
        # to the queue, this attempt not counted, for the next worker.
        with transaction.atomic():
            mine.update(
                status=JobStatus.QUEUED, started_at=None, worker="", attempts=F("attempts") - 1
            )
            tasks.enqueue_render()
        raise
    except Exception as exc:
        logger.exception("PDF-opdracht %s mislukt", job.pk)
        error = type(exc).__name__
    with transaction.atomic():
        if error:
            written = mine.update(status=JobStatus.FAILED, error=error, finished_at=timezone.now())
        else:
            written = mine.update(
                status=JobStatus.DONE,
                pdf=data,
                size=len(data),
                filename=filename,
                content_hash=content_hash,
                finished_at=timezone.now(),
            )
        # This worker is free, and the municipality has a render less: the next job's turn.
        if RenderJob.objects.filter(status=JobStatus.QUEUED).exists():
            tasks.enqueue_render()
    if not written:
        logger.warning("PDF-opdracht %s: intussen door een andere verwerker overgenomen", job.pk)
    elif not error:
        _prune(job)


def _prune(job: RenderJob) -> None:
    finished = (
        RenderJob.objects.for_document(job.kind, job.object_id)
        .filter(
            municipality_id=job.municipality_id,
            output=job.output,
            status__in=[JobStatus.DONE, JobStatus.FAILED],
        )
        .order_by("-created_at")
        .values_list("pk", flat=True)
    )
    old = list(finished[KEEP_FINISHED:])
    if old:
        RenderJob.objects.filter(pk__in=old).delete()
