"""The proposal library: starter, good and ambitious proposals per action area, managed by the
beheerders and adopted (copied) into municipalities' memoranda; and the rest of what comes from
the guide: reasons, practice examples, guiding questions, global figures and indicators."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import (
    ActionArea,
    AmbitionLevel,
    BilingualMixin,
    DocumentKind,
    SDGGoal,
    SDGTarget,
    in_english,
)


class InReaderLanguage:
    """``question.text`` reads ``text_en`` for someone reading English and ``text_nl``
    otherwise; an English text not written yet falls back to the Dutch one."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        dutch = getattr(instance, f"{self.name}_nl")
        return (getattr(instance, f"{self.name}_en") or dutch) if in_english() else dutch


class LibraryProposalQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class LibraryProposal(models.Model):
    key = models.CharField(_("sleutel"), max_length=12, unique=True)
    action_area = models.ForeignKey(
        ActionArea,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("actieterrein"),
    )
    level = models.ForeignKey(
        AmbitionLevel,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("ambitieniveau"),
    )
    title = models.CharField(_("titel"), max_length=200)
    text = models.TextField(_("tekst"), help_text=_("Opgemaakte tekst (HTML, wordt opgeschoond)."))
    sdg_goals = models.ManyToManyField(
        SDGGoal, blank=True, related_name="library_proposals", verbose_name=_("SDG's")
    )
    sdg_targets = models.ManyToManyField(
        SDGTarget, blank=True, related_name="library_proposals", verbose_name=_("SDG-subdoelen")
    )
    guide_reference = models.CharField(
        _("verwijzing naar de inspiratiegids"), max_length=200, blank=True
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)
    # Bumped by the loader whenever title, text or sub-options change, so adopted copies can
    # tell that their source moved on.
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    objects = LibraryProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("bibliotheekvoorstel")
        verbose_name_plural = _("bibliotheekvoorstellen")
        ordering = ["action_area__order", "level__order", "order", "key"]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"


class LibrarySubOption(models.Model):
    """A choice within a proposal that the drafter can tick (the guide's "Noot" items)."""

    proposal = models.ForeignKey(
        LibraryProposal,
        on_delete=models.CASCADE,
        related_name="sub_options",
        verbose_name=_("voorstel"),
    )
    text = models.TextField(_("tekst"))
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("suboptie")
        verbose_name_plural = _("subopties")
        ordering = ["proposal", "order"]

    def __str__(self) -> str:
        return self.text[:60]


class FieldKind(models.TextChoices):
    """What a fill-in field holds; the kind decides how it is typed, checked and printed."""

    TEXT = "text", _("tekst")
    NUMBER = "number", _("getal")
    AMOUNT = "amount", _("bedrag")
    FTE = "fte", _("VTE")


class FillInDefinition(models.Model):
    """What a fill-in field is, in the library and in a memorandum's copy of it."""

    kind = models.CharField(_("soort"), max_length=10, choices=FieldKind.choices)
    label = models.CharField(_("label"), max_length=100)
    placeholder = models.CharField(_("suggestie"), max_length=200, blank=True)
    help = models.CharField(_("toelichting voor de opsteller"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        abstract = True
        verbose_name = _("invulveld")
        verbose_name_plural = _("invulvelden")
        ordering = ["proposal", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class LibraryField(FillInDefinition):
    """A blank the drafter fills in: what the guide leaves as an instruction ("say how many
    FTE", "say which networks") becomes a typed field with a label and a suggestion.

    It belongs to the proposal, or to one of its sub-options: then it is printed only when
    that sub-option is ticked. Only a filled-in value is ever printed, after its label; the
    placeholder and the help are for the drafter alone."""

    proposal = models.ForeignKey(
        LibraryProposal,
        on_delete=models.CASCADE,
        related_name="fields",
        verbose_name=_("voorstel"),
    )
    sub_option = models.ForeignKey(
        LibrarySubOption,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fields",
        verbose_name=_("suboptie"),
    )

    class Meta(FillInDefinition.Meta):
        pass


class Reason(BilingualMixin, models.Model):
    """One of the seven reasons why a municipality invests in local global policy."""

    key = models.SlugField(_("sleutel"), max_length=40, unique=True)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120)
    description_nl = models.TextField(_("omschrijving (Nederlands)"))
    description_en = models.TextField(_("omschrijving (Engels)"), blank=True)
    # The short argument a memorandum prints under a proposal for which the reason is ticked:
    # formal, as in an official document, with the guide's figures where it has them.
    argument_nl = models.TextField(_("argument (Nederlands)"), default="")
    argument_en = models.TextField(_("argument (Engels)"), blank=True, default="")
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    argument = InReaderLanguage()

    class Meta:
        verbose_name = _("reden voor LMB")
        verbose_name_plural = _("redenen voor LMB")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Placement(models.TextChoices):
    """The four ways the guide's meerjarenplan examples give local global policy its place."""

    TACTICAL_GOAL = (
        "tactische_doelstelling",
        _("Tactische doelstelling onder een strategische doelstelling"),
    )
    THEMATIC_PROJECT = "project_in_thema", _("Project onder een thematische SDG-doelstelling")
    ACTION_PLANS = "actieplannen", _("Actieplannen onder een bredere doelstelling")
    WOVEN_THROUGH = "verweven", _("Verweven doorheen een plan volgens de SDG's")


class PracticeExample(models.Model):
    """How a municipality handled a BBC document, summarised in our own words."""

    key = models.SlugField(_("sleutel"), max_length=60, unique=True)
    municipality_name = models.CharField(_("gemeente"), max_length=100)
    year = models.PositiveSmallIntegerField(_("jaar"))
    document_kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("samenvatting"))
    worth_copying = models.TextField(
        _("wat is het overnemen waard"),
        help_text=_("Een of twee zinnen over wat een andere gemeente hiervan kan overnemen."),
    )
    placement = models.CharField(
        _("plaats van LMB in het plan"),
        max_length=30,
        choices=Placement.choices,
        blank=True,
        help_text=_("Alleen voor meerjarenplannen."),
    )
    guide_reference = models.CharField(
        _("verwijzing naar de inspiratiegids"), max_length=200, blank=True
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("praktijkvoorbeeld")
        verbose_name_plural = _("praktijkvoorbeelden")
        ordering = ["document_kind", "order", "municipality_name"]

    def __str__(self) -> str:
        return f"{self.municipality_name} {self.year}"


class GuidingQuestion(models.Model):
    """A question from the guide, in our words, that helps the drafter write the vision and
    mission or the omgevingsanalyse."""

    KINDS = [
        (DocumentKind.VISIE_MISSIE.value, DocumentKind.VISIE_MISSIE.label),
        (DocumentKind.OMGEVINGSANALYSE.value, DocumentKind.OMGEVINGSANALYSE.label),
    ]

    key = models.SlugField(_("sleutel"), max_length=60, unique=True)
    document_kind = models.CharField(_("document"), max_length=20, choices=KINDS)
    topic = models.CharField(
        _("onderwerp"), max_length=40, help_text=_("Bijvoorbeeld visie, missie of partners.")
    )
    text_nl = models.TextField(_("vraag (Nederlands)"))
    text_en = models.TextField(_("vraag (Engels)"), blank=True)
    help_nl = models.TextField(_("toelichting (Nederlands)"), blank=True)
    help_en = models.TextField(_("toelichting (Engels)"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    text = InReaderLanguage()
    help = InReaderLanguage()

    class Meta:
        verbose_name = _("hulpvraag")
        verbose_name_plural = _("hulpvragen")
        ordering = ["document_kind", "order", "key"]

    def __str__(self) -> str:
        return self.text_nl[:80]


class GlobalFigure(models.Model):
    """A sourced figure on the state of the world, for the trends part of the omgevingsanalyse.
    The figure and its source are the guide's; the statement is ours."""

    key = models.SlugField(_("sleutel"), max_length=60, unique=True)
    figure = models.CharField(
        _("cijfer"), max_length=40, help_text=_("Kort, zoals '700 miljoen' of '0,7 %'.")
    )
    statement_nl = models.TextField(_("uitspraak (Nederlands)"))
    statement_en = models.TextField(_("uitspraak (Engels)"), blank=True)
    source = models.CharField(_("bron"), max_length=200)
    source_url = models.URLField(_("link naar de bron"), max_length=300, blank=True)
    sdg_goals = models.ManyToManyField(
        SDGGoal, blank=True, related_name="global_figures", verbose_name=_("SDG's")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    statement = InReaderLanguage()

    class Meta:
        verbose_name = _("mondiaal cijfer")
        verbose_name_plural = _("mondiale cijfers")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return f"{self.figure} ({self.source})"


class ValueKind(models.TextChoices):
    PERCENT = "percent", _("percentage")
    FTE = "fte", _("voltijdse equivalenten")
    SCORE = "score", _("score")
    COUNT = "count", _("aantal")
    EURO = "euro", _("bedrag in euro")


class IndicatorDefinition(BilingualMixin, models.Model):
    """An indicator a municipality can follow for its local global policy, such as the share
    of its budget or its Fair-o-meter score."""

    key = models.SlugField(_("sleutel"), max_length=40, unique=True)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120)
    description_nl = models.TextField(_("omschrijving (Nederlands)"))
    description_en = models.TextField(_("omschrijving (Engels)"), blank=True)
    unit = models.CharField(_("eenheid"), max_length=10, help_text=_("%, VTE, score, aantal of €"))
    value_kind = models.CharField(_("soort waarde"), max_length=10, choices=ValueKind.choices)
    minimum = models.DecimalField(
        _("minimum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The budget share comes from the budgets the municipality enters per year; nobody types it.
    computed = models.BooleanField(
        _("berekend"),
        default=False,
        help_text=_("Berekend uit de budgetten van de gemeente, niet ingevuld."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        ordering = ["order", "key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum__isnull=True)
                | models.Q(maximum__isnull=True)
                | models.Q(minimum__lte=models.F("maximum")),
                name="library_indicator_minimum_not_above_maximum",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class IndicatorReference(models.Model):
    """A reference value for an indicator, such as what half of the municipalities reached in a
    survey; a chart draws it as a line next to the municipality's own values."""

    key = models.SlugField(_("sleutel"), max_length=60, unique=True)
    indicator = models.ForeignKey(
        IndicatorDefinition,
        on_delete=models.CASCADE,
        related_name="references",
        verbose_name=_("indicator"),
    )
    label_nl = models.CharField(_("label (Nederlands)"), max_length=200)
    label_en = models.CharField(_("label (Engels)"), max_length=200, blank=True)
    value = models.DecimalField(_("waarde"), max_digits=12, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=200)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    label = InReaderLanguage()

    class Meta:
        verbose_name = _("referentiewaarde")
        verbose_name_plural = _("referentiewaarden")
        ordering = ["indicator__order", "order", "key"]

    def __str__(self) -> str:
        return f"{self.indicator.key}: {self.label_nl}"
