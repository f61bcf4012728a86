"""The proposal library: starter, good and ambitious proposals per action area, managed by the
beheerders and adopted (copied) into municipalities' memoranda."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import (
    ActionArea,
    AmbitionLevel,
    BilingualMixin,
    DocumentKind,
    SDGGoal,
    SDGTarget,
)


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


class Reason(BilingualMixin, models.Model):
    """One of the seven reasons why a municipality invests in local global policy."""

    key = models.SlugField(_("sleutel"), max_length=40, unique=True)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120)
    description_nl = models.TextField(_("omschrijving (Nederlands)"))
    description_en = models.TextField(_("omschrijving (Engels)"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("reden voor LMB")
        verbose_name_plural = _("redenen voor LMB")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class PracticeExample(models.Model):
    """How a municipality handled a BBC document, summarised in our own words."""

    key = models.SlugField(_("sleutel"), max_length=60, unique=True)
    municipality_name = models.CharField(_("gemeente"), max_length=100)
    year = models.PositiveSmallIntegerField(_("jaar"))
    document_kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("samenvatting"))
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
