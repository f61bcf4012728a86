"""Odd values in every field of the guest's forms and the opsteller's forms: never a 500, and
a refused request writes nothing. (tests/fuzz reaches the members' pages by their links; a
guest's key appears on no page, so its forms are fuzzed here.)"""

import pytest
from django.test import Client
from django.urls import reverse

from apps.methods.models import BrainwritingGroup, Contribution, Criterion, Invitation, Worksheet

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db

ODD = [
    "\x00",
    "a\x00b",
    "99999999999999999999999999",
    "-1",
    "1.5",
    "NaN",
    "",
    "x" * 100_000,
    "\u202eevil\u202c",
    "9" * 5000,
]


def rows():
    return tuple(
        model.objects.count()
        for model in (Contribution, BrainwritingGroup, Criterion, Invitation, Worksheet)
    )


def fuzz(client, path, fields, valid):
    for name in fields:
        for value in ODD:
            before = rows()
            response = client.post(path, {**valid, name: value})
            assert response.status_code < 500, (path, name, value[:20])
            if response.status_code != 302:
                assert rows() == before, (path, name, value[:20])


def test_guest_forms_take_odd_values(settings, brainwriting, guest_link):
    settings.METHODS_GUEST_RATE = (100_000, 60)
    _invitation, path = guest_link
    group = brainwriting.groups.first()
    fuzz(
        Client(),
        f"{path}bijdragen/nieuw/",
        ["section", "group", "text"],
        {"section": "idee", "group": str(group.pk), "text": "Een idee"},
    )
    guest = Client()
    for value in ("0", "99999999999999999999", "-1"):
        assert guest.post(f"{path}bijdrage/{value}/stem/").status_code in (404, 405)
    assert guest.get(f"/gast/{'a' * 65}/").status_code == 404


def test_opsteller_forms_take_odd_values(client, brainwriting, opsteller, municipality):
    client.force_login(opsteller)
    nis = municipality.nis_code

    def url(name):
        return reverse(f"methods:{name}", args=[nis, brainwriting.pk])

    fuzz(
        client,
        url("settings"),
        ["open_to_members", "phase", "round", "version"],
        {"phase": "verzamelen", "round": "1", "version": str(brainwriting.version)},
    )
    fuzz(client, url("group_add"), ["name", "question"], {"name": "C", "question": "V"})
    fuzz(
        client,
        url("criterion_add"),
        ["kind", "text", "weight"],
        {"kind": "wens", "text": "K", "weight": "2"},
    )
    fuzz(client, url("invitation_create"), ["guest_name", "days"], {"guest_name": "G", "days": "3"})
    sheet = open_worksheet(municipality, opsteller, "oeso-dac")
    fuzz(
        client,
        reverse("methods:evaluation_save", args=[nis, sheet.pk]),
        ["criterion", "version", "text"],
        {"criterion": "impact", "version": "0", "text": "Samen"},
    )
    fuzz(
        client,
        reverse("methods:worksheet_create", args=[nis, "veranderingstheorie"]),
        ["title", "question", "document_kind"],
        {"title": "T", "question": "", "document_kind": ""},
    )


def test_project_sheet_and_swot_forms_take_odd_values(client, municipality, opsteller):
    from apps.methods import services
    from apps.methods.models import ProjectSheet
    from apps.methods.permissions import Participant

    client.force_login(opsteller)
    nis = municipality.nis_code
    gps = open_worksheet(municipality, opsteller, "gps")
    idea = services.contribution_add(
        worksheet=gps,
        participant=Participant(user=opsteller),
        section="kort",
        group=gps.groups.get(),
        text="Idee",
    )
    sheet = services.project_sheet_start(idea=idea, participant=Participant(user=opsteller))
    path = reverse("methods:project_sheet", args=[nis, gps.pk, sheet.pk])
    for name in ("version", "description", "advantages", "pitfalls", "needs"):
        for value in ODD:
            before = ProjectSheet.objects.get().version
            response = client.post(path, {"version": "1", "description": "D", name: value})
            assert response.status_code < 500, (name, value[:20])
            if response.status_code != 302:
                assert ProjectSheet.objects.get().version == before
            ProjectSheet.objects.update(version=1)
    for value in ("0", "99999999999999999999"):
        url = f"/gemeente/{nis}/werkbladen/{gps.pk}/bijdrage/{value}/naar-swot/"
        assert client.post(url).status_code == 404
