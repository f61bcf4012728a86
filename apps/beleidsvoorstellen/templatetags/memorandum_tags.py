"""What the proposal cards of the memorandum and library pages repeat, worked out once a page.

``{% proposal_urls municipality.nis_code as urls %}`` before the loop over the cards, then
``{{ urls.edit|for_proposal:proposal.pk }}`` in it. With every library proposal on the page, a
``{% url %}`` per link and card was a tenth of the page's rendering time; this is one
``reverse()`` per kind of link and a string replacement per card.

``{% level_badge proposal.level %}`` renders ``_level_badge.html`` once per ambition level and
page (there are three levels, and 32 cards); ``{% sdg_badges proposal.sdg_goals.all %}`` renders
``_sdg_badges.html`` once per set of SDGs and page (the 32 library proposals have 14).

``{% compact %}…{% endcompact %}`` around the cards drops the template's indentation from what
they render: it was half of the memorandum page's bytes.
"""

from __future__ import annotations

import re

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

register = template.Library()

# Stands in for the proposal's id while reversing: nine digits, so it is never the NIS code.
_PLACEHOLDER = "987654321"
_LINKS = {
    "edit": "beleidsvoorstellen:proposal_edit",
    "move": "beleidsvoorstellen:proposal_move",
    "delete": "beleidsvoorstellen:proposal_delete",
    "library_change": "beleidsvoorstellen:library_change",
    "adopt": "beleidsvoorstellen:adopt",  # with a library proposal's id
}


@register.simple_tag
def proposal_urls(nis_code: str) -> dict[str, str]:
    return {key: reverse(name, args=[nis_code, _PLACEHOLDER]) for key, name in _LINKS.items()}


@register.filter
def for_proposal(url: str, pk) -> str:
    return url.replace(f"/{_PLACEHOLDER}/", f"/{int(pk)}/", 1)


_LEVEL_BADGES = "memorandum_tags.level_badges"


@register.simple_tag(takes_context=True)
def level_badge(context, level) -> str:
    badges = context.render_context.setdefault(_LEVEL_BADGES, {})
    if level.pk not in badges:
        badge = render_to_string("beleidsvoorstellen/_level_badge.html", {"level": level})
        badges[level.pk] = badge
    return badges[level.pk]


_SDG_BADGES = "memorandum_tags.sdg_badges"


@register.simple_tag(takes_context=True)
def sdg_badges(context, goals) -> str:
    goals = list(goals)
    badges = context.render_context.setdefault(_SDG_BADGES, {})
    key = tuple(goal.pk for goal in goals)
    if key not in badges:
        badges[key] = render_to_string("beleidsvoorstellen/_sdg_badges.html", {"goals": goals})
    return badges[key]


# A line break and the indentation after it (blank lines included) become one line break: the
# browser shows the same, as the cards hold no <pre>, <textarea> or white-space: pre (rich text
# allows none of these).
_INDENTATION = re.compile(r"\n\s+")


class CompactNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        return mark_safe(_INDENTATION.sub("\n", self.nodelist.render(context)))  # noqa: S308


@register.tag
def compact(parser, token):
    nodelist = parser.parse(("endcompact",))
    parser.delete_first_token()
    return CompactNode(nodelist)
