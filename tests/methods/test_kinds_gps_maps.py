"""GPS brainstorm, mapping of initiatives and outcome mapping keep their own structure."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import ActionArea, AmbitionLevel
from apps.methods import selectors, services
from apps.methods.permissions import Participant

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db


def add(worksheet, user, **fields):
    return services.contribution_add(
        worksheet=worksheet, participant=Participant(user=user), **fields
    )


# --- GPS -------------------------------------------------------------------------------------


def test_gps_has_five_trends_and_a_free_field(municipality, opsteller):
    gps = open_worksheet(municipality, opsteller, "gps")
    assert [g.name for g in gps.groups.all()] == ["Vrij veld"]
    for trend in ("Digitalisering", "Vergrijzing", "Klimaat", "Diversiteit", "Mobiliteit"):
        services.group_add(worksheet=gps, name=trend, question="", by=opsteller)
    with pytest.raises(ValidationError):
        services.group_add(worksheet=gps, name="Een zesde", question="", by=opsteller)
    # The free field stays last on the board.
    assert [g.name for g in gps.groups.all()][-1] == "Vrij veld"


def test_gps_ideas_by_term_votes_and_a_project_sheet_into_the_memorandum(
    client, municipality, opsteller
):
    gps = open_worksheet(municipality, opsteller, "gps")
    trend = services.group_add(worksheet=gps, name="Digitalisering", question="", by=opsteller)
    short = add(gps, opsteller, section="kort", group=trend, text="Online wereldquiz")
    long = add(gps, opsteller, section="lang", group=trend, text="Digitale stedenband")
    services.vote_toggle(contribution=long, participant=Participant(user=opsteller))
    board = selectors.board(gps, Participant(user=opsteller))
    group = next(g for g in board.groups if g.pk == trend.pk)
    assert ([c.text for c in group.short], [c.text for c in group.long]) == (
        ["Online wereldquiz"],
        ["Digitale stedenband"],
    )
    assert [c.text for c in board.extra["top"]] == ["Digitale stedenband"]
    assert short.pk not in board.my_votes

    client.force_login(opsteller)
    nis = municipality.nis_code
    start = client.post(reverse("methods:project_sheet_start", args=[nis, gps.pk, long.pk]))
    assert start.status_code == 302
    edit_url = start["Location"]
    page = client.get(edit_url)
    version = page.context["form"].initial["version"]
    fields = {
        "version": version,
        "description": "Een jaarlijkse online ontmoeting met de partnerstad",
        "advantages": "Goedkoop en klimaatvriendelijk",
        "pitfalls": "Tijdsverschil; oplossing: een vast uur",
        "needs": "Een laptop, een tolk",
    }
    assert client.post(edit_url, fields).status_code == 302
    # A second save from the same (stale) form is a conflict, not a silent overwrite.
    assert client.post(edit_url, {**fields, "needs": "Oud"}).status_code == 409
    proposal = services.contribution_to_proposal(
        contribution=long,
        action_area=ActionArea.objects.first(),
        level=AmbitionLevel.objects.first(),
        by=opsteller,
    )
    assert "Goedkoop en klimaatvriendelijk" in proposal.text
    assert "Een laptop, een tolk" in proposal.text


def test_a_guest_or_lezer_without_the_flag_writes_no_project_sheet(
    client, municipality, opsteller, lezer
):
    gps = open_worksheet(municipality, opsteller, "gps")
    idea = add(gps, opsteller, section="kort", group=gps.groups.get(), text="Idee")
    client.force_login(lezer)
    response = client.post(
        reverse("methods:project_sheet_start", args=[municipality.nis_code, gps.pk, idea.pk])
    )
    assert response.status_code == 403


# --- mapping of initiatives ------------------------------------------------------------------


def test_initiatives_map_by_colour_and_action_area(municipality, opsteller):
    sheet = open_worksheet(municipality, opsteller, "initiatieven")
    first, second, third = ActionArea.objects.all()
    add(
        sheet,
        opsteller,
        section="loopt",
        text="Wereldfeest",
        detail="Jeugddienst, 11.11.11",
        action_areas=[first, second],
    )
    add(sheet, opsteller, section="nog_niet", text="Stedenband", action_areas=[third])
    add(sheet, opsteller, section="nieuw", text="Nog te plaatsen")
    board = selectors.board(sheet, Participant(user=opsteller))
    rows = {row["key"]: row for row in board.extra["rows"]}
    assert [[c.text for c in cell] for cell in rows["loopt"]["cells"]] == [
        ["Wereldfeest"],
        ["Wereldfeest"],
        [],
    ]
    assert [[c.text for c in cell] for cell in rows["nog_niet"]["cells"]] == [
        [],
        [],
        ["Stedenband"],
    ]
    assert [c.text for c in rows["nieuw"]["without"]] == ["Nog te plaatsen"]
    with pytest.raises(ValidationError):  # another kind knows no action areas
        add(
            open_worksheet(municipality, opsteller, "start-stop-verder"),
            opsteller,
            section="start",
            text="x",
            action_areas=[first],
        )


# --- outcome mapping -------------------------------------------------------------------------


def test_outcome_mapping_actors_per_sphere_with_progress_markers(municipality, opsteller):
    sheet = open_worksheet(municipality, opsteller, "outcome-mapping")
    actor = add(
        sheet,
        opsteller,
        section="invloed",
        text="Dienst aankoop",
        detail="Koopt eerlijk en duurzaam",
    )
    add(sheet, opsteller, section="partner", text="VVSG")
    add(sheet, opsteller, section="verwacht", parent=actor, text="Fairtrade-koffie")
    add(sheet, opsteller, section="ideaal", parent=actor, text="Alle bestekken met criteria")
    board = selectors.board(sheet, Participant(user=opsteller))
    spheres = {s["key"]: s for s in board.extra["spheres"]}
    assert list(spheres) == ["controle", "invloed", "interesse", "partner"]
    (mapped,) = spheres["invloed"]["actors"]
    assert mapped.detail == "Koopt eerlijk en duurzaam"
    assert [(label, [m.text for m in ms]) for label, ms in mapped.marker_rows] == [
        ("Verwacht te zien (korte termijn)", ["Fairtrade-koffie"]),
        ("Graag te zien", []),
        ("Ideaal te zien (lange termijn)", ["Alle bestekken met criteria"]),
    ]
    marker = sheet.contributions.get(section="verwacht")
    with pytest.raises(ValidationError):  # a marker hangs under an actor, not a marker
        add(sheet, opsteller, section="graag", parent=marker, text="x")
    with pytest.raises(ValidationError):
        add(sheet, opsteller, section="graag", parent=None, text="Los")
