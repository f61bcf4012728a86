"""Rich text is stored as sanitised HTML: a small set of tags, no attributes that can load or
run anything. Everything a user types goes through ``sanitise`` before it is saved.

A civil servant types plain paragraphs (or uses the editor's toolbar): ``rich_text`` turns what
arrives into sanitised HTML, ``editable_text`` turns the stored HTML back into what the textarea
shows, and ``RichTextField`` is the form field every document uses for it.
"""

import html
import re

import nh3
from django import forms
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.translation import gettext_lazy as _

from .widgets import RichTextarea

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "blockquote",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto"}

# C0 and C1 control characters except tab, newline and carriage return: pasted from other
# programs they only break layouts and exports, so they are dropped from every typed text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")
_SIMPLE = re.compile(r"</?p>|<br\s*/?>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)

# What the editor of static/js/richtext.js offers (its buttons are apps/core/widgets.py's
# RICH_TEXT_LABELS); the last sentence is for the plain textarea without the script.
RICH_HELP = _(
    "Met de knoppen boven het tekstvak maak je tekst vet of cursief, begin je een opsomming, "
    "een genummerde lijst of een tussentitel, en voeg je een link toe (Ctrl+B en Ctrl+I werken "
    "ook). Enter begint een nieuwe alinea; geplakte tekst verliest zijn opmaak. Zie je geen "
    "knoppen, typ dan gewone tekst: een witregel begint een nieuwe alinea."
)


# The cleaner's time grows with the square of the nesting depth (200,000 nested lists take
# minutes): deeper text is refused by the form and flattened to plain text by ``sanitise``.
MAX_DEPTH = 100
MAX_RICH_TEXT = 200_000  # characters typed in one rich-text field
_OPEN_OR_CLOSE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_TAG_WHOLE = re.compile(r"<[^>]*>")
# Elements that hold nothing open: void elements, and those the next sibling closes.
_FLAT = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr", "p", "li", "dd", "dt"}
)


def nesting_depth(html_text: str) -> int:
    """How deep the elements of ``html_text`` nest, in one pass, erring on the deep side: an
    end tag only closes the innermost open element, so the HTML parser never nests deeper."""
    stack: list[str] = []
    deepest = 0
    for closing, name in _OPEN_OR_CLOSE.findall(html_text or ""):
        name = name.lower()
        if name in _FLAT:
            continue
        if closing:
            if stack and stack[-1] == name:
                stack.pop()
        else:
            stack.append(name)
            deepest = max(deepest, len(stack))
    return deepest


def sanitise(html_text: str | None) -> str:
    if not html_text:
        return ""
    if nesting_depth(html_text) > MAX_DEPTH:
        # Never hand the cleaner something that takes it minutes: keep the words, drop tags.
        return escape(" ".join(_TAG_WHOLE.sub(" ", html_text).split()))
    return nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


def without_controls(value: str | None) -> str:
    return _CONTROL.sub("", value or "")


def rich_text(value: str | None) -> str:
    """Sanitised HTML. Plain text (no tags) becomes paragraphs; a blank line starts a new one."""
    value = without_controls(value).strip()
    if value and not _TAG.search(value):
        value = linebreaks(escape(value))
    cleaned = sanitise(value)
    if cleaned and not _TAG.search(cleaned):
        # HTML whose tags were all removed ("<span>a &amp; b</span>"): keep it as the HTML it
        # is, in a paragraph, so that cleaning it again (form, then service) changes nothing.
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


def visible_text(stored: str | None) -> str:
    """The words a reader sees in sanitised HTML, without tags and surrounding space."""
    return html.unescape(strip_tags(stored or "")).replace("\xa0", " ").strip()


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


class PlainTextField(forms.CharField):
    """One line of plain text (a title): control characters and line breaks are dropped."""

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(without_controls(value).split()) if value else value


class RichTextField(forms.CharField):
    """Typed text in, sanitised HTML out. Text that the cleaning empties (only a script, an
    unknown tag, empty paragraphs) is refused with a message, so nothing typed disappears
    silently; the form then shows the typed text again."""

    widget = RichTextarea
    default_error_messages = {
        "too_deep": _(
            "Deze tekst heeft te veel opmaak in elkaar (meer dan %(max)d niveaus). Plak hem "
            "als gewone tekst of vereenvoudig de opmaak."
        ),
        "emptied": _(
            "Van deze tekst blijft na het opschonen niets over: scripts, onbekende opmaak en "
            "lege alinea's worden verwijderd. Typ de tekst als gewone alinea's of gebruik de "
            "knoppen van de editor."
        ),
    }

    def __init__(self, *, rows: int = 8, **kwargs):
        kwargs.setdefault("help_text", RICH_HELP)
        kwargs.setdefault("max_length", MAX_RICH_TEXT)
        kwargs.setdefault("widget", RichTextarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def clean(self, value):
        typed = super().clean(value)
        if not typed:
            return ""
        if nesting_depth(typed) > MAX_DEPTH:
            raise forms.ValidationError(
                self.error_messages["too_deep"], code="too_deep", params={"max": MAX_DEPTH}
            )
        cleaned = rich_text(typed)
        if not visible_text(cleaned):
            raise forms.ValidationError(self.error_messages["emptied"], code="emptied")
        return cleaned


class VersionField(forms.IntegerField):
    """The version an edit form was loaded with (optimistic locking), as a hidden field."""

    widget = forms.HiddenInput
    default_error_messages = {
        "invalid": _(
            "Dit formulier is onvolledig of beschadigd aangekomen (de versie ontbreekt of is "
            "ongeldig). Uw tekst staat nog in het formulier: kopieer hem, laad de pagina "
            "opnieuw en plak hem terug."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(**kwargs)
        for code in ("required", "min_value", "max_value"):
            self.error_messages[code] = self.error_messages["invalid"]


class VersionedForm(forms.Form):
    """An edit form that carries the loaded version. A broken version is a hidden field's
    error, which no one would see: it is repeated at the top of the form."""

    version = VersionField()

    def clean(self):
        cleaned = super().clean()
        for error in self.errors.get("version", []):
            self.add_error(None, error)
        return cleaned
