import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_a_self_only_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_load_no_third_party_assets(client):
    body = client.get(reverse("accounts:login")).text
    assert "https://" not in body.replace("https://www.w3.org", "")
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body


def test_forms_are_csrf_protected(client, opsteller):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("accounts:login"), {"username": opsteller.email, "password": "x"}
    )
    assert response.status_code == 403


def test_responses_deny_browser_features_the_app_does_not_use(client, opsteller):
    for response in (
        client.get(reverse("accounts:login")),
        client.get("/bestaat-niet/"),
    ):
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy
