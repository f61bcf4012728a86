"""Visie & missie in the browser's place: who reads and who edits, sanitised saves, a stale
save kept for the user, the guide's help beside the texts, a fixed number of queries, and ten
simultaneous saves from one version."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from apps.core.models import DocumentKind, Legislature
from apps.library.models import GuidingQuestion, PracticeExample
from apps.omgevingsanalyse import services
from apps.omgevingsanalyse.models import VisionMission
from apps.omgevingsanalyse.views_vision import question_groups
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db

THREADS = 10
EMPTIED = "Van deze tekst blijft na het opschonen niets over"


def url(name, municipality):
    return reverse(f"omgevingsanalyse:{name}", args=[municipality.nis_code])


def _vision(municipality, opsteller):
    return services.vision_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )


@pytest.fixture
def named_opsteller(opsteller):
    opsteller.first_name, opsteller.last_name = "Ilse", "Peeters"
    opsteller.save()
    return opsteller


@pytest.fixture
def written(municipality, named_opsteller):
    vision = _vision(municipality, named_opsteller)
    return services.vision_update(
        vision=vision,
        vision_text="Een rechtvaardige en duurzame wereld voor iedereen.",
        mission_text="Wij kopen eerlijk aan en werken samen met onze partners.",
        expected_version=vision.version,
        by=named_opsteller,
    )


def _form(row, **changes):
    return {"vision": "", "mission": "", "version": row.version, **changes}


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["opsteller", "schepen", "lezer"])
def test_every_member_reads_the_page(request, client, role, municipality, written):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url("vision", municipality))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<p>Een rechtvaardige en duurzame wereld voor iedereen.</p>" in content
    assert "<p>Wij kopen eerlijk aan en werken samen met onze partners.</p>" in content
    assert "Laatst gewijzigd door Ilse Peeters op" in content
    assert (url("vision_edit", municipality) in content) is (role == "opsteller")
    assert ("Bewerken" in content) is (role == "opsteller")
    assert reverse("core:dashboard", args=[municipality.nis_code]) in content
    assert 'aria-current="page">Visie en missie</li>' in content


def test_empty_page_invites_the_opsteller_to_begin(client, opsteller, municipality):
    client.force_login(opsteller)
    content = client.get(url("vision", municipality)).content.decode()
    assert "Beginnen" in content
    assert url("vision_edit", municipality) in content
    assert "Laatst gewijzigd" not in content
    # Reading the page writes nothing: the vision comes with the first edit.
    assert not VisionMission.objects.exists()


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_empty_page_tells_readers_it_is_not_written_yet(request, client, role, municipality):
    client.force_login(request.getfixturevalue(role))
    content = client.get(url("vision", municipality)).content.decode()
    assert "nog niet geschreven" in content
    assert url("vision_edit", municipality) not in content
    assert "Beginnen" not in content


def test_one_text_written_shows_the_other_as_not_yet_written(
    client, lezer, municipality, opsteller
):
    vision = _vision(municipality, opsteller)
    services.vision_update(
        vision=vision,
        vision_text="Alleen een visie.",
        mission_text="",
        expected_version=vision.version,
        by=opsteller,
    )
    client.force_login(lezer)
    content = client.get(url("vision", municipality)).content.decode()
    assert "<p>Alleen een visie.</p>" in content
    assert "De missie is nog niet geschreven." in content


def test_the_guides_three_examples_and_the_guiding_questions_are_shown(client, lezer, municipality):
    client.force_login(lezer)
    content = client.get(url("vision", municipality)).content.decode()
    examples = PracticeExample.objects.filter(document_kind=DocumentKind.VISIE_MISSIE)
    assert sorted(e.municipality_name for e in examples) == ["Eeklo", "Gent", "Nazareth"]
    for example in examples:
        assert escape(example.municipality_name) in content
        assert escape(example.title) in content
        assert escape(example.summary) in content
        assert escape(example.worth_copying) in content
        assert str(example.year) in content
    questions = GuidingQuestion.objects.filter(document_kind=DocumentKind.VISIE_MISSIE)
    assert questions.filter(topic="visie").exists() and questions.filter(topic="missie").exists()
    for question in questions:
        assert escape(question.text) in content
    # Grouped by topic, vision before mission.
    assert content.index(">Visie</h3>") < content.index(">Missie</h3>")


def test_guiding_questions_follow_the_readers_language(client, lezer, municipality, settings):
    client.force_login(lezer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(url("vision", municipality)).content.decode()
    question = GuidingQuestion.objects.get(key="vm-agenda-2030")
    assert escape(question.text_en) in content
    assert escape(question.text_nl) not in content


def test_question_groups_put_vision_and_mission_first():
    def q(topic):
        return GuidingQuestion(topic=topic, text_nl=topic)

    questions = [q("aanpak"), q("missie"), q("visie"), q("aanpak"), q("eigen onderwerp")]
    groups = question_groups(questions)
    assert [g["topic"] for g in groups] == ["visie", "missie", "aanpak", "eigen onderwerp"]
    with translation.override("nl-be"):  # an earlier request may have left English active
        labels = [str(g["label"]) for g in groups]
    assert labels == ["Visie", "Missie", "Aanpak", "Eigen onderwerp"]
    assert len(groups[2]["questions"]) == 2


def test_anonymous_is_sent_to_login(client, municipality):
    for name in ("vision", "vision_edit"):
        response = client.get(url(name, municipality))
        assert response.status_code == 302
        assert reverse("accounts:login") in response.url


# --- editing ---------------------------------------------------------------------------------


def test_the_edit_page_creates_nothing_and_the_first_save_creates_the_vision(
    client, opsteller, municipality
):
    client.force_login(opsteller)
    response = client.get(url("vision_edit", municipality))
    assert response.status_code == 200
    # Looking is safe: nothing is created until the opsteller saves.
    assert not VisionMission.objects.exists()
    content = response.content.decode()
    assert content.count(' data-richtext=""') == 2
    assert 'name="version" value="1"' in content
    assert "Bij de visie" in content and "Bij de missie" in content
    for question in GuidingQuestion.objects.filter(document_kind=DocumentKind.VISIE_MISSIE):
        assert escape(question.text) in content
    # A refused save creates nothing either.
    client.post(url("vision_edit", municipality), {"vision": "<script>x</script>", "version": 1})
    assert not VisionMission.objects.exists()
    response = client.post(
        url("vision_edit", municipality), {"vision": "Een visie.", "mission": "", "version": 1}
    )
    assert response.status_code == 302
    vision = VisionMission.objects.get()
    assert vision.municipality == municipality and vision.vision == "<p>Een visie.</p>"


def test_opsteller_saves_vision_and_mission_sanitised(client, opsteller, municipality):
    client.force_login(opsteller)
    vision = _vision(municipality, opsteller)
    response = client.post(
        url("vision_edit", municipality),
        _form(
            vision,
            vision="<p>Een <strong>rechtvaardige</strong> wereld.</p><script>alert(1)</script>",
            mission="Wij werken samen.\n\nMet iedereen & overal.",
        ),
    )
    assert response.status_code == 302
    assert response.url == url("vision", municipality)
    vision.refresh_from_db()
    assert vision.vision == "<p>Een <strong>rechtvaardige</strong> wereld.</p>"
    assert vision.mission == "<p>Wij werken samen.</p>\n\n<p>Met iedereen &amp; overal.</p>"
    assert vision.version == 2 and vision.updated_by == opsteller
    content = client.get(url("vision", municipality)).content.decode()
    assert "Visie en missie zijn opgeslagen." in content
    assert "<strong>rechtvaardige</strong>" in content
    assert "alert(1)" not in content
    # The edit form shows plain paragraphs again, formatting kept.
    form = client.get(url("vision_edit", municipality)).content.decode()
    assert "Wij werken samen.\n\nMet iedereen &amp; overal." in form


def test_text_that_sanitising_empties_is_refused_keeping_what_was_typed(
    client, opsteller, municipality
):
    client.force_login(opsteller)
    vision = _vision(municipality, opsteller)
    response = client.post(
        url("vision_edit", municipality),
        _form(vision, vision="<script>alert('weg')</script>", mission="Onze missie."),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert EMPTIED in content
    assert escape("<script>alert('weg')</script>") in content  # still in the textarea
    assert "Onze missie." in content
    vision.refresh_from_db()
    assert (vision.vision, vision.mission, vision.version) == ("", "", 1)


def test_both_texts_may_be_emptied(client, opsteller, municipality, written):
    client.force_login(opsteller)
    response = client.post(url("vision_edit", municipality), _form(written))
    assert response.status_code == 302
    written.refresh_from_db()
    assert (written.vision, written.mission) == ("", "")


def test_stale_save_is_refused_keeping_the_typed_text_and_showing_the_saved_one(
    client, opsteller, municipality, written
):
    loaded = _form(written, vision="Mijn zorgvuldig geschreven visie", mission="Mijn missie")
    services.vision_update(
        vision=written,
        vision_text="Visie van een collega",
        mission_text="Missie van een collega",
        expected_version=written.version,
        by=opsteller,
    )
    client.force_login(opsteller)

    response = client.post(url("vision_edit", municipality), loaded)

    assert response.status_code == 409
    content = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in content
    assert "Mijn zorgvuldig geschreven visie" in content and "Mijn missie" in content
    assert "Intussen opgeslagen versie" in content
    assert "<p>Visie van een collega</p>" in content
    assert "<p>Missie van een collega</p>" in content
    written.refresh_from_db()
    assert written.vision == "<p>Visie van een collega</p>"
    # The form carries the saved version now: saving again keeps the typed text on purpose.
    assert f'name="version" value="{written.version}"' in content
    again = client.post(url("vision_edit", municipality), {**loaded, "version": written.version})
    assert again.status_code == 302
    written.refresh_from_db()
    assert written.vision == "<p>Mijn zorgvuldig geschreven visie</p>"


def test_a_broken_version_is_shown_not_saved(client, opsteller, municipality, written):
    client.force_login(opsteller)
    response = client.post(
        url("vision_edit", municipality), _form(written, vision="Nieuw", version="abc")
    )
    assert response.status_code == 200
    assert "onvolledig of beschadigd" in response.content.decode()
    written.refresh_from_db()
    assert written.vision == "<p>Een rechtvaardige en duurzame wereld voor iedereen.</p>"


def test_edit_page_only_answers_get_and_post(client, opsteller, municipality):
    client.force_login(opsteller)
    assert client.put(url("vision_edit", municipality)).status_code == 405
    assert client.post(url("vision", municipality)).status_code == 405


# --- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_schepen_and_lezer_get_403_on_the_edit_page(request, client, role, municipality):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("vision_edit", municipality)).status_code == 403
    data = {"vision": "Gekaapt", "mission": "", "version": 1}
    assert client.post(url("vision_edit", municipality), data).status_code == 403
    assert not VisionMission.objects.exists()


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_schepen_and_lezer_cannot_change_a_written_vision(
    request, client, role, municipality, written
):
    client.force_login(request.getfixturevalue(role))
    response = client.post(url("vision_edit", municipality), _form(written, vision="Gekaapt"))
    assert response.status_code == 403
    written.refresh_from_db()
    assert "Gekaapt" not in written.vision and written.version == 2


def test_outsider_gets_404(client, outsider, municipality, written):
    client.force_login(outsider)
    assert client.get(url("vision", municipality)).status_code == 404
    assert client.get(url("vision_edit", municipality)).status_code == 404
    response = client.post(url("vision_edit", municipality), _form(written, vision="Gekaapt"))
    assert response.status_code == 404
    written.refresh_from_db()
    assert "Gekaapt" not in written.vision


def test_outsider_gets_404_before_any_vision_exists(client, outsider, municipality):
    client.force_login(outsider)
    assert client.get(url("vision_edit", municipality)).status_code == 404
    assert not VisionMission.objects.exists()


# --- a fixed number of queries ---------------------------------------------------------------

# Measured once; it depends on middleware and context processors owned elsewhere, but never on
# the texts, who wrote them, or how many examples and guiding questions there are.
PAGE_QUERIES = 15  # with the request transaction's savepoint and its release


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_page_runs_a_fixed_number_of_queries(client, opsteller, municipality):
    client.force_login(opsteller)
    path = url("vision", municipality)
    client.get(path)  # the first request of a session may touch it
    empty = _count(client, path)

    vision = _vision(municipality, opsteller)
    vision = services.vision_update(
        vision=vision,
        vision_text="Kort.",
        mission_text="Kort.",
        expected_version=vision.version,
        by=opsteller,
    )
    short = _count(client, path)
    services.vision_update(
        vision=vision,
        vision_text="\n\n".join(f"Alinea {n} van de visie." for n in range(40)),
        mission_text="\n\n".join(f"Alinea {n} van de missie." for n in range(40)),
        expected_version=vision.version,
        by=opsteller,
    )
    for n in range(5):
        PracticeExample.objects.create(
            key=f"extra-{n}",
            municipality_name=f"Voorbeeldgem {n}",
            year=2024,
            document_kind=DocumentKind.VISIE_MISSIE,
            title="Extra",
            summary="Extra voorbeeld.",
            worth_copying="Veel.",
            order=10 + n,
        )
        GuidingQuestion.objects.create(
            key=f"extra-{n}",
            document_kind=DocumentKind.VISIE_MISSIE,
            topic=f"onderwerp {n}",
            text_nl=f"Extra vraag {n}?",
            help_nl="Extra toelichting.",
            order=20 + n,
        )
    written = _count(client, path)

    # A written vision adds its review bar and comment links: a fixed number more.
    assert short == written == PAGE_QUERIES
    assert empty < PAGE_QUERIES


def test_the_edit_page_runs_the_same_number_of_queries_whatever_the_texts(
    client, opsteller, municipality
):
    client.force_login(opsteller)
    path = url("vision_edit", municipality)
    vision = _vision(municipality, opsteller)
    short = _count(client, path)
    services.vision_update(
        vision=vision,
        vision_text="\n\n".join(f"Alinea {n}." for n in range(40)),
        mission_text="Missie.",
        expected_version=vision.version,
        by=opsteller,
    )
    assert _count(client, path) == short


# --- simultaneous saves ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_saves_from_one_version_exactly_one_wins(municipality, opsteller):
    vision = _vision(municipality, opsteller)
    clients = []
    for n in range(THREADS):
        client = Client()
        client.force_login(opsteller)
        clients.append((n, client))

    def save(numbered):
        n, client = numbered
        response = client.post(
            url("vision_edit", municipality),
            _form(vision, vision=f"Visie van poging {n}", mission=f"Missie {n}"),
        )
        return n, response.status_code

    results = run_at_once(save, clients)

    assert all(isinstance(result, tuple) for result in results), results
    winners = [n for n, status in results if status == 302]
    assert len(winners) == 1, results
    assert sorted(status for _n, status in results) == [302] + [409] * (THREADS - 1)
    vision.refresh_from_db()
    assert vision.version == 2
    assert vision.vision == f"<p>Visie van poging {winners[0]}</p>"
    assert vision.mission == f"<p>Missie {winners[0]}</p>"
