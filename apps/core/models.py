"""The data model every BBC document shares: municipalities, who may do what in them, the
legislature, and the reference data of the guide (SDGs, action areas, ambition levels)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .editing import Edited


def in_english() -> bool:
    return (get_language() or "").startswith("en")


class BilingualMixin:
    """Reference data is stored in Dutch and English; show the one the user reads."""

    @property
    def name(self) -> str:
        return self.name_en if in_english() else self.name_nl

    @property
    def description(self) -> str:
        return self.description_en if in_english() else self.description_nl


class Province(models.TextChoices):
    ANTWERPEN = "antwerpen", _("Antwerpen")
    LIMBURG = "limburg", _("Limburg")
    OOST_VLAANDEREN = "oost-vlaanderen", _("Oost-Vlaanderen")
    VLAAMS_BRABANT = "vlaams-brabant", _("Vlaams-Brabant")
    WEST_VLAANDEREN = "west-vlaanderen", _("West-Vlaanderen")


class DocumentKind(models.TextChoices):
    """The BBC documents of a legislature that LMB Planner helps write."""

    VISIE_MISSIE = "visie_missie", _("Visie en missie")
    OMGEVINGSANALYSE = "omgevingsanalyse", _("Omgevingsanalyse")
    MEMORANDUM = "memorandum", _("Ambtelijk memorandum")
    MEERJARENPLAN = "meerjarenplan", _("Meerjarenplan")


class Role(models.TextChoices):
    OPSTELLER = "opsteller", _("Opsteller")
    SCHEPEN = "schepen", _("Schepen (nalezer)")
    LEZER = "lezer", _("Lezer")


class MunicipalityQuerySet(models.QuerySet):
    def for_user(self, user):
        """The municipalities the user is a member of; nothing for anyone else (deny by default)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(memberships__user=user)


class Municipality(models.Model):
    name = models.CharField(_("naam"), max_length=100)
    nis_code = models.CharField(
        _("NIS-code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{5}$", _("Een NIS-code bestaat uit vijf cijfers."))],
    )
    province = models.CharField(_("provincie"), max_length=20, choices=Province.choices)
    inhabitants = models.PositiveIntegerField(_("inwoners"), default=0)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("gebruiker"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("gemeente"),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["municipality__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="membership_one_role_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.municipality} ({self.get_role_display()})"


class MunicipalityOwnedQuerySet(models.QuerySet):
    """Base queryset for everything a municipality owns: views start from ``for_user``."""

    municipality_path = "municipality"

    def for_user(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(**{f"{self.municipality_path}__memberships__user": user})


class LegislatureQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).first() or self.order_by("-start_year").first()


class Legislature(models.Model):
    """A council term; each municipality writes one set of BBC documents per legislature."""

    start_year = models.PositiveSmallIntegerField(_("beginjaar"), unique=True)
    end_year = models.PositiveSmallIntegerField(_("eindjaar"))
    is_current = models.BooleanField(_("huidige legislatuur"), default=False)

    objects = LegislatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("legislatuur")
        verbose_name_plural = _("legislaturen")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gt=models.F("start_year")),
                name="legislature_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="legislature_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_year}-{self.end_year}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class Pillar(models.TextChoices):
    PEOPLE = "people", _("Mens (People)")
    PLANET = "planet", _("Planeet (Planet)")
    PROSPERITY = "prosperity", _("Welvaart (Prosperity)")
    PEACE = "peace", _("Vrede (Peace)")
    PARTNERSHIP = "partnership", _("Partnerschap (Partnership)")


class SDGGoal(BilingualMixin, models.Model):
    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    name_nl = models.CharField(_("korte naam (Nederlands)"), max_length=100)
    name_en = models.CharField(_("korte naam (Engels)"), max_length=100)
    title_un = models.TextField(_("officiële VN-titel (Engels)"))
    colour = models.CharField(
        _("VN-kleur"),
        max_length=7,
        validators=[RegexValidator(r"^#[0-9A-F]{6}$", _("Een kleur als #19486A."))],
    )
    pillar = models.CharField(_("pijler"), max_length=20, choices=Pillar.choices)

    class Meta:
        verbose_name = _("SDG")
        verbose_name_plural = _("SDG's")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"SDG {self.number} {self.name}"

    @property
    def text_colour(self) -> str:
        """Black or white, whichever reads better on the goal's colour (WCAG contrast)."""

        def channel(hex_pair: str) -> float:
            c = int(hex_pair, 16) / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(self.colour[i : i + 2]) for i in (1, 3, 5))
        luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
        return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#FFFFFF"


class SDGTarget(models.Model):
    goal = models.ForeignKey(
        SDGGoal, on_delete=models.CASCADE, related_name="targets", verbose_name=_("SDG")
    )
    code = models.CharField(_("code"), max_length=6, unique=True)
    title_en = models.TextField(_("VN-titel (Engels)"))
    title_nl = models.TextField(_("titel (Nederlands)"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("SDG-subdoel")
        verbose_name_plural = _("SDG-subdoelen")
        ordering = ["goal__number", "order"]

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        if in_english():
            return self.title_en
        return self.title_nl or self.title_en


class ActionArea(BilingualMixin, models.Model):
    """One of the three actieterreinen of local global policy."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=100)
    name_en = models.CharField(_("naam (Engels)"), max_length=100)
    description_nl = models.TextField(_("omschrijving (Nederlands)"))
    description_en = models.TextField(_("omschrijving (Engels)"))
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("actieterrein")
        verbose_name_plural = _("actieterreinen")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class AmbitionLevel(BilingualMixin, models.Model):
    """Starten, goed bezig, veel ambitie: a suggestion, a municipality may mix levels."""

    code = models.CharField(_("code"), max_length=1, unique=True)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=100)
    name_en = models.CharField(_("naam (Engels)"), max_length=100)
    description_nl = models.TextField(_("omschrijving (Nederlands)"))
    description_en = models.TextField(_("omschrijving (Engels)"))
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("ambitieniveau")
        verbose_name_plural = _("ambitieniveaus")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


MONEY = {"max_digits": 15, "decimal_places": 2}


class YearFiguresQuerySet(MunicipalityOwnedQuerySet):
    pass


class YearFigures(Edited):
    """A municipality's key figures for one year, typed once and used by every document: the
    total budget, the budget for local global policy (for years the meerjarenplan does not
    cover) and the number of inhabitants. Shares and amounts per inhabitant are computed from
    these, never stored."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="year_figures",
        verbose_name=_("gemeente"),
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    total_budget = models.DecimalField(
        _("totale uitgaven van de gemeente (€)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **MONEY,
    )
    lmb_budget = models.DecimalField(
        _("budget lokaal mondiaal beleid (€)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **MONEY,
    )
    inhabitants = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)

    objects = YearFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = _("kerncijfers van een jaar")
        verbose_name_plural = _("kerncijfers per jaar")
        ordering = ["municipality", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="year_figures_one_per_municipality_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"
