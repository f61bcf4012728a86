"""The one way the app turns a template into a PDF.

WeasyPrint fetches every stylesheet, font and image a document names through a URL fetcher.
The default one opens ``file://`` paths and the network, so a user's rich text could pull
``/etc/passwd`` or an intranet page into a PDF. Ours serves the app's own static files and
nothing else: every other URL is refused, logged, and left out of the PDF while the rendering
goes on.

Documents are rendered against an internal origin that no resolver knows (``.invalid`` is
reserved, RFC 2606): ``{% static %}`` paths resolve to it, and nothing else does.
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils._os import safe_join

logger = logging.getLogger(__name__)

INTERNAL_ORIGIN = "https://lmbplanner.invalid"
BASE_URL = f"{INTERNAL_ORIGIN}/"

# What a printed document may load: its stylesheet, its fonts, its images. No scripts, no
# source maps, no HTML.
ALLOWED_SUFFIXES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
}


class RefusedURL(ValueError):
    """Raised for every URL the fetcher will not serve; WeasyPrint skips the resource."""


class TooManyPages(ValueError):
    """The laid-out document has more pages than the caller allows (``max_pages``)."""

    def __init__(self, pages: int, max_pages: int):
        super().__init__(f"{pages} pages, at most {max_pages}")
        self.pages, self.max_pages = pages, max_pages


def static_path_for(url: str) -> str | None:
    """The relative static path an internal URL names, or None if it names anything else."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != INTERNAL_ORIGIN:
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    if not prefix.endswith("/"):
        prefix += "/"
    if not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix) :])
    if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
        return None
    if any(segment in {"", ".", ".."} for segment in relative.split("/")):
        return None
    if posixpath.normpath(relative) != relative:
        return None
    return relative


def find_static_file(relative: str) -> Path | None:
    """The file behind a static path: the finders (development, tests), then STATIC_ROOT
    (production, where ``{% static %}`` hands out hashed names that only collectstatic made)."""
    found = finders.find(relative)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        try:
            candidate = Path(safe_join(str(settings.STATIC_ROOT), relative))
        except ValueError:  # SuspiciousFileOperation: outside STATIC_ROOT
            return None
        if candidate.is_file():
            return candidate
    return None


def _static_fetcher_class():
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """WeasyPrint 70 wants a ``URLFetcher`` subclass (it reads its private options); we
        override ``fetch`` entirely, so none of urllib's handlers (file, http, ftp, data,
        redirects) ever runs."""

        def __init__(self):
            super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
            self.served: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            relative = static_path_for(url)
            path = find_static_file(relative) if relative else None
            content_type = ALLOWED_SUFFIXES.get(Path(relative).suffix.lower()) if path else None
            if content_type is None:
                self.refused.append(url)
                logger.warning("PDF: bron geweigerd: %.200s", url)
                raise RefusedURL(f"not one of the app's static files: {url[:200]}")
            self.served.append(relative)
            headers = {"Content-Type": content_type}
            if content_type == "text/css":
                headers["Content-Type"] = "text/css; charset=utf-8"
            return URLFetcherResponse(url, path.read_bytes(), headers)

    return StaticOnlyURLFetcher


def static_only_url_fetcher():
    """A fresh fetcher for one rendering (it records what it served and refused)."""
    return _static_fetcher_class()()


def render_pdf(
    *, template_name: str, context: dict, request=None, url_fetcher=None, max_pages=None
) -> bytes:
    """Render a Django template to PDF bytes.

    ``request`` is optional so that background tasks can render too; the template gets
    ``print_base_url`` for anything it must spell out in full. ``url_fetcher`` is for tests
    that want to watch what a document asks for; it defaults to the static-only fetcher.
    ``max_pages``: a longer document raises TooManyPages after the layout, before the PDF
    is written.
    """
    html = render_to_string(template_name, {**context, "print_base_url": BASE_URL}, request=request)
    return render_html_pdf(html, url_fetcher=url_fetcher, max_pages=max_pages)


def render_html_pdf(html: str, *, url_fetcher=None, max_pages=None) -> bytes:
    """Render print HTML to PDF bytes (also HTML made earlier: an approved version)."""
    # Imported here: WeasyPrint loads Pango and friends, which no web request needs.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = url_fetcher or static_only_url_fetcher()
    # One FontConfiguration per rendering: it holds the @font-face fonts of this document.
    # The variant is given to the layout too: it switches on what tagging needs there.
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        font_config=FontConfiguration(), pdf_variant=PDF_VARIANT
    )
    if max_pages is not None and len(document.pages) > max_pages:
        raise TooManyPages(len(document.pages), max_pages)
    # The print templates set the dates (<meta name="dcterms.created|modified">); HTML made
    # without them still gets a creation date: the moment of rendering.
    metadata = document.metadata
    metadata.created = metadata.created or w3c_now()
    metadata.modified = metadata.modified or metadata.created
    # PDF/UA-1: a tagged PDF (headings, lists, tables, reading order for screen readers) that
    # says so in its XMP metadata (pdfuaid:part 1), with the title shown instead of the file
    # name and the document's language (<html lang>).
    return document.write_pdf(pdf_variant=PDF_VARIANT, finisher=describe_links)


def describe_links(document, pdf) -> None:
    """Give every link annotation the link's own words as its description (``/Contents``, which
    PDF/UA asks for and a screen reader reads): WeasyPrint writes the bare target there, an
    anchor name such as "voorstel-1-2" or an address. An external link keeps its address too."""
    import pydyf

    for page in document.pages:
        for box in _descendants(page._page_box):
            annotation = getattr(box, "link_annotation", None)
            if annotation is None or box.element is None:
                continue
            text = " ".join("".join(box.element.itertext()).split())
            if not text:
                continue
            action = annotation.get("A")
            url = getattr(action.get("URI"), "string", "") if action is not None else ""
            if url and url != text:
                text = f"{text} ({url})"
            annotation["Contents"] = pydyf.String(text)


def _descendants(box):
    stack = [box]
    while stack:
        box = stack.pop()
        yield box
        stack.extend(getattr(box, "children", ()))


PDF_VARIANT = "pdf/ua-1"


def w3c_now() -> str:
    """Now, as the W3C date-time WeasyPrint reads from ``dcterms.*`` (seconds, UTC offset)."""
    return timezone.localtime().replace(microsecond=0).isoformat()


__all__ = [
    "BASE_URL",
    "PDF_VARIANT",
    "RefusedURL",
    "TooManyPages",
    "render_html_pdf",
    "render_pdf",
    "static_only_url_fetcher",
]
