from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def post_login(client, email, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_dutch(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert '<html lang="nl-be">' in response.text
    assert "Aanmelden bij LMB Planner" in response.text
    assert "E-mailadres" in response.text


def test_login_with_email_and_password(client, opsteller, municipality):
    response = post_login(client, opsteller.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    follow = client.get(response["Location"])
    assert follow["Location"] == reverse("core:dashboard", args=[municipality.nis_code])


def test_email_is_not_case_sensitive(client, opsteller):
    response = post_login(client, opsteller.email.upper(), PASSWORD)
    assert response.status_code == 302


def test_wrong_password_gives_a_dutch_message(client, opsteller):
    response = post_login(client, opsteller.email, "fout")
    assert response.status_code == 200
    assert "horen niet bij elkaar" in response.text
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, opsteller):
    client.force_login(opsteller)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:logout")).status_code == 405


def fail(client, user, times, ip="10.0.0.1"):
    for _ in range(times):
        post_login(client, user.email, "verkeerd", ip=ip)


def test_lockout_after_the_failure_limit(client, opsteller):
    fail(client, opsteller, settings.AXES_FAILURE_LIMIT)
    response = post_login(client, opsteller.email, PASSWORD)
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.text
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_ip_so_others_cannot_lock_out_the_alderman(client, schepen):
    fail(client, schepen, settings.AXES_FAILURE_LIMIT + 2, ip="203.0.113.7")
    assert post_login(client, schepen.email, PASSWORD, ip="203.0.113.7").status_code == 429
    # The alderman's own computer is not locked out by an attacker elsewhere.
    response = post_login(client, schepen.email, PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(client, opsteller):
    fail(client, opsteller, settings.AXES_FAILURE_LIMIT)
    assert post_login(client, opsteller.email, PASSWORD).status_code == 429
    # Move the failures back in time instead of waiting for the cool-off.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert post_login(client, opsteller.email, PASSWORD).status_code == 302


def test_success_resets_the_failure_count(client, opsteller):
    fail(client, opsteller, settings.AXES_FAILURE_LIMIT - 1)
    assert post_login(client, opsteller.email, PASSWORD).status_code == 302
    client.logout()
    fail(client, opsteller, settings.AXES_FAILURE_LIMIT - 1)
    assert post_login(client, opsteller.email, PASSWORD).status_code == 302


def test_password_reset_by_email(client):
    user = UserFactory(email="reset@example.be")
    response = client.post(reverse("accounts:password_reset"), {"email": "reset@example.be"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reset@example.be"]
    assert "Nieuw wachtwoord" in message.subject
    link = next(line for line in message.body.splitlines() if "/wachtwoord-herstellen/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "Nieuw-Wachtw00rd!", "new_password2": "Nieuw-Wachtw00rd!"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nieuw-Wachtw00rd!")


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "niemand@example.be"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_two_accounts_cannot_differ_only_in_case():
    UserFactory(email="schepen@gemeente.be")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="Schepen@Gemeente.be")


def test_the_admin_form_stores_email_in_lower_case():
    user = UserFactory.build(email="Nieuwe.Collega@Gemeente.be")
    user.clean()
    assert user.email == "nieuwe.collega@gemeente.be"


def test_log_in_does_not_hold_a_request_transaction():
    """On SQLite a request transaction holds the write lock; the half-second password hash of
    a log-in must not keep everybody else's saves waiting."""
    from django.urls import resolve

    view = resolve(LOGIN).func
    assert "default" in getattr(view, "_non_atomic_requests", set())
