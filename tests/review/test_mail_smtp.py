"""The notification mails through a real SMTP conversation: a local aiosmtpd server receives
what Django's SMTP backend (configured through MAILERS, as production is) sends after the
commit of a submission."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from apps.core.models import Role
from apps.review import services
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


class Collector:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_mailers(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }


@pytest.fixture
def smtp_server(settings):
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = smtp_mailers(controller.port)
    try:
        yield collector
    finally:
        controller.stop()


def test_a_submission_reaches_the_schepen_through_smtp(
    smtp_server, django_capture_on_commit_callbacks, municipality, memorandum, opsteller, schepen
):
    MembershipFactory(municipality=municipality, role=Role.LEZER)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(document=memorandum, action="submit", by=opsteller)
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == [schepen.email]
    assert envelope.mail_from == "noreply@lmbplanner.be"
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert message["To"] == schepen.email
    # A long subject is folded, possibly right after "Subject:"; unfolded it reads the same.
    assert message["Subject"].strip() == (
        f"[LMB Planner] {opsteller.get_full_name()} diende Ambtelijk memorandum in ter review"
    )
    body = message.get_content()
    assert f"/gemeente/{municipality.nis_code}/review/memorandum/{memorandum.pk}/" in body


def test_nothing_is_sent_when_the_submission_rolls_back(
    smtp_server, django_capture_on_commit_callbacks, memorandum, opsteller, schepen
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.transition(document=memorandum, action="submit", by=opsteller)
    # The test's transaction is rolled back afterwards: the callbacks never run.
    assert callbacks
    assert smtp_server.envelopes == []


def test_a_mail_server_that_is_down_does_not_undo_the_submission(
    settings, django_capture_on_commit_callbacks, memorandum, opsteller, schepen, caplog
):
    settings.MAILERS = smtp_mailers(free_port())  # nobody listens there
    with django_capture_on_commit_callbacks(execute=True):
        step = services.transition(document=memorandum, action="submit", by=opsteller)
    step.refresh_from_db()
    assert step.to_status == "ter_review"
    assert f"Melding naar {schepen.email} niet verstuurd" in caplog.text
