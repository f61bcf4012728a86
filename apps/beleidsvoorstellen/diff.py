"""A word diff between two rich texts, for "bibliotheektekst gewijzigd"."""

import difflib
import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

_BLOCK_END = re.compile(r"</(p|li|h3|h4|blockquote)>|<br\s*/?>", re.IGNORECASE)


def _words(rich: str) -> list[str]:
    # Block ends become line breaks first, so paragraphs do not run into one another.
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", rich or ""))).strip()
    return re.findall(r"\n|[^\s]+", text)


def _join(words: list[str]) -> str:
    return " ".join("<br>" if w == "\n" else escape(w) for w in words)


def word_diff(old: str, new: str) -> SafeString:
    """Escaped words (paragraph ends as <br>); removed ones in <del>, added ones in <ins>.
    Safe to render as is."""
    a, b = _words(old), _words(new)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(_join(a[i1:i2]))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{_join(a[i1:i2])}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{_join(b[j1:j2])}</ins>")
    # Every piece of text above went through escape(); only our own tags are left raw.
    return mark_safe(" ".join(p for p in parts if p))  # noqa: S308


def has_changes(old: str, new: str) -> bool:
    return _words(old) != _words(new)
