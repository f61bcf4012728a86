"""Numbers in the page's language: amounts in euro, percentages."""

from decimal import Decimal

from django import template
from django.utils import formats

from apps.core.numbers import format_amount

register = template.Library()


@register.filter
def euro(value):
    return format_amount(value) if value not in (None, "") else ""


@register.filter
def percent(value, decimals=2):
    if value in (None, ""):
        return ""
    return f"{formats.number_format(Decimal(value), decimal_pos=int(decimals))} %"


@register.filter
def amount_input(value):
    """A stored amount as the input shows it (1.234,56); typed text stays as typed."""
    if isinstance(value, Decimal):
        return format_amount(value).removeprefix("€ ")
    return value
