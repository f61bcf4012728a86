"""Issue 7's path in Chromium, axe-checked on every page: the opsteller of a municipality
without an analysis starts it with the five-P structure, fills two sections, inserts a cited
figure, enters indicator values and sees the chart, fills the SWOT, adds an actor, makes the
PDF and reads it back."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import assert_accessible, dashboard_card, login

pytestmark = pytest.mark.django_db(transaction=True)

OPSTELLER = "andere@demo.lmbplanner.be"  # Anderegem has no omgevingsanalyse yet


def edit_section(page, title, text):
    page.get_by_role("link", name=re.compile(rf"^Bewerken\s*:\s*{re.escape(title)}$")).click()
    assert_accessible(page)
    page.get_by_label("Tekst", exact=True).fill(text)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text(text)).to_be_visible()


def test_opsteller_builds_an_omgevingsanalyse_and_downloads_the_pdf(page):
    login(page, OPSTELLER)
    dashboard_card(page, "Omgevingsanalyse").get_by_role("link", name="Beginnen").click()
    assert_accessible(page)
    page.get_by_label(re.compile("Volgens de vijf P")).check()
    page.get_by_role("button", name="Beginnen").click()
    expect(page.get_by_role("heading", name=re.compile(r"1\.\s*People — Mens"))).to_be_visible()
    assert_accessible(page)

    edit_section(
        page, "People — Mens", "Een kwart van de inwoners heeft familie in het buitenland."
    )
    edit_section(
        page, "Planet — Planeet", "Het aankoopbeleid houdt nog geen rekening met herkomst."
    )

    # A cited figure from the guide, with its source.
    page.get_by_role("link", name=re.compile(r"^Bewerken\s*:\s*Partnership")).click()
    page.locator("details#cijfers > summary").click()
    first_insert = page.get_by_role("button", name=re.compile(r"^Invoegen")).first
    first_insert.click()
    expect(page.get_by_text("staat nu in deze sectie, met zijn bron")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Omgevingsanalyse", exact=True).first.click()

    # Indicator values, and the chart and table that show them.
    indicator = (
        page.locator("article, section")
        .filter(has=page.get_by_role("heading", name="Personeelsinzet voor lokaal mondiaal beleid"))
        .last
    )
    indicator.get_by_role("link", name=re.compile("Waarden bewerken")).click()
    assert_accessible(page)
    page.get_by_label("Waarde 2024", exact=True).fill("0,3")
    page.get_by_label("Waarde 2025", exact=True).fill("0,45")
    page.get_by_label("Waarde 2031", exact=True).fill("1")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("cell", name="0,45", exact=True)).to_be_visible()
    chart = page.locator("svg.lmb-chart").filter(has_text="2031").first
    expect(chart).to_be_visible()

    # The SWOT, one item per quadrant shown in its place.
    for quadrant, text in [
        ("Sterktes", "Sterke mondiale raad"),
        ("Bedreigingen", "Minder vrijwilligers"),
    ]:
        page.get_by_role("link", name=re.compile(rf"^\+ element\s*:\s*{quadrant}$")).click()
        assert_accessible(page)
        page.get_by_role("textbox", name=re.compile(r"\bTekst\b")).fill(text)
        page.get_by_role("button", name="Toevoegen").click()
        expect(page.locator("#swot")).to_contain_text(text)

    # An actor, on the map of the action areas.
    page.get_by_role("link", name="+ actor").click()
    assert_accessible(page)
    page.get_by_role("textbox", name=re.compile(r"\bNaam\b")).fill("Wereldwinkel Anderegem")
    page.get_by_role("combobox", name=re.compile(r"\bSoort\b")).select_option(label="Ngo")
    page.get_by_label("Interesse", exact=True).check()
    page.get_by_label("Mondiaal burgerschap").check()
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#actoren")).to_contain_text("Wereldwinkel Anderegem")
    assert_accessible(page)

    # The PDF, made in the background and read back.
    # One click: the job page follows the render and starts the download when it is ready.
    with page.expect_download(timeout=90_000) as download_info:
        page.get_by_role("button", name="PDF", exact=True).click()
    expect(page.get_by_text("De PDF is klaar.")).to_be_visible()
    assert_accessible(page)
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    text = "\n".join(p.extract_text() for p in reader.pages)
    titles = ["People — Mens", "Planet — Planeet", "Prosperity — Welvaart", "Partnership"]
    positions = [text.find(title, text.find("Inleiding")) for title in titles]
    assert -1 not in positions and positions == sorted(positions), positions
    for quadrant in ("Sterktes", "Zwaktes", "Kansen", "Bedreigingen"):
        assert quadrant in text
    assert "Sterke mondiale raad" in text and "Wereldwinkel Anderegem" in text
    assert "0,45" in text
    assert "Bron:" in text
    assert "Aanwijzing" not in text  # nothing addressed to the drafter is printed
