"""Forms of the meerjarenplan's edit pages: they parse and validate input only; the services
decide and write. Ids that arrive in a POST are checked here against what the plan (or this
municipality's memorandum) owns, so a wrong or foreign id is a form error, never a 500."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from apps.beleidsvoorstellen.forms import SDGChoiceField
from apps.beleidsvoorstellen.models import MemorandumProposal
from apps.core.models import SDGGoal, SDGTarget
from apps.core.numbers import AmountField
from apps.core.richtext import PlainTextField, RichTextField, VersionedForm, editable_text

from .models import PREFIX, Direction, Goal, Kind, Numbering
from .services import MAX_MILESTONES


class SDGTargetChoiceField(forms.ModelMultipleChoiceField):
    """169 targets: each label is the code and the start of the title."""

    def label_from_instance(self, obj):
        return f"{obj.code} — {Truncator(obj.title).chars(120)}"


class ProposalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class ItemForm(forms.Form):
    """A goal, action plan or action. A goal has no priority field: its priority follows from
    its action plans and actions. ``proposals`` are this municipality's memorandum proposals
    (the field is left out when there are none)."""

    title = PlainTextField(label=_("Korte omschrijving"), max_length=200)
    description = RichTextField(label=_("Lange omschrijving"), required=False, rows=8)
    responsible_service = PlainTextField(
        label=_("Verantwoordelijke dienst"), max_length=200, required=False
    )
    priority = forms.BooleanField(
        label=_("Prioritair"),
        required=False,
        help_text=_(
            "Een beleidsdoelstelling is vanzelf prioritair zodra een van haar actieplannen of "
            "acties dat is."
        ),
    )
    sdg_goals = SDGChoiceField(
        label=_("SDG's"),
        queryset=SDGGoal.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies SDG's uit de lijst.")},
    )
    sdg_targets = SDGTargetChoiceField(
        label=_("SDG-subdoelen (niet verplicht)"),
        queryset=SDGTarget.objects.select_related("goal").order_by("goal__number", "order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies SDG-subdoelen uit de lijst.")},
    )
    proposals = ProposalChoiceField(
        label=_("Beleidsvoorstellen uit het memorandum die dit onderdeel uitvoert"),
        queryset=MemorandumProposal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Dat beleidsvoorstel staat niet (meer) in het memorandum van deze gemeente."
            )
        },
    )

    def __init__(self, *args, model, proposals=None, **kwargs):
        super().__init__(*args, **kwargs)
        if model is Goal:
            del self.fields["priority"]
        if proposals is None:
            del self.fields["proposals"]
        else:
            self.fields["proposals"].queryset = proposals

    def item_data(self) -> dict:
        """The cleaned fields, as keyword arguments for the item services."""
        data = {
            name: self.cleaned_data[name]
            for name in ("title", "description", "responsible_service", "sdg_goals")
        }
        data["sdg_targets"] = self.cleaned_data["sdg_targets"]
        data["proposals"] = self.cleaned_data.get("proposals") or []
        if "priority" in self.fields:
            data["priority"] = self.cleaned_data["priority"]
        return data

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "title": item.title,
            "description": editable_text(item.description),
            "responsible_service": item.responsible_service,
            "priority": getattr(item, "priority", False),
            "sdg_goals": list(item.sdg_goals.all()),
            "sdg_targets": list(item.sdg_targets.all()),
            "proposals": list(item.proposals.all()),
            "version": item.version,
        }


class ItemEditForm(VersionedForm, ItemForm):
    pass


class ParentForm(forms.Form):
    """The ?parent= of a new action plan (a goal) or action (an action plan)."""

    parent = forms.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "required": _("Er is niet gezegd waaronder het nieuwe onderdeel komt."),
            "invalid": _("Dit onderdeel bestaat niet (meer); laad de pagina opnieuw."),
            "min_value": _("Dit onderdeel bestaat niet (meer); laad de pagina opnieuw."),
            "max_value": _("Dit onderdeel bestaat niet (meer); laad de pagina opnieuw."),
        },
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[("up", _("omhoog")), ("down", _("omlaag"))],
        error_messages={
            "required": _("Er is niet gezegd of het onderdeel omhoog of omlaag moet."),
            "invalid_choice": _("Een onderdeel kan alleen omhoog of omlaag."),
        },
    )


class MoveToForm(forms.Form):
    """The new parent: one of ``choices`` (pk, label), built from the plan's tree."""

    target = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": _("Kies waarheen het onderdeel verhuist."),
            "invalid_choice": _(
                "Daarheen kan dit onderdeel niet verhuizen; laad de pagina opnieuw."
            ),
        },
    )

    def __init__(self, *args, choices, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = choices
        self.fields["target"].label = label
        self.fields["target"].widget.attrs["class"] = "form-select"


# --- amounts -------------------------------------------------------------------------------


def cell_name(year: int, kind: str, direction: str) -> str:
    return f"b_{year}_{kind}_{direction}"


class BudgetForm(VersionedForm):
    """The grid of an item's amounts: years × (kind × direction); an empty cell is no amount."""

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        self.cells = []
        for kind in Kind:
            for direction in Direction:
                for year in years:
                    name = cell_name(year, kind.value, direction.value)
                    self.fields[name] = AmountField(
                        label=f"{kind.label}, {direction.label.lower()}, {year}",
                        required=False,
                    )
                    self.cells.append((name, (year, kind.value, direction.value)))

    @staticmethod
    def initial_for(item, years: list[int]) -> dict:
        initial = {"version": item.version}
        for line in item.budget_lines.all():
            if line.year in years:
                initial[cell_name(line.year, line.kind, line.direction)] = line.amount
        return initial

    def amounts(self) -> dict:
        """Every cell of the grid: None where it was left empty (clears the amount)."""
        return {cell: self.cleaned_data.get(name) for name, cell in self.cells}

    def rows(self) -> list[dict]:
        """Six rows (kind × direction), each with its bound field per year."""
        rows = []
        for kind in Kind:
            for direction in Direction:
                rows.append(
                    {
                        "kind_label": kind.label,
                        "direction_label": direction.label,
                        "fields": [
                            self[cell_name(year, kind.value, direction.value)]
                            for year in self.years
                        ],
                    }
                )
        return rows

    def cell_errors(self) -> list[tuple]:
        """(bound field, messages) of every cell with an error, in the grid's order."""
        errors = self.errors
        return [(self[name], errors[name]) for name, _cell in self.cells if name in errors]


class NumberField(AmountField):
    """A number typed the Belgian way (12, 1.234,5), not necessarily an amount in euro."""

    default_error_messages = {
        "invalid": _("Geef een getal, bijvoorbeeld 12 of 1.234,5."),
        "max_digits": _("Dit getal is te groot (hoogstens 13 cijfers voor de komma)."),
        "max_decimal_places": _("Geef hoogstens 2 cijfers na de komma."),
        "max_whole_digits": _("Dit getal is te groot (hoogstens 13 cijfers voor de komma)."),
        "min_value": _("Dit getal kan niet kleiner zijn dan %(limit_value)s."),
        "max_value": _("Dit getal kan niet groter zijn dan %(limit_value)s."),
    }


class MilestoneForm(forms.Form):
    """One row: an indicator's target value in a year. An empty row is skipped."""

    name = PlainTextField(label=_("Indicator"), max_length=200, required=False)
    target_value = NumberField(label=_("Streefwaarde"), required=False, min_value=None)
    year = forms.TypedChoiceField(
        label=_("Jaar"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Kies een jaar van de planperiode.")},
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "—"), *((year, year) for year in years)]
        self.fields["year"].widget.attrs["class"] = "form-select"

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in ("name", "target_value", "year")]
        if any(value not in (None, "") for value in values) and not self.errors:
            for name, value in zip(("name", "target_value", "year"), values, strict=True):
                if value in (None, ""):
                    self.add_error(name, _("Vul ook dit in, of maak de hele rij leeg."))
        return cleaned

    def row(self):
        """(name, target value, year), or None for an empty row."""
        if not self.cleaned_data.get("name"):
            return None
        data = self.cleaned_data
        return (data["name"], data["target_value"], data["year"])


class BaseMilestoneFormSet(forms.BaseFormSet):
    def rows(self) -> list[tuple]:
        return [row for form in self.forms if (row := form.row()) is not None]


MilestoneFormSet = forms.formset_factory(
    MilestoneForm,
    formset=BaseMilestoneFormSet,
    extra=3,
    max_num=MAX_MILESTONES,
    absolute_max=MAX_MILESTONES,
    validate_max=True,
)


class VersionForm(VersionedForm):
    """The version of the item whose milestones the formset beside it replaces."""


# --- the plan's settings and growth path ---------------------------------------------------


class PlanSettingsForm(VersionedForm):
    title = PlainTextField(label=_("Titel"), max_length=200)
    introduction = RichTextField(label=_("Inleiding"), required=False, rows=8)
    numbering = forms.ChoiceField(
        label=_("Nummering"),
        choices=Numbering.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Kies een van de twee nummeringen.")},
    )
    goal_prefix = forms.CharField(
        label=_("Voorvoegsel beleidsdoelstellingen"),
        max_length=10,
        required=False,
        validators=[PREFIX],
    )
    plan_prefix = forms.CharField(
        label=_("Voorvoegsel actieplannen"), max_length=10, required=False, validators=[PREFIX]
    )
    action_prefix = forms.CharField(
        label=_("Voorvoegsel acties"), max_length=10, required=False, validators=[PREFIX]
    )

    @staticmethod
    def initial_for(plan) -> dict:
        return {
            "title": plan.title,
            "introduction": editable_text(plan.introduction),
            "numbering": plan.numbering,
            "goal_prefix": plan.goal_prefix,
            "plan_prefix": plan.plan_prefix,
            "action_prefix": plan.action_prefix,
            "version": plan.version,
        }


def share_name(year: int) -> str:
    return f"share_{year}"


class GrowthForm(VersionedForm):
    """The growth path: per year, the share (in %) of the municipal budget for LMB."""

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[share_name(year)] = NumberField(
                label=_("Streefaandeel %(year)s (%%)") % {"year": year},
                required=False,
                max_value=Decimal(100),
                min_value=Decimal(0),
            )

    @staticmethod
    def initial_for(plan, targets: dict, years: list[int]) -> dict:
        initial = {"version": plan.version}
        for year in years:
            if targets.get(year) is not None:
                initial[share_name(year)] = targets[year]
        return initial

    def shares(self) -> dict:
        return {year: self.cleaned_data.get(share_name(year)) for year in self.years}
