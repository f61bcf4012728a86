"""The ambtelijk memorandum: the administration's policy proposals for the new council.

Proposals are adopted (copied) from the library or written by the opsteller. An adopted
proposal keeps a snapshot of the library text it was copied from, so a later change of the
library can be shown as a difference without ever touching the municipality's own text.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.editing import Edited
from apps.core.models import (
    ActionArea,
    AmbitionLevel,
    Legislature,
    MunicipalityOwnedQuerySet,
    SDGGoal,
    SDGTarget,
)
from apps.library.models import (
    FillInDefinition,
    LibraryField,
    LibraryProposal,
    LibrarySubOption,
    Reason,
)

DEFAULT_TITLE = "Ambtelijk memorandum lokaal mondiaal beleid"


class Priority(models.TextChoices):
    # "Prioritair" is the BBC's own word: a priority item is reported separately in the
    # meerjarenplan, so it is what a civil servant marks first.
    HOOG = "hoog", _("Prioritair")
    NORMAAL = "normaal", _("Normaal")
    LAAG = "laag", _("Als er ruimte is")


class MemorandumQuerySet(MunicipalityOwnedQuerySet):
    pass


class Memorandum(Edited):
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.CASCADE,
        related_name="memoranda",
        verbose_name=_("gemeente"),
    )
    legislature = models.ForeignKey(
        Legislature,
        on_delete=models.PROTECT,
        related_name="memoranda",
        verbose_name=_("legislatuur"),
    )
    title = models.CharField(_("titel"), max_length=200, default=DEFAULT_TITLE)
    introduction = models.TextField(
        _("inleiding"), blank=True, help_text=_("Opgemaakte tekst (HTML, wordt opgeschoond).")
    )

    objects = MemorandumQuerySet.as_manager()

    class Meta:
        verbose_name = _("ambtelijk memorandum")
        verbose_name_plural = _("ambtelijke memoranda")
        ordering = ["municipality__name", "-legislature__start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "legislature"],
                name="memorandum_one_per_municipality_legislature",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.municipality} {self.legislature}"


class MemorandumProposalQuerySet(MunicipalityOwnedQuerySet):
    municipality_path = "memorandum__municipality"


class MemorandumProposal(Edited):
    memorandum = models.ForeignKey(
        Memorandum,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("memorandum"),
    )
    # SET_NULL, not CASCADE: a beheerder may retire a library entry, the adopted text stays.
    source = models.ForeignKey(
        LibraryProposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("bibliotheekvoorstel"),
    )
    source_version = models.PositiveIntegerField(_("bibliotheekversie"), null=True, blank=True)
    source_title = models.CharField(_("bibliotheektitel bij overname"), max_length=200, blank=True)
    source_text = models.TextField(_("bibliotheektekst bij overname"), blank=True)
    action_area = models.ForeignKey(
        ActionArea,
        on_delete=models.PROTECT,
        related_name="memorandum_proposals",
        verbose_name=_("actieterrein"),
    )
    level = models.ForeignKey(
        AmbitionLevel,
        on_delete=models.PROTECT,
        related_name="memorandum_proposals",
        verbose_name=_("ambitieniveau"),
    )
    title = models.CharField(_("titel"), max_length=200)
    text = models.TextField(_("tekst"))
    justification = models.TextField(_("motivering"), blank=True)
    reasons = models.ManyToManyField(
        Reason, blank=True, related_name="memorandum_proposals", verbose_name=_("redenen")
    )
    priority = models.CharField(
        _("prioriteit"), max_length=10, choices=Priority.choices, default=Priority.NORMAAL
    )
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    sdg_goals = models.ManyToManyField(
        SDGGoal, blank=True, related_name="memorandum_proposals", verbose_name=_("SDG's")
    )
    sdg_targets = models.ManyToManyField(
        SDGTarget, blank=True, related_name="memorandum_proposals", verbose_name=_("SDG-subdoelen")
    )

    objects = MemorandumProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("beleidsvoorstel")
        verbose_name_plural = _("beleidsvoorstellen")
        ordering = ["memorandum", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["memorandum", "source"],
                condition=models.Q(source__isnull=False),
                name="memorandum_proposal_adopt_once",
            ),
            # Positions are distinct: two adoptions at once can never share a place.
            models.UniqueConstraint(
                fields=["memorandum", "order"], name="memorandum_proposal_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_own(self) -> bool:
        return self.source_id is None and not self.source_title

    @property
    def library_changed(self) -> bool:
        """The library entry moved on since adoption (needs ``source`` selected)."""
        if self.source_id is None or self.source_version is None:
            return False
        return self.source.version > self.source_version


class MemorandumSubOption(models.Model):
    proposal = models.ForeignKey(
        MemorandumProposal,
        on_delete=models.CASCADE,
        related_name="sub_options",
        verbose_name=_("voorstel"),
    )
    text = models.TextField(_("tekst"))
    ticked = models.BooleanField(_("aangevinkt"), default=False)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    source = models.ForeignKey(
        LibrarySubOption,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("bibliotheeksuboptie"),
    )

    class Meta:
        verbose_name = _("suboptie")
        verbose_name_plural = _("subopties")
        ordering = ["proposal", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class MemorandumField(FillInDefinition):
    """A fill-in field of an adopted proposal (apps.library.LibraryField), with what the
    opsteller filled in. ``value`` is empty until then, and an empty field is never printed;
    a number, an amount or an FTE is kept as a plain decimal ("0.2") and shown the Belgian way.
    Saved with its proposal, under the proposal's optimistic lock."""

    proposal = models.ForeignKey(
        MemorandumProposal,
        on_delete=models.CASCADE,
        related_name="fields",
        verbose_name=_("voorstel"),
    )
    sub_option = models.ForeignKey(
        MemorandumSubOption,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fields",
        verbose_name=_("suboptie"),
    )
    source = models.ForeignKey(
        LibraryField,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("bibliotheekveld"),
    )
    value = models.TextField(_("ingevulde waarde"), blank=True)

    class Meta(FillInDefinition.Meta):
        pass

    @property
    def display_value(self) -> str:
        from apps.library.fillin import display_value

        return display_value(self.kind, self.value)
