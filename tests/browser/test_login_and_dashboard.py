import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("email", "municipality", "role"),
    [
        ("opsteller@demo.lmbplanner.be", "Demodorp", "Opsteller"),
        ("schepen@demo.lmbplanner.be", "Demodorp", "Schepen (nalezer)"),
        ("lezer@demo.lmbplanner.be", "Demodorp", "Lezer"),
        ("beheerder@demo.lmbplanner.be", "Demodorp", "Lezer"),
        ("andere@demo.lmbplanner.be", "Anderegem", "Opsteller"),
    ],
)
def test_each_demo_account_sees_its_dashboard(page, email, municipality, role):
    login(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text(municipality)
    expect(page.get_by_text(f"Jouw rol: {role}")).to_be_visible()
    expect(page.get_by_text("Legislatuur 2026-2031")).to_be_visible()
    expect(page.get_by_role("heading", name="Ambtelijk memorandum")).to_be_visible()


def test_the_other_municipality_stays_hidden(page):
    login(page, "andere@demo.lmbplanner.be")
    response = page.goto("/gemeente/99001/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Pagina niet gevonden")).to_be_visible()
    assert len(page.console_errors) == 1 and "404" in page.console_errors[0]
    page.console_errors.clear()


def test_only_the_beheerder_sees_the_admin_link(page):
    login(page, "opsteller@demo.lmbplanner.be")
    expect(page.get_by_role("link", name="Beheer")).to_have_count(0)
    page.get_by_role("button", name="Afmelden").click()
    login(page, "beheerder@demo.lmbplanner.be")
    page.get_by_role("link", name="Beheer").click()
    page.wait_for_load_state()
    assert "/beheer/" in page.url


def test_wrong_password_shows_a_dutch_message(page):
    login(page, "schepen@demo.lmbplanner.be", "verkeerd")
    expect(page.get_by_text("horen niet bij elkaar")).to_be_visible()


def test_switch_to_english(page):
    login(page, "opsteller@demo.lmbplanner.be")
    page.get_by_label("Taal").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Documents")).to_be_visible()


def test_login_page_and_dashboard_are_accessible(page):
    page.goto("/account/aanmelden/")
    assert_accessible(page)
    login(page, "opsteller@demo.lmbplanner.be")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demodorp")
    assert_accessible(page)
