"""Review of every document: its state, the transitions between states, the approved versions
(frozen PDF), comment threads with replies and mentions, and the notifications they cause.

A document is named by its registry key (``registry.py``: "memorandum", "omgevingsanalyse",
…) and its primary key in its own app, as the render jobs of apps/documents name theirs, so
this app holds no foreign key to any document app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import MunicipalityOwnedQuerySet

KEY_MAX_LENGTH = 40
PART_KEY_MAX_LENGTH = 60
QUOTE_MAX_LENGTH = 1000
COMMENT_MAX_LENGTH = 10_000
MESSAGE_MAX_LENGTH = 5_000


class Status(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    TER_REVIEW = "ter_review", _("Ter review")
    GOEDGEKEURD = "goedgekeurd", _("Goedgekeurd")
    TERUGGESTUURD = "teruggestuurd", _("Teruggestuurd")


# Only a concept is edited: under review, approved or sent back the opsteller first takes it
# back (withdraw or reopen), so what the schepen read is what stays until then.
EDITABLE = frozenset({Status.CONCEPT})


class Action(models.TextChoices):
    """What a transition did; each has its own rule of who may and from which state."""

    SUBMIT = "submit", _("Ingediend ter review")
    WITHDRAW = "withdraw", _("Ingetrokken")
    APPROVE = "approve", _("Goedgekeurd")
    SEND_BACK = "send_back", _("Teruggestuurd")
    REOPEN = "reopen", _("Heropend")


class DocumentReview(models.Model):
    """The review state of one document; a document without a row is a concept."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    kind = models.CharField(_("document"), max_length=KEY_MAX_LENGTH)
    object_id = models.PositiveBigIntegerField(_("document-id"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    # Counts transitions: two clicks on one state (two schepenen approving at once, or the
    # opsteller withdrawing while the schepen approves) cannot both take effect.
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    objects = MunicipalityOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("review van een document")
        verbose_name_plural = _("reviews van documenten")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="review_one_per_document")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.get_status_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class Transition(models.Model):
    review = models.ForeignKey(
        DocumentReview,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("review"),
    )
    action = models.CharField(_("actie"), max_length=20, choices=Action.choices)
    # "van" alone is also the page footer's "pagina 3 van 9" (English "of"): a context of its own.
    from_status = models.CharField(
        pgettext_lazy("status van een overgang", "van"), max_length=20, choices=Status.choices
    )
    to_status = models.CharField(
        pgettext_lazy("status van een overgang", "naar"), max_length=20, choices=Status.choices
    )
    message = models.TextField(_("bericht"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    # On submission: the text of every part as submitted ({key: {"label", "text"}}), so the
    # next review shows what changed since then.
    snapshot = models.JSONField(_("ingediende tekst"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class ApprovedVersion(models.Model):
    """What was approved, frozen: the print HTML at the moment of approval, and its PDF
    (rendered off the request thread from that HTML, so later edits never reach it)."""

    class RenderStatus(models.TextChoices):
        PENDING = "pending", _("Wordt gemaakt")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    review = models.ForeignKey(
        DocumentReview,
        on_delete=models.CASCADE,
        related_name="approved_versions",
        verbose_name=_("review"),
    )
    transition = models.OneToOneField(
        Transition, on_delete=models.CASCADE, related_name="approved_version"
    )
    approved_at = models.DateTimeField(_("goedgekeurd op"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("goedgekeurd door"),
    )
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    html = models.TextField(_("afdruk (HTML)"), editable=False)
    render_status = models.CharField(
        _("PDF"), max_length=10, choices=RenderStatus.choices, default=RenderStatus.PENDING
    )
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(_("grootte (bytes)"), default=0)
    error = models.TextField(_("foutmelding"), blank=True)

    class Meta:
        verbose_name = _("goedgekeurde versie")
        verbose_name_plural = _("goedgekeurde versies")
        ordering = ["-approved_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.approved_at:%Y-%m-%d})"


class ThreadQuerySet(MunicipalityOwnedQuerySet):
    def for_document(self, kind: str, object_id: int):
        return self.filter(kind=kind, object_id=object_id)

    def open(self):
        return self.filter(resolved_at__isnull=True)


class Thread(models.Model):
    """A conversation on a whole document (``part_key`` empty) or on one of its parts."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    kind = models.CharField(_("document"), max_length=KEY_MAX_LENGTH)
    object_id = models.PositiveBigIntegerField(_("document-id"))
    part_key = models.CharField(_("onderdeel"), max_length=PART_KEY_MAX_LENGTH, blank=True)
    # The part's name when the thread began: it still reads well if the part is deleted.
    part_label = models.CharField(_("naam van het onderdeel"), max_length=300, blank=True)
    quote = models.TextField(_("geciteerde passage"), max_length=QUOTE_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    created_at = models.DateTimeField(_("gestart"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgehandeld door"),
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("opmerking")
        verbose_name_plural = _("opmerkingen")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["kind", "object_id", "part_key"])]

    def __str__(self) -> str:
        return f"{self.part_label or self.kind} ({self.created_at:%Y-%m-%d})"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class Comment(models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="comments", verbose_name=_("opmerking")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    # Plain text (tags and control characters removed); shown escaped, line breaks kept.
    text = models.TextField(_("tekst"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("geplaatst"), auto_now_add=True)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("vermeld")
    )

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("Een document is ter review ingediend")
    DECIDED = "decided", _("Een document is goedgekeurd of teruggestuurd")
    MENTION = "mention", _("Iemand vermeldt mij in een opmerking")
    REPLY = "reply", _("Een reactie in een gesprek waaraan ik deelnam")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lmb_notifications",
        verbose_name=_("gebruiker"),
    )
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("titel"), max_length=300)
    body = models.TextField(_("tekst"), blank=True)
    url = models.CharField(_("link"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("gelezen"), null=True, blank=True)
    mailed = models.BooleanField(_("gemaild"), default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class NotificationSetting(models.Model):
    """A kind the user switched off, by mail and/or in the app (no row: both on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lmb_notification_settings",
        verbose_name=_("gebruiker"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=NotificationKind.choices)
    by_mail = models.BooleanField(_("per mail"), default=True)
    in_app = models.BooleanField(_("in de app"), default=True)

    class Meta:
        verbose_name = _("meldingsvoorkeur")
        verbose_name_plural = _("meldingsvoorkeuren")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_setting_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"
