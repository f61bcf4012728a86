"""Every worksheet page and its polled board cost the same number of queries for 3 and for 30
contributions, for the opsteller (with the management panel) and for a guest."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import ActionArea, SDGGoal
from apps.methods import services
from apps.methods.kinds import KINDS
from apps.methods.models import Contribution, ProjectSheet, Score, Vote

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db


def fill(worksheet, user, count, invitation):
    kind = worksheet.method.key
    group = worksheet.groups.first()
    criteria = list(worksheet.criteria.all())
    goals = list(SDGGoal.objects.all())
    impact = worksheet.contributions.filter(section="impact").first()
    rows = []
    for n in range(count):
        fields = {
            "brainwriting": {"section": "idee", "group": group, "round": 1},
            "gps": {"section": "kort" if n % 2 else "lang", "group": group},
            "initiatieven": {"section": "loopt", "detail": "De ngo"},
            "outcome-mapping": {"section": "invloed", "detail": "Verandering"},
            "swot": {"section": "SWOT"[n % 4]},
            "sdg-cirkel": {"section": "al", "sdg": goals[n % 17]},
            "start-stop-verder": {"section": "stop", "detail": "Reden"},
            "veranderingstheorie": {"section": "outcome", "parent": impact, "detail": "Want"},
            "oeso-dac": {"section": "impact", "question": n % 2},
        }[kind]
        # Half of them by a guest: names and markers come from the same query.
        who = {"author": user} if n % 2 else {"guest_name": "Gast", "invitation": invitation}
        rows.append(Contribution(worksheet=worksheet, text=f"Bijdrage {n}", **who, **fields))
    created = Contribution.objects.bulk_create(rows)
    if kind == "initiatieven":
        through = Contribution.action_areas.through
        areas = list(ActionArea.objects.all())
        through.objects.bulk_create(
            through(contribution=c, actionarea=areas[n % len(areas)]) for n, c in enumerate(created)
        )
    if kind == "gps":
        Vote.objects.bulk_create(Vote(contribution=c, voter=user) for c in created)
        ProjectSheet.objects.bulk_create(
            ProjectSheet(idea=c, description="Wat", updated_by=user) for c in created
        )
    if kind == "brainwriting":
        Vote.objects.bulk_create(Vote(contribution=c, voter=user) for c in created)
        Score.objects.bulk_create(
            Score(contribution=c, criterion=criterion, value=1)
            for c in created
            for criterion in criteria
        )


def prepare(worksheet, opsteller):
    if worksheet.method.key == "brainwriting":
        services.group_add(worksheet=worksheet, name="A", question="V", by=opsteller)
        services.criterion_add(worksheet=worksheet, kind="eis", text="E", weight=1, by=opsteller)
        services.criterion_add(worksheet=worksheet, kind="wens", text="W", weight=2, by=opsteller)
    if worksheet.method.key == "veranderingstheorie":
        Contribution.objects.create(
            worksheet=worksheet, author=opsteller, section="impact", text="I"
        )
    if worksheet.method.key == "oeso-dac":
        worksheet.phase = "naast_elkaar"
        worksheet.save()
        services.evaluation_save(
            worksheet=worksheet, criterion="impact", text="Samen", expected_version=0, by=opsteller
        )
    invitation, token = services.invitation_create(
        worksheet=worksheet, guest_name="Gast", days=3, by=opsteller
    )
    return invitation, token


def count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("key", sorted(KINDS))
def test_worksheet_pages_run_the_same_queries_for_3_and_30_contributions(
    key, municipality, opsteller, settings
):
    settings.METHODS_GUEST_RATE = (1000, 60)
    worksheet = open_worksheet(municipality, opsteller, key)
    invitation, token = prepare(worksheet, opsteller)
    staff = Client()
    staff.force_login(opsteller)
    nis = municipality.nis_code
    paths = [
        (staff, reverse("methods:worksheet", args=[nis, worksheet.pk])),
        (staff, reverse("methods:board", args=[nis, worksheet.pk])),
        (Client(), f"/gast/{token}/"),
        (Client(), f"/gast/{token}/bijdragen/"),
    ]
    fill(worksheet, opsteller, 3, invitation)
    few = []
    for client, path in paths:
        client.get(path)
        few.append(count(client, path)[0])
    fill(worksheet, opsteller, 27, invitation)
    for (client, path), expected in zip(paths, few, strict=True):
        queries, response = count(client, path)
        assert queries == expected, (path, expected, queries)
        assert response.content.decode().count('class="contribution') >= 30
