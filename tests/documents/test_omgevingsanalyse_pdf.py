"""The printed omgevingsanalyse, whole and one section alone, read back with pypdf."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.models import DocumentKind
from apps.documents.pdf import render_pdf
from apps.documents.registry import document_for
from apps.library.models import GuidingQuestion
from apps.omgevingsanalyse import services
from apps.omgevingsanalyse.models import Section
from tests.factories import MembershipFactory

from .conftest import (
    BUNDLED_FONTS,
    SpyFetcher,
    embedded_fonts,
    fill_analysis,
    flat,
    pdf_pages,
)

pytestmark = pytest.mark.django_db

SECTION_TITLES = [
    "People — Mens",
    "Planet — Planeet",
    "Prosperity — Welvaart",
    "Peace — Vrede",
    "Partnership — Partnerschap",
]
TOC_LINE = re.compile(r"^(.+?) ?\.{3,} ?(\d+)$", re.MULTILINE)


def _render(kind: str, obj, *, url_fetcher=None) -> bytes:
    municipality = obj.municipality if kind == "omgevingsanalyse" else obj.analysis.municipality
    document = document_for(kind=kind, municipality=municipality, object_id=obj.pk)
    return render_pdf(
        template_name=document.template_name, context=document.context, url_fetcher=url_fetcher
    )


@pytest.fixture
def pdf(analysis) -> bytes:
    return _render("omgevingsanalyse", analysis)


@pytest.fixture
def section(analysis) -> Section:
    return analysis.sections.order_by("order")[1]


@pytest.fixture
def section_pdf(section) -> bytes:
    return _render("omgevingsanalyse-sectie", section)


def test_cover_contents_and_page_furniture(pdf, municipality):
    pages = pdf_pages(pdf)
    cover = flat(pages[0])
    assert municipality.name in cover
    assert "Omgevingsanalyse lokaal mondiaal beleid" in cover
    assert "Planperiode 2026-2031" in cover
    assert "Status Concept" in cover
    assert "pagina" not in cover
    total = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert f"pagina {number} van {total}" in text
        assert municipality.name in text  # running header
    entries = TOC_LINE.findall(pages[1])
    titles = [title for title, _page in entries]
    assert titles == [
        "Visie en missie",
        "Inleiding",
        *SECTION_TITLES,
        "Indicatoren",
        "SWOT",
        "Actoren",
    ]
    for title, page in entries:
        assert title in pages[int(page) - 1]


def test_vision_introduction_and_sections_in_order(pdf, analysis):
    body = flat("\n".join(pdf_pages(pdf)[2:]))
    assert "Een gemeente die eerlijk deelt met de rest van de wereld." in body
    assert "Het bestuur verankert mondiale solidariteit in elk beleidsdomein." in body
    positions = [body.index(title) for title in ["Visie en missie", "Inleiding", *SECTION_TITLES]]
    assert positions == sorted(positions)
    texts = [body.index(f"Tekst van sectie {n}.") for n in range(1, 6)]
    assert texts == sorted(texts)
    assert positions[-1] < body.index("Indicatoren") < body.index("SWOT") < body.index("Actoren")
    assert "SDG 1 Geen armoede" in body and "SDG 17 Partnerschap" in body


def test_cited_figures_print_with_their_source(pdf, analysis):
    body = flat("\n".join(pdf_pages(pdf)))
    cited = [c.figure for c in analysis.sections.order_by("order")[0].figures.all()]
    assert len(cited) == 2
    for figure in cited:
        assert figure.figure in body
        assert flat(f"Bron: {figure.source}") in body
        assert flat(figure.statement_nl)[:60] in body


def test_indicators_print_their_values_and_reference_points(pdf):
    pages = [flat(page) for page in pdf_pages(pdf)]
    indicators = "\n".join(page for page in pages if "Indicatoren" in page or "Jaar" in page)
    assert "Personeelsinzet voor lokaal mondiaal beleid (VTE)" in indicators
    assert re.search(r"2024 0,35 –", indicators)  # typed: measured 0,35 in 2024
    assert re.search(r"2031 – 1,00", indicators)  # the target
    assert re.search(r"2024 0,18", indicators)  # computed: 90.000 of 50 miljoen euro
    assert "Bron: VVSG-enquête 2022" in indicators  # a reference point with its source
    assert "Bron: Personeelsdienst" in indicators


def test_swot_is_a_table_of_four_quadrants_in_order(pdf):
    swot = next(flat(page) for page in pdf_pages(pdf) if "Sterktes punt 1" in page)
    quadrants = ["Sterktes", "Zwaktes", "Kansen", "Bedreigingen"]
    titles = [swot.index(f"{quadrant} ") for quadrant in quadrants]
    assert titles == sorted(titles)  # S, W above O, T: read row by row
    for quadrant in quadrants:
        assert f"{quadrant} punt 1" in swot and f"{quadrant} punt 2" in swot


def test_actors_table_and_map(pdf):
    actors = flat(pdf_pages(pdf)[-1])
    assert "Actoren" in actors and "Actoren per actieterrein" in actors
    for n in range(1, 5):
        assert f"Partner {n}" in actors
    for state in ["Loopt goed", "Nieuw", "Nog niet"]:
        assert state in actors
    for area in ["Mondiale beleidskeuzes", "Mondiaal burgerschap", "Mondiale samenwerking"]:
        assert area in actors


def test_nothing_addressed_to_the_drafter_is_printed(analysis, opsteller):
    question = GuidingQuestion.objects.filter(document_kind=DocumentKind.OMGEVINGSANALYSE).first()
    services.answer_save(
        analysis=analysis,
        question=question,
        answer="<p>Een antwoord dat in het kladblok blijft.</p>",
        expected_version=0,
        by=opsteller,
    )
    body = flat("\n".join(pdf_pages(_render("omgevingsanalyse", analysis))))
    guidance = [s.guidance for s in analysis.sections.all()]
    assert all(guidance)  # the five P's come with guidance for every section
    for text in guidance:
        assert flat(text)[:50] not in body
    for question in GuidingQuestion.objects.filter(document_kind=DocumentKind.OMGEVINGSANALYSE):
        assert flat(question.text_nl)[:50] not in body
        if question.help_nl:
            assert flat(question.help_nl)[:50] not in body
    assert "kladblok" not in body
    assert "Interne notitie" not in body  # the actors' notes
    assert not re.search(r"\bje\b|\bjouw\b", body)


def test_a_section_alone_has_a_short_cover_and_only_that_section(
    section_pdf, section, municipality
):
    pages = pdf_pages(section_pdf)
    assert len(pages) == 1
    text = flat(pages[0])
    assert "omgevingsanalyse lokaal mondiaal beleid" in text.lower()  # the cover line
    assert municipality.name in text
    assert section.title in text and "Planperiode 2026-2031" in text
    assert "Concept" in text  # the analysis's review state, on the section's short cover
    assert "Tekst van sectie 2." in text
    assert "SDG 2 Geen honger" in text
    for other in ["Tekst van sectie 1.", "Tekst van sectie 3.", "Inhoud", "Visie en missie"]:
        assert other not in text
    for other in ["Inleiding", "Indicatoren", "SWOT", "Actoren", "Sterktes", "Partner 1"]:
        assert other not in text
    assert "pagina 1 van 1" in text


def test_a_section_alone_prints_its_cited_figures(analysis):
    first = analysis.sections.order_by("order")[0]
    text = flat("\n".join(pdf_pages(_render("omgevingsanalyse-sectie", first))))
    for citation in first.figures.select_related("figure"):
        assert flat(f"Bron: {citation.figure.source}") in text
    assert "Tekst van sectie 2." not in text


def test_only_the_bundled_fonts_are_embedded(pdf, section_pdf):
    """The charts' SVG text too: WeasyPrint would set it in a system font by itself."""
    assert embedded_fonts(pdf) == BUNDLED_FONTS
    assert embedded_fonts(section_pdf) <= BUNDLED_FONTS


def test_nothing_is_fetched_but_the_apps_static_files(analysis, section):
    # Stored as is, past the sanitiser: the fetcher alone must keep these out.
    Section.objects.filter(pk=section.pk).update(
        text='<p>Zichtbaar</p><img src="file:///etc/passwd">'
        '<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
    )
    for kind, obj in (("omgevingsanalyse", analysis), ("omgevingsanalyse-sectie", section)):
        spy = SpyFetcher()
        pages = pdf_pages(_render(kind, obj, url_fetcher=spy.fetcher))
        assert any("Zichtbaar" in page for page in pages)
        assert all("root:" not in page for page in pages)
        assert set(spy.fetcher.served) == {
            "css/sdg.css",
            "css/print.css",
            "fonts/SourceSans3-Regular.ttf",
            "fonts/SourceSans3-It.ttf",
            "fonts/SourceSans3-Semibold.ttf",
            "fonts/SourceSans3-Bold.ttf",
        }
        assert all(url.startswith(("file:", "http://127.0.0.1:9/")) for url in spy.fetcher.refused)
        assert len(spy.fetcher.refused) == 3


def _queries_to_print(municipality, size: int) -> int:
    opsteller = MembershipFactory(municipality=municipality, role="opsteller").user
    analysis = fill_analysis(
        municipality, opsteller, swot_per_quadrant=size, actors=size * 2, figures=size
    )
    for n in range(size):
        services.section_create(analysis=analysis, title=f"Extra sectie {n}", by=opsteller)
        services.indicator_create(analysis=analysis, name=f"Eigen {n}", unit="aantal", by=opsteller)
    with CaptureQueriesContext(connection) as queries:
        _render("omgevingsanalyse", analysis)
    return len(queries)


def test_printing_runs_the_same_queries_for_a_small_and_a_large_analysis(
    municipality, other_municipality
):
    assert _queries_to_print(municipality, 1) == _queries_to_print(other_municipality, 6)
