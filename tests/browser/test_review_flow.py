"""Issue 9's review round in Chromium, axe-checked on every page it visits.

Demodorp's memorandum with three library proposals: the opsteller submits it with a message
and sees it locked; the schepen comments on one proposal, quoting a passage and mentioning the
opsteller through the suggestions; the opsteller replies and resolves; the schepen sends it
back (the reason is required); the opsteller reopens, changes one sentence and resubmits; the
schepen's review page shows only that change, word by word, and approves; the approved PDF
says so on its cover and stays byte for byte the same after the document is edited again.
Last, the mails: who got which."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.beleidsvoorstellen.factories import LibraryProposalFactory, area

from .conftest import assert_accessible, dashboard_card, demo_adopt, login

pytestmark = pytest.mark.django_db(transaction=True)

OPSTELLER = "opsteller@demo.lmbplanner.be"  # Olivia Opsteller
SCHEPEN = "schepen@demo.lmbplanner.be"  # Sam Schepen

OLD_SENTENCE = "De gemeente koopt duurzaam en eerlijk aan."
NEW_SENTENCE = "De gemeente koopt circulair en eerlijk aan."
KEPT_SENTENCE = "Elk jaar volgt een verslag."

# A mail's kind, told by the words of its subject (apps/review/services.py).
MAIL_KINDS = [
    ("indiening", re.compile(r"diende .* in ter review")),
    ("vermelding", re.compile(r"vermeldt je in een opmerking")),
    ("reactie", re.compile(r"reageerde op een opmerking")),
    ("terugsturen", re.compile(r"stuurde .* terug")),
    ("goedkeuring", re.compile(r"keurde .* goed")),
]


def named(verb: str, title: str) -> re.Pattern:
    """A control whose visible verb is completed by a visually hidden title."""
    return re.compile(rf"^{verb}\s*:\s*{re.escape(title)}$")


def checked(page) -> None:
    """Every page of the walk: loaded, and checked with axe. A violation is kept with the
    page's address and the walk goes on; the test fails at its end with all of them."""
    page.wait_for_load_state()
    try:
        assert_accessible(page)
    except AssertionError as error:
        page.axe_findings.append(f"{page.url}: {str(error).splitlines()[0]}")


def sign_in(page, email: str, state: str) -> None:
    """Sign out whoever is signed in, sign in as ``email`` and open the memorandum from the
    dashboard, whose card shows the review ``state``."""
    if page.get_by_role("button", name="Afmelden").count():
        page.get_by_role("button", name="Afmelden").click()
        checked(page)
    page.goto("/account/aanmelden/")
    checked(page)
    login(page, email)
    checked(page)
    card = dashboard_card(page, "Ambtelijk memorandum")
    expect(card.locator(".badge").first).to_have_text(state)
    card.get_by_role("link").click()
    expect(page.locator(".review-bar")).to_be_visible()
    checked(page)
    expect(status(page)).to_have_text(state)


def submit_for_review(page, message: str) -> None:
    """The review bar's submission form, with a message for the schepen (unfolded first when
    the bar folds it)."""
    form = page.locator(".review-bar .review-submit")
    if form.locator("summary").count():
        form.locator("summary").click()
    form.get_by_label("Bericht voor de schepen (niet verplicht)").fill(message)
    form.get_by_role("button", name="Indienen ter review").click()


def status(page):
    return page.locator(".review-status").first


@pytest.fixture
def proposals(demo):
    return demo_adopt(
        LibraryProposalFactory(
            title="Duurzame overheidsopdrachten",
            text=f"<p>{OLD_SENTENCE} {KEPT_SENTENCE}</p>",
            sdgs=[12],
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
            sdgs=[17],
        ),
    )


def approved_pdf(page, link) -> bytes:
    """Download the approved PDF behind ``link``. While it is still being made the link opens
    a page that says so (checked with axe); the browser then polls until the PDF is there and
    the walk follows the page's "Opnieuw proberen"."""
    path = link.get_attribute("href")
    with page.expect_download(timeout=60_000) as download_info:
        with page.expect_response(lambda response: urlsplit(response.url).path == path) as first:
            link.click()
        if first.value.headers["content-type"] != "application/pdf":
            expect(page.get_by_text("wordt nog gemaakt")).to_be_visible()
            checked(page)
            # The page asks the server every quarter second; the walk waits for its answer.
            page.evaluate(
                """(url) => {
                    window.lmbPdfReady = false;
                    const ask = async () => {
                        const response = await fetch(url, {credentials: "same-origin"});
                        if (response.headers.get("content-type") === "application/pdf") {
                            window.lmbPdfReady = true;
                        } else {
                            setTimeout(ask, 250);
                        }
                    };
                    ask();
                }""",
                path,
            )
            page.wait_for_function("() => window.lmbPdfReady === true", timeout=60_000)
            page.get_by_role("link", name="Opnieuw proberen").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    with open(download.path(), "rb") as file:
        return file.read()


def test_a_review_round_from_submission_to_the_approved_pdf(page, proposals, mailoutbox):
    changed, kept, other = proposals
    page.axe_findings = []

    # 1. The opsteller submits the memorandum with a message; it is locked from then on.
    sign_in(page, OPSTELLER, "Concept")
    expect(page.get_by_role("link", name=named("Bewerken", changed.title))).to_be_visible()
    submit_for_review(page, "Klaar voor jouw lezing: drie voorstellen uit de bibliotheek.")
    expect(page.get_by_text("Het document is ter review ingediend.")).to_be_visible()
    checked(page)
    expect(status(page)).to_have_text("Ter review")
    expect(page.get_by_text("Dit document ligt ter review bij de schepen.")).to_be_visible()
    expect(page.get_by_text("Klaar voor jouw lezing")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Bewerken"))).to_have_count(0)
    expect(page.get_by_role("link", name="Inleiding bewerken")).to_have_count(0)
    expect(page.get_by_role("link", name="Eigen voorstel toevoegen")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^Omhoog"))).to_have_count(0)
    expect(page.get_by_role("button", name="Indiening intrekken")).to_be_visible()

    # 2. The schepen reads it and comments on one proposal, mentioning the opsteller.
    sign_in(page, SCHEPEN, "Ter review")
    page.get_by_role("link", name="Naar de review").click()
    checked(page)
    expect(page.get_by_text("Dit is de eerste indiening")).to_be_visible()
    expect(page.locator(".review-submitted-parts")).to_contain_text(changed.title)
    expect(page.locator(".review-message")).to_contain_text("Klaar voor jouw lezing")
    page.get_by_role("link", name="Naar het document").click()
    checked(page)
    page.locator(f"#voorstel-{changed.pk}").get_by_role("link", name="Opmerking maken").click()
    checked(page)
    expect(page.get_by_label("Onderdeel")).to_have_value(f"proposal-{changed.pk}")
    page.get_by_label("Citeer een passage (optioneel)").fill("duurzaam en eerlijk")
    text = page.get_by_label("Je opmerking")
    text.click()
    text.press_sequentially("Waarom niet circulair? @")
    listbox = page.get_by_role("listbox", name="Leden om te vermelden")
    expect(listbox).to_be_visible()
    expect(text).to_have_attribute("aria-expanded", "true")
    # Bart Beheerder, Lena Lezer, Olivia Opsteller (by address; the schepen is not listed).
    options = listbox.get_by_role("option")
    expect(options).to_have_count(3)
    expect(listbox).not_to_contain_text("Sam Schepen")
    olivia = listbox.get_by_role("option", name=re.compile("Olivia Opsteller"))
    expect(options.first).to_have_attribute("aria-selected", "true")
    # Up from the first wraps to the last, Olivia; down and up again come back to her.
    text.press("ArrowUp")
    expect(olivia).to_have_attribute("aria-selected", "true")
    expect(text).to_have_attribute("aria-activedescendant", olivia.get_attribute("id"))
    text.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    text.press("ArrowUp")
    expect(olivia).to_have_attribute("aria-selected", "true")
    checked(page)  # the open listbox too
    text.press("Enter")
    expect(text).to_have_value("Waarom niet circulair? @opsteller ")
    expect(listbox).to_be_hidden()
    expect(text).to_have_attribute("aria-expanded", "false")
    text.press_sequentially("Kun jij dit nakijken?")
    page.get_by_role("button", name="Opmerking plaatsen").click()
    expect(page.get_by_text("Je opmerking is geplaatst.")).to_be_visible()
    checked(page)
    thread = page.locator("article.comment-thread").filter(has_text=changed.title)
    expect(thread).to_have_count(1)
    expect(thread.locator("blockquote")).to_have_text("duurzaam en eerlijk")
    expect(thread.locator(".comment-text")).to_contain_text("Kun jij dit nakijken?")
    expect(thread.locator("mark.mention")).to_have_count(1)

    # 3. The opsteller replies in the thread and resolves it.
    sign_in(page, OPSTELLER, "Ter review")
    page.locator(".review-bar").get_by_role("link", name="Opmerkingen (1 open)").click()
    checked(page)
    thread = page.locator("article.comment-thread").filter(has_text=changed.title)
    thread.get_by_label("Je reactie").fill("Goed idee, ik pas het aan na het terugsturen.")
    thread.get_by_role("button", name="Reageren").click()
    expect(page.get_by_text("Je reactie is geplaatst.")).to_be_visible()
    checked(page)
    thread = page.locator("article.comment-thread").filter(has_text=changed.title)
    expect(thread.locator(".comment")).to_have_count(2)
    thread.get_by_role("button", name="Afhandelen").click()
    expect(page.get_by_text("De opmerking is afgehandeld.")).to_be_visible()
    checked(page)
    expect(page.locator(".comment-counts")).to_contain_text("0 open")
    expect(page.locator(".comment-counts")).to_contain_text("1 afgehandeld")
    expect(page.locator("article.comment-thread.is-resolved")).to_have_count(1)

    # 4. The schepen sends it back: not without a reason.
    sign_in(page, SCHEPEN, "Ter review")
    page.get_by_role("link", name="Naar de review").click()
    checked(page)
    expect(page.get_by_text("Er zijn geen open opmerkingen.")).to_be_visible()
    expect(page.get_by_text("1 opmerking is afgehandeld.")).to_be_visible()
    reason = page.get_by_label("Reden van het terugsturen (verplicht)")
    send_back = page.get_by_role("button", name="Terugsturen")
    review_url = page.url
    # Empty: the browser does not send the form.
    send_back.click()
    assert reason.evaluate("field => field.validity.valueMissing")
    assert page.url == review_url
    expect(status(page)).to_have_text("Ter review")
    # Only spaces pass the browser; the server refuses them, in Dutch.
    reason.fill("   ")
    send_back.click()
    expect(
        page.get_by_text("Geef een reden op waarom het document teruggaat naar de opsteller.")
    ).to_be_visible()
    checked(page)
    expect(status(page)).to_have_text("Ter review")
    page.get_by_label("Reden van het terugsturen (verplicht)").fill(
        "Schrijf circulair in plaats van duurzaam, zoals besproken."
    )
    page.get_by_role("button", name="Terugsturen").click()
    expect(page.get_by_text("Het document is teruggestuurd naar de opsteller.")).to_be_visible()
    checked(page)
    expect(status(page)).to_have_text("Teruggestuurd")

    # 5. The opsteller reopens, changes one sentence of one proposal and resubmits.
    sign_in(page, OPSTELLER, "Teruggestuurd")
    expect(page.locator(".review-banner")).to_contain_text("Schrijf circulair")
    expect(page.get_by_role("link", name=re.compile(r"^Bewerken"))).to_have_count(0)
    page.get_by_role("button", name="Heropenen om aan te passen").click()
    expect(page.get_by_text("Het document is heropend")).to_be_visible()
    checked(page)
    expect(status(page)).to_have_text("Concept")
    page.get_by_role("link", name=named("Bewerken", changed.title)).click()
    checked(page)
    page.get_by_label("Tekst van het voorstel").fill(f"{NEW_SENTENCE} {KEPT_SENTENCE}")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het voorstel is opgeslagen.")).to_be_visible()
    checked(page)
    expect(page.get_by_text(NEW_SENTENCE)).to_be_visible()
    submit_for_review(page, "Aangepast: circulair.")
    expect(page.get_by_text("Het document is ter review ingediend.")).to_be_visible()
    checked(page)
    expect(status(page)).to_have_text("Ter review")

    # 6. The review page shows only the changed proposal, word by word; the schepen approves.
    sign_in(page, SCHEPEN, "Ter review")
    page.get_by_role("link", name="Naar de review").click()
    checked(page)
    changes = page.locator("section.review-changes")
    expect(changes.get_by_role("heading", level=2)).to_have_text(
        "Wat is er veranderd sinds de vorige indiening"
    )
    expect(changes.locator("article.review-change")).to_have_count(1)
    change = changes.locator("article.review-change")
    expect(change.get_by_role("heading")).to_contain_text(changed.title)
    expect(change.locator("ins")).to_have_count(1)
    expect(change.locator("del")).to_have_count(1)
    expect(change.locator("ins")).to_have_text(re.compile(r"^\s*toegevoegd:\s*circulair\s*$"))
    expect(change.locator("del")).to_have_text(re.compile(r"^\s*verwijderd:\s*duurzaam\s*$"))
    expect(changes).not_to_contain_text(kept.title)
    expect(changes).not_to_contain_text(other.title)
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_text("Het document is goedgekeurd.")).to_be_visible()
    checked(page)
    expect(status(page)).to_have_text("Goedgekeurd")

    # 7. The document says Goedgekeurd with the date; the approved PDF says it on its cover.
    from apps.review.models import ApprovedVersion

    approved = ApprovedVersion.objects.get()
    with translation.override("nl"):
        day = formats.date_format(timezone.localtime(approved.approved_at), "j F Y")
    page.get_by_role("link", name="Naar het document").click()
    checked(page)
    expect(status(page)).to_have_text("Goedgekeurd")
    expect(page.locator(".review-banner")).to_contain_text(
        f"Goedgekeurd op {day} door Sam Schepen."
    )
    expect(page.get_by_role("link", name=re.compile(r"^Bewerken"))).to_have_count(0)
    first_pdf = approved_pdf(
        page, page.get_by_role("link", name=f"goedgekeurde versie van {day} (PDF)")
    )
    assert first_pdf.startswith(b"%PDF")
    cover = PdfReader(io.BytesIO(first_pdf)).pages[0].extract_text()
    assert f"Goedgekeurd op {day}" in cover, cover
    approved_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(first_pdf)).pages)
    assert "circulair" in approved_text

    # The opsteller reopens and edits again: the approved PDF does not change.
    sign_in(page, OPSTELLER, "Goedgekeurd")
    page.locator(".review-bar").get_by_role("button", name="Heropenen").click()
    expect(page.get_by_text("Het document is heropend")).to_be_visible()
    checked(page)
    page.get_by_role("link", name=named("Bewerken", changed.title)).click()
    checked(page)
    page.get_by_label("Tekst van het voorstel").fill("Een tekst van na de goedkeuring.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het voorstel is opgeslagen.")).to_be_visible()
    checked(page)
    expect(status(page)).to_have_text("Concept")
    expect(page.get_by_text("Eerder goedgekeurde versies:")).to_be_visible()
    second_pdf = approved_pdf(
        page, page.get_by_role("link", name=f"goedgekeurde versie van {day} (PDF)")
    )
    assert second_pdf == first_pdf

    # 8. The mails: who got which, in order.
    sent = []
    for message in mailoutbox:
        kinds = [kind for kind, pattern in MAIL_KINDS if pattern.search(message.subject)]
        assert len(kinds) == 1, message.subject
        sent.extend((kinds[0], to) for to in message.to)
    print("\nMails of the review round (kind → recipient):")
    for kind, to in sent:
        print(f"  {kind} → {to}")
    assert sent == [
        ("indiening", SCHEPEN),
        ("vermelding", OPSTELLER),
        ("reactie", SCHEPEN),
        ("terugsturen", OPSTELLER),
        ("indiening", SCHEPEN),
        ("goedkeuring", OPSTELLER),
    ]
    assert page.axe_findings == [], "axe:\n" + "\n".join(page.axe_findings)
