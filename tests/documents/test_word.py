"""Every printable document as Word (issue 11, point 5), read back with python-docx: headings
in the Heading styles, lists in the list styles (each numbered list from 1), tables with their
header row (the M1 table's amounts as the plan's budget lines add up), SDG tags as text, a
title block for the cover, and nothing of the printed page's furniture."""

import io
import re
from decimal import Decimal

import docx
import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from apps.core.models import Legislature
from apps.core.numbers import format_amount
from apps.documents import registry
from apps.documents.book import KEY as BOOK
from apps.documents.models import JobStatus, RenderJob
from apps.documents.word import DOCX_CONTENT_TYPE, MAX_ELEMENTS, TooLarge, html_to_docx, parse
from apps.documents.word import render_docx as word_of
from apps.meerjarenplan.models import BudgetLine
from apps.meerjarenplan.selectors import m1_table
from tests.beleidsvoorstellen.factories import MemorandumFactory

from .conftest import fill_memorandum
from .test_meerjarenplan_pdf import fill_plan

pytestmark = pytest.mark.django_db

W_NUM_ID = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}numId"
STEPS = (
    "<p>Tekst van het voorstel.</p>"
    "<ol><li>Eerste stap</li><li><strong>Tweede</strong> stap</li></ol>"
)


def render_docx(kind: str, municipality, object_id: int) -> docx.document.Document:
    document = registry.document_for(kind=kind, municipality=municipality, object_id=object_id)
    return docx.Document(io.BytesIO(word_of(document)))


def styled(word, style: str) -> list[str]:
    return [p.text for p in word.paragraphs if p.style.name == style]


def all_text(word) -> str:
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


def assert_no_print_chrome(word):
    text = all_text(word)
    assert not re.search(r"\bpagina \d", text, re.I)
    assert "afgedrukt op" not in text
    assert "Inhoud" not in [p.text for p in word.paragraphs]
    assert "....." not in text


def num_id(paragraph) -> str | None:
    element = paragraph._p.find(f".//{W_NUM_ID}")
    return element.get(W_NUM_ID.replace("numId", "val")) if element is not None else None


def table_starting_with(word, first_cell: str):
    return next(t for t in word.tables if t.rows[0].cells[0].text == first_cell)


def is_header_row(row) -> bool:
    return row._tr.trPr is not None and any(
        child.tag.endswith("}tblHeader") for child in row._tr.trPr
    )


@pytest.fixture
def memorandum_with_steps(municipality):
    """Three proposals whose text holds a numbered list of steps each."""
    memorandum = MemorandumFactory(
        municipality=municipality, introduction="<p>Waarom dit memorandum er is.</p>"
    )
    fill_memorandum(memorandum, 3, text=STEPS)
    return memorandum


def test_the_memorandum_in_word(memorandum_with_steps):
    memorandum = memorandum_with_steps
    word = render_docx("memorandum", memorandum.municipality, memorandum.pk)

    # The cover as a title block, the properties set.
    assert styled(word, "Title") == [memorandum.title]
    assert f"Planperiode {memorandum.legislature}" in styled(word, "Subtitle")
    assert word.core_properties.title == memorandum.title
    assert word.core_properties.author == "Teststad"
    assert word.core_properties.modified is not None

    # The chapters Heading 1, the proposals Heading 2 with their number.
    heading1 = styled(word, "Heading 1")
    assert heading1[:3] == ["Samenvatting van de beleidsvoorstellen", "Inleiding", "Overzicht"]
    areas = [h.split(". ", 1)[0] for h in heading1 if re.match(r"\d\. ", h)]
    assert areas == ["1", "2", "3"]
    assert "1.1 Voorstel nummer 01" in styled(word, "Heading 2")
    assert "Gekozen invulling" in styled(word, "Heading 3")

    # Lists: the ticked options and the reasons as bullets, the steps numbered from 1 in
    # each proposal (a numbering of their own).
    bullets = styled(word, "List Bullet")
    assert "Gekozen optie 1" in bullets and "Niet gekozen optie" not in all_text(word)
    assert any(text.startswith("Concreet engagement voor de SDG's.") for text in bullets)
    steps = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in steps[:2]] == ["Eerste stap", "Tweede stap"]
    assert steps[1].runs[0].bold and steps[1].runs[0].text == "Tweede"
    ids = [num_id(p) for p in steps]
    assert ids[0] == ids[1] and ids[0] != ids[2]  # a new list starts again at 1

    # SDG tags as text.
    tags = [p.text for p in word.paragraphs if p.text.startswith("SDG's: ")]
    assert len(tags) == 1 + memorandum.proposals.count()  # the overview, then each proposal
    assert all("SDG 17 Partnerschap om doelstellingen te bereiken" in tag for tag in tags)

    # The coverage table with its header row.
    coverage = table_starting_with(word, "Actieterrein")
    assert is_header_row(coverage.rows[0])
    assert coverage.rows[0].cells[-1].text == "Totaal"
    totals = [int(row.cells[-1].text) for row in coverage.rows[1:]]
    assert sum(totals) == memorandum.proposals.count()
    assert_no_print_chrome(word)


def test_the_meerjarenplan_in_word_with_the_m1_table(municipality, opsteller):
    plan = fill_plan(municipality, opsteller)
    word = render_docx("meerjarenplan", municipality, plan.pk)
    assert styled(word, "Heading 1") == [
        "Strategische nota: lokaal mondiaal beleid",
        "Schema M1: financieel doelstellingenplan",
        "Groeipad naar 0,7 %",
        "Overzicht van alle beleidsdoelstellingen, actieplannen en acties met ramingen",
    ]
    goals = styled(word, "Heading 2")
    assert goals[0].startswith("BD1 ") and goals[1].startswith("BD2 ")
    assert styled(word, "Heading 3")[0].startswith("AP1.1 ")
    assert styled(word, "Heading 4")[0].startswith("AC1.1.1 ")
    assert any(p.startswith("SDG's: SDG 12") for p in styled(word, "Normal"))

    # The M1 table: a header row with the years, then nine rows per block, each cell as the
    # plan's numbers give it.
    table = table_starting_with(word, "Beleidsdoelstelling")
    years = plan.legislature.years
    assert is_header_row(table.rows[0])
    assert [c.text for c in table.rows[0].cells[3:]] == [str(year) for year in years]
    m1 = m1_table(plan)
    expected = [
        [row.kind_label, row.line_label, *(format_amount(a) for a in row.amounts)]
        for block in m1.blocks
        for row in block.rows
    ]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert [row[1:] for row in rows] == [[str(v) for v in row] for row in expected]
    labels = [row[0] for row in rows]
    assert labels[0].startswith(m1.blocks[0].code) and labels[-1] == "Totaal"

    # The total line of exploitatie uitgaven adds up the stored budget lines themselves.
    total = next(
        row for row in rows if row[0] == "Totaal" and row[1:3] == ["Exploitatie", "Uitgaven"]
    )
    for year, cell in zip(years, total[3:], strict=True):
        stored = BudgetLine.objects.filter(
            year=year, kind="exploitatie", direction="uitgaven"
        ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
        assert cell == format_amount(stored)
    assert_no_print_chrome(word)


def test_the_omgevingsanalyse_in_word(analysis):
    word = render_docx("omgevingsanalyse", analysis.municipality, analysis.pk)
    heading1 = styled(word, "Heading 1")
    sections = list(analysis.sections.order_by("order").values_list("title", flat=True))
    assert heading1[:2] == ["Visie en missie", "Inleiding"]
    assert heading1[2 : 2 + len(sections)] == sections
    assert heading1[-3:] == ["Indicatoren", "SWOT", "Actoren"]
    assert styled(word, "Heading 2")[:2] == ["Visie", "Missie"]
    assert any(p.startswith("SDG's: SDG 1 ") for p in styled(word, "Normal"))
    swot = next(t for t in word.tables if t.rows[0].cells[1].text == "Helpend")
    assert is_header_row(swot.rows[0]) and swot.rows[1].cells[0].text == "Intern"
    # A quadrant: its title in bold (no heading of the text), its items as a list.
    quadrant = swot.rows[1].cells[1].paragraphs
    assert quadrant[0].text == "Sterktes" and quadrant[0].runs[0].bold
    assert [p.style.name for p in quadrant[1:]] == ["List Bullet", "List Bullet"]
    assert quadrant[1].text.startswith("Sterktes punt 1 SDG 1")
    assert quadrant[2].text.startswith("Sterktes punt 2 ")
    assert "Sterktes" not in styled(word, "Heading 2")
    actors = table_starting_with(word, "Naam")
    assert [row.cells[0].text for row in actors.rows[1:]] == [f"Partner {n}" for n in range(1, 5)]
    assert "Interne notitie" not in all_text(word)
    assert_no_print_chrome(word)


def test_the_book_in_word(municipality, opsteller, analysis, memorandum):
    word = render_docx(BOOK, municipality, Legislature.objects.current().pk)
    assert styled(word, "Title") == ["Planboek"]
    parts = styled(word, "Heading 1")
    assert parts == ["Visie en missie", analysis.title, memorandum.title]
    assert "Inleiding" in styled(word, "Heading 2")  # a part's chapter, one level down
    assert any(p.startswith("Nog niet begonnen: Meerjarenplan") for p in styled(word, "Normal"))
    assert word.core_properties.title == "Planboek"
    assert_no_print_chrome(word)


def test_the_parser_is_bounded():
    with pytest.raises(TooLarge):
        parse("<div>" * 500)
    with pytest.raises(TooLarge):
        parse("<br>" * (MAX_ELEMENTS + 1))
    with pytest.raises(TooLarge):  # a table spanning more cells than it holds
        html_to_docx('<table><tr><td colspan="100">x</td></tr>' * 501 + "</table>")


def test_markup_maps_to_word_without_print_only_parts():
    word = html_to_docx(
        "<html><head><title>x</title><style>p{}</style></head><body>"
        '<p class="page-footer">Teststad · afgedrukt op vandaag</p>'
        '<section class="cover"><h1 class="cover-title">Titel</h1></section>'
        '<nav class="toc"><ol><li><a href="#a">Hoofdstuk ..... 3</a></li></ol></nav>'
        '<h2 id="a">Hoofdstuk</h2><p>Een <em>schuine</em> en <a href="#b">gelinkte</a> tekst.</p>'
        '<p class="print-only">Alleen op papier</p><svg><title>Grafiek</title></svg>'
        "<ul><li>een<ul><li>twee</li></ul></li></ul>"
        '<table><thead><tr><th colspan="2">Kop</th></tr></thead>'
        "<tbody><tr><td>a</td><td>b</td></tr></tbody></table>"
        "</body></html>",
        title="Titel",
        author="Teststad",
        created=timezone.now(),
    )
    texts = [(p.style.name, p.text) for p in word.paragraphs]
    assert texts == [
        ("Title", "Titel"),
        ("Heading 1", "Hoofdstuk"),
        ("Normal", "Een schuine en gelinkte tekst."),
        ("List Bullet", "een"),
        ("List Bullet 2", "twee"),
    ]
    assert word.paragraphs[2].runs[1].italic
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Kop", "Kop"]  # merged over two columns
    assert [c.text for c in table.rows[1].cells] == ["a", "b"]


def test_a_word_file_through_the_render_job(
    client, opsteller, memorandum, django_capture_on_commit_callbacks
):
    client.force_login(opsteller)
    url = reverse(
        "documents:document_pdf",
        args=[memorandum.municipality.nis_code, "memorandum", memorandum.pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"output": "docx"})
    assert response.status_code == 302
    job = RenderJob.objects.get(pk=response["Location"].split("/")[-2])
    assert (job.status, job.output) == (JobStatus.DONE, "docx")
    download = client.get(
        reverse("documents:job_download", args=[memorandum.municipality.nis_code, job.pk])
    )
    assert download["Content-Type"] == DOCX_CONTENT_TYPE
    assert ".docx" in download["Content-Disposition"]
    word = docx.Document(io.BytesIO(download.content))
    assert styled(word, "Title") == [memorandum.title]
    assert "1.1 Voorstel nummer 01" in styled(word, "Heading 2")
