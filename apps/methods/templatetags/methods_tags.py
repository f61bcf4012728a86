"""Template tags the document pages use to show where an item came from ("Uit werkblad: ...")
without their Python code importing the methods app: the page template loads this library,
asks once for the whole page and looks each item up.

    {% load methods_tags %}
    {% worksheet_origins municipality "beleidsvoorstellen.memorandumproposal" as origins %}
    {% include "methods/_origin.html" with origin=origins|get_origin:proposal %}
"""

from django import template

from ..selectors import origin_key, origins_into

register = template.Library()


@register.simple_tag
def worksheet_origins(municipality, *labels) -> dict:
    """{(model label, pk): worksheet} for every object of these models handed over from one of
    the municipality's worksheets: one query for the page, whatever the number of items."""
    if municipality is None or not labels:
        return {}
    return origins_into(municipality, *labels)


@register.filter
def get_origin(origins, obj):
    """The worksheet an item came from, or None (also on a page that asked for no origins)."""
    if not isinstance(origins, dict) or obj is None or getattr(obj, "pk", None) is None:
        return None
    return origins.get(origin_key(obj))
