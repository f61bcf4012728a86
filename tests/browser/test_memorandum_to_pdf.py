"""The whole path of issue 3 with the shipped library: filter, adopt five proposals from the
three action areas, edit one, reorder, make the PDF in the background and read it back; the
alderman reads and downloads but cannot edit. The PDF is one click (issue 10): the button
starts the render, the job page follows it and the download starts by itself; a click on an
unchanged document gets the same PDF at once."""

import io
import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import assert_accessible, dashboard_card, demo_adopt, login

pytestmark = pytest.mark.django_db(transaction=True)

ADOPT = {
    # key: title in fixtures/library.yaml
    "BK-S1": "De SDG-engagementsverklaring (opnieuw) ondertekenen",
    "BK-G4": "Personeel en budget, met een groeipad naar 0,7 %",
    "BU-G3": "Campagnes en themadagen op een rij zetten",
    "SW-A3": "Een stedenband verkennen",
    "SW-G2": "Internationale jeugdwerking en scholenbanden",
}


@pytest.fixture
def shipped_library(demo):
    call_command("load_library", "fixtures/library.yaml", stdout=open(os.devnull, "w"))  # noqa: SIM115


def adopt_button(title):
    return re.compile(rf"^Overnemen\s*:\s*{re.escape(title)}$")


def pdf_text(page, click, timeout=15_000):
    """The PDF that ``click()`` downloads: its reader and its text."""
    with page.expect_download(timeout=timeout) as download_info:
        click()
    download = download_info.value
    assert re.fullmatch(r"memorandum-demodorp-2026-2031\.pdf", download.suggested_filename)
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def one_click_pdf(page):
    """Click the memorandum page's PDF button once: the job page follows the render (on the
    background thread pool) and starts the download when the PDF is ready."""
    return pdf_text(page, page.get_by_role("button", name="PDF", exact=True).click, timeout=90_000)


def test_opsteller_builds_a_memorandum_and_downloads_the_pdf(page, shipped_library):
    login(page, "opsteller@demo.lmbplanner.be")
    dashboard_card(page, "Ambtelijk memorandum").get_by_role("link", name="Beginnen").click()
    page.get_by_role("button", name="Memorandum beginnen").click()

    page.get_by_role("link", name="Bibliotheek met voorstellen").click()
    page.get_by_label("Actieterrein", exact=True).select_option(label="Mondiale beleidskeuzes")
    expect(page.get_by_text("14 voorstellen gevonden.")).to_be_visible()
    page.get_by_label("Ambitieniveau", exact=True).select_option(label="Starten")
    expect(page.get_by_text("4 voorstellen gevonden.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=adopt_button(ADOPT["BK-S1"])).click()
    expect(page.get_by_text("is opgenomen in het memorandum")).to_be_visible()

    page.get_by_role("link", name="Wissen").click()
    page.get_by_label("Zoeken", exact=True).fill("groeipad")
    page.get_by_role("button", name="Filteren").click()
    page.get_by_role("button", name=adopt_button(ADOPT["BK-G4"])).click()

    page.get_by_role("link", name="Wissen").click()
    page.get_by_label("SDG", exact=True).select_option(value="4")  # SDG 4, by number
    for key in ("BU-G3", "SW-G2"):
        page.get_by_role("button", name=adopt_button(ADOPT[key])).click()
    page.get_by_role("link", name="Wissen").click()
    page.get_by_role("button", name=adopt_button(ADOPT["SW-A3"])).click()
    expect(page.get_by_text("al opgenomen")).to_have_count(5)

    page.get_by_role("link", name="Ambtelijk memorandum", exact=True).click()
    expect(page.get_by_role("heading", name=f"1.1 {ADOPT['BK-S1']}")).to_be_visible()
    page.get_by_role(
        "link", name=re.compile(rf"^Bewerken\s*:\s*{re.escape(ADOPT['BU-G3'])}$")
    ).click()
    page.get_by_label("Titel").fill("Campagnes en themadagen bundelen in een jaarkalender")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het voorstel is opgeslagen.")).to_be_visible()

    # Within "Mondiale samenwerking": the city link moves above the youth work.
    page.get_by_role("button", name=re.compile(r"^Omhoog\s*:\s*Een stedenband verkennen$")).click()
    expect(page.get_by_role("heading", name=f"3.1 {ADOPT['SW-A3']}")).to_be_visible()
    assert_accessible(page)

    reader, text = one_click_pdf(page)
    expect(page.get_by_text("De PDF is klaar.")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("De PDF is klaar.")
    expect(page.get_by_role("link", name="PDF downloaden")).to_be_visible()  # the fallback
    assert "download=" not in page.url  # a reload does not download again
    assert_accessible(page)

    flat = " ".join(text.split())
    assert "Demodorp" in flat
    expected = [
        ADOPT["BK-S1"],
        ADOPT["BK-G4"],
        "Campagnes en themadagen bundelen in een jaarkalender",
        ADOPT["SW-A3"],
        ADOPT["SW-G2"],
    ]
    # Page 1 is the cover, page 2 the contents; the proposals follow.
    body = " ".join(" ".join(p.extract_text() for p in reader.pages[2:]).split())
    positions = [body.index(title) for title in expected]
    assert positions == sorted(positions), "proposals are printed in memorandum order"
    assert f"pagina 2 van {len(reader.pages)}" in flat


def test_the_alderman_reads_and_downloads_but_cannot_edit(page, shipped_library):
    from apps.library.models import LibraryProposal

    first, _ = demo_adopt(*LibraryProposal.objects.filter(key__in=["BK-S1", "SW-A3"]))

    login(page, "schepen@demo.lmbplanner.be")
    page.goto("/gemeente/99001/memorandum/")
    expect(page.get_by_role("heading", name=f"1.1 {ADOPT['BK-S1']}")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Bewerken"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Omhoog"))).to_have_count(0)
    assert_accessible(page)

    response = page.goto(f"/gemeente/99001/memorandum/voorstel/{first.pk}/")
    assert response.status == 403
    assert len(page.console_errors) == 1 and "403" in page.console_errors[0]
    page.console_errors.clear()

    # One click on "PDF" ends in the downloaded PDF.
    page.goto("/gemeente/99001/memorandum/")
    _, text = one_click_pdf(page)
    assert ADOPT["SW-A3"] in " ".join(text.split())

    # Nothing changed since: the same PDF at once, said so on the page.
    page.goto("/gemeente/99001/memorandum/")
    _, again = one_click_pdf(page)
    assert again == text
    expect(page.get_by_text("niets gewijzigd sinds de PDF van")).to_be_visible()
    page.goto("/gemeente/99001/memorandum/pdf/")
    expect(
        page.get_by_role("link", name=re.compile(r"^PDF downloaden \(ongewijzigd sinds"))
    ).to_be_visible()
    assert_accessible(page)
