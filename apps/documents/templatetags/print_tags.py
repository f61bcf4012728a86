"""Template filters of the printed documents."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The family print.css declares with @font-face (static/fonts, bundled).
PRINT_FONT_FAMILY = "LMB Sans"


@register.filter
def print_svg(svg: SafeString) -> SafeString:
    """An inline SVG (a chart) set in the document's bundled font.

    WeasyPrint draws an inline SVG from the SVG's own attributes and styles only: the page's
    CSS does not reach its text, which would fall back to a system font (embedded in the PDF,
    and different on every machine). The chart's markup is the page's; only the font is added.
    """
    if not isinstance(svg, SafeString) or not svg.startswith("<svg "):
        return svg
    return mark_safe(f'<svg font-family="{PRINT_FONT_FAMILY}" {svg[len("<svg ") :]}')  # noqa: S308
