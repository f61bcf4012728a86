"""The SWOT worksheet reuses the omgevingsanalyse's SWOT: its quadrants, and its items as the
result (no second SWOT model)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from apps.core.models import Legislature
from apps.methods import selectors, services
from apps.methods.kinds import KINDS
from apps.methods.models import Transfer
from apps.methods.permissions import Participant
from apps.omgevingsanalyse import services as analysis_services
from apps.omgevingsanalyse.models import Quadrant, Structure, SwotItem

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def swot(municipality, opsteller):
    return open_worksheet(municipality, opsteller, "swot")


def start_analysis(municipality, opsteller):
    return analysis_services.analysis_start(
        municipality=municipality,
        legislature=Legislature.objects.current(),
        structure=Structure.objects.get(key="vijf-p"),
        by=opsteller,
    )


def note(worksheet, user, quadrant, text):
    return services.contribution_add(
        worksheet=worksheet, participant=Participant(user=user), section=quadrant, text=text
    )


def test_the_swot_worksheet_has_the_analysis_quadrants():
    assert KINDS["swot"].sections == tuple(Quadrant.choices)


def test_a_swot_note_becomes_an_item_of_the_analysis_swot(client, swot, municipality, opsteller):
    analysis = start_analysis(municipality, opsteller)
    strength = note(swot, opsteller, "S", "Een actieve\nadviesraad")
    client.force_login(opsteller)
    response = client.post(
        reverse("methods:to_swot", args=[municipality.nis_code, swot.pk, strength.pk])
    )
    assert response.status_code == 302
    item = SwotItem.objects.get(analysis=analysis)
    assert (item.quadrant, item.text) == ("S", "Een actieve adviesraad")
    transfer = Transfer.objects.get()
    assert (transfer.contribution, transfer.object_id) == (strength, item.pk)
    assert transfer.content_type == ContentType.objects.get_for_model(SwotItem)
    # The worksheet shows the analysis's SWOT as it now stands, to members.
    board = selectors.board(swot, Participant(user=opsteller))
    strengths = board.extra["analysis_swot"][0]
    assert [i.text for i in strengths["items"]] == ["Een actieve adviesraad"]
    with pytest.raises(ValidationError):  # once
        services.contribution_to_swot(contribution=strength, by=opsteller)


def test_without_an_analysis_the_note_waits(swot, opsteller, client, municipality):
    threat = note(swot, opsteller, "T", "Besparingen")
    client.force_login(opsteller)
    response = client.post(
        reverse("methods:to_swot", args=[municipality.nis_code, swot.pk, threat.pk])
    )
    assert response.status_code == 400
    assert "Start eerst de omgevingsanalyse" in response.content.decode()
    assert not Transfer.objects.exists()


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_only_the_opsteller_fills_the_analysis_swot(
    request, client, swot, municipality, opsteller, role
):
    start_analysis(municipality, opsteller)
    weakness = note(swot, opsteller, "W", "Weinig budget")
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("methods:to_swot", args=[municipality.nis_code, swot.pk, weakness.pk])
    )
    assert response.status_code == 403
    assert not SwotItem.objects.exists()


def test_a_swot_note_is_one_analysis_item_long_and_guests_do_not_see_the_draft(
    swot, municipality, opsteller
):
    with pytest.raises(ValidationError):
        note(swot, opsteller, "O", "x" * 501)
    analysis = start_analysis(municipality, opsteller)
    analysis_services.swot_item_save(
        analysis=analysis,
        item=None,
        quadrant="S",
        text="Intern concept",
        sdg=None,
        action_area=None,
        by=opsteller,
    )
    _invitation, token = services.invitation_create(
        worksheet=swot, guest_name="Partner", days=2, by=opsteller
    )
    page = Client().get(f"/gast/{token}/").content.decode()
    assert "Sterktes" in page
    assert "Intern concept" not in page
