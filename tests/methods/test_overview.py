import pytest
from django.urls import reverse
from django.utils.html import escape

from apps.methods.models import Method, Worksheet, plusses
from apps.methods.reference import ensure_methods, method_entries

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db


def test_the_methods_file_loads_the_guides_eight_methods_and_start_stop_continue():
    keys = [entry["key"] for entry in method_entries()]
    assert keys == [
        "swot",
        "brainwriting",
        "gps",
        "sdg-cirkel",
        "initiatieven",
        "oeso-dac",
        "outcome-mapping",
        "veranderingstheorie",
        "start-stop-verder",
    ]
    ensure_methods()  # a second load changes nothing
    assert Method.objects.count() == 9
    toc = Method.objects.get(key="veranderingstheorie")
    assert (toc.complexity_plusses, toc.time_plusses) == ("+++", "+++")
    assert Method.objects.get(key="swot").complexity_plusses == "+(+)"


def test_plusses_reads_half_steps_as_the_guides_scale():
    assert [plusses(n) for n in range(2, 7)] == ["+", "+(+)", "++", "++(+)", "+++"]


def test_overview_shows_each_method_with_its_documents_complexity_time_and_steps(
    client, municipality, lezer
):
    client.force_login(lezer)
    response = client.get(reverse("methods:overview", args=[municipality.nis_code]))
    assert response.status_code == 200
    page = response.content.decode()
    for method in Method.objects.all():
        assert method.name_nl in page
        assert escape(method.steps[0]) in page
    assert "Vooral voor: Omgevingsanalyse" in page  # SWOT
    # A lezer reads, but opens no worksheet.
    assert "Nieuw werkblad" not in page


def test_opsteller_opens_a_worksheet_from_the_overview(client, municipality, opsteller):
    client.force_login(opsteller)
    overview = client.get(reverse("methods:overview", args=[municipality.nis_code]))
    create = reverse("methods:worksheet_create", args=[municipality.nis_code, "brainwriting"])
    assert create in overview.content.decode()
    response = client.post(create, {"title": "Wereldfeest", "question": "Hoe nieuw leven?"})
    worksheet = Worksheet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "methods:worksheet", args=[municipality.nis_code, worksheet.pk]
    )
    assert (worksheet.municipality, worksheet.method.key) == (municipality, "brainwriting")
    listed = client.get(reverse("methods:overview", args=[municipality.nis_code]))
    assert "Wereldfeest" in listed.content.decode()


def test_every_method_opens_a_worksheet_of_its_own_kind(client, municipality, opsteller):
    client.force_login(opsteller)
    overview = client.get(reverse("methods:overview", args=[municipality.nis_code]))
    for method in Method.objects.all():
        create = reverse("methods:worksheet_create", args=[municipality.nis_code, method.key])
        assert create in overview.content.decode()
        response = client.post(create, {"title": method.name_nl})
        assert response.status_code == 302, method.key
        page = client.get(response["Location"])
        assert page.status_code == 200 and method.name_nl in page.content.decode()
    assert Worksheet.objects.count() == Method.objects.count() == 9
    unknown = reverse("methods:worksheet_create", args=[municipality.nis_code, "bestaat-niet"])
    assert client.post(unknown, {"title": "X"}).status_code == 404


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_only_the_opsteller_opens_a_worksheet(request, client, municipality, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("methods:worksheet_create", args=[municipality.nis_code, "brainwriting"]),
        {"title": "Niet van mij"},
    )
    assert response.status_code == 403
    assert not Worksheet.objects.exists()


def test_another_municipalitys_overview_and_worksheet_are_404(
    client, municipality, opsteller, outsider
):
    worksheet = open_worksheet(municipality, opsteller, "sdg-cirkel")
    client.force_login(outsider)
    nis = municipality.nis_code
    assert client.get(reverse("methods:overview", args=[nis])).status_code == 404
    assert client.get(reverse("methods:worksheet", args=[nis, worksheet.pk])).status_code == 404
    assert client.get(reverse("methods:board", args=[nis, worksheet.pk])).status_code == 404
    own_nis = outsider.memberships.get().municipality.nis_code
    # Through the outsider's own municipality the id does not lead there either.
    assert client.get(reverse("methods:worksheet", args=[own_nis, worksheet.pk])).status_code == 404
    response = client.post(
        reverse("methods:contribution_add", args=[own_nis, worksheet.pk]),
        {"section": "al", "sdg": 1, "text": "Ingebroken"},
    )
    assert response.status_code == 404
    assert not worksheet.contributions.exists()
