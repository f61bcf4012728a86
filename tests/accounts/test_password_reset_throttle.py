"""Password-reset mails are throttled per address and per client, and the answer is the same
for known and unknown addresses (issue 6, point 6)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.models import PasswordResetRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
DONE = reverse("accounts:password_reset_done")


def ask(client, email, ip="10.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def answer(response):
    return response.status_code, response.get("Location")


def test_at_most_three_mails_an_hour_per_address(client, settings):
    UserFactory(email="ambtenaar@example.be")
    answers = [answer(ask(client, "ambtenaar@example.be", ip=f"10.0.0.{n}")) for n in range(5)]
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_ADDRESS == 3
    # Every request gets the same answer, sent or not.
    assert set(answers) == {(302, DONE)}


def test_case_variants_of_an_address_share_its_limit(client):
    UserFactory(email="ambtenaar@example.be")
    for email in ["ambtenaar@example.be", "Ambtenaar@Example.be", "AMBTENAAR@EXAMPLE.BE", " x"]:
        ask(client, "ambtenaar@example.be " if email == " x" else email)
    assert len(mail.outbox) == 3


def test_known_and_unknown_addresses_get_the_same_answers(client):
    UserFactory(email="bekend@example.be")
    known = [answer(ask(client, "bekend@example.be", ip="10.0.1.1")) for _ in range(5)]
    unknown = [answer(ask(client, "onbekend@example.be", ip="10.0.2.1")) for _ in range(5)]
    assert known == unknown
    assert [m.to for m in mail.outbox] == [["bekend@example.be"]] * 3


def test_one_client_cannot_spray_many_addresses(client, settings):
    users = [UserFactory(email=f"persoon{n}@example.be") for n in range(15)]
    responses = [ask(client, user.email, ip="10.9.9.9") for user in users]
    limit = settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    assert len(mail.outbox) == limit
    throttled = responses[limit:]
    assert {r.status_code for r in throttled} == {429}
    assert "te veel nieuwe wachtwoorden aangevraagd" in throttled[0].text
    # Another client is not affected.
    assert answer(ask(client, users[-1].email, ip="10.1.1.1")) == (302, DONE)
    assert len(mail.outbox) == limit + 1


def test_the_limit_ends_after_an_hour(client):
    UserFactory(email="ambtenaar@example.be")
    for _ in range(3):
        ask(client, "ambtenaar@example.be")
    assert len(mail.outbox) == 3
    PasswordResetRequest.objects.update(
        created_at=PasswordResetRequest.objects.first().created_at - timedelta(minutes=61)
    )
    ask(client, "ambtenaar@example.be")
    assert len(mail.outbox) == 4
    # The old requests are cleaned up, so the table does not grow without end.
    assert PasswordResetRequest.objects.count() == 1


def test_addresses_and_clients_are_not_stored_as_such(client):
    ask(client, "ambtenaar@example.be", ip="10.0.0.77")
    row = PasswordResetRequest.objects.get()
    assert "ambtenaar" not in row.address_digest
    assert "10.0.0.77" not in row.client_digest


def test_the_done_page_mentions_the_limit(client):
    page = client.get(DONE)
    assert "hoogstens 3 links per uur" in page.text
