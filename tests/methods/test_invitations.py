"""Outside partners: a personal link for one worksheet, without an account."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.methods import services
from apps.methods.models import Invitation

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db


def idea(group, text):
    return {"section": "idee", "group": group.pk, "text": text}


def test_opsteller_makes_a_link_that_is_shown_once_and_stored_as_a_hash(
    client, brainwriting, opsteller
):
    client.force_login(opsteller)
    response = client.post(
        reverse(
            "methods:invitation_create",
            args=[brainwriting.municipality.nis_code, brainwriting.pk],
        ),
        {"guest_name": "Ann van de adviesraad", "days": 14},
    )
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    token = re.search(r"/gast/([A-Za-z0-9_-]{20,64})/", shown)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == services.token_hash(token) != token
    assert token not in str(list(Invitation.objects.values()))
    # Shown once: the page reloaded does not have it.
    page = client.get(
        reverse("methods:worksheet", args=[brainwriting.municipality.nis_code, brainwriting.pk])
    )
    assert token not in page.content.decode()


def test_a_guest_reads_and_adds_to_that_one_worksheet(brainwriting, guest_link, opsteller):
    invitation, path = guest_link
    guest = Client()
    page = guest.get(path)
    assert page.status_code == 200
    assert "Hoe bereiken we jongeren?" in page.content.decode()
    group = brainwriting.groups.first()
    response = guest.post(f"{path}bijdragen/nieuw/", idea(group, "Een wereldcafé in de jeugdclub"))
    assert response.status_code == 302
    note = brainwriting.contributions.get()
    assert (note.author, note.guest_name, note.invitation) == (
        None,
        invitation.guest_name,
        invitation,
    )
    assert "Een wereldcafé" in guest.get(f"{path}bijdragen/").content.decode()
    # The opsteller sees who wrote it, marked as a guest.
    staff = Client()
    staff.force_login(opsteller)
    board = staff.get(
        reverse("methods:board", args=[brainwriting.municipality.nis_code, brainwriting.pk])
    ).content.decode()
    assert "Ann van de adviesraad" in board and ">gast<" in board


def test_the_link_opens_nothing_else(brainwriting, guest_link, municipality, opsteller):
    _invitation, path = guest_link
    other = open_worksheet(municipality, opsteller, "sdg-cirkel")
    guest = Client()
    assert guest.get(path).status_code == 200
    nis = municipality.nis_code
    for target in (
        reverse("methods:worksheet", args=[nis, brainwriting.pk]),
        reverse("methods:board", args=[nis, brainwriting.pk]),
        reverse("methods:worksheet", args=[nis, other.pk]),
        reverse("methods:overview", args=[nis]),
        reverse("core:dashboard", args=[nis]),
        reverse("beleidsvoorstellen:memorandum", args=[nis]),
    ):
        response = guest.get(target)
        assert response.status_code == 302 and "/account/" in response["Location"], target
    # Posting to the member URLs with the guest's session does not write either.
    response = guest.post(
        reverse("methods:contribution_add", args=[nis, other.pk]),
        {"section": "al", "sdg": 1, "text": "x"},
    )
    assert response.status_code == 302 and not other.contributions.exists()
    # Another worksheet's group cannot be reached through this link.
    other_sheet = open_worksheet(municipality, opsteller, "brainwriting")
    foreign = services.group_add(worksheet=other_sheet, name="X", question="Y", by=opsteller)
    response = guest.post(f"{path}bijdragen/nieuw/", idea(foreign, "Ergens anders"))
    assert response.status_code == 400
    assert not other_sheet.contributions.exists()


def test_a_revoked_link_is_404(client, brainwriting, guest_link, opsteller):
    invitation, path = guest_link
    client.force_login(opsteller)
    response = client.post(
        reverse(
            "methods:invitation_revoke",
            args=[brainwriting.municipality.nis_code, brainwriting.pk, invitation.pk],
        )
    )
    assert response.status_code == 302
    guest = Client()
    assert guest.get(path).status_code == 404
    assert guest.get(f"{path}bijdragen/").status_code == 404
    group = brainwriting.groups.first()
    assert guest.post(f"{path}bijdragen/nieuw/", idea(group, "Te laat")).status_code == 404
    assert not brainwriting.contributions.exists()


def test_an_expired_link_is_404(brainwriting, guest_link):
    invitation, path = guest_link
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().get(path).status_code == 404


def test_an_unknown_or_malformed_key_is_404():
    guest = Client()
    assert guest.get("/gast/" + "a" * 43 + "/").status_code == 404
    assert guest.get("/gast/%00" + "a" * 30 + "/").status_code == 404


def test_a_link_is_throttled_with_a_dutch_message(settings, brainwriting, guest_link):
    settings.METHODS_GUEST_RATE = (3, 60)
    _invitation, path = guest_link
    guest = Client()
    assert [guest.get(path).status_code for _ in range(3)] == [200, 200, 200]
    response = guest.get(path)
    assert response.status_code == 429
    assert "te veel verzoeken" in response.content.decode()
    group = brainwriting.groups.first()
    assert guest.post(f"{path}bijdragen/nieuw/", idea(group, "Nog een")).status_code == 429
    assert not brainwriting.contributions.exists()


def test_the_throttle_counts_per_link(settings, brainwriting, guest_link, opsteller):
    settings.METHODS_GUEST_RATE = (2, 60)
    _invitation, path = guest_link
    _second, other_token = services.invitation_create(
        worksheet=brainwriting, guest_name="Bert", days=1, by=opsteller
    )
    guest = Client()
    for _ in range(3):
        guest.get(path)
    assert guest.get(path).status_code == 429
    assert guest.get(f"/gast/{other_token}/").status_code == 200


def test_a_guest_votes_once_and_removes_only_their_own(brainwriting, guest_link, opsteller):
    from apps.methods.permissions import Participant

    _invitation, path = guest_link
    group = brainwriting.groups.first()
    staff_idea = services.contribution_add(
        worksheet=brainwriting,
        participant=Participant(user=opsteller),
        section="idee",
        text="Van de opsteller",
        group=group,
    )
    guest = Client()
    guest.post(f"{path}bijdrage/{staff_idea.pk}/stem/")
    assert staff_idea.votes.count() == 1
    guest.post(f"{path}bijdrage/{staff_idea.pk}/stem/")  # a second click takes it back
    assert staff_idea.votes.count() == 0
    assert guest.post(f"{path}bijdrage/{staff_idea.pk}/verwijderen/").status_code == 403
    assert brainwriting.contributions.count() == 1
