"""The omgevingsanalyse (environmental analysis) and the vision and mission of a
municipality's local global policy, one of each per municipality per plan period.

The analysis is made of sections, started from a structure (reference data, not code): per
SDG, per the five P's, internal/external with a SWOT, or per action area. Beside the sections
it holds the indicators with their values per year, the SWOT, the municipality's global
actors, the answers to the guide's guiding questions and the cited global figures.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.editing import Edited
from apps.core.models import (
    ActionArea,
    BilingualMixin,
    Legislature,
    MunicipalityOwnedQuerySet,
    SDGGoal,
    in_english,
)

DEFAULT_TITLE = "Omgevingsanalyse lokaal mondiaal beleid"


class PeriodDocument(Edited):
    """A document of a municipality for one plan period (legislature)."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    legislature = models.ForeignKey(
        Legislature, on_delete=models.PROTECT, related_name="+", verbose_name=_("legislatuur")
    )

    objects = MunicipalityOwnedQuerySet.as_manager()

    class Meta:
        abstract = True


class VisionMission(PeriodDocument):
    vision = models.TextField(_("visie"), blank=True)
    mission = models.TextField(_("missie"), blank=True)

    class Meta:
        verbose_name = _("visie en missie")
        verbose_name_plural = _("visies en missies")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "legislature"], name="vision_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{_('Visie en missie')} — {self.municipality} {self.legislature}"


# --- structures (reference data) -----------------------------------------------------------


class Structure(BilingualMixin, models.Model):
    """A way to build the omgevingsanalyse, with the sections it starts from."""

    key = models.SlugField(_("sleutel"), max_length=40, unique=True)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=100)
    name_en = models.CharField(_("naam (Engels)"), max_length=100)
    description_nl = models.TextField(_("omschrijving (Nederlands)"))
    description_en = models.TextField(_("omschrijving (Engels)"))
    with_swot = models.BooleanField(_("met SWOT"), default=False)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("structuur van de omgevingsanalyse")
        verbose_name_plural = _("structuren van de omgevingsanalyse")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class StructureSection(models.Model):
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="sections", verbose_name=_("structuur")
    )
    title_nl = models.CharField(_("titel (Nederlands)"), max_length=200)
    title_en = models.CharField(_("titel (Engels)"), max_length=200)
    guidance_nl = models.TextField(_("aanwijzing (Nederlands)"), blank=True)
    guidance_en = models.TextField(_("aanwijzing (Engels)"), blank=True)
    sdg_goals = models.ManyToManyField(
        SDGGoal, blank=True, related_name="+", verbose_name=_("SDG's")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("sectie van een structuur")
        verbose_name_plural = _("secties van een structuur")
        ordering = ["structure", "order"]

    def __str__(self) -> str:
        return self.title_nl

    @property
    def title(self) -> str:
        return self.title_en if in_english() else self.title_nl

    @property
    def guidance(self) -> str:
        return self.guidance_en if in_english() else self.guidance_nl


# --- the analysis ------------------------------------------------------------------------


class Analysis(PeriodDocument):
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="analyses",
        verbose_name=_("structuur"),
    )
    title = models.CharField(_("titel"), max_length=200, default=DEFAULT_TITLE)
    introduction = models.TextField(_("inleiding"), blank=True)

    class Meta:
        verbose_name = _("omgevingsanalyse")
        verbose_name_plural = _("omgevingsanalyses")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "legislature"], name="analysis_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.municipality} {self.legislature}"


class AnalysisPartQuerySet(MunicipalityOwnedQuerySet):
    municipality_path = "analysis__municipality"


class AnalysisPart(Edited):
    """A row that belongs to one analysis (and so to its municipality)."""

    analysis = models.ForeignKey(
        Analysis, on_delete=models.CASCADE, related_name="+", verbose_name=_("omgevingsanalyse")
    )
    order = models.PositiveIntegerField(_("volgorde"), default=0)

    objects = AnalysisPartQuerySet.as_manager()

    class Meta:
        abstract = True


class Section(AnalysisPart):
    analysis = models.ForeignKey(
        Analysis,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("omgevingsanalyse"),
    )
    title = models.CharField(_("titel"), max_length=200)
    text = models.TextField(_("tekst"), blank=True)
    # The structure's hint for this section: shown to the drafter, never printed.
    guidance = models.TextField(_("aanwijzing"), blank=True)
    sdg_goals = models.ManyToManyField(
        SDGGoal, blank=True, related_name="analysis_sections", verbose_name=_("SDG's")
    )

    class Meta:
        verbose_name = _("sectie")
        verbose_name_plural = _("secties")
        ordering = ["analysis", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "order"], name="section_order_unique")
        ]

    def __str__(self) -> str:
        return self.title


class CitedFigure(models.Model):
    """A global figure from the guide, quoted in a section with its source."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="figures", verbose_name=_("sectie")
    )
    figure = models.ForeignKey(
        "library.GlobalFigure",
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=_("mondiaal cijfer"),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("geciteerd cijfer")
        verbose_name_plural = _("geciteerde cijfers")
        ordering = ["section", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["section", "figure"], name="cited_figure_once")
        ]

    def __str__(self) -> str:
        return str(self.figure)


class GuidingAnswer(AnalysisPart):
    analysis = models.ForeignKey(
        Analysis,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("omgevingsanalyse"),
    )
    question = models.ForeignKey(
        "library.GuidingQuestion",
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("hulpvraag"),
    )
    answer = models.TextField(_("antwoord"), blank=True)

    class Meta:
        verbose_name = _("antwoord op een hulpvraag")
        verbose_name_plural = _("antwoorden op hulpvragen")
        constraints = [models.UniqueConstraint(fields=["analysis", "question"], name="answer_once")]

    def __str__(self) -> str:
        return str(self.question)


class Indicator(AnalysisPart):
    """One of the guide's indicators (``definition``) or the municipality's own."""

    analysis = models.ForeignKey(
        Analysis,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("omgevingsanalyse"),
    )
    definition = models.ForeignKey(
        "library.IndicatorDefinition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator uit de gids"),
    )
    name = models.CharField(_("naam"), max_length=120)
    unit = models.CharField(_("eenheid"), max_length=20)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        ordering = ["analysis", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "definition"],
                condition=models.Q(definition__isnull=False),
                name="indicator_definition_once",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def computed(self) -> bool:
        """The budget share comes from the key figures; nobody types its values."""
        return bool(self.definition_id and self.definition.computed)


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    value = models.DecimalField(_("waarde"), max_digits=15, decimal_places=2)
    is_target = models.BooleanField(_("streefwaarde"), default=False)

    class Meta:
        verbose_name = _("waarde van een indicator")
        verbose_name_plural = _("waarden van indicatoren")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class Quadrant(models.TextChoices):
    STRENGTH = "S", _("Sterktes")
    WEAKNESS = "W", _("Zwaktes")
    OPPORTUNITY = "O", _("Kansen")
    THREAT = "T", _("Bedreigingen")


class SwotItem(AnalysisPart):
    analysis = models.ForeignKey(
        Analysis,
        on_delete=models.CASCADE,
        related_name="swot_items",
        verbose_name=_("omgevingsanalyse"),
    )
    quadrant = models.CharField(_("kwadrant"), max_length=1, choices=Quadrant.choices)
    text = models.CharField(_("tekst"), max_length=500)
    sdg = models.ForeignKey(
        SDGGoal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SDG"),
    )
    action_area = models.ForeignKey(
        ActionArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actieterrein"),
    )

    class Meta:
        verbose_name = _("SWOT-element")
        verbose_name_plural = _("SWOT-elementen")
        ordering = ["analysis", "quadrant", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ActorKind(models.TextChoices):
    NGO = "ngo", _("Ngo")
    FOURTH_PILLAR = "vierde_pijler", _("Vierdepijlerorganisatie")
    SCHOOL = "school", _("School")
    COMPANY = "bedrijf", _("Bedrijf")
    DIASPORA = "diaspora", _("Diasporaorganisatie")
    ADVISORY_COUNCIL = "adviesraad", _("Adviesraad")
    OTHER = "ander", _("Andere")


class Sphere(models.TextChoices):
    CONTROL = "controle", _("Controle")
    INFLUENCE = "invloed", _("Invloed")
    INTEREST = "interesse", _("Interesse")


class ActorState(models.TextChoices):
    """The three colours of the guide's mapping of initiatives."""

    RUNNING = "loopt", _("Loopt goed")
    NEW = "nieuw", _("Nieuw")
    NOT_YET = "nog_niet", _("Nog niet")


class Actor(AnalysisPart):
    analysis = models.ForeignKey(
        Analysis,
        on_delete=models.CASCADE,
        related_name="actors",
        verbose_name=_("omgevingsanalyse"),
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=ActorKind.choices)
    action_areas = models.ManyToManyField(
        ActionArea, blank=True, related_name="+", verbose_name=_("actieterreinen")
    )
    sphere = models.CharField(_("invloedssfeer"), max_length=10, choices=Sphere.choices)
    state = models.CharField(
        _("stand van zaken"), max_length=10, choices=ActorState.choices, default=ActorState.RUNNING
    )
    notes = models.TextField(_("notities"), blank=True)

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actoren")
        ordering = ["analysis", "order", "name"]

    def __str__(self) -> str:
        return self.name
