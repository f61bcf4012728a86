"""Per-part comment links with open counts, on every document page, and a comment's text.

``{% part_comments document "proposal" proposal.pk %}`` links to the document's comments on
that part (key ``proposal-12``; without a pk the prefix is the key) with its number of open
threads. The counts of a document are read once per request, in one query, however many parts
the page shows.
"""

from __future__ import annotations

import re

from django import template
from django.urls import reverse
from django.utils.html import escape, linebreaks
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from apps.core.permissions import can_comment

from .. import registry, selectors
from ..services import MENTION

register = template.Library()

_CACHE = "_lmb_part_comments"


def _document_info(context, document, reviewable) -> dict:
    """Open counts, the comments URL and whether the user comments, once per document."""
    request = context.get("request")
    holder = request if request is not None else document
    cache = holder.__dict__.setdefault(_CACHE, {})
    key = (reviewable.key, document.pk)
    if key not in cache:
        municipality = context.get("municipality")
        if municipality is None or getattr(municipality, "pk", None) != document.municipality_id:
            municipality = document.municipality
        user = getattr(request, "user", None) or context.get("user")
        cache[key] = {
            "document_args": [municipality.nis_code, reviewable.key, document.pk],
            "counts": selectors.open_counts_of(reviewable, document),
            "url": reverse(
                "review:comments", args=[municipality.nis_code, reviewable.key, document.pk]
            ),
            "can_comment": bool(user) and can_comment(user, municipality),
        }
    return cache[key]


@register.inclusion_tag("review/_part_comments.html", takes_context=True)
def part_comments(context, document, prefix, pk=None):
    """The part's comment link with its open count, a link to start one and its versions."""
    reviewable = registry.for_document(document) if document is not None else None
    if reviewable is None or not document.pk:
        return {"show": False}
    part_key = f"{prefix}-{pk}" if pk is not None else str(prefix)
    info = _document_info(context, document, reviewable)
    url = f"{info['url']}?{urlencode({'deel': part_key})}"
    return {
        "show": True,
        "part_key": part_key,
        "open_count": info["counts"].get(part_key, 0),
        "list_url": f"{url}#opmerkingen",
        "new_url": f"{url}#nieuwe-opmerking",
        # The part's saved versions (compare, restore).
        "versions_url": reverse("review:versions", args=[*info["document_args"], part_key]),
        "can_comment": info["can_comment"],
    }


def _handles(users) -> set[str]:
    """What a mention of each user may look like: the e-mail's local part or the address."""
    handles = set()
    for user in users:
        email = (user.email or "").lower()
        handles.add(email)
        handles.add(email.split("@")[0])
    return handles


@register.filter
def comment_text(comment):
    """The comment's plain text, escaped, its line breaks kept and its mentions marked."""
    text = comment.text or ""
    mentioned = _handles(comment.mentions.all())
    pieces = []
    position = 0
    for match in MENTION.finditer(text):
        handle = match.group(1).rstrip(".")
        if handle.lower() not in mentioned:
            continue
        end = match.start(1) + len(handle)
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f'<mark class="mention">{escape(text[match.start() : end])}</mark>')
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe(linebreaks("".join(pieces), autoescape=False))  # noqa: S308 (escaped)


_WHITESPACE = re.compile(r"\s+")


@register.filter
def one_line(value, length: int = 160):
    """A quote or a notification text on one line, shortened."""
    text = _WHITESPACE.sub(" ", str(value or "")).strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
