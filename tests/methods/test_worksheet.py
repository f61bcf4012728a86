"""The worksheet framework: who may add (roles, the opsteller's flag), contributions as rows
that never overwrite each other, the polled board and its fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import SDGGoal
from apps.methods import services
from apps.methods.models import Contribution
from apps.methods.permissions import Participant

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db


def url(name, worksheet, *args):
    return reverse(f"methods:{name}", args=[worksheet.municipality.nis_code, worksheet.pk, *args])


@pytest.fixture
def circle(municipality, opsteller):
    return open_worksheet(municipality, opsteller, "sdg-cirkel", question="Wat doen we al?")


def add_sdg_note(client, worksheet, text, number=13, section="al"):
    return client.post(
        url("contribution_add", worksheet),
        {"section": section, "sdg": SDGGoal.objects.get(number=number).pk, "text": text},
    )


@pytest.mark.parametrize("role", ["opsteller", "schepen", "lezer"])
def test_every_member_reads_a_worksheet_and_its_board(request, client, circle, role):
    client.force_login(request.getfixturevalue(role))
    page = client.get(url("worksheet", circle))
    assert page.status_code == 200
    assert "Wat doen we al?" in page.content.decode()
    # The board polls itself: the fragment's URL with an htmx trigger.
    assert f'hx-get="{url("board", circle)}"' in page.content.decode()
    assert 'hx-trigger="every 5s"' in page.content.decode()
    assert client.get(url("board", circle)).status_code == 200


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_schepen_and_lezer_add_only_once_the_opsteller_opened_the_worksheet(
    request, client, circle, opsteller, role
):
    client.force_login(request.getfixturevalue(role))
    assert add_sdg_note(client, circle, "Te vroeg").status_code == 403
    assert not circle.contributions.exists()
    services.worksheet_update_settings(
        worksheet=circle,
        open_to_members=True,
        phase="verzamelen",
        round=1,
        expected_version=circle.version,
        by=opsteller,
    )
    assert add_sdg_note(client, circle, "Nu wel").status_code == 302
    assert circle.contributions.get().text == "Nu wel"


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_only_the_opsteller_manages_a_worksheet(request, client, circle, role):
    client.force_login(request.getfixturevalue(role))
    posts = {
        "settings": {"open_to_members": "on", "phase": "verzamelen", "round": 1, "version": 1},
        "invitation_create": {"guest_name": "Iemand", "days": 7},
        "group_add": {"name": "A", "question": "Vraag"},
    }
    for name, data in posts.items():
        assert client.post(url(name, circle), data).status_code == 403, name
    circle.refresh_from_db()
    assert not circle.open_to_members
    assert not circle.invitations.exists()


def test_contributions_of_several_people_are_all_kept(client, circle, opsteller, schepen):
    """Two people add at the same moment from pages loaded before: both notes stay, as each
    is an insert and nobody saves the worksheet as a whole."""
    services.worksheet_update_settings(
        worksheet=circle,
        open_to_members=True,
        phase="verzamelen",
        round=1,
        expected_version=circle.version,
        by=opsteller,
    )
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(opsteller)
    second.force_login(schepen)
    first.get(url("worksheet", circle))
    second.get(url("worksheet", circle))
    add_sdg_note(first, circle, "Fairtrade-aankoop", number=12)
    add_sdg_note(second, circle, "Klimaatplan", number=13, section="verschil")
    board = second.get(url("board", circle)).content.decode()
    assert "Fairtrade-aankoop" in board and "Klimaatplan" in board
    assert set(circle.contributions.values_list("author", flat=True)) == {opsteller.pk, schepen.pk}


def test_a_member_removes_their_own_note_the_opsteller_any(circle, opsteller, schepen, client):
    circle = services.worksheet_update_settings(
        worksheet=circle,
        open_to_members=True,
        phase="verzamelen",
        round=1,
        expected_version=circle.version,
        by=opsteller,
    )
    own = services.contribution_add(
        worksheet=circle,
        participant=Participant(user=opsteller),
        section="al",
        text="Van de opsteller",
        sdg=SDGGoal.objects.get(number=1),
    )
    theirs = services.contribution_add(
        worksheet=circle,
        participant=Participant(user=schepen),
        section="al",
        text="Van de schepen",
        sdg=SDGGoal.objects.get(number=2),
    )
    client.force_login(schepen)
    assert client.post(url("contribution_remove", circle, own.pk)).status_code == 403
    assert client.post(url("contribution_remove", circle, theirs.pk)).status_code == 302
    client.force_login(opsteller)
    assert client.post(url("contribution_remove", circle, own.pk)).status_code == 302
    assert not circle.contributions.exists()


def test_odd_input_is_a_form_error_and_writes_nothing(client, circle, opsteller):
    client.force_login(opsteller)
    for data in (
        {"section": "al", "sdg": "99999999999999999999", "text": "x"},
        {"section": "al", "sdg": "1", "text": "x" * 5000},
        {"section": "elders", "sdg": "1", "text": "x"},
        {"section": "al", "sdg": "1", "text": "   "},
    ):
        response = client.post(url("contribution_add", circle), data)
        assert response.status_code == 400, data
    response = client.post(
        url("contribution_add", circle),
        {"section": "al", "sdg": SDGGoal.objects.get(number=3).pk, "text": "a\x00b <script>"},
    )
    assert response.status_code == 302
    note = circle.contributions.get()
    assert note.text == "ab <script>"
    page = client.get(url("worksheet", circle)).content.decode()
    assert "ab &lt;script&gt;" in page


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _fill_circle(worksheet, user, count):
    goals = list(SDGGoal.objects.all())
    Contribution.objects.bulk_create(
        Contribution(
            worksheet=worksheet,
            author=user,
            section="al" if n % 2 else "verschil",
            sdg=goals[n % len(goals)],
            text=f"Bijdrage {n}",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("page", ["worksheet", "board"])
def test_sdg_circle_pages_run_the_same_queries_for_3_and_30_contributions(
    client, circle, opsteller, page, django_assert_num_queries
):
    client.force_login(opsteller)
    path = url(page, circle)
    _fill_circle(circle, opsteller, 3)
    client.get(path)
    few = _count(client, path)
    _fill_circle(circle, opsteller, 27)
    with django_assert_num_queries(few):
        response = client.get(path)
    assert response.content.decode().count('class="contribution') == 30


def test_an_author_corrects_their_note_with_the_optimistic_lock(client, circle, opsteller, schepen):
    circle = services.worksheet_update_settings(
        worksheet=circle,
        open_to_members=True,
        phase="verzamelen",
        round=1,
        expected_version=circle.version,
        by=opsteller,
    )
    note = services.contribution_add(
        worksheet=circle,
        participant=Participant(user=schepen),
        section="al",
        text="Fairtrade-koffie",
        sdg=SDGGoal.objects.get(number=12),
    )
    path = url("contribution_edit", circle, note.pk)
    client.force_login(opsteller)  # not the author: the opsteller may remove, not rewrite
    assert client.get(path).status_code == 403
    client.force_login(schepen)
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, {"version": note.version, "text": "Fairtrade-koffie en -thee"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.text, note.version) == ("Fairtrade-koffie en -thee", 2)
    # A second tab still holding version 1: refused, the typed text kept on the page.
    stale = client.post(path, {"version": 1, "text": "Alleen koffie"})
    assert stale.status_code == 409
    assert "Alleen koffie" in stale.content.decode()
    note.refresh_from_db()
    assert note.text == "Fairtrade-koffie en -thee"
