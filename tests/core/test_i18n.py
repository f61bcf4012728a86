import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_interface_is_dutch_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert "Aanmelden" in response.text


def test_switching_to_english_and_back(client, opsteller, municipality):
    client.force_login(opsteller)
    dashboard = reverse("core:dashboard", args=[municipality.nis_code])
    response = client.post(reverse("set_language"), {"language": "en", "next": dashboard})
    assert response.status_code == 302
    page = client.get(dashboard)
    assert '<html lang="en">' in page.text
    assert "Documents" in page.text
    assert "Sign out" in page.text
    client.post(reverse("set_language"), {"language": "nl-be", "next": dashboard})
    page = client.get(dashboard)
    assert '<html lang="nl-be">' in page.text
    assert "Documenten" in page.text


def test_the_login_page_in_english(client):
    client.post(reverse("set_language"), {"language": "en"})
    response = client.get(reverse("accounts:login"))
    assert "Sign in" in response.text


def test_an_english_browser_still_gets_dutch_until_the_user_switches(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl-be">' in response.text
    assert "Aanmelden bij LMB Planner" in response.text
