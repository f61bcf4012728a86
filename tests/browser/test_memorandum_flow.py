"""The memorandum from start to print: adopt, edit, reorder, review the library change, and
what a reader sees. Every page is checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.beleidsvoorstellen.factories import LibraryProposalFactory, area, level

from .conftest import assert_accessible, demo_adopt, login

pytestmark = pytest.mark.django_db(transaction=True)


def named(verb: str, title: str) -> re.Pattern:
    """A control whose visible verb is completed by a visually hidden title for screen readers
    (Chromium puts a space before the hidden part)."""
    return re.compile(rf"^{verb}\s*:\s*{re.escape(title)}$")


@pytest.fixture
def library(demo):
    return [
        LibraryProposalFactory(
            title="Duurzame overheidsopdrachten",
            text="<p>De gemeente koopt duurzaam en eerlijk aan.</p>",
            sdgs=[12, 8],
            options=["FairTradeGemeente worden", "Criteria per productgroep"],
        ),
        LibraryProposalFactory(
            title="Ethisch bankieren",
            text="<p>De gemeente kiest een ethische bank.</p>",
            sdgs=[16],
        ),
        LibraryProposalFactory(
            title="Een stedenband verkennen",
            text="<p>Samenwerken met een partnerstad.</p>",
            action_area=area("SW"),
            level=level("A"),
            sdgs=[17, 11],
        ),
    ]


def test_opsteller_builds_the_memorandum(page, library):
    login(page, "opsteller@demo.lmbplanner.be")
    page.goto("/gemeente/99001/memorandum/")
    assert_accessible(page)
    page.get_by_role("button", name="Memorandum beginnen").click()
    expect(page.get_by_role("heading", name="Inleiding")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Bibliotheek met voorstellen").click()
    assert_accessible(page)
    page.get_by_role("button", name=named("Overnemen", "Duurzame overheidsopdrachten")).click()
    expect(page.get_by_text("is opgenomen in het memorandum")).to_be_visible()
    page.get_by_role("button", name=named("Overnemen", "Ethisch bankieren")).click()
    page.get_by_role("button", name=named("Overnemen", "Een stedenband verkennen")).click()
    expect(page.get_by_text("al opgenomen")).to_have_count(3)

    page.get_by_label("Zoeken").fill("samenwerking")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_text("1 voorstel gevonden.")).to_be_visible()

    page.goto("/gemeente/99001/memorandum/")
    expect(page.get_by_role("heading", name="1.1 Duurzame overheidsopdrachten")).to_be_visible()
    # The side panel: the memorandum's four practice examples, each with its municipality.
    panel = page.get_by_role("region", name="Voorbeelden uit de praktijk")
    expect(panel.locator("article.practice-example")).to_have_count(4)
    for municipality in ("Herent", "Hoogstraten", "Lommel", "Sint-Truiden"):
        expect(panel.get_by_role("heading", name=re.compile(municipality))).to_be_visible()
    # No proposal in the second area: the third one is chapter 2, as in the PDF.
    expect(page.get_by_role("heading", name="2.1 Een stedenband verkennen")).to_be_visible()

    page.get_by_role("link", name=named("Bewerken", "Duurzame overheidsopdrachten")).click()
    assert_accessible(page)
    page.get_by_label("Tekst van het voorstel").fill("Wij kopen duurzaam aan.")
    page.get_by_label("FairTradeGemeente worden").check()
    page.get_by_label("Prioritair").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het voorstel is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Wij kopen duurzaam aan.")).to_be_visible()
    expect(page.get_by_role("heading", name="Gekozen invulling")).to_be_visible()

    page.get_by_role("button", name=named("Omhoog", "Ethisch bankieren")).click()
    expect(page.get_by_role("heading", name="1.1 Ethisch bankieren")).to_be_visible()
    expect(page.get_by_role("heading", name="1.2 Duurzame overheidsopdrachten")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=named("Verwijderen", "Een stedenband verkennen")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page.get_by_role("heading", name="2.1 Een stedenband verkennen")).to_have_count(0)


def test_library_change_is_shown_as_a_diff(page, library):
    demo_adopt(library[0])
    library[0].text = "<p>De gemeente koopt circulair en eerlijk aan.</p>"
    library[0].version += 1
    library[0].save()

    login(page, "opsteller@demo.lmbplanner.be")
    page.goto("/gemeente/99001/memorandum/")
    page.get_by_role("link", name="Bibliotheektekst gewijzigd").click()
    expect(page.locator("ins", has_text="circulair")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Nieuwe bibliotheektekst overnemen").click()
    expect(page.get_by_text("De gemeente koopt circulair en eerlijk aan.")).to_be_visible()


def test_reader_sees_no_edit_controls(page, library):
    login(page, "lezer@demo.lmbplanner.be")
    page.goto("/gemeente/99001/memorandum/")
    expect(page.get_by_role("button", name="Memorandum beginnen")).to_have_count(0)
    page.goto("/gemeente/99001/memorandum/bibliotheek/")
    expect(page.get_by_role("button", name=re.compile("^Overnemen"))).to_have_count(0)
    assert_accessible(page)


def test_a_stale_save_keeps_the_typed_text_beside_the_saved_one(page, library):
    from apps.accounts.models import User
    from apps.beleidsvoorstellen.services import proposal_update

    opsteller = User.objects.get(email="opsteller@demo.lmbplanner.be")
    [proposal] = demo_adopt(library[1])

    login(page, "opsteller@demo.lmbplanner.be")
    page.goto(f"/gemeente/99001/memorandum/voorstel/{proposal.pk}/")
    page.get_by_label("Tekst van het voorstel").fill("Mijn nieuwe tekst.")
    # Meanwhile a colleague saves in another tab.
    proposal_update(
        proposal=proposal,
        title=proposal.title,
        text="Tekst van de collega.",
        justification="",
        reasons=[],
        priority="normaal",
        ticked_sub_option_ids=[],
        expected_version=proposal.version,
        by=opsteller,
    )
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_text("Iemand anders heeft dit intussen gewijzigd")).to_be_visible()
    # The editor shows the typed text again, and the form field under it still holds it.
    expect(page.get_by_label("Tekst van het voorstel")).to_have_text("Mijn nieuwe tekst.")
    expect(page.locator("textarea[name=text]")).to_have_value(
        re.compile(re.escape("Mijn nieuwe tekst."))
    )
    expect(page.get_by_role("heading", name="Intussen opgeslagen versie")).to_be_visible()
    expect(page.get_by_text("Tekst van de collega.")).to_be_visible()
    assert_accessible(page)
    # The 409 is on purpose; Chromium logs it as a failed resource.
    assert all("409" in error for error in page.console_errors)
    page.console_errors.clear()

    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het voorstel is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Mijn nieuwe tekst.")).to_be_visible()
