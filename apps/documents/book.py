"""The plan book: the municipality's planning documents of one legislature in one PDF.

The parts are the printable documents registered with a ``book_order`` (registry.py); the
book knows none of them by name. Each part is rendered with its own print template and
context, as its own PDF is, with ``in_book`` on: base_print.html then marks its contents and
its body, which the book takes and prints under ONE cover and ONE table of contents, with
page numbers running through. The part's own cover, contents and page furniture are left
behind. A part the municipality has not begun yet is left out, and the cover and the contents
say so.

The book is itself a registered printable document (``planboek``), named by the legislature:
it goes through the same render jobs, content hash and download as any other document. Its
parts are looked up inside the job's municipality only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apps.core.models import Legislature
from apps.core.selectors import current_legislature

from . import registry
from .pdf import BASE_URL

KEY = "planboek"
TEMPLATE = "documents/book.html"

# The markers base_print.html writes around a part's contents and body when ``in_book``.
_CONTENTS = ("<!--lmb-book-contents-->", "<!--/lmb-book-contents-->")
_BODY = ("<!--lmb-book-body-->", "<!--/lmb-book-body-->")

# Two parts may use the same anchor ("inleiding", "overzicht"): inside the book each part's
# anchors get the part's key in front, and so do the links and references to them.
_ID_LIST_ATTR = re.compile(r'(\s(?:id|aria-labelledby|aria-describedby)=")([^"]*)(")')
_FRAGMENT_HREF = re.compile(r'(\shref="#)([^"]*)(")')
_URL_REF = re.compile(r"url\(#([^)\s]*)\)")


class EmptyBook(ObjectDoesNotExist):
    """No part of the book has been begun yet: there is nothing to print."""


@dataclass(frozen=True)
class BookPart:
    printable: registry.Printable
    obj: object

    @property
    def key(self) -> str:
        return self.printable.key


@dataclass
class Book:
    """The book of one municipality and legislature; ``pk`` is the legislature's, the id a
    render job names it by."""

    municipality: object
    legislature: Legislature
    parts: list[BookPart] = field(default_factory=list)
    missing: list[registry.Printable] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.legislature.pk

    def __str__(self) -> str:
        return f"{_('Planboek')} — {self.legislature}"


def book_for(municipality, legislature, user=None) -> Book | None:
    """The municipality's book for the legislature (each part through the user's scope when
    given), or None when no part has been begun yet."""
    if legislature is None:
        return None
    book = Book(municipality=municipality, legislature=legislature)
    for printable in registry.book_parts():
        obj = printable.find(municipality, legislature, user)
        if obj is None:
            book.missing.append(printable)
        else:
            book.parts.append(BookPart(printable=printable, obj=obj))
    return book if book.parts else None


def book_of(municipality, object_id: int) -> Book:
    """The book of the legislature ``object_id``, with the parts of ``municipality`` only."""
    legislature = Legislature.objects.get(pk=object_id)
    book = book_for(municipality, legislature)
    if book is None:
        raise EmptyBook(_("Geen enkel deel van het planboek is al begonnen."))
    return book


def current_book(municipality, legislature, user) -> Book | None:
    return book_for(municipality, legislature or current_legislature(), user)


def _between(html: str, markers: tuple[str, str]) -> str:
    start, end = markers
    _before, found, rest = html.partition(start)
    if not found:
        return ""
    return rest.partition(end)[0]


def prefix_anchors(html: str, prefix: str) -> str:
    """Every anchor of ``html`` and every reference to one, with ``prefix`` in front."""

    def ids(match: re.Match) -> str:
        names = " ".join(f"{prefix}{name}" for name in match.group(2).split())
        return f"{match.group(1)}{names}{match.group(3)}"

    html = _ID_LIST_ATTR.sub(ids, html)
    html = _FRAGMENT_HREF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}{m.group(3)}", html)
    return _URL_REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", html)


def render_part(part: BookPart) -> dict:
    """One part as the book prints it: its title, review status, contents and body."""
    document = registry.build(part.printable, part.obj)
    context = {
        **document.context,
        **(part.printable.book_context or {}),
        "in_book": True,
        "print_base_url": BASE_URL,
    }
    html = render_to_string(document.template_name, context)
    prefix = f"{part.key}--"
    return {
        "key": part.key,
        "anchor": f"deel-{part.key}",
        "title": str(context.get("document_title") or part.printable.label),
        "label": part.printable.label,
        "review_status": context.get("review_status"),
        "changed": context.get("document_modified") or context.get("last_changed"),
        # Our own templates' output, with the anchors renamed only.
        "contents": mark_safe(prefix_anchors(_between(html, _CONTENTS), prefix)),  # noqa: S308
        "body": mark_safe(prefix_anchors(_between(html, _BODY), prefix)),  # noqa: S308
    }


def book_document(book: Book) -> registry.PrintDocument:
    parts = [render_part(part) for part in book.parts]
    changed = [part["changed"] for part in parts if part["changed"]]
    municipality = book.municipality
    return registry.PrintDocument(
        template_name=TEMPLATE,
        context={
            "municipality": municipality,
            "legislature": book.legislature,
            "document_title": _("Planboek"),
            "document_modified": max(changed, default=None),
            "parts": parts,
            "missing": [printable.label for printable in book.missing],
        },
        filename=f"planboek-{slugify(municipality.name)}-{book.legislature}.pdf",
    )


def register_book() -> None:
    registry.register(
        KEY,
        label=_("Planboek"),
        description=_(
            "De PDF bundelt de planningsdocumenten van de legislatuur (visie en missie, "
            "omgevingsanalyse, memorandum, meerjarenplan) met één titelblad, één inhoudstafel "
            "en doorlopende paginanummers. Een document dat nog niet begonnen is, ontbreekt."
        ),
        load=book_of,
        build=book_document,
        find=current_book,
        # The way back from the book's PDF page: the dashboard, where the book is offered.
        page_url=lambda book: reverse("core:dashboard", args=[book.municipality.nis_code]),
    )
