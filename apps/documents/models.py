"""Render jobs: a PDF (or Word file) is made by a worker process and fetched when it is ready.

The table is the render queue itself: a job waits here (queued) until a worker claims it
(services.render_queue_work), so a job survives a restart of the web process or of a worker.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import MunicipalityOwnedQuerySet

from . import registry

# What RenderJob.error holds for the failures the user can do something about; the message is
# made when the page is shown (in the reader's language), the limit that applied is kept with it.
ERROR_TIMEOUT = "timeout"
ERROR_TOO_MANY_PAGES = "too_many_pages"
ERROR_LOST = "lost"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class Output(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word")


CONTENT_TYPES = {
    Output.PDF: "application/pdf",
    Output.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class RenderJobQuerySet(MunicipalityOwnedQuerySet):
    def without_pdf(self):
        """Status pages never need the bytes."""
        return self.defer("pdf")

    def for_document(self, kind: str, object_id: int):
        return self.filter(kind=kind, object_id=object_id)

    def pending(self):
        return self.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])


def with_turn(jobs):
    """``jobs`` annotated for the queue's order (QUEUE_ORDER): ``turn`` is 1 for each
    municipality's oldest job among them, 2 for its second, and so on; ``served`` is when the
    municipality's latest render started (None: none yet).

    The queue runs every municipality's first job before anyone's second, and among those the
    municipality served longest ago first: round robin. One municipality printing a lot makes
    another wait for one of its renders at most, not for all of them."""
    served = (
        RenderJob.objects.filter(municipality_id=OuterRef("municipality_id"))
        .order_by()
        .values("municipality_id")
        .annotate(last=Max("started_at"))
        .values("last")
    )
    return jobs.annotate(
        turn=Window(
            RowNumber(),
            partition_by=[F("municipality_id")],
            order_by=[F("created_at").asc(), F("id").asc()],
        ),
        served=Subquery(served),
    )


QUEUE_ORDER = ["turn", F("served").asc(nulls_first=True), "created_at", "id"]


def queue_ahead_of(job) -> int:
    """How many queued jobs (of every municipality) come before ``job`` in the queue's order;
    two queries, however long the queue. Only a count: nothing of the other jobs is shown."""
    before = Q(created_at__lt=job.created_at) | Q(created_at=job.created_at, id__lt=job.id)
    own = RenderJob.objects.filter(municipality_id=job.municipality_id).aggregate(
        earlier=Count("pk", filter=Q(status=JobStatus.QUEUED) & before),
        served=Max("started_at"),
    )
    turn, served = own["earlier"] + 1, own["served"]
    if served is None:  # never served: nobody is ahead on that count, the unserved tie
        served_earlier, served_same = Q(pk__in=[]), Q(served__isnull=True)
    else:
        served_earlier = Q(served__isnull=True) | Q(served__lt=served)
        served_same = Q(served=served)
    ahead = Q(turn__lt=turn) | (Q(turn=turn) & (served_earlier | (served_same & before)))
    return with_turn(RenderJob.objects.filter(status=JobStatus.QUEUED)).filter(ahead).count()


class RenderJob(models.Model):
    # A UUID, not a counter: a job's URL says nothing about how many PDFs others made.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.CASCADE,
        related_name="render_jobs",
        verbose_name=_("gemeente"),
    )
    # A key of the registry of printable documents (registry.py): the document apps register
    # their documents, so this table names no app and no list of kinds.
    kind = models.CharField(
        _("document"), max_length=registry.KEY_MAX_LENGTH, validators=[registry.validate_kind]
    )
    # The document's primary key in its own app; the registry loads it inside the job's
    # municipality, so no foreign key ties this table to every document model.
    object_id = models.PositiveBigIntegerField(_("document-id"))
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    # What the job makes; the bytes of either are in ``pdf`` (the field kept its name).
    output = models.CharField(
        _("formaat"), max_length=4, choices=Output.choices, default=Output.PDF
    )
    filename = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    pdf = models.BinaryField(_("bestand"), null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(_("grootte (bytes)"), default=0)
    error = models.TextField(_("foutmelding"), blank=True)
    # The SHA-256 of the print HTML the PDF was made from (services.content_hash_of): a click
    # on a document that has not changed since gets this PDF at once instead of a new render.
    content_hash = models.CharField(_("inhoudshash"), max_length=64, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    created_at = models.DateTimeField(_("aangevraagd"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    # How often a worker claimed the job: 1 for a job rendered once; more when a worker was
    # stopped in the middle and the job went back to the queue. Also the claim's fencing
    # token: only the worker holding the latest attempt may write the outcome.
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0, editable=False)
    # The worker process of the latest attempt (host:pid), for the beheerder and the tests.
    worker = models.CharField(_("verwerker"), max_length=100, blank=True, editable=False)

    objects = RenderJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("PDF-opdracht")
        verbose_name_plural = _("PDF-opdrachten")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["kind", "object_id", "-created_at"]),
            # The queue: the waiting and running jobs, oldest first.
            models.Index(
                fields=["status", "created_at"],
                name="documents_job_queue_idx",
                condition=Q(status__in=["queued", "running"]),
            ),
        ]
        constraints = [
            # One job on its way per document and format: a second click, in this web process
            # or another, gets that job instead of a second render.
            models.UniqueConstraint(
                fields=["municipality", "kind", "object_id", "output"],
                condition=Q(status__in=["queued", "running"]),
                name="documents_one_pending_job",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.object_id} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        return registry.label_for(self.kind)

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}

    @property
    def is_pending(self) -> bool:
        """Still worth waiting for: a queued job stays in the queue until a worker takes it,
        and a running job whose worker stopped goes back to it (services.render_queue_work)."""
        return not self.is_finished

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.output]

    @property
    def elapsed(self) -> timedelta | None:
        """How long the job has been rendering, or took."""
        if self.started_at is None:
            return None
        return (self.finished_at or timezone.now()) - self.started_at

    @property
    def error_message(self) -> str:
        """The failure as the user reads it."""
        code, _sep, limit = self.error.partition(":")
        if code == ERROR_TOO_MANY_PAGES:
            return _("Het document is te groot om af te drukken (meer dan %(pages)s pagina's).") % {
                "pages": limit
            }
        if code == ERROR_TIMEOUT:
            return _(
                "Het maken duurde langer dan %(seconds)s seconden en is gestopt. Probeer het "
                "later opnieuw, of druk een kleiner deel af."
            ) % {"seconds": limit}
        if code == ERROR_LOST:
            return _(
                "Het maken werd %(count)s keer onderbroken (de verwerker stopte). Probeer het "
                "opnieuw."
            ) % {"count": self.attempts}
        return _("Het bestand kon niet gemaakt worden. Probeer het opnieuw.")
