"""The printed memorandum, read back with pypdf."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.beleidsvoorstellen.printing import memorandum_document
from apps.documents import registry
from apps.documents.pdf import render_pdf
from tests.beleidsvoorstellen.factories import MemorandumFactory

from .conftest import BUNDLED_FONTS, embedded_fonts, fill_memorandum, pdf_pages

pytestmark = pytest.mark.django_db

TOC_LINE = re.compile(r"^(\d\.\d+) (.+?) ?\.{3,} ?(\d+)$", re.MULTILINE)


def _render(memorandum) -> bytes:
    # Through the registry, as a render job does: its context hooks add the review state.
    document = registry.build(registry.get("memorandum"), memorandum)
    return render_pdf(template_name=document.template_name, context=document.context)


@pytest.fixture
def pdf(memorandum) -> bytes:
    return _render(memorandum)


def test_cover_page_comes_first_without_running_header_or_page_number(pdf, municipality):
    cover = pdf_pages(pdf)[0]
    assert municipality.name in cover
    assert "Ambtelijk memorandum" in cover
    assert "Legislatuur 2026-2031" in cover
    assert "Concept" in cover
    assert "pagina" not in cover


def test_every_page_after_the_cover_says_pagina_x_van_y(pdf, municipality):
    pages = pdf_pages(pdf)
    total = len(pages)
    assert total > 3
    for number, text in enumerate(pages[1:], start=2):
        assert f"pagina {number} van {total}" in text
        assert municipality.name in text  # running header


def test_proposal_titles_appear_in_order_grouped_by_action_area(pdf):
    pages = pdf_pages(pdf)
    body = "\n".join(pages[2:])  # after cover and table of contents
    # Fill order cycles BK, BU, SW: area 1 holds 1, 4; area 2 holds 2, 5; area 3 holds 3, 6.
    expected = ["1.1 Voorstel nummer 01", "1.2 Voorstel nummer 04", "2.1 Voorstel nummer 02"]
    expected += ["2.2 Voorstel nummer 05", "3.1 Voorstel nummer 03", "3.2 Voorstel nummer 06"]
    positions = [body.index(title.replace(" ", "  ", 1)) for title in expected]
    assert positions == sorted(positions)


def test_table_of_contents_gives_the_page_each_proposal_starts_on(pdf):
    pages = pdf_pages(pdf)
    entries = TOC_LINE.findall(pages[1])
    assert len(entries) == 6
    for number, title, page in entries:
        assert f"{number}  {title}" in pages[int(page) - 1]


def test_proposal_shows_level_sdgs_ticked_options_only(pdf):
    text = "\n".join(pdf_pages(pdf))
    assert "Starten" in text and "Goed bezig" in text and "Veel ambitie" in text
    assert "SDG 17 Partnerschap om doelstellingen te bereiken" in text
    assert "Gekozen optie 1" in text
    assert "Niet gekozen optie" not in text


def test_only_the_bundled_fonts_are_embedded(pdf):
    assert embedded_fonts(pdf) == BUNDLED_FONTS


def test_download_filename_names_municipality_and_legislature(memorandum):
    assert memorandum_document(memorandum).filename == "memorandum-teststad-2026-2031.pdf"


def _queries_to_print(municipality, count: int) -> int:
    memorandum = MemorandumFactory(municipality=municipality)
    fill_memorandum(memorandum, count)
    with CaptureQueriesContext(connection) as queries:
        _render(memorandum)
    return len(queries)


def test_printing_runs_the_same_queries_for_3_and_for_30_proposals(
    municipality, other_municipality
):
    assert _queries_to_print(municipality, 3) == _queries_to_print(other_municipality, 30)


def test_rich_text_with_images_and_links_prints_without_fetching_them(municipality):
    memorandum = MemorandumFactory(municipality=municipality)
    # Stored as is, past the sanitiser: the fetcher alone must keep these out.
    fill_memorandum(
        memorandum,
        1,
        text='<p>Zichtbaar</p><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
    )
    pages = pdf_pages(_render(memorandum))
    assert any("Zichtbaar" in page for page in pages)
    assert all("root:" not in page for page in pages)
