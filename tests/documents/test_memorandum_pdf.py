"""The printed memorandum, read back with pypdf."""

import io
import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import HTML

from apps.beleidsvoorstellen.models import Memorandum
from apps.beleidsvoorstellen.printing import memorandum_document
from apps.core.models import Role
from apps.documents import registry
from apps.documents.pdf import BASE_URL, render_pdf, static_only_url_fetcher
from apps.library.models import Reason
from tests.beleidsvoorstellen.factories import MemorandumFactory
from tests.factories import MembershipFactory, UserFactory

from .conftest import BUNDLED_FONTS, embedded_fonts, fill_memorandum, flat, pdf_pages

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
    assert "Planperiode 2026-2031" in cover
    assert "Legislatuur" not in cover
    assert "Concept" in cover
    assert "pagina" not in cover
    assert "afgedrukt op" not in cover  # no footer on the cover


def test_cover_names_service_author_and_version(municipality):
    author = UserFactory(first_name="An", last_name="Peeters")
    memorandum = MemorandumFactory(municipality=municipality, updated_by=author, version=7)
    fill_memorandum(memorandum, 1)
    cover = flat(pdf_pages(_render(memorandum))[0])
    assert "Dienst Mondiaal beleid" in cover
    assert "Auteur An Peeters" in cover
    assert "Versie 7" in cover


def test_author_is_the_opsteller_when_the_last_editor_has_no_name(municipality):
    MembershipFactory(
        municipality=municipality,
        role=Role.OPSTELLER,
        user=UserFactory(first_name="Jef", last_name="Claes"),
    )
    nameless = UserFactory(first_name="", last_name="")
    memorandum = MemorandumFactory(municipality=municipality, updated_by=nameless)
    fill_memorandum(memorandum, 1)
    cover = flat(pdf_pages(_render(memorandum))[0])
    assert "Auteur Jef Claes" in cover
    assert nameless.email not in cover


def test_footer_says_municipality_status_and_date_of_printing(pdf, municipality):
    today = date_filter(timezone.localtime(), "j F Y")
    for text in pdf_pages(pdf)[1:]:
        assert f"{municipality.name} · Concept · afgedrukt op {today}" in flat(text)
        assert "LMB Planner" not in text


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


def test_action_areas_present_are_numbered_without_gaps(municipality):
    # Fill order BK, BU, SW; without the BU proposal the second area has none and no chapter.
    memorandum = MemorandumFactory(municipality=municipality)
    fill_memorandum(memorandum, 3)[1].delete()
    pages = pdf_pages(_render(memorandum))
    body = flat(" ".join(pages[2:]))
    assert "1. Mondiale beleidskeuzes" in body
    assert "2. Mondiale samenwerking" in body
    assert "3. Mondiale samenwerking" not in body
    assert "2.1 Voorstel nummer 03" in body
    assert "Voorstel nummer 02" not in body
    assert [number for number, _, _ in TOC_LINE.findall(pages[1])] == ["1.1", "2.1"]


def test_summary_table_of_all_proposals_follows_the_contents(pdf):
    pages = pdf_pages(pdf)
    assert "Samenvatting van de beleidsvoorstellen" in pages[1]  # listed in the contents
    summary = flat(pages[2])
    assert summary.startswith("Samenvatting van de beleidsvoorstellen")
    assert "Nr. Beleidsvoorstel Ambitieniveau Prioriteit SDG's" in summary
    # Number, title, level, priority, SDG numbers: fill order gives area 1 proposals 1 and 4.
    assert "1.1 Voorstel nummer 01 Starten Normaal 1 17" in summary
    assert "1.2 Voorstel nummer 04 Starten Normaal 4 17" in summary
    assert "3.2 Voorstel nummer 06 Veel ambitie Normaal 6 17" in summary
    rows = re.findall(r"\d\.\d Voorstel nummer \d\d", summary)
    assert len(rows) == 6


def test_summary_links_each_title_to_its_proposal(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    summary_links = [
        annotation.get_object()
        for annotation in reader.pages[2].get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert len(summary_links) == 6
    # Each goes to its proposal, and says so in words (PDF/UA's /Contents), not as an anchor.
    assert [link["/Dest"] for link in summary_links][:2] == ["voorstel-11", "voorstel-12"]
    assert [link["/Contents"] for link in summary_links][:2] == [
        "Voorstel nummer 01",
        "Voorstel nummer 04",
    ]


def test_contents_links_are_described_by_their_words(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    described = [
        annotation.get_object()["/Contents"] for annotation in reader.pages[1].get("/Annots", [])
    ]
    assert "Inleiding" in described
    assert "1.1 Voorstel nummer 01" in described
    assert not any(text.startswith(("voorstel-", "actieterrein-")) for text in described)


def test_a_proposal_that_breaks_across_pages_says_it_continues(municipality):
    memorandum = MemorandumFactory(municipality=municipality)
    long_text = "<p>" + "Een lange toelichting bij het voorstel. " * 250 + "</p>"
    fill_memorandum(memorandum, 2, text=long_text)
    pages = pdf_pages(_render(memorandum))
    start = next(i for i, text in enumerate(pages) if "1.1  Voorstel nummer 01" in text)
    second = next(i for i, text in enumerate(pages) if "2.1  Voorstel nummer 02" in text)
    # The pages between its heading and the next chapter run on: they say so at the top.
    assert second - start >= 2
    assert "(vervolg)" not in pages[start]  # where its heading stands
    for text in pages[start + 1 : second]:
        assert "1.1 Voorstel nummer 01 (vervolg)" in text
    # The next proposal starts a page of its own: no marker of the one before.
    assert "(vervolg)" not in pages[second]
    assert "2.1 Voorstel nummer 02 (vervolg)" in pages[second + 1]


def test_outline_holds_chapters_and_proposals_only(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    outline = reader.outline

    def titles(items):
        return [item.title for item in items if not isinstance(item, list)]

    chapters = titles(outline)
    assert chapters == [
        "Samenvatting van de beleidsvoorstellen",
        "Inleiding",
        "Overzicht",
        "1. Mondiale beleidskeuzes",
        "2. Mondiaal burgerschap",
        "3. Mondiale samenwerking",
    ]
    nested = [item for item in outline if isinstance(item, list)]
    assert [titles(items) for items in nested] == [
        ["1.1 Voorstel nummer 01", "1.2 Voorstel nummer 04"],
        ["2.1 Voorstel nummer 02", "2.2 Voorstel nummer 05"],
        ["3.1 Voorstel nummer 03", "3.2 Voorstel nummer 06"],
    ]
    assert all(not isinstance(item, list) for items in nested for item in items)


def test_a_link_in_the_text_prints_its_address(municipality):
    memorandum = MemorandumFactory(
        municipality=municipality,
        introduction='<p>Zie <a href="https://www.vvsg.be/mondiaal">de gids</a>.</p>',
    )
    fill_memorandum(memorandum, 1)
    pdf = _render(memorandum)
    text = flat(" ".join(pdf_pages(pdf)))
    assert "de gids (https://www.vvsg.be/mondiaal)" in text
    links = [
        annotation.get_object()
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    # One annotation per line or piece of the link: each says where it goes.
    assert links
    assert {link["/Contents"] for link in links} == {"de gids (https://www.vvsg.be/mondiaal)"}


def test_creation_and_modification_dates_are_the_memorandums(memorandum):
    Memorandum.objects.filter(pk=memorandum.pk).update(
        created_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        updated_at=datetime(2026, 5, 4, 14, 15, tzinfo=UTC),
    )
    memorandum.refresh_from_db()
    info = PdfReader(io.BytesIO(_render(memorandum))).metadata
    assert info.creation_date == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert info.modification_date == datetime(2026, 5, 4, 14, 15, tzinfo=UTC)


def test_every_sdg_badge_is_white_on_its_un_colour(memorandum):
    document = registry.build(registry.get("memorandum"), memorandum)
    html = render_to_string(
        document.template_name, {**document.context, "print_base_url": BASE_URL}
    )
    rendered = HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_url_fetcher()).render()
    badges = [
        box
        for page in rendered.pages
        for box in _descendants(page._page_box)
        if "sdg-badge" in (box.element.get("class", "") if box.element is not None else "")
        and box.element_tag in {"li", "span"}
        and box.style["background_color"].alpha == 1
    ]
    colours = {tuple(box.style["background_color"])[:3] for box in badges}
    assert len(colours) == 7  # SDG 1-6 and 17 in the fixture: each its own colour
    assert all(tuple(box.style["color"])[:3] == (1, 1, 1) for box in badges)


def _descendants(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _descendants(child)


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


def test_motivation_prints_each_ticked_reason_with_its_argument(municipality):
    """The formal name and the short argument of every reason ticked for a proposal."""
    memorandum = MemorandumFactory(municipality=municipality)
    (proposal,) = fill_memorandum(memorandum, 1)
    ticked = list(Reason.objects.filter(key__in=["welzijn", "besparen-en-financiering"]))
    proposal.reasons.set(ticked)
    text = flat(" ".join(pdf_pages(_render(memorandum))))
    assert "Redenen voor lokaal mondiaal beleid" in text
    for reason in ticked:
        assert f"{reason.name_nl}. {flat(reason.argument_nl)}" in text
    assert "Waarom:" not in text
    assert not re.search(r"\b(je|jij|jouw|uw)\b", text.split("Redenen voor lokaal")[1])
    untouched = Reason.objects.exclude(pk__in=[r.pk for r in ticked]).exclude(argument_nl="")
    assert all(reason.argument_nl not in text for reason in untouched)
