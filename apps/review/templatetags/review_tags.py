"""The review bar every document page shows (state, banner, transition buttons, links)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def review_bar(context, document):
    """The document's review bar (to be built: state, banner, buttons)."""
    return ""
