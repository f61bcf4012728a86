"""Fill-in fields (``LibraryField``, ``MemorandumField``): how each kind is typed, checked,
stored and printed.

The value is stored as text: the typed text for a text field, and for a number, an amount or
an FTE the plain decimal ("0.2", "15000"), so a change of language never changes what is
stored. It is shown the Belgian way ("0,2 VTE", "€ 15.000,00") in the interface and the PDF.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from apps.core.numbers import AmountField, format_amount, parse_amount
from apps.core.richtext import PlainTextField

from .models import FieldKind

# A filled-in text is a line or two in a printed proposal, not a chapter.
MAX_TEXT = 500
# Characters of a typed number: "1.000.000.000.000,00" fits, a page of digits does not.
MAX_TYPED = 40
# The unit a label gets in the form, so the drafter knows what to type.
UNITS = {FieldKind.FTE: _("VTE"), FieldKind.AMOUNT: _("euro")}


class _DecimalInput(forms.CharField):
    """A number typed the Belgian way ("0,2", "1.250"), with bounds and at most two decimals."""

    def __init__(self, *, maximum: Decimal, invalid, too_big, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = str(MAX_TYPED)
        self.maximum = maximum
        self.invalid = invalid
        self.too_big = too_big

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if len(value) > MAX_TYPED:
            raise forms.ValidationError(self.too_big, code="max")
        try:
            number = parse_amount(value)
        except ValueError:
            raise forms.ValidationError(self.invalid, code="invalid") from None
        if number < 0:
            raise forms.ValidationError(_("Geef een getal dat niet negatief is."), code="min")
        if number > self.maximum:
            raise forms.ValidationError(self.too_big, code="max")
        if number != number.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Geef hoogstens 2 cijfers na de komma."), code="places")
        return number

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return _number(value)
        return value


def form_field(kind: str, *, label: str, placeholder: str = "", help_text: str = ""):
    """The form field for one fill-in field; never required (an empty field is not printed)."""
    unit = UNITS.get(kind)
    attrs = {"placeholder": placeholder} if placeholder else {}
    options = {
        "label": f"{label} ({unit})" if unit else label,
        "required": False,
        "help_text": help_text,
    }
    if kind == FieldKind.AMOUNT:
        field = AmountField(**options)
    elif kind == FieldKind.FTE:
        field = _DecimalInput(
            maximum=Decimal(9999),
            invalid=_("Geef een aantal VTE, bijvoorbeeld 0,2 of 1,5."),
            too_big=_("Dat is meer dan 9.999 VTE; kijk het getal na."),
            **options,
        )
    elif kind == FieldKind.NUMBER:
        field = _DecimalInput(
            maximum=Decimal(10) ** 12,
            invalid=_("Geef een getal, bijvoorbeeld 12 of 2,5."),
            too_big=_("Dit getal is te groot."),
            **options,
        )
    else:
        field = PlainTextField(max_length=MAX_TEXT, **options)
    field.widget.attrs.update(attrs)
    return field


def stored(kind: str, cleaned) -> str:
    """What is kept of a cleaned form value."""
    if cleaned is None:
        return ""
    if kind == FieldKind.TEXT:
        return cleaned.strip()
    return format(Decimal(cleaned).normalize(), "f")


def initial(kind: str, value: str):
    """The stored value as the form field shows it."""
    if not value or kind == FieldKind.TEXT:
        return value
    try:
        return Decimal(value)
    except InvalidOperation:
        return value


def _number(value: Decimal) -> str:
    places = max(0, -value.normalize().as_tuple().exponent)
    return formats.number_format(value, decimal_pos=min(places, 2), force_grouping=True)


def display_value(kind: str, value: str) -> str:
    """The value as it is read and printed: "0,2 VTE", "€ 15.000,00", "12" or the text."""
    if not value:
        return ""
    if kind == FieldKind.TEXT:
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if kind == FieldKind.AMOUNT:
        return format_amount(number)
    if kind == FieldKind.FTE:
        return f"{_number(number)} {UNITS[FieldKind.FTE]}"
    return _number(number)
