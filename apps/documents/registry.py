"""The printable documents: each document app registers its own from ``AppConfig.ready()``.

apps/documents knows no document app by name. A registration says how to find the object a
render job names (``load``: inside the job's municipality only), how to turn it into a print
template with its context and file name (``build``), and what the PDF page calls it. The
render job stores the registration's key; an unknown key is never started nor rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The longest key RenderJob.kind holds; a key is a slug, as the PDF page's URL reads it.
KEY_MAX_LENGTH = 40
KEY_PATTERN = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


@dataclass(frozen=True)
class PrintDocument:
    """What a render needs: the print template, its context, the download's file name."""

    template_name: str
    context: dict
    filename: str


@dataclass(frozen=True)
class Printable:
    """One kind of printable document.

    ``load(municipality, object_id)`` returns the object, looked up inside that municipality
    only; anything else raises ``ObjectDoesNotExist`` (or ``Http404``).
    ``build(obj)`` returns the ``PrintDocument``.
    ``description`` tells on the PDF page what the PDF holds (optional).
    ``title(obj)`` names the object on the PDF page (default: ``str(obj)``).
    ``page_url(obj)`` is the document's own page, for the way back (optional).
    ``find(municipality, legislature, user)`` returns the municipality's current object or
    None, for a URL that names the document without its id (optional).
    ``book_order`` makes the document a part of the plan book (book.py), at that place: the
    book finds the municipality's current object with ``find`` and prints its body only.
    ``book_context`` is what the part's context gets on top inside the book (say, leaving
    out what another part already prints).
    """

    key: str
    label: str
    load: Callable
    build: Callable
    description: str = ""
    title: Callable | None = None
    page_url: Callable | None = None
    find: Callable | None = None
    book_order: int | None = None
    book_context: dict | None = None

    def title_of(self, obj) -> str:
        return self.title(obj) if self.title else str(obj)

    def page_url_of(self, obj) -> str | None:
        return self.page_url(obj) if self.page_url else None


class UnknownDocument(LookupError):
    """A key no app registered."""


_printables: dict[str, Printable] = {}


def register(key: str, *, label, load: Callable, build: Callable, **options) -> Printable:
    """Register a printable document; a second registration of a key is a programming error
    (two apps claiming one key), except the same app registering it again (tests reload)."""
    if len(key) > KEY_MAX_LENGTH or not KEY_PATTERN.fullmatch(key):
        raise ValueError(f"Invalid printable document key: {key!r}")
    printable = Printable(key=key, label=label, load=load, build=build, **options)
    if printable.book_order is not None and printable.find is None:
        raise ValueError(f"Book part {key!r} needs find: the book looks up the current one")
    existing = _printables.get(key)
    if existing is not None and existing.build.__module__ != build.__module__:
        raise ValueError(f"Printable document {key!r} is registered twice")
    _printables[key] = printable
    return printable


def get(key: str) -> Printable:
    try:
        return _printables[key]
    except KeyError:
        raise UnknownDocument(key) from None


def is_registered(key: str) -> bool:
    return key in _printables


def book_parts() -> list[Printable]:
    """The parts of the plan book, in the book's order."""
    parts = [printable for printable in _printables.values() if printable.book_order is not None]
    return sorted(parts, key=lambda printable: (printable.book_order, printable.key))


def label_for(key: str) -> str:
    """The registration's label; an unregistered key (an app removed) as it is stored."""
    printable = _printables.get(key)
    return str(printable.label) if printable else key


def choices() -> list[tuple[str, str]]:
    return [(key, printable.label) for key, printable in sorted(_printables.items())]


def validate_kind(value: str) -> None:
    """Field validator of RenderJob.kind."""
    if not is_registered(value):
        raise ValidationError(
            _("Onbekend document: %(kind)s."), code="unknown_kind", params={"kind": value}
        )


# Functions ``hook(obj) -> dict`` that add to every print context (apps/review adds the
# document's review status for the cover), so no document app has to pass it on itself.
_context_hooks: list[Callable] = []


def register_context_hook(hook: Callable) -> None:
    if hook not in _context_hooks:
        _context_hooks.append(hook)


def build(printable: Printable, obj) -> PrintDocument:
    """The print document of ``obj``, with what the context hooks add."""
    document = printable.build(obj)
    extra: dict = {}
    for hook in _context_hooks:
        extra.update(hook(obj))
    if not extra:
        return document
    return PrintDocument(
        template_name=document.template_name,
        context={**document.context, **extra},
        filename=document.filename,
    )


def document_for(*, kind: str, municipality, object_id: int) -> PrintDocument:
    """The printable document a job names, looked up inside the job's municipality only."""
    printable = get(kind)
    return build(printable, printable.load(municipality, object_id))


__all__ = [
    "PrintDocument",
    "Printable",
    "UnknownDocument",
    "book_parts",
    "build",
    "choices",
    "document_for",
    "get",
    "is_registered",
    "label_for",
    "register",
    "register_context_hook",
    "validate_kind",
]
