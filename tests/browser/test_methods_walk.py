"""The Chromium walk of issue 12: the opsteller opens a brainwriting worksheet, opens it to
the schepen and invites an outside partner; the three add ideas from three browser contexts
and each sees the others' ideas appear without reloading (htmx polling); the opsteller turns
an idea into a memorandum proposal and revokes the link, which then answers 404. The overview
and the worksheet page pass axe."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEPEN = "schepen@demo.lmbplanner.be"
OPSTELLER = "opsteller@demo.lmbplanner.be"
POLL = 12_000  # ms: the board polls every 5 s


def test_three_people_fill_a_brainwriting_worksheet_together(page, browser, live_server):
    login(page, OPSTELLER)
    page.goto("/gemeente/99001/methoden/")
    assert_accessible(page)
    page.locator("#methode-brainwriting").get_by_role("link", name="Nieuw werkblad").click()
    page.get_by_label("Titel").fill("Het wereldfeest")
    page.get_by_role("button", name="Werkblad openen").click()
    expect(page.get_by_role("heading", name="Het wereldfeest", level=1)).to_be_visible()
    page.get_by_label("Naam van de groep").fill("Groep jongeren")
    page.get_by_label("Vraag van de groep").fill("Hoe bereiken we jongeren?")
    page.get_by_role("button", name="Groep toevoegen").click()
    page.get_by_label("Schepen en lezers mogen iets toevoegen").check()
    page.get_by_role("button", name="Instellingen bewaren").click()
    page.get_by_label("Naam van de gast").fill("Ann van de adviesraad")
    page.get_by_role("button", name="Link maken").click()
    link = re.search(r"https?://\S+/gast/[A-Za-z0-9_-]+/", page.content())[0]
    worksheet_url = page.url.split("#")[0]
    assert_accessible(page)

    schepen_context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    guest_context = browser.new_context(locale="nl-BE")
    try:
        schepen = schepen_context.new_page()
        login(schepen, SCHEPEN)
        schepen.goto(worksheet_url)
        guest = guest_context.new_page()
        guest.goto(link)
        expect(guest.get_by_text("Welkom, Ann van de adviesraad.")).to_be_visible()

        for who, text in (
            (page, "Een quiz in de jeugdclub"),
            (schepen, "Een fairtrade-fuif"),
            (guest, "Jongeren zelf laten organiseren"),
        ):
            who.get_by_label("Blad van groep").select_option(label="Groep jongeren")
            who.get_by_label("Idee (in een volzin)").fill(text)
            who.get_by_role("button", name="Toevoegen", exact=True).click()
        # Each sees the others' ideas arrive in the polled board, without reloading.
        for who in (page, schepen, guest):
            board = who.locator("#board")
            for text in ("Een quiz", "Een fairtrade-fuif", "Jongeren zelf laten organiseren"):
                expect(board.locator(".contribution-text", has_text=text)).to_be_visible(
                    timeout=POLL
                )
        # The opsteller sees who wrote what, the guest marked as such.
        expect(
            page.locator("#board .contribution")
            .filter(has_text="Jongeren zelf")
            .get_by_text("gast", exact=True)
        ).to_be_visible()

        # The idea becomes an own proposal of the memorandum.
        page.reload()
        item = (
            page.locator("li")
            .filter(has_text="Jongeren zelf laten organiseren")
            .filter(has=page.get_by_role("button", name="Voorstel maken"))
        )
        item.get_by_label("Actieterrein").select_option(index=1)
        item.get_by_label("Ambitieniveau").select_option(index=1)
        item.get_by_role("button", name="Voorstel maken").click()
        expect(page.get_by_text("Het memorandum heeft een nieuw eigen voorstel.")).to_be_visible()
        page.goto("/gemeente/99001/memorandum/")
        expect(page.get_by_text("Jongeren zelf laten organiseren").first).to_be_visible()
        # Its card leads back to the worksheet (methods_tags); the page stays accessible.
        back = page.locator(".worksheet-origin").get_by_role(
            "link", name=re.compile("Uit werkblad")
        )
        expect(back).to_have_count(1)
        assert_accessible(page)
        back.click()
        expect(page).to_have_url(re.compile(re.escape(worksheet_url) + "$"))

        # Revoked, the link is a 404.
        page.goto(worksheet_url)
        page.locator("#uitnodigingen ~ ul").get_by_role("button", name="Intrekken").click()
        response = guest.goto(link)
        assert response.status == 404
    finally:
        schepen_context.close()
        guest_context.close()


def test_every_kinds_page_passes_axe(page):
    from apps.accounts.models import User
    from apps.core.models import ActionArea, Legislature, Municipality, SDGGoal
    from apps.methods import services
    from apps.methods.kinds import KINDS
    from apps.methods.models import Method
    from apps.methods.permissions import Participant

    opsteller = User.objects.get(email=OPSTELLER)
    demodorp = Municipality.objects.get(nis_code="99001")
    me = Participant(user=opsteller)
    paths = []
    for key in sorted(KINDS):
        sheet = services.worksheet_create(
            municipality=demodorp,
            legislature=Legislature.objects.current(),
            method=Method.objects.get(key=key),
            title=f"Werkblad {key}",
            question="Een vraag",
            by=opsteller,
        )
        if key in ("brainwriting", "gps"):
            services.group_add(worksheet=sheet, name="Groep A", question="Vraag A", by=opsteller)
        fields = {
            "brainwriting": {"section": "idee", "group": sheet.groups.first()},
            "gps": {"section": "kort", "group": sheet.groups.first()},
            "swot": {"section": "S"},
            "sdg-cirkel": {"section": "al", "sdg": SDGGoal.objects.get(number=5)},
            "start-stop-verder": {"section": "stop", "detail": "Reden"},
            "veranderingstheorie": {"section": "impact"},
            "oeso-dac": {"section": "impact", "question": 0},
            "initiatieven": {"section": "loopt", "action_areas": [ActionArea.objects.first()]},
            "outcome-mapping": {"section": "invloed", "detail": "Verandering"},
        }[key]
        services.contribution_add(worksheet=sheet, participant=me, text="Een bijdrage", **fields)
        paths.append(f"/gemeente/99001/werkbladen/{sheet.pk}/")
    _invitation, token = services.invitation_create(
        worksheet=sheet, guest_name="Gast", days=1, by=opsteller
    )
    login(page, OPSTELLER)
    for path in paths:
        page.goto(path)
        expect(page.locator("#board").get_by_text("Een bijdrage").first).to_be_visible()
        assert_accessible(page)
    page.goto(f"/gast/{token}/")
    expect(page.locator("#board").get_by_text("Een bijdrage").first).to_be_visible()
    assert_accessible(page)
