"""A worksheet exports to XLSX: one row per note with its kind's fields, who wrote it and
whether a guest did; text stays text; what the reader may not see yet is not in it."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import SDGGoal
from apps.methods import services
from apps.methods.permissions import Participant

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db


def rows(client, worksheet):
    response = client.get(
        reverse("methods:export_xlsx", args=[worksheet.municipality.nis_code, worksheet.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    return workbook, [[cell.value for cell in row] for row in workbook.worksheets[0].iter_rows()]


def test_sdg_circle_exports_each_note_with_its_goal_and_author(
    client, municipality, opsteller, outsider
):
    circle = open_worksheet(municipality, opsteller, "sdg-cirkel")
    services.contribution_add(
        worksheet=circle,
        participant=Participant(user=opsteller),
        section="al",
        sdg=SDGGoal.objects.get(number=12),
        text='=HYPERLINK("http://x")',
    )
    invitation, _token = services.invitation_create(
        worksheet=circle, guest_name="Ann", days=2, by=opsteller
    )
    services.contribution_add(
        worksheet=circle,
        participant=Participant(invitation=invitation),
        section="verschil",
        sdg=SDGGoal.objects.get(number=13),
        text="Klimaatplan",
    )
    client.force_login(opsteller)
    _workbook, table = rows(client, circle)
    assert table[0][:4] == ["Onderdeel", "Tekst", "Toelichting", "SDG"]
    first, second = table[1:]
    assert first[0] == "Wat we al doen" and first[1] == '=HYPERLINK("http://x")'
    assert first[3].startswith("SDG 12")
    assert (second[1], second[10], second[11]) == ("Klimaatplan", "Ann", "ja")
    client.force_login(outsider)
    response = client.get(reverse("methods:export_xlsx", args=[municipality.nis_code, circle.pk]))
    assert response.status_code == 404


def test_a_self_evaluation_export_keeps_others_answers_hidden_while_collecting(
    client, municipality, opsteller, schepen
):
    sheet = open_worksheet(municipality, opsteller, "oeso-dac")
    services.worksheet_update_settings(
        worksheet=sheet,
        open_to_members=True,
        phase="verzamelen",
        round=1,
        expected_version=sheet.version,
        by=opsteller,
    )
    sheet.refresh_from_db()
    for user, text in ((opsteller, "Van de opsteller"), (schepen, "Van de schepen")):
        services.contribution_add(
            worksheet=sheet,
            participant=Participant(user=user),
            section="impact",
            question=0,
            text=text,
        )
    client.force_login(schepen)
    workbook, table = rows(client, sheet)
    assert [row[1] for row in table[1:]] == ["Van de schepen"]
    assert workbook.sheetnames == ["Bijdragen", "Evaluatie"]
