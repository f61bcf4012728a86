"""Amounts in euro as a Flemish civil servant types and reads them: "1.234.567,89",
"40.000", "€ 12 500" or "1234.5" in, Decimal inside (never float), "€ 1.234.567,89" out."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_amount(text: str, *, decimal_separator: str | None = None) -> Decimal:
    """The amount in ``text``; ValueError when it is not one.

    The page's language decides which sign is the decimal one (a comma in Dutch, a point in
    English); the other one may group thousands ("1.234,5" in Dutch, "1,234.5" in English).
    Without the decimal sign, the grouping sign in groups of three is thousands ("40.000" in
    Dutch), and once before one or two digits it is a decimal sign after all ("12.5"), as a
    spreadsheet may write it."""
    decimal = decimal_separator or formats.get_format("DECIMAL_SEPARATOR")
    group = "," if decimal == "." else "."
    value = _SPACES.sub("", text or "").replace("€", "").replace("EUR", "")
    negative = value.startswith("-")
    value = value.lstrip("+-")
    if not value:
        raise ValueError("empty")
    grouped = re.compile(r"^\d{1,3}(" + re.escape(group) + r"\d{3})+$")
    if decimal in value:
        whole, _sep, fraction = value.rpartition(decimal)
        if decimal in whole or not fraction.isdigit():
            raise ValueError(text)
        if group in whole and not grouped.match(whole):
            raise ValueError(text)
        value = whole.replace(group, "") + "." + fraction
    elif grouped.match(value):
        value = value.replace(group, "")
    elif value.count(group) == 1 and re.fullmatch(r"\d+" + re.escape(group) + r"\d{1,2}", value):
        value = value.replace(group, ".")
    if len(value) > 40 or not re.fullmatch(r"\d+(\.\d+)?", value):
        raise ValueError(text)
    try:
        amount = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(text) from error
    return -amount if negative else amount


def format_amount(value: Decimal | None, *, decimals: int = 2) -> str:
    """'€ 1.234.567,89' in Dutch, '€ 1,234,567.89' in English; '' for no value."""
    if value is None:
        return ""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    number = formats.number_format(rounded, decimal_pos=decimals, force_grouping=True)
    return f"€ {number}"


class AmountField(forms.DecimalField):
    """An amount in euro, typed the Belgian way; at most 13 digits before the comma."""

    default_error_messages = {
        "invalid": _("Geef een bedrag in euro, bijvoorbeeld 40.000 of 1.234,56."),
        "max_digits": _("Dit bedrag is te groot (hoogstens 13 cijfers voor de komma)."),
        "max_decimal_places": _("Geef hoogstens 2 cijfers na de komma."),
        "max_whole_digits": _("Dit bedrag is te groot (hoogstens 13 cijfers voor de komma)."),
        "min_value": _("Een bedrag kan hier niet negatief zijn."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            amount = parse_amount(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return amount

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_amount(value).removeprefix("€ ")
        return value
