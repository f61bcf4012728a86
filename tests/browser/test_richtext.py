"""The rich-text editor on the memorandum's edit pages: a toolbar over the text, the formatting
saved as sanitised HTML and shown again as formatting, never as tags."""

import re

import pytest
from playwright.sync_api import expect

from tests.beleidsvoorstellen.factories import LibraryProposalFactory

from .conftest import assert_accessible, demo_adopt, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def proposal(demo):
    library_proposal = LibraryProposalFactory(
        title="Duurzame overheidsopdrachten",
        text="<p>De gemeente koopt duurzaam en eerlijk aan.</p>",
        sdgs=[12],
    )
    [adopted] = demo_adopt(library_proposal)
    return adopted


def edit_url(proposal) -> str:
    return f"/gemeente/99001/memorandum/voorstel/{proposal.pk}/"


def test_bold_and_a_list_made_with_the_toolbar_are_saved_and_shown_again(page, proposal):
    login(page, "opsteller@demo.lmbplanner.be")
    page.goto(edit_url(proposal))
    field = page.locator("#div_id_text")
    editor = page.get_by_role("textbox", name="Tekst van het voorstel")
    expect(editor).to_have_text("De gemeente koopt duurzaam en eerlijk aan.")
    expect(page.locator("textarea[name=text]")).to_be_hidden()
    expect(field.get_by_role("toolbar", name="Opmaak")).to_be_visible()
    assert_accessible(page)

    editor.fill("Wij kopen duurzaam aan.")
    editor.press("End")
    for _ in " aan.":
        editor.press("ArrowLeft")
    editor.press("Control+Shift+ArrowLeft")  # selects "duurzaam"
    bold = field.get_by_role("button", name="Vet")
    bold.click()
    expect(bold).to_have_attribute("aria-pressed", "true")
    editor.press("End")
    editor.press("Enter")
    field.get_by_role("button", name="Opsomming").click()
    expect(field.get_by_role("button", name="Opsomming")).to_have_attribute("aria-pressed", "true")
    editor.press_sequentially("Eerlijke handel")
    editor.press("Enter")
    editor.press_sequentially("Korte keten")
    expect(editor.locator("li")).to_have_count(2)
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_text("Het voorstel is opgeslagen.")).to_be_visible()
    shown = page.locator(f"#voorstel-{proposal.pk}")
    expect(shown.locator("strong")).to_have_text("duurzaam")
    expect(shown.locator(".rich-text li")).to_have_text(["Eerlijke handel", "Korte keten"])
    proposal.refresh_from_db()
    assert "<strong>duurzaam</strong>" in proposal.text
    assert "<ul><li>Eerlijke handel</li><li>Korte keten</li></ul>" in proposal.text

    page.goto(edit_url(proposal))
    expect(editor.locator("strong")).to_have_text("duurzaam")
    expect(editor.locator("li")).to_have_text(["Eerlijke handel", "Korte keten"])
    expect(editor).not_to_contain_text("<")
    assert_accessible(page)


def test_shortcuts_format_and_pasted_text_comes_in_plain(page, proposal):
    login(page, "opsteller@demo.lmbplanner.be")
    page.goto(edit_url(proposal))
    editor = page.get_by_role("textbox", name="Motivering")
    editor.click()
    editor.press("Control+i")
    editor.press_sequentially("Omdat")
    editor.press("Control+i")
    expect(
        page.locator("#div_id_justification").get_by_role("button", name="Cursief")
    ).to_have_attribute("aria-pressed", "false")
    editor.press_sequentially(" het kan. ")
    # What a word processor puts on the clipboard: styled markup beside the plain text.
    editor.evaluate(
        """(editor) => {
            const data = new DataTransfer();
            data.setData("text/html", '<p style="color:red"><b>Uit</b> Word<img src="x"></p>');
            data.setData("text/plain", "Uit Word");
            editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        }"""
    )
    expect(editor).to_have_text("Omdat het kan. Uit Word")
    expect(editor.locator("b, strong, img, [style]")).to_have_count(0)
    expect(page.locator("textarea[name=justification]")).to_have_value(
        re.compile(r"^<p><em>Omdat</em> het kan\. Uit Word\s*</p>$")
    )
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_text("Het voorstel is opgeslagen.")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.justification.startswith("<p><em>Omdat</em> het kan.")


def test_without_javascript_the_textarea_takes_plain_paragraphs(browser, live_server, proposal):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", java_script_enabled=False
    )
    page = context.new_page()
    try:
        login(page, "opsteller@demo.lmbplanner.be")
        page.goto(edit_url(proposal))
        text = page.get_by_label("Tekst van het voorstel")
        expect(text).to_have_value("De gemeente koopt duurzaam en eerlijk aan.")
        text.fill("Eerste alinea.\n\nTweede & laatste.")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text("Het voorstel is opgeslagen.")).to_be_visible()
    finally:
        context.close()
    proposal.refresh_from_db()
    assert proposal.text == "<p>Eerste alinea.</p>\n\n<p>Tweede &amp; laatste.</p>"
