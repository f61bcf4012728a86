"""Word diffs between two rich texts: the library's "bibliotheektekst gewijzigd", comparing
two versions of a part, and the review page's "what changed since the last submission".

Removed words are in <del>, added ones in <ins>; each carries a visually hidden "verwijderd:" /
"toegevoegd:" for screen readers, and the stylesheet strikes through and underlines them, so
the change never rests on colour alone.
"""

import difflib
import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_BLOCK_END = re.compile(r"</(p|li|h3|h4|blockquote)>|<br\s*/?>", re.IGNORECASE)
ELLIPSIS = "…"


def _words(rich: str) -> list[str]:
    # Block ends become line breaks first, so paragraphs do not run into one another.
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", rich or ""))).strip()
    return re.findall(r"\n|[^\s]+", text)


def _join(words: list[str]) -> str:
    return " ".join("<br>" if w == "\n" else escape(w) for w in words)


def _removed(words: list[str]) -> str:
    label = escape(_("verwijderd:"))
    return f'<del><span class="visually-hidden">{label} </span>{_join(words)}</del>'


def _added(words: list[str]) -> str:
    label = escape(_("toegevoegd:"))
    return f'<ins><span class="visually-hidden">{label} </span>{_join(words)}</ins>'


def _diff(old: str, new: str, context: int | None) -> SafeString:
    a, b = _words(old), _words(new)
    parts: list[str] = []
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            words = a[i1:i2]
            if context is not None and len(words) > 2 * context:
                # Only the words around a change: the reader sees the changed passage.
                head = words[:context] if index > 0 else []
                tail = words[-context:] if index < len(opcodes) - 1 else []
                parts.append(" ".join(p for p in (_join(head), ELLIPSIS, _join(tail)) if p))
            else:
                parts.append(_join(words))
            continue
        if op in ("delete", "replace"):
            parts.append(_removed(a[i1:i2]))
        if op in ("insert", "replace"):
            parts.append(_added(b[j1:j2]))
    # Every piece of text above went through escape(); only our own tags are left raw.
    return mark_safe(" ".join(p for p in parts if p))  # noqa: S308


def word_diff(old: str, new: str) -> SafeString:
    """The whole text, removed words in <del>, added ones in <ins>. Safe to render as is."""
    return _diff(old, new, None)


def passage_diff(old: str, new: str, context: int = 8) -> SafeString:
    """Only the changed passages, each with ``context`` words around it; the unchanged rest
    is an ellipsis."""
    return _diff(old, new, context)


def has_changes(old: str, new: str) -> bool:
    return _words(old) != _words(new)
