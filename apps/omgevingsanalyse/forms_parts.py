"""Forms of the omgevingsanalyse's indicators, SWOT and actors: they parse and validate input
only; the services decide and write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext_lazy as _

from apps.core.models import ActionArea, SDGGoal
from apps.core.numbers import AmountField
from apps.core.richtext import PlainTextField, VersionedForm, without_controls

from .models import ActorKind, ActorState, Quadrant, Sphere

NOTE_MAX = 2000


class NoteField(forms.CharField):
    """A few lines of plain text (a note): control characters dropped, line breaks kept."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", NOTE_MAX)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return without_controls(value).strip() if value else value


class SDGField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"SDG {obj.number} — {obj.name}"


class AreaField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AreasField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _plain(value: Decimal) -> str:
    """0 and 100 rather than 0,00 and 100,00."""
    return number_format(value.normalize())


class YearValueField(AmountField):
    """An indicator's value for one year, typed the Belgian way (0,25 or 40.000); each
    message names the year, since the table shows thirteen of them."""

    def __init__(self, *, year: int, minimum: Decimal | None, maximum: Decimal | None):
        super().__init__(
            required=False,
            min_value=None,  # the bounds are checked in validate(), naming the year
            max_value=None,
            label=_("Waarde %(year)s") % {"year": year},
        )
        messages = {
            "invalid": _("%(year)s: geef een getal, bijvoorbeeld 0,25 of 40.000."),
            "max_digits": _(
                "%(year)s: dit getal is te groot (hoogstens 13 cijfers voor de komma)."
            ),
            "max_whole_digits": _(
                "%(year)s: dit getal is te groot (hoogstens 13 cijfers voor de komma)."
            ),
            "max_decimal_places": _("%(year)s: geef hoogstens 2 cijfers na de komma."),
        }
        for code, message in messages.items():
            self.error_messages[code] = message % {"year": year}
        self.year = year
        self.minimum = minimum
        self.maximum = maximum

    def prepare_value(self, value):
        """A stored value as typed: 0,25 or 72 (no grouping, so it reads back the same in
        either language)."""
        if isinstance(value, Decimal):
            text = f"{value.normalize():f}"
            return text.replace(".", get_format("DECIMAL_SEPARATOR"))
        return value

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.minimum is not None and value < self.minimum:
            raise forms.ValidationError(
                _("%(year)s: de waarde kan niet lager zijn dan %(limit)s.")
                % {"year": self.year, "limit": _plain(self.minimum)},
                code="min_value",
            )
        if self.maximum is not None and value > self.maximum:
            raise forms.ValidationError(
                _("%(year)s: de waarde kan niet hoger zijn dan %(limit)s.")
                % {"year": self.year, "limit": _plain(self.maximum)},
                code="max_value",
            )


# --- indicators ----------------------------------------------------------------------------


class IndicatorCreateForm(forms.Form):
    name = PlainTextField(label=_("Naam"), max_length=120)
    unit = PlainTextField(
        label=_("Eenheid"),
        max_length=20,
        help_text=_("Bijvoorbeeld %, VTE, aantal of €."),
    )
    source = PlainTextField(label=_("Bron"), max_length=200, required=False)
    note = NoteField(label=_("Toelichting"))


class IndicatorForm(VersionedForm):
    """An indicator's name and unit (own indicators only), source, note and, unless it is
    computed from the key figures, a value and a target mark per year."""

    name = PlainTextField(label=_("Naam"), max_length=120)
    unit = PlainTextField(label=_("Eenheid"), max_length=20)
    source = PlainTextField(label=_("Bron"), max_length=200, required=False)
    note = NoteField(label=_("Toelichting"))

    def __init__(self, *args, indicator, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.years = [] if indicator.computed else list(years)
        if indicator.definition_id:
            # The guide's indicators keep the guide's name and unit.
            del self.fields["name"]
            del self.fields["unit"]
        definition = indicator.definition if indicator.definition_id else None
        minimum = definition.minimum if definition else None
        maximum = definition.maximum if definition else None
        for year in self.years:
            self.fields[f"value_{year}"] = YearValueField(
                year=year, minimum=minimum, maximum=maximum
            )
            self.fields[f"target_{year}"] = forms.BooleanField(
                label=_("Streefwaarde %(year)s") % {"year": year}, required=False
            )

    @classmethod
    def initial_for(cls, indicator, years: list[int], target_from: int | None) -> dict:
        """The stored fields and values; a year without a value is marked as a target from
        the plan period's first year on."""
        stored = {value.year: value for value in indicator.values.all()}
        initial = {
            "name": indicator.name,
            "unit": indicator.unit,
            "source": indicator.source,
            "note": indicator.note,
            "version": indicator.version,
        }
        for year in years:
            value = stored.get(year)
            initial[f"value_{year}"] = value.value if value else None
            initial[f"target_{year}"] = (
                value.is_target if value else (target_from is not None and year >= target_from)
            )
        return initial

    def year_rows(self) -> list[dict]:
        """Per year its two fields, for the table of inputs."""
        return [
            {"year": year, "value": self[f"value_{year}"], "target": self[f"target_{year}"]}
            for year in self.years
        ]

    def values(self) -> dict[int, tuple[Decimal, bool]]:
        """Year → (value, is a target), for the years with a value."""
        result = {}
        for year in self.years:
            value = self.cleaned_data.get(f"value_{year}")
            if value is not None:
                result[year] = (value, bool(self.cleaned_data.get(f"target_{year}")))
        return result

    def value_errors(self) -> list[str]:
        """The messages of the year fields, for the summary above the table."""
        return [str(error) for year in self.years for error in self.errors.get(f"value_{year}", [])]


# --- SWOT ----------------------------------------------------------------------------------


class SwotForm(forms.Form):
    quadrant = forms.ChoiceField(
        label=_("Kwadrant"),
        choices=Quadrant.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies het kwadrant: sterkte, zwakte, kans of bedreiging."),
            "invalid_choice": _("Kies het kwadrant: sterkte, zwakte, kans of bedreiging."),
        },
    )
    text = PlainTextField(
        label=_("Tekst"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén zin of een korte alinea, hoogstens 500 tekens."),
    )
    sdg = SDGField(
        label=_("SDG"),
        queryset=SDGGoal.objects.order_by("number"),
        required=False,
        empty_label=_("Geen SDG"),
        error_messages={"invalid_choice": _("Kies een SDG uit de lijst.")},
    )
    action_area = AreaField(
        label=_("Actieterrein"),
        queryset=ActionArea.objects.order_by("order"),
        required=False,
        empty_label=_("Geen actieterrein"),
        error_messages={"invalid_choice": _("Kies een actieterrein uit de lijst.")},
    )

    def item_data(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("quadrant", "text", "sdg", "action_area")
        }


class SwotEditForm(VersionedForm, SwotForm):
    @classmethod
    def initial_for(cls, item) -> dict:
        return {
            "quadrant": item.quadrant,
            "text": item.text,
            "sdg": item.sdg_id,
            "action_area": item.action_area_id,
            "version": item.version,
        }


# --- actors --------------------------------------------------------------------------------


class ActorForm(forms.Form):
    name = PlainTextField(label=_("Naam"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=ActorKind.choices,
        error_messages={"invalid_choice": _("Kies een soort actor uit de lijst.")},
    )
    sphere = forms.ChoiceField(
        label=_("Invloedssfeer"),
        choices=Sphere.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Controle: de gemeente beslist zelf. Invloed: de gemeente kan de actor "
            "beïnvloeden. Interesse: de gemeente volgt wat de actor doet."
        ),
        error_messages={
            "required": _("Kies de invloedssfeer: controle, invloed of interesse."),
            "invalid_choice": _("Kies de invloedssfeer: controle, invloed of interesse."),
        },
    )
    state = forms.ChoiceField(
        label=_("Stand van zaken"),
        choices=ActorState.choices,
        initial=ActorState.RUNNING,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies de stand van zaken: loopt goed, nieuw of nog niet."),
            "invalid_choice": _("Kies de stand van zaken: loopt goed, nieuw of nog niet."),
        },
    )
    action_areas = AreasField(
        label=_("Actieterreinen"),
        queryset=ActionArea.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Kies actieterreinen uit de lijst."),
            "invalid_pk_value": _("Kies actieterreinen uit de lijst."),
        },
    )
    notes = NoteField(label=_("Notities"))

    def actor_data(self) -> dict:
        names = ("name", "kind", "sphere", "state", "action_areas", "notes")
        return {name: self.cleaned_data[name] for name in names}


class ActorEditForm(VersionedForm, ActorForm):
    @classmethod
    def initial_for(cls, actor) -> dict:
        return {
            "name": actor.name,
            "kind": actor.kind,
            "sphere": actor.sphere,
            "state": actor.state,
            "action_areas": [area.pk for area in actor.action_areas.all()],
            "notes": actor.notes,
            "version": actor.version,
        }
