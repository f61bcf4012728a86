"""Results into the omgevingsanalyse: the merged self-evaluation as a section, initiatives and
outcome-mapping actors as its actors, progress markers as its indicators; each keeps the way
back, and nothing happens before the analysis is started."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import ActionArea, Legislature
from apps.methods import services
from apps.methods.models import Transfer
from apps.methods.permissions import Participant
from apps.omgevingsanalyse import services as analysis_services
from apps.omgevingsanalyse.models import Actor, Indicator, Section, Structure

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysis(municipality, opsteller):
    return analysis_services.analysis_start(
        municipality=municipality,
        legislature=Legislature.objects.current(),
        structure=Structure.objects.get(key="vijf-p"),
        by=opsteller,
    )


def add(worksheet, user, **fields):
    return services.contribution_add(
        worksheet=worksheet, participant=Participant(user=user), **fields
    )


def test_the_merged_self_evaluation_becomes_a_section(client, municipality, opsteller, analysis):
    sheet = open_worksheet(municipality, opsteller, "oeso-dac", title="Evaluatie 2020-2025")
    client.force_login(opsteller)
    url = reverse("methods:evaluation_to_analysis", args=[municipality.nis_code, sheet.pk])
    assert client.post(url).status_code == 400  # nothing merged yet
    for criterion, text in (("coherentie", "Sterk met ngo's"), ("impact", "Weinig opvolging")):
        services.evaluation_save(
            worksheet=sheet, criterion=criterion, text=text, expected_version=0, by=opsteller
        )
    assert client.post(url).status_code == 302
    section = Section.objects.get(analysis=analysis, title="Zelfevaluatie: Evaluatie 2020-2025")
    assert "<h3>Coherentie: sluiten we aan bij wat anderen doen?</h3>" in section.text
    assert section.text.index("Coherentie") < section.text.index("Impact")
    transfer = Transfer.objects.get()
    assert (transfer.worksheet, transfer.contribution, transfer.object_id) == (
        sheet,
        None,
        section.pk,
    )
    assert client.post(url).status_code == 400  # once


def test_an_initiative_becomes_an_actor_with_its_action_areas(
    client, municipality, opsteller, analysis
):
    sheet = open_worksheet(municipality, opsteller, "initiatieven")
    first, second, _third = ActionArea.objects.all()
    note = add(
        sheet,
        opsteller,
        section="nieuw",
        text="Wereldfeest",
        detail="Jeugdraad en 11.11.11",
        action_areas=[first, second],
    )
    client.force_login(opsteller)
    response = client.post(
        reverse("methods:to_actor", args=[municipality.nis_code, sheet.pk, note.pk]),
        {"kind": "ngo", "sphere": "invloed", "state": "nieuw"},
    )
    assert response.status_code == 302
    actor = Actor.objects.get(analysis=analysis)
    assert (actor.name, actor.notes, actor.state, actor.kind) == (
        "Jeugdraad en 11.11.11",
        "Wereldfeest",
        "nieuw",
        "ngo",
    )
    assert set(actor.action_areas.all()) == {first, second}
    assert Transfer.objects.get().content_type == ContentType.objects.get_for_model(Actor)


def test_an_outcome_mapping_actor_and_its_marker_go_to_actors_and_indicators(
    municipality, opsteller, analysis
):
    sheet = open_worksheet(municipality, opsteller, "outcome-mapping")
    actor_note = add(
        sheet, opsteller, section="invloed", text="Dienst aankoop", detail="Koopt eerlijk"
    )
    marker = add(sheet, opsteller, section="verwacht", parent=actor_note, text="Fairtrade-koffie")
    actor = services.contribution_to_actor(
        contribution=actor_note, kind="ander", sphere="invloed", state="loopt", by=opsteller
    )
    assert (actor.name, actor.notes, actor.sphere) == ("Dienst aankoop", "Koopt eerlijk", "invloed")
    indicator = services.marker_to_indicator(contribution=marker, by=opsteller)
    assert indicator.name == "Dienst aankoop: Fairtrade-koffie"
    assert Indicator.objects.filter(analysis=analysis, unit="mijlpaal").count() == 1
    with pytest.raises(ValidationError):  # an actor is no marker
        services.marker_to_indicator(contribution=actor_note, by=opsteller)
    with pytest.raises(ValidationError):  # once
        services.marker_to_indicator(contribution=marker, by=opsteller)


def test_nothing_goes_to_an_analysis_that_was_not_started(municipality, opsteller):
    sheet = open_worksheet(municipality, opsteller, "outcome-mapping")
    note = add(sheet, opsteller, section="controle", text="Dienst LMB")
    with pytest.raises(ValidationError):
        services.contribution_to_actor(
            contribution=note, kind="ander", sphere="controle", state="loopt", by=opsteller
        )
    assert not Transfer.objects.exists()


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_only_the_opsteller_fills_the_analysis(
    request, client, municipality, opsteller, analysis, role
):
    sheet = open_worksheet(municipality, opsteller, "outcome-mapping")
    note = add(sheet, opsteller, section="controle", text="Dienst LMB")
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("methods:to_actor", args=[municipality.nis_code, sheet.pk, note.pk]),
        {"kind": "ander", "sphere": "controle", "state": "loopt"},
    )
    assert response.status_code == 403
    assert not Actor.objects.exists()
