"""The LMB part of the meerjarenplan 2026-2031: one plan per municipality per plan period, with
the BBC hierarchy beleidsdoelstelling (Goal) → actieplan (ActionPlan) → actie (Action).

Codes (BD1, AP1.1, AC1.1.1, or the year style 2026-1, 2026-1-1, 2026-1-1-1) are never stored:
``selectors.plan_tree`` computes them from each item's place, so a move or a deletion renumbers
everything at once and the screen, the spreadsheet and the PDF always agree. A goal's priority
is derived (it is prioritair exactly when one of its action plans or actions is) and never
stored. Amounts are Decimal, entered on actions or on an action plan without actions, and
rolled up by the selectors.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.editing import Edited
from apps.core.models import MONEY, Legislature, MunicipalityOwnedQuerySet, SDGGoal, SDGTarget

DEFAULT_TITLE = "Meerjarenplan lokaal mondiaal beleid"

PREFIX = RegexValidator(
    r"^([A-Za-z][A-Za-z_-]{0,9})?$",
    _("Een voorvoegsel bestaat uit hoogstens tien letters (of - en _), zonder cijfers of punten."),
)


class Numbering(models.TextChoices):
    PREFIX = "prefix", _("Met voorvoegsels (BD1, AP1.1, AC1.1.1)")
    YEAR = "jaar", _("Met het beginjaar (2026-1, 2026-1-1, 2026-1-1-1)")


class Kind(models.TextChoices):
    """The three kinds of the BBC's financial schemas, in their printed order."""

    EXPLOITATIE = "exploitatie", _("Exploitatie")
    INVESTERINGEN = "investeringen", _("Investeringen")
    FINANCIERING = "financiering", _("Financiering")


class Direction(models.TextChoices):
    UITGAVEN = "uitgaven", _("Uitgaven")
    ONTVANGSTEN = "ontvangsten", _("Ontvangsten")


class Plan(Edited):
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.CASCADE,
        related_name="meerjarenplannen",
        verbose_name=_("gemeente"),
    )
    legislature = models.ForeignKey(
        Legislature,
        on_delete=models.PROTECT,
        related_name="meerjarenplannen",
        verbose_name=_("legislatuur"),
    )
    title = models.CharField(_("titel"), max_length=200, default=DEFAULT_TITLE)
    introduction = models.TextField(_("inleiding"), blank=True)
    numbering = models.CharField(
        _("nummering"), max_length=10, choices=Numbering.choices, default=Numbering.PREFIX
    )
    goal_prefix = models.CharField(
        _("voorvoegsel beleidsdoelstellingen"),
        max_length=10,
        default="BD",
        blank=True,
        validators=[PREFIX],
    )
    plan_prefix = models.CharField(
        _("voorvoegsel actieplannen"), max_length=10, default="AP", blank=True, validators=[PREFIX]
    )
    action_prefix = models.CharField(
        _("voorvoegsel acties"), max_length=10, default="AC", blank=True, validators=[PREFIX]
    )

    objects = MunicipalityOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meerjarenplan")
        verbose_name_plural = _("meerjarenplannen")
        ordering = ["municipality__name", "-legislature__start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "legislature"], name="mjp_plan_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.municipality} {self.legislature}"


class PlanItemQuerySet(MunicipalityOwnedQuerySet):
    municipality_path = "plan__municipality"


class PlanItem(Edited):
    """What goals, action plans and actions share. ``plan`` is set at creation and never
    changes (moves stay within the plan), so every level is read with one query per plan."""

    order = models.PositiveIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("korte omschrijving"), max_length=200)
    description = models.TextField(_("lange omschrijving"), blank=True)
    responsible_service = models.CharField(
        _("verantwoordelijke dienst"), max_length=200, blank=True
    )
    sdg_goals = models.ManyToManyField(
        SDGGoal, blank=True, related_name="mjp_%(class)ss", verbose_name=_("SDG's")
    )
    sdg_targets = models.ManyToManyField(
        SDGTarget, blank=True, related_name="mjp_%(class)ss", verbose_name=_("SDG-subdoelen")
    )
    proposals = models.ManyToManyField(
        "beleidsvoorstellen.MemorandumProposal",
        blank=True,
        related_name="mjp_%(class)ss",
        verbose_name=_("beleidsvoorstellen uit het memorandum"),
    )

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class Goal(PlanItem):
    """A beleidsdoelstelling."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("meerjarenplan")
    )

    class Meta:
        verbose_name = _("beleidsdoelstelling")
        verbose_name_plural = _("beleidsdoelstellingen")
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="mjp_goal_order")]


class ActionPlan(PlanItem):
    """An actieplan."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="action_plans", verbose_name=_("meerjarenplan")
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.CASCADE,
        related_name="action_plans",
        verbose_name=_("beleidsdoelstelling"),
    )
    priority = models.BooleanField(_("prioritair"), default=False)

    class Meta:
        verbose_name = _("actieplan")
        verbose_name_plural = _("actieplannen")
        ordering = ["goal", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "order"], name="mjp_action_plan_order")
        ]


class Action(PlanItem):
    """An actie."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meerjarenplan")
    )
    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("actieplan")
    )
    priority = models.BooleanField(_("prioritair"), default=False)

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["action_plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action_plan", "order"], name="mjp_action_order")
        ]


def _exactly_one(*fields: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__isnull": False}) & Q(
            **{f"{other}__isnull": True for other in fields if other != field}
        )
    return condition


class Milestone(models.Model):
    """An indicator's milestone: a target value to reach in a year, on exactly one item."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="milestones"
    )
    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="milestones"
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="milestones"
    )
    name = models.CharField(_("indicator"), max_length=200)
    target_value = models.DecimalField(_("streefwaarde"), max_digits=15, decimal_places=2)
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["year", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one("goal", "action_plan", "action"),
                name="mjp_milestone_one_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}: {self.target_value}"


class BudgetLine(models.Model):
    """One amount of an action (or of an action plan without actions) in one year, for one
    kind and direction. An amount of zero is not stored."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="budget_lines"
    )
    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("soort"), max_length=15, choices=Kind.choices)
    direction = models.CharField(_("richting"), max_length=15, choices=Direction.choices)
    amount = models.DecimalField(_("bedrag (€)"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        verbose_name = _("raming")
        verbose_name_plural = _("ramingen")
        ordering = ["year", "kind", "direction"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one("action", "action_plan"), name="mjp_budget_one_item"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="mjp_budget_not_negative"),
            models.UniqueConstraint(
                fields=["action", "year", "kind", "direction"],
                condition=Q(action__isnull=False),
                name="mjp_budget_action_cell",
            ),
            models.UniqueConstraint(
                fields=["action_plan", "year", "kind", "direction"],
                condition=Q(action_plan__isnull=False),
                name="mjp_budget_action_plan_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.direction}: {self.amount}"


class GrowthTarget(models.Model):
    """The growth path the opsteller sets: the share of the municipal budget (in %) that local
    global policy should reach in a year, on the way to 0.7 %."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="growth_targets", verbose_name=_("plan")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    share = models.DecimalField(
        _("streefaandeel (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("groeipad")
        verbose_name_plural = _("groeipad")
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="mjp_growth_target_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.share} %"
