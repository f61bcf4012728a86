"""Every PDF is PDF/UA-1: tagged, identified as such in its XMP metadata, titled, in Dutch,
with creation and modification dates. Read back with pypdf."""

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from apps.documents import registry
from apps.documents.pdf import render_html_pdf, render_pdf

from .conftest import pdf_pages

pytestmark = pytest.mark.django_db


def _render(kind: str, obj) -> bytes:
    document = registry.build(registry.get(kind), obj)
    return render_pdf(template_name=document.template_name, context=document.context)


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def assert_pdf_ua_1(pdf: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    # Identification: XMP metadata with pdfuaid:part = 1 (ISO 14289-1, 5).
    xmp = _xmp(reader)
    assert 'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' in xmp
    assert re.search(r'pdfuaid:part="1"|<pdfuaid:part>1</pdfuaid:part>', xmp)
    assert "<dc:title>" in xmp
    # The structure tree, the document marked as tagged, its language, its title shown.
    tree = catalog["/StructTreeRoot"].get_object()
    assert tree["/Type"] == "/StructTreeRoot"
    assert tree["/K"]
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "nl-BE"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.pdf_header == "%PDF-1.7"
    assert reader.metadata.title
    return reader


def _structure_roles(tree) -> set[str]:
    roles: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list) or type(node).__name__ == "ArrayObject":
            stack.extend(item.get_object() for item in node)
        elif hasattr(node, "get"):
            if "/S" in node:
                roles.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None and hasattr(kids, "get_object"):
                kids = kids.get_object()
            if isinstance(kids, list) or hasattr(kids, "get"):
                stack.append(kids)
    return roles


def test_the_memorandum_is_pdf_ua_1_with_a_structure_tree(memorandum):
    reader = assert_pdf_ua_1(_render("memorandum", memorandum))
    roles = _structure_roles(reader.trailer["/Root"]["/StructTreeRoot"].get_object())
    # Headings, a table with header cells, lists and links are tagged as such.
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/L", "/LI", "/Link"} <= roles


def test_the_omgevingsanalyse_is_pdf_ua_1(analysis):
    assert_pdf_ua_1(_render("omgevingsanalyse", analysis))


def test_html_without_dates_gets_the_moment_of_rendering():
    before = datetime.now(UTC).replace(microsecond=0)
    pdf = render_html_pdf(
        '<html lang="nl-BE"><head><title>Proef</title></head><body>x</body></html>'
    )
    info = assert_pdf_ua_1(pdf).metadata
    assert info.creation_date >= before
    assert info.modification_date == info.creation_date
    assert "<xmp:CreateDate>" in _xmp(PdfReader(io.BytesIO(pdf)))
    assert pdf_pages(pdf) == ["x"]
