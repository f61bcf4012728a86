"""Per-part comment links with open counts, on every document page."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def part_comments(context, document, prefix, pk=None):
    """The part's comment link with its open count (to be built)."""
    return ""
