"""Render jobs: a PDF is made off the request thread and fetched when it is ready."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import MunicipalityOwnedQuerySet

from . import registry

# A job that has not finished by then was lost (the process stopped); the user may start anew.
STALE_AFTER = timedelta(minutes=10)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class RenderJobQuerySet(MunicipalityOwnedQuerySet):
    def without_pdf(self):
        """Status pages never need the bytes."""
        return self.defer("pdf")

    def for_document(self, kind: str, object_id: int):
        return self.filter(kind=kind, object_id=object_id)


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
    filename = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
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

    objects = RenderJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("PDF-opdracht")
        verbose_name_plural = _("PDF-opdrachten")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.object_id} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        return registry.label_for(self.kind)

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}

    @property
    def is_stale(self) -> bool:
        return not self.is_finished and self.created_at < timezone.now() - STALE_AFTER

    @property
    def is_pending(self) -> bool:
        """Still worth waiting for."""
        return not self.is_finished and not self.is_stale
