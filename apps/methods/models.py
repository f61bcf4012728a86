"""The guide's workshop methods as worksheets a municipality fills in together.

A ``Method`` is reference data (``fixtures/methods.yaml``). A ``Worksheet`` belongs to a
municipality and a legislature and follows one method; what people write on it are
``Contribution`` rows, one per idea, answer or link: several people add at the same time and
nobody overwrites anybody (adding is an insert). Guests without an account contribute through
an ``Invitation`` for one worksheet. What a worksheet hands to a document is a ``Transfer``,
which keeps the link back from the created object to the contribution.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.editing import Edited
from apps.core.models import (
    ActionArea,
    BilingualMixin,
    DocumentKind,
    Legislature,
    Municipality,
    MunicipalityOwnedQuerySet,
    SDGGoal,
    in_english,
)

MAX_TEXT = 2000  # characters in one contribution: a sticky note, not a chapter
MAX_TITLE = 200


def plusses(half_steps: int) -> str:
    """The guide's scale: 2 → "+", 3 → "+(+)", 4 → "++", ... 6 → "+++"."""
    whole, half = divmod(half_steps, 2)
    return "+" * whole + ("(+)" if half else "")


class Method(BilingualMixin, models.Model):
    key = models.SlugField(_("sleutel"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=100)
    name_en = models.CharField(_("naam (Engels)"), max_length=100)
    summary_nl = models.TextField(_("samenvatting (Nederlands)"))
    summary_en = models.TextField(_("samenvatting (Engels)"))
    howto_nl = models.TextField(_("werkwijze (Nederlands)"), help_text=_("Eén stap per regel."))
    howto_en = models.TextField(_("werkwijze (Engels)"), help_text=_("Eén stap per regel."))
    complexity = models.PositiveSmallIntegerField(
        _("complexiteit"),
        validators=[MinValueValidator(2), MaxValueValidator(6)],
        help_text=_("In halve plussen: 2 is +, 3 is +(+), 6 is +++."),
    )
    time = models.PositiveSmallIntegerField(
        _("tijdsinvestering"),
        validators=[MinValueValidator(2), MaxValueValidator(6)],
        help_text=_("In halve plussen: 2 is +, 3 is +(+), 6 is +++."),
    )
    for_vision = models.BooleanField(_("voor visie en missie"), default=False)
    for_analysis = models.BooleanField(_("voor de omgevingsanalyse"), default=False)
    for_memorandum = models.BooleanField(_("voor het memorandum"), default=False)
    for_plan = models.BooleanField(_("voor het meerjarenplan"), default=False)

    class Meta:
        verbose_name = _("werkvorm")
        verbose_name_plural = _("werkvormen")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name

    @property
    def summary(self) -> str:
        return self.summary_en if in_english() else self.summary_nl

    @property
    def steps(self) -> list[str]:
        text = self.howto_en if in_english() else self.howto_nl
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def complexity_plusses(self) -> str:
        return plusses(self.complexity)

    @property
    def time_plusses(self) -> str:
        return plusses(self.time)

    @property
    def flags(self) -> list[bool]:
        """The four columns of the overview, in the planning cycle's order."""
        return [self.for_vision, self.for_analysis, self.for_memorandum, self.for_plan]

    @property
    def documents(self) -> list[str]:
        flags = [
            (self.for_vision, DocumentKind.VISIE_MISSIE),
            (self.for_analysis, DocumentKind.OMGEVINGSANALYSE),
            (self.for_memorandum, DocumentKind.MEMORANDUM),
            (self.for_plan, DocumentKind.MEERJARENPLAN),
        ]
        return [kind.label for flag, kind in flags if flag]


class Phase(models.TextChoices):
    """Where a worksheet stands; each kind uses the phases it needs (see kinds.py)."""

    COLLECT = "verzamelen", _("Verzamelen")
    SIDE_BY_SIDE = "naast_elkaar", _("Naast elkaar leggen")
    CHOOSE = "kiezen", _("Kiezen")
    CLOSED = "afgesloten", _("Afgesloten")


class WorksheetQuerySet(MunicipalityOwnedQuerySet):
    pass


class Worksheet(Edited):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="worksheets",
        verbose_name=_("gemeente"),
    )
    legislature = models.ForeignKey(
        Legislature,
        on_delete=models.PROTECT,
        related_name="worksheets",
        verbose_name=_("legislatuur"),
    )
    method = models.ForeignKey(
        Method, on_delete=models.PROTECT, related_name="worksheets", verbose_name=_("werkvorm")
    )
    title = models.CharField(_("titel"), max_length=MAX_TITLE)
    question = models.TextField(_("vraag of thema"), max_length=MAX_TEXT, blank=True)
    document_kind = models.CharField(
        _("voor document"), max_length=20, choices=DocumentKind.choices, blank=True
    )
    open_to_members = models.BooleanField(
        _("open voor schepen en lezers"),
        default=False,
        help_text=_("Dan mogen ook de schepen en de lezers van de gemeente iets toevoegen."),
    )
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices, default=Phase.COLLECT)
    # Brainwriting: the round being written (1 = every group on its own sheet).
    round = models.PositiveSmallIntegerField(
        _("ronde"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )

    objects = WorksheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("werkblad")
        verbose_name_plural = _("werkbladen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class BrainwritingGroup(models.Model):
    """A brainwriting group and the sheet with its question."""

    worksheet = models.ForeignKey(
        Worksheet, on_delete=models.CASCADE, related_name="groups", verbose_name=_("werkblad")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    name = models.CharField(_("naam"), max_length=100)
    question = models.CharField(_("vraag"), max_length=MAX_TITLE, blank=True)

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["worksheet", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A personal link for one worksheet: the token is shown once, only its hash is kept."""

    worksheet = models.ForeignKey(
        Worksheet,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("werkblad"),
    )
    guest_name = models.CharField(_("naam van de gast"), max_length=100)
    token_hash = models.CharField(_("vingerafdruk van de sleutel"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("geldig tot"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.guest_name

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Contribution(models.Model):
    """One sticky note: an idea, an answer, a chain element. Its meaning depends on the
    worksheet's kind (``section`` is checked against the kind in kinds.py)."""

    worksheet = models.ForeignKey(
        Worksheet,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("werkblad"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("uitnodiging"),
    )
    # Kept on the row: the invitation may be deleted, who wrote it stays known.
    guest_name = models.CharField(_("naam van de gast"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("toegevoegd"), default=timezone.now)
    # Its author may correct a note: optimistic locking, as every edited row (apps.core.editing).
    version = models.PositiveIntegerField(_("versie"), default=1)
    section = models.CharField(_("onderdeel"), max_length=40)
    text = models.TextField(_("tekst"), max_length=MAX_TEXT)
    detail = models.TextField(_("toelichting"), max_length=MAX_TEXT, blank=True)
    sdg = models.ForeignKey(
        SDGGoal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SDG"),
    )
    group = models.ForeignKey(
        BrainwritingGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("blad van groep"),
    )
    round = models.PositiveSmallIntegerField(_("ronde"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("draagt bij aan"),
    )
    question = models.PositiveSmallIntegerField(_("vraag"), null=True, blank=True)
    # Mapping of initiatives: the action areas an initiative serves (one or more circles).
    action_areas = models.ManyToManyField(
        ActionArea, blank=True, related_name="+", verbose_name=_("actieterreinen")
    )

    class Meta:
        verbose_name = _("bijdrage")
        verbose_name_plural = _("bijdragen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(author__isnull=False) | ~models.Q(guest_name=""),
                name="contribution_has_author_or_guest",
            )
        ]
        indexes = [models.Index(fields=["worksheet", "created_at"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_guest(self) -> bool:
        return self.author_id is None

    @property
    def by_name(self) -> str:
        return self.guest_name if self.author_id is None else str(self.author)


class Vote(models.Model):
    """One vote for a brainwriting idea, by a member or a guest; each votes once per idea."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="votes", verbose_name=_("idee")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stemmer"),
    )
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("uitnodiging"),
    )

    class Meta:
        verbose_name = _("stem")
        verbose_name_plural = _("stemmen")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "voter"],
                condition=models.Q(voter__isnull=False),
                name="vote_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["contribution", "invitation"],
                condition=models.Q(invitation__isnull=False),
                name="vote_once_per_guest",
            ),
            models.CheckConstraint(
                condition=models.Q(voter__isnull=False) ^ models.Q(invitation__isnull=False),
                name="vote_by_member_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id}"


class ProjectSheet(Edited):
    """A GPS brainstorm's top idea written out: one sheet per idea, edited by the members
    with the optimistic lock (several people may work it out)."""

    idea = models.OneToOneField(
        Contribution,
        on_delete=models.CASCADE,
        related_name="project_sheet",
        verbose_name=_("idee"),
    )
    description = models.TextField(_("korte beschrijving"), max_length=MAX_TEXT, blank=True)
    advantages = models.TextField(_("voordelen"), max_length=MAX_TEXT, blank=True)
    pitfalls = models.TextField(
        _("valkuilen en mogelijke oplossingen"), max_length=MAX_TEXT, blank=True
    )
    needs = models.TextField(_("wat en wie is er nodig"), max_length=MAX_TEXT, blank=True)

    class Meta:
        verbose_name = _("projectfiche")
        verbose_name_plural = _("projectfiches")

    def __str__(self) -> str:
        return str(self.idea)

    @property
    def parts(self) -> list[tuple[str, str]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in ("description", "advantages", "pitfalls", "needs")
            if getattr(self, name)
        ]


class CriterionKind(models.TextChoices):
    MUST = "eis", _("Eis (moet)")
    WISH = "wens", _("Wens (weegt mee)")


class Criterion(models.Model):
    """A line of a brainwriting worksheet's decision grid."""

    worksheet = models.ForeignKey(
        Worksheet, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("werkblad")
    )
    kind = models.CharField(_("soort"), max_length=4, choices=CriterionKind.choices)
    text = models.CharField(_("criterium"), max_length=MAX_TITLE)
    weight = models.PositiveSmallIntegerField(
        _("gewicht"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("criterium")
        verbose_name_plural = _("criteria")
        ordering = ["worksheet", "kind", "pk"]

    def __str__(self) -> str:
        return self.text


class Score(models.Model):
    """How well an idea meets a criterion: a must is met (1) or not (0); a wish 0 to 3."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="scores", verbose_name=_("idee")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterium")
    )
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(3)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "criterion"], name="score_one_per_idea_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class Evaluation(Edited):
    """The merged OECD-DAC evaluation of one criterion, written by the opsteller."""

    worksheet = models.ForeignKey(
        Worksheet,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("werkblad"),
    )
    criterion = models.CharField(_("criterium"), max_length=40)
    text = models.TextField(_("samengevatte evaluatie"), max_length=10 * MAX_TEXT, blank=True)

    class Meta:
        verbose_name = _("evaluatie per criterium")
        verbose_name_plural = _("evaluaties per criterium")
        constraints = [
            models.UniqueConstraint(
                fields=["worksheet", "criterion"], name="evaluation_one_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return self.criterion


class Transfer(models.Model):
    """A contribution (or a worksheet's merged result, such as a self-evaluation) handed to a
    document: the object it became, and the way back."""

    contribution = models.ForeignKey(
        Contribution,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name=_("bijdrage"),
    )
    worksheet = models.ForeignKey(
        Worksheet,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name=_("werkblad"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("soort")
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    created_at = models.DateTimeField(_("overgenomen op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("overgenomen door"),
    )

    class Meta:
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contribution__isnull=False) | models.Q(worksheet__isnull=False),
                name="transfer_from_a_contribution_or_a_worksheet",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"
