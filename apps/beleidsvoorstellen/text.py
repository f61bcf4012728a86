"""Rich text as a civil servant types it: plain paragraphs in a textarea, sanitised HTML in
the database. Simple texts make the round trip without a single tag showing."""

import html
import re

from django.utils.html import escape, linebreaks

from apps.core.richtext import sanitise

_TAG = re.compile(r"<[a-zA-Z/][^>]*>")
_SIMPLE = re.compile(r"</?p>|<br\s*/?>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def rich_text(value: str | None) -> str:
    """Sanitised HTML. Plain text (no tags) becomes paragraphs; a blank line starts a new one."""
    value = (value or "").strip()
    if value and not _TAG.search(value):
        value = linebreaks(escape(value))
    return sanitise(value)


def editable_text(stored: str | None) -> str:
    """What the textarea shows: plain paragraphs when the text has no formatting beyond
    paragraphs and line breaks, the HTML itself otherwise (so no formatting is lost)."""
    stored = (stored or "").strip()
    if _TAG.search(_SIMPLE.sub("", stored)):
        return stored
    paragraphs = _PARAGRAPH.findall(stored) or [stored]
    plain = [
        html.unescape(re.sub(r"<br\s*/?>\s*", "\n", p)).strip() for p in paragraphs if p.strip()
    ]
    text = "\n\n".join(plain)
    # A text that would read as HTML on the way back keeps its tags, so it survives unchanged.
    return stored if _TAG.search(text) else text
