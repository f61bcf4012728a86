"""The omgevingsanalyse page and its sections in the browser's place: starting from each
structure, who reads and who edits, sections added, edited, moved and removed, cited figures,
answers to the guiding questions pulled into a section, stale saves kept for the user, bad
input answered with a message, and a page whose number of queries does not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from apps.core.models import DocumentKind, Legislature, SDGGoal
from apps.library.models import GlobalFigure, GuidingQuestion, PracticeExample
from apps.omgevingsanalyse import services
from apps.omgevingsanalyse.models import Analysis, CitedFigure, GuidingAnswer, Section, Structure

pytestmark = pytest.mark.django_db

EMPTIED = "blijft na het opschonen niets over"
STALE = "Iemand anders heeft dit intussen gewijzigd"


def url(name, municipality, *args):
    return reverse(f"omgevingsanalyse:{name}", args=[municipality.nis_code, *args])


def sdg(number):
    return SDGGoal.objects.get(number=number)


def question(order=0):
    return GuidingQuestion.objects.filter(document_kind=DocumentKind.OMGEVINGSANALYSE).order_by(
        "order", "key"
    )[order]


def figure(order=0):
    return GlobalFigure.objects.order_by("order", "key")[order]


def _section_form(section, **changes):
    data = {
        "title": section.title,
        "text": section.text,
        "sdg_goals": list(section.sdg_goals.values_list("pk", flat=True)),
        "version": section.version,
    }
    data.update(changes)
    return data


def _titles(analysis):
    return list(analysis.sections.order_by("order").values_list("title", flat=True))


@pytest.fixture
def answer(analysis, opsteller):
    return services.answer_save(
        analysis=analysis,
        question=question(),
        answer="<p>De gemeente werkt al tien jaar samen met een partnerstad.</p>",
        expected_version=0,
        by=opsteller,
    )


@pytest.fixture
def other_analysis(other_municipality, outsider):
    return services.analysis_start(
        municipality=other_municipality,
        legislature=Legislature.objects.current(),
        structure=Structure.objects.get(key="per-actieterrein"),
        by=outsider,
    )


# --- starting --------------------------------------------------------------------------------


def test_before_the_start_the_opsteller_chooses_one_of_the_four_structures(
    client, opsteller, municipality
):
    client.force_login(opsteller)
    response = client.get(url("analysis", municipality))
    assert response.status_code == 200
    content = response.content.decode()
    for structure in Structure.objects.all():
        assert f'value="{structure.key}"' in content
        assert escape(structure.name_nl) in content
        assert escape(structure.description_nl[:40]) in content
    assert "(17 secties)" in content and "(3 secties)" in content
    assert url("start", municipality) in content
    assert "Beginnen" in content


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_before_the_start_readers_see_that_it_has_not_begun(request, client, role, municipality):
    client.force_login(request.getfixturevalue(role))
    content = client.get(url("analysis", municipality)).content.decode()
    assert "nog niet begonnen" in content
    assert 'name="structure"' not in content
    assert url("start", municipality) not in content


@pytest.mark.parametrize(
    "key, count",
    [("per-sdg", 17), ("vijf-p", 5), ("intern-extern-swot", 5), ("per-actieterrein", 3)],
)
def test_starting_from_each_structure_creates_its_sections(
    client, opsteller, municipality, key, count
):
    structure = Structure.objects.get(key=key)
    client.force_login(opsteller)
    response = client.post(url("start", municipality), {"structure": key}, follow=True)
    assert response.status_code == 200
    analysis = Analysis.objects.get(municipality=municipality)
    assert analysis.structure == structure
    specs = list(structure.sections.order_by("order"))
    sections = list(analysis.sections.order_by("order"))
    assert len(sections) == count == len(specs)
    assert [s.title for s in sections] == [s.title_nl for s in specs]
    assert [set(s.sdg_goals.all()) for s in sections] == [set(s.sdg_goals.all()) for s in specs]
    assert "is gestart met de structuur" in response.content.decode()
    if key == "per-sdg":
        assert [s.sdg_goals.get().number for s in sections] == list(range(1, 18))


def test_starting_twice_says_so_and_keeps_the_first(client, opsteller, municipality, analysis):
    client.force_login(opsteller)
    response = client.post(url("start", municipality), {"structure": "per-sdg"}, follow=True)
    assert "De omgevingsanalyse is al gestart." in response.content.decode()
    assert Analysis.objects.get(municipality=municipality).structure.key == "vijf-p"
    assert analysis.sections.count() == 5


@pytest.mark.parametrize("data", [{}, {"structure": "bestaat-niet"}, {"structure": "1"}])
def test_starting_without_a_known_structure_is_a_400(client, opsteller, municipality, data):
    client.force_login(opsteller)
    response = client.post(url("start", municipality), data)
    assert response.status_code == 400
    assert "structuur" in response.content.decode()
    assert not Analysis.objects.exists()


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["opsteller", "schepen", "lezer"])
def test_members_read_the_analysis_page(request, client, role, municipality, analysis, sections):
    services.figure_cite(section=sections[0], figure=figure(), by=analysis.updated_by)
    client.force_login(request.getfixturevalue(role))
    response = client.get(url("analysis", municipality))
    assert response.status_code == 200
    content = response.content.decode()
    for section in sections:
        assert f'href="#sectie-{section.pk}"' in content  # the table of contents
        assert section.title in content
    assert "sdg-badge sdg-16" in content
    # The cited figure as a block: the figure, the statement, the source.
    cited = figure()
    assert 'class="cited-figure"' in content
    assert cited.figure in content and "Bron:" in content and cited.source in content
    # The six practice examples of the omgevingsanalyse in the side panel.
    examples = PracticeExample.objects.filter(document_kind=DocumentKind.OMGEVINGSANALYSE)
    assert examples.count() == 6
    for example in examples:
        assert example.municipality_name in content and escape(example.title) in content
    assert "Wat is het overnemen waard?" in content
    assert url("questions", municipality) in content
    is_opsteller = role == "opsteller"
    assert (url("section_edit", municipality, sections[0].pk) in content) is is_opsteller
    assert (url("section_move", municipality, sections[0].pk) in content) is is_opsteller
    assert (url("section_create", municipality) in content) is is_opsteller
    assert (url("introduction", municipality) in content) is is_opsteller
    # The structure's hints are for the drafter only.
    assert (sections[1].guidance[:40] in content) is is_opsteller


def test_page_shows_sections_in_their_order_with_their_text(
    client, opsteller, municipality, analysis, sections
):
    first = sections[0]
    services.section_update(
        section=first,
        title=first.title,
        text="<p>Onze gemeente steunt drie ngo's.</p>",
        sdg_goals=[sdg(1)],
        expected_version=first.version,
        by=opsteller,
    )
    client.force_login(opsteller)
    content = client.get(url("analysis", municipality)).content.decode()
    positions = [content.index(f'id="sectie-{s.pk}-titel"') for s in sections]
    assert positions == sorted(positions)
    assert "Onze gemeente steunt drie ngo" in content
    assert 'sdg-badge sdg-1"' in content


def test_anonymous_is_sent_to_login(client, municipality, analysis):
    response = client.get(url("analysis", municipality))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


# --- introduction ----------------------------------------------------------------------------


def test_introduction_is_saved_sanitised(client, opsteller, municipality, analysis):
    client.force_login(opsteller)
    page = url("introduction", municipality)
    assert ' data-richtext=""' in client.get(page).content.decode()
    response = client.post(
        page,
        {"introduction": "<p>Waarom <b>deze</b> analyse</p><script>x</script>", "version": 1},
    )
    assert response.status_code == 302
    assert response.url.endswith("#inleiding")
    analysis.refresh_from_db()
    assert analysis.introduction == "<p>Waarom <b>deze</b> analyse</p>"
    assert "Waarom" in client.get(url("analysis", municipality)).content.decode()


def test_stale_introduction_is_refused_keeping_the_text(client, opsteller, municipality, analysis):
    client.force_login(opsteller)
    page = url("introduction", municipality)
    assert client.post(page, {"introduction": "Eerste", "version": 1}).status_code == 302
    second = client.post(page, {"introduction": "Tweede tekst", "version": 1})
    assert second.status_code == 409
    assert "Tweede tekst" in second.content.decode()
    analysis.refresh_from_db()
    assert analysis.introduction == "<p>Eerste</p>"


# --- sections --------------------------------------------------------------------------------


def test_add_a_section_from_the_page(client, opsteller, municipality, analysis):
    client.force_login(opsteller)
    response = client.post(url("section_create", municipality), {"title": "  Lokale  partners "})
    assert response.status_code == 302
    section = analysis.sections.order_by("order").last()
    assert section.title == "Lokale partners"
    assert section.order == 5
    assert response.url.endswith(f"#sectie-{section.pk}")
    page = client.get(response.url).content.decode()
    assert "De sectie “Lokale partners” is toegevoegd." in page


def test_add_a_section_with_sdgs_on_its_own_page(client, opsteller, municipality, analysis):
    client.force_login(opsteller)
    assert client.get(url("section_create", municipality)).status_code == 200
    response = client.post(
        url("section_create", municipality),
        {"title": "Klimaat", "sdg_goals": [sdg(13).pk, sdg(7).pk]},
    )
    assert response.status_code == 302
    section = analysis.sections.get(title="Klimaat")
    assert sorted(section.sdg_goals.values_list("number", flat=True)) == [7, 13]


@pytest.mark.parametrize(
    "data",
    [{"title": ""}, {"title": "   "}, {"title": "x" * 201}, {"title": "Ok", "sdg_goals": 99}],
)
def test_a_section_without_a_good_title_or_sdg_is_a_form_error(
    client, opsteller, municipality, analysis, data
):
    client.force_login(opsteller)
    response = client.post(url("section_create", municipality), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert analysis.sections.count() == 5


def test_edit_page_shows_guidance_figures_and_answers(
    client, opsteller, municipality, analysis, sections, answer
):
    section = sections[0]
    client.force_login(opsteller)
    content = client.get(url("section_edit", municipality, section.pk)).content.decode()
    assert section.guidance[:40] in content
    assert (
        content.count(url("figure_cite", municipality, section.pk)) == GlobalFigure.objects.count()
    )
    assert "Invoegen" in content
    assert url("answer_to_section", municipality, answer.pk) in content
    assert "partnerstad" in content
    assert ' data-richtext=""' in content


def test_edit_saves_title_text_and_sdgs_sanitised(client, opsteller, municipality, sections):
    section = sections[0]
    client.force_login(opsteller)
    response = client.post(
        url("section_edit", municipality, section.pk),
        _section_form(
            section,
            title="Mensen",
            text='<p>Tekst</p><script>alert(1)</script><img src="x">',
            sdg_goals=[sdg(1).pk, sdg(10).pk],
        ),
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#sectie-{section.pk}")
    section.refresh_from_db()
    assert (section.title, section.text) == ("Mensen", "<p>Tekst</p>")
    assert sorted(section.sdg_goals.values_list("number", flat=True)) == [1, 10]
    assert section.version == 2


def test_stale_section_edit_is_refused_keeping_the_text(client, opsteller, municipality, sections):
    section = sections[0]
    loaded = _section_form(section, text="Mijn zorgvuldig geschreven tekst")
    services.section_update(
        section=section,
        title="Titel van een collega",
        text="<p>Tekst van een collega</p>",
        sdg_goals=[],
        expected_version=section.version,
        by=opsteller,
    )
    client.force_login(opsteller)
    response = client.post(url("section_edit", municipality, section.pk), loaded)
    assert response.status_code == 409
    content = response.content.decode()
    assert STALE in content
    assert "Mijn zorgvuldig geschreven tekst" in content
    assert "Tekst van een collega" in content
    section.refresh_from_db()
    assert section.title == "Titel van een collega"
    assert f'name="version" value="{section.version}"' in content


@pytest.mark.parametrize(
    "typed", ["<script>alert(1)</script>", "<p> </p><p>&nbsp;</p>", "<iframe></iframe>"]
)
def test_section_text_that_cleaning_empties_is_a_form_error(
    client, opsteller, municipality, sections, typed
):
    section = sections[0]
    client.force_login(opsteller)
    response = client.post(
        url("section_edit", municipality, section.pk), _section_form(section, text=typed)
    )
    assert response.status_code == 200
    assert EMPTIED in response.content.decode()
    assert response.context["form"]["text"].value() == typed
    section.refresh_from_db()
    assert section.version == 1


def test_delete_asks_for_confirmation_then_deletes(client, opsteller, municipality, sections):
    doomed = sections[1]
    services.figure_cite(section=doomed, figure=figure(), by=opsteller)
    client.force_login(opsteller)
    page = url("section_delete", municipality, doomed.pk)
    content = client.get(page).content.decode()
    assert "Ja, verwijderen" in content and doomed.title in content
    assert Section.objects.filter(pk=doomed.pk).exists()
    response = client.post(page, follow=True)
    assert "is uit de omgevingsanalyse verwijderd" in response.content.decode()
    assert not Section.objects.filter(pk=doomed.pk).exists()
    assert not CitedFigure.objects.filter(section_id=doomed.pk).exists()
    analysis = sections[0].analysis
    assert list(analysis.sections.order_by("order").values_list("order", flat=True)) == [
        0,
        1,
        2,
        3,
    ]


def test_move_buttons_reorder_without_javascript(client, opsteller, municipality, sections):
    analysis = sections[0].analysis
    client.force_login(opsteller)
    response = client.post(url("section_move", municipality, sections[2].pk), {"direction": "up"})
    assert response.status_code == 302
    assert response.url.endswith(f"#sectie-{sections[2].pk}")
    client.post(url("section_move", municipality, sections[0].pk), {"direction": "down"})
    expected = [sections[2], sections[0], sections[1], sections[3], sections[4]]
    assert _titles(analysis) == [s.title for s in expected]
    content = client.get(url("analysis", municipality)).content.decode()
    positions = [content.index(f'id="sectie-{s.pk}-titel"') for s in expected]
    assert positions == sorted(positions)


def test_moving_past_the_edge_is_a_message(client, opsteller, municipality, sections):
    client.force_login(opsteller)
    response = client.post(
        url("section_move", municipality, sections[0].pk), {"direction": "up"}, follow=True
    )
    assert "staat al bovenaan" in response.content.decode()
    response = client.post(
        url("section_move", municipality, sections[4].pk), {"direction": "down"}, follow=True
    )
    assert "staat al onderaan" in response.content.decode()
    assert _titles(sections[0].analysis) == [s.title for s in sections]


@pytest.mark.parametrize("data", [{}, {"direction": "sideways"}])
def test_moving_without_a_direction_is_a_400(client, opsteller, municipality, sections, data):
    client.force_login(opsteller)
    response = client.post(url("section_move", municipality, sections[0].pk), data)
    assert response.status_code == 400
    assert "omhoog of omlaag" in response.content.decode()


# --- cited figures ---------------------------------------------------------------------------


def test_cite_and_uncite_a_global_figure(client, opsteller, municipality, sections):
    section = sections[0]
    cited = figure(1)
    client.force_login(opsteller)
    response = client.post(url("figure_cite", municipality, section.pk), {"figure": cited.pk})
    assert response.status_code == 302
    assert response.url.endswith("?open=cijfers#cijfers")
    row = CitedFigure.objects.get(section=section)
    assert row.figure == cited
    edit_page = client.get(response.url).content.decode()
    assert "staat nu in deze sectie" in edit_page
    assert url("figure_uncite", municipality, row.pk) in edit_page
    assert client.get(response.url).context["open_panel"] == "cijfers"
    assert cited.statement_nl[:30] in client.get(url("analysis", municipality)).content.decode()

    again = client.post(
        url("figure_cite", municipality, section.pk), {"figure": cited.pk}, follow=True
    )
    assert "Dit cijfer staat al in deze sectie." in again.content.decode()
    assert CitedFigure.objects.filter(section=section).count() == 1

    response = client.post(url("figure_uncite", municipality, row.pk), follow=True)
    assert "is uit deze sectie verwijderd" in response.content.decode()
    assert not CitedFigure.objects.filter(section=section).exists()


@pytest.mark.parametrize(
    "data", [{}, {"figure": "abc"}, {"figure": 999999}, {"figure": 2**70}, {"figure": -1}]
)
def test_citing_an_unknown_figure_is_a_400(client, opsteller, municipality, sections, data):
    client.force_login(opsteller)
    response = client.post(url("figure_cite", municipality, sections[0].pk), data)
    assert response.status_code == 400
    assert not CitedFigure.objects.exists()


# --- guiding questions -----------------------------------------------------------------------


def test_questions_page_lists_the_questions_with_a_form_each_for_the_opsteller(
    client, opsteller, municipality, analysis, answer
):
    questions = GuidingQuestion.objects.filter(document_kind=DocumentKind.OMGEVINGSANALYSE)
    client.force_login(opsteller)
    content = client.get(url("questions", municipality)).content.decode()
    for q in questions:
        assert q.text_nl[:40] in content
        assert url("answer_save", municipality, q.pk) in content
    assert content.count('name="version" value="0"') == questions.count() - 1
    assert f'name="version" value="{answer.version}"' in content
    assert content.count(url("answer_to_section", municipality, answer.pk)) == 1
    assert "In sectie opnemen" in content


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_readers_see_the_answers_without_forms(
    request, client, role, municipality, analysis, answer
):
    client.force_login(request.getfixturevalue(role))
    content = client.get(url("questions", municipality)).content.decode()
    assert "partnerstad" in content
    assert "answer_save" not in content and "<textarea" not in content
    assert url("answer_to_section", municipality, answer.pk) not in content


def test_answer_then_pull_it_into_a_section(client, opsteller, municipality, analysis, sections):
    asked = question(1)
    client.force_login(opsteller)
    response = client.post(
        url("answer_save", municipality, asked.pk),
        {"answer": "We hebben een stedenband met Nicaragua.", "version": 0},
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#vraag-{asked.pk}")
    saved = GuidingAnswer.objects.get(analysis=analysis, question=asked)
    assert saved.answer == "<p>We hebben een stedenband met Nicaragua.</p>"

    target = sections[3]
    response = client.post(
        url("answer_to_section", municipality, saved.pk),
        {"section": target.pk, "next": url("questions", municipality)},
    )
    assert response.status_code == 302
    assert response.url == url("questions", municipality)
    target.refresh_from_db()
    assert "stedenband met Nicaragua" in target.text
    assert target.version == 2

    # From the section's edit page, back to that page with the answers open.
    response = client.post(
        url("answer_to_section", municipality, saved.pk), {"section": sections[0].pk}
    )
    assert response.url == (
        url("section_edit", municipality, sections[0].pk) + "?open=antwoorden#antwoorden"
    )


def test_a_second_answer_keeps_its_version(client, opsteller, municipality, analysis, answer):
    client.force_login(opsteller)
    response = client.post(
        url("answer_save", municipality, answer.question_id),
        {"answer": "Bijgewerkt", "version": answer.version},
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.answer, answer.version) == ("<p>Bijgewerkt</p>", 2)


def test_stale_answer_shows_the_page_again_with_409_keeping_the_text(
    client, opsteller, municipality, analysis, answer
):
    client.force_login(opsteller)
    services.answer_save(
        analysis=analysis,
        question=answer.question,
        answer="Antwoord van een collega",
        expected_version=answer.version,
        by=opsteller,
    )
    response = client.post(
        url("answer_save", municipality, answer.question_id),
        {"answer": "Mijn eigen antwoord", "version": answer.version},
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert STALE in content
    assert "Mijn eigen antwoord" in content
    assert "Antwoord van een collega" in content
    assert 'name="version" value="2"' in content
    answer.refresh_from_db()
    assert answer.answer == "<p>Antwoord van een collega</p>"


def test_first_answers_of_two_people_at_once_the_second_is_stale(
    client, opsteller, municipality, analysis
):
    asked = question()
    client.force_login(opsteller)
    page = url("answer_save", municipality, asked.pk)
    assert client.post(page, {"answer": "Eerste", "version": 0}).status_code == 302
    response = client.post(page, {"answer": "Tweede", "version": 0})
    assert response.status_code == 409
    assert "Tweede" in response.content.decode()


def test_answer_that_cleaning_empties_is_a_form_error(client, opsteller, municipality, analysis):
    asked = question()
    client.force_login(opsteller)
    response = client.post(
        url("answer_save", municipality, asked.pk),
        {"answer": "<script>alert(1)</script>", "version": 0},
    )
    assert response.status_code == 200
    assert EMPTIED in response.content.decode()
    assert not GuidingAnswer.objects.exists()


def test_answer_to_a_question_of_another_document_is_a_404(
    client, opsteller, municipality, analysis
):
    vision_question = GuidingQuestion.objects.filter(
        document_kind=DocumentKind.VISIE_MISSIE
    ).first()
    client.force_login(opsteller)
    response = client.post(
        url("answer_save", municipality, vision_question.pk), {"answer": "x", "version": 0}
    )
    assert response.status_code == 404


def test_pulling_into_another_analysis_section_is_a_400(
    client, opsteller, municipality, answer, other_analysis
):
    foreign = other_analysis.sections.first()
    client.force_login(opsteller)
    for data in ({"section": foreign.pk}, {}, {"section": "x"}, {"section": 2**70}):
        response = client.post(url("answer_to_section", municipality, answer.pk), data)
        assert response.status_code == 400
    foreign.refresh_from_db()
    assert foreign.version == 1


def test_pulling_an_empty_answer_is_a_message(client, opsteller, municipality, sections):
    empty = services.answer_save(
        analysis=sections[0].analysis,
        question=question(),
        answer="",
        expected_version=0,
        by=opsteller,
    )
    client.force_login(opsteller)
    response = client.post(
        url("answer_to_section", municipality, empty.pk), {"section": sections[0].pk}, follow=True
    )
    assert "Dit antwoord is nog leeg." in response.content.decode()


def test_pulling_ignores_a_next_url_on_another_host(client, opsteller, municipality, answer):
    section = answer.analysis.sections.first()
    client.force_login(opsteller)
    response = client.post(
        url("answer_to_section", municipality, answer.pk),
        {"section": section.pk, "next": "https://evil.example/"},
    )
    assert response.url.startswith(url("section_edit", municipality, section.pk))


# --- permissions -----------------------------------------------------------------------------


def _write_requests(municipality, analysis, answer):
    section = analysis.sections.order_by("order").first()
    cited = services.figure_cite(section=section, figure=figure(), by=analysis.updated_by)
    return [
        (url("start", municipality), {"structure": "per-sdg"}),
        (url("introduction", municipality), {"introduction": "Gekaapt", "version": 1}),
        (url("section_create", municipality), {"title": "Gekaapt"}),
        (url("section_edit", municipality, section.pk), _section_form(section, title="Gekaapt")),
        (url("section_delete", municipality, section.pk), {}),
        (url("section_move", municipality, section.pk), {"direction": "down"}),
        (url("figure_cite", municipality, section.pk), {"figure": figure(1).pk}),
        (url("figure_uncite", municipality, cited.pk), {}),
        (url("answer_save", municipality, answer.question_id), {"answer": "x", "version": 1}),
        (url("answer_to_section", municipality, answer.pk), {"section": section.pk}),
    ]


def _unchanged(analysis, answer):
    analysis.refresh_from_db()
    answer.refresh_from_db()
    assert analysis.introduction == ""
    assert _titles(analysis)[0] == "People — Mens"
    assert analysis.sections.count() == 5
    assert all(s.version == 1 for s in analysis.sections.all())
    assert CitedFigure.objects.count() == 1
    assert answer.version == 1


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_readers_get_403_on_every_post_and_edit_page(
    request, client, role, municipality, analysis, answer
):
    requests = _write_requests(municipality, analysis, answer)
    client.force_login(request.getfixturevalue(role))
    for path, data in requests:
        assert client.post(path, data).status_code == 403, path
    section = analysis.sections.order_by("order").first()
    for path in (
        url("introduction", municipality),
        url("section_create", municipality),
        url("section_edit", municipality, section.pk),
        url("section_delete", municipality, section.pk),
    ):
        assert client.get(path).status_code == 403, path
    assert client.get(url("questions", municipality)).status_code == 200
    _unchanged(analysis, answer)


def test_outsider_gets_404_on_everything_of_another_municipality(
    client, outsider, municipality, analysis, answer
):
    requests = _write_requests(municipality, analysis, answer)
    client.force_login(outsider)
    for path, data in requests:
        assert client.post(path, data).status_code == 404, path
    section = analysis.sections.order_by("order").first()
    for path in (
        url("analysis", municipality),
        url("questions", municipality),
        url("introduction", municipality),
        url("section_create", municipality),
        url("section_edit", municipality, section.pk),
        url("section_delete", municipality, section.pk),
    ):
        assert client.get(path).status_code == 404, path
    _unchanged(analysis, answer)


def test_another_analysis_rows_are_404_under_ones_own_municipality(
    client, opsteller, municipality, analysis, other_analysis
):
    foreign = other_analysis.sections.first()
    cited = services.figure_cite(section=foreign, figure=figure(), by=other_analysis.updated_by)
    foreign_answer = services.answer_save(
        analysis=other_analysis,
        question=question(),
        answer="Van elders",
        expected_version=0,
        by=other_analysis.updated_by,
    )
    client.force_login(opsteller)
    assert client.get(url("section_edit", municipality, foreign.pk)).status_code == 404
    posts = [
        (url("section_move", municipality, foreign.pk), {"direction": "down"}),
        (url("section_delete", municipality, foreign.pk), {}),
        (url("figure_cite", municipality, foreign.pk), {"figure": figure(1).pk}),
        (url("figure_uncite", municipality, cited.pk), {}),
        (url("answer_to_section", municipality, foreign_answer.pk), {"section": foreign.pk}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 404, path
    assert CitedFigure.objects.filter(pk=cited.pk).exists()


def test_pages_of_a_missing_analysis_are_404_for_the_opsteller(client, opsteller, municipality):
    client.force_login(opsteller)
    for name in ("introduction", "section_create", "questions"):
        assert client.get(url(name, municipality)).status_code == 404, name


# --- fixed query counts ----------------------------------------------------------------------


def _fill(analysis, opsteller, total):
    figures = list(GlobalFigure.objects.order_by("order")[:2])
    while analysis.sections.count() < total:
        section = services.section_create(
            analysis=analysis,
            title=f"Sectie {analysis.sections.count() + 1}",
            text="<p>Tekst van de sectie.</p>",
            sdg_goals=[sdg(1 + analysis.sections.count() % 17), sdg(17)],
            by=opsteller,
        )
        for cited in figures:
            services.figure_cite(section=section, figure=cited, by=opsteller)


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["opsteller", "lezer"])
def test_analysis_page_runs_the_same_number_of_queries_for_3_and_30_sections(
    request, client, role, municipality, analysis, opsteller, django_assert_num_queries
):
    # The count itself depends on middleware and context processors owned elsewhere; what the
    # page promises is that it does not grow with the number of sections.
    analysis.sections.all().delete()
    _fill(analysis, opsteller, 3)
    client.force_login(request.getfixturevalue(role))
    path = url("analysis", municipality)
    client.get(path)  # the first request of a session may touch it
    few = _count(client, path)
    _fill(analysis, opsteller, 30)
    assert analysis.sections.count() == 30
    with django_assert_num_queries(few):
        response = client.get(path)
    assert response.content.decode().count('class="analysis-section') == 30
    assert response.content.decode().count('class="cited-figure"') == 60
