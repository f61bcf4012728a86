"""The plan book on the pages that offer it (the dashboard): ``{% plan_book ... as book %}``."""

from django import template

from .. import registry
from ..book import KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_book(context, municipality, legislature):
    """The municipality's plan book of the legislature as the user sees its parts, or None
    when no part has been begun yet (one query per part: a fixed number)."""
    printable = registry.get(KEY)
    request = context.get("request")
    user = getattr(request, "user", None)
    return printable.find(municipality, legislature, user)
