"""Careless or hostile input on the memorandum's pages: a message on the page, the typed text
kept, nothing saved; never a 500 (issue 6, points 3 and 4)."""

import pytest

from apps.beleidsvoorstellen import services
from apps.beleidsvoorstellen.models import MemorandumProposal

from .factories import LibraryProposalFactory, area, level
from .test_views import _form, url

pytestmark = pytest.mark.django_db

EMPTIED = "blijft na het opschonen niets over"
BROKEN_VERSION = "onvolledig of beschadigd"
# Each of these is something, typed, that the cleaning empties.
EMPTIED_BY_CLEANING = [
    "<script>alert(1)</script>",
    "<style>p{}</style><unknown-tag></unknown-tag>",
    "<p> </p><p>&nbsp;</p>",
    '<iframe src="https://example.org"></iframe>',
]


@pytest.mark.parametrize("typed", EMPTIED_BY_CLEANING)
@pytest.mark.parametrize("field", ["text", "justification"])
def test_proposal_text_that_cleaning_empties_is_refused_on_edit(
    client, opsteller, municipality, adopted, field, typed
):
    client.force_login(opsteller)
    before = MemorandumProposal.objects.get(pk=adopted.pk)
    response = client.post(
        url("proposal_edit", municipality, adopted.pk), _form(adopted, **{field: typed})
    )
    assert response.status_code == 200
    assert EMPTIED in response.text
    # The typed input is still in the form, escaped.
    assert response.context["form"][field].value() == typed
    after = MemorandumProposal.objects.get(pk=adopted.pk)
    assert (after.text, after.justification, after.version) == (
        before.text,
        before.justification,
        before.version,
    )


def test_own_proposal_whose_text_cleaning_empties_is_not_created(
    client, opsteller, municipality, memorandum
):
    client.force_login(opsteller)
    typed = "<script>alert(1)</script>"
    response = client.post(
        url("proposal_create", municipality),
        {
            "action_area": area("BU").pk,
            "level": level("S").pk,
            "title": "Eigen voorstel",
            "text": typed,
            "priority": "normaal",
        },
    )
    assert response.status_code == 200
    assert EMPTIED in response.text
    assert response.context["form"]["text"].value() == typed
    assert not MemorandumProposal.objects.filter(memorandum=memorandum).exists()


def test_introduction_that_cleaning_empties_is_refused(client, opsteller, municipality, memorandum):
    services.memorandum_update_introduction(
        memorandum=memorandum, introduction="Bestaande inleiding", expected_version=1, by=opsteller
    )
    client.force_login(opsteller)
    typed = "<script>alert(1)</script>"
    response = client.post(url("introduction", municipality), {"introduction": typed, "version": 2})
    assert response.status_code == 200
    assert EMPTIED in response.text
    assert response.context["form"]["introduction"].value() == typed
    memorandum.refresh_from_db()
    assert memorandum.introduction == "<p>Bestaande inleiding</p>"
    assert memorandum.version == 2


def test_an_empty_introduction_may_still_be_saved(client, opsteller, municipality, memorandum):
    """Only text that the cleaning empties is refused; clearing the field on purpose is fine."""
    client.force_login(opsteller)
    response = client.post(url("introduction", municipality), {"introduction": "", "version": 1})
    assert response.status_code == 302


@pytest.mark.parametrize("version", ["abc", "1.5", "", "-1", "0", "99999999999999999999999"])
def test_a_broken_version_is_a_visible_form_error_and_keeps_the_text(
    client, opsteller, municipality, adopted, version
):
    client.force_login(opsteller)
    data = _form(adopted, text="Mijn nieuwe tekst", version=version)
    response = client.post(url("proposal_edit", municipality, adopted.pk), data)
    assert response.status_code == 200
    assert BROKEN_VERSION in response.text
    assert "Mijn nieuwe tekst" in response.text
    assert MemorandumProposal.objects.get(pk=adopted.pk).text == adopted.text


def test_a_missing_version_on_the_introduction_is_a_visible_form_error(
    client, opsteller, municipality, memorandum
):
    client.force_login(opsteller)
    response = client.post(url("introduction", municipality), {"introduction": "Tekst"})
    assert response.status_code == 200
    assert BROKEN_VERSION in response.text


@pytest.mark.parametrize("direction", ["", "sideways", "UP", "\x00"])
def test_a_bad_direction_is_a_400_with_a_message(
    client, opsteller, municipality, adopted, direction
):
    client.force_login(opsteller)
    response = client.post(url("proposal_move", municipality, adopted.pk), {"direction": direction})
    assert response.status_code == 400
    assert "omhoog of omlaag" in response.text


def test_a_missing_direction_is_a_400_with_a_message(client, opsteller, municipality, adopted):
    client.force_login(opsteller)
    response = client.post(url("proposal_move", municipality, adopted.pk))
    assert response.status_code == 400
    assert "omhoog of omlaag" in response.text


def test_moving_the_first_proposal_up_says_why_nothing_moved(
    client, opsteller, municipality, adopted
):
    client.force_login(opsteller)
    response = client.post(
        url("proposal_move", municipality, adopted.pk), {"direction": "up"}, follow=True
    )
    assert response.status_code == 200
    assert "staat al bovenaan" in response.text


@pytest.mark.parametrize(
    "data",
    [
        {"action": "overnemen", "version": "abc"},
        {"action": "overnemen", "version": "1.5"},
        {"action": "overnemen"},
        {"action": "iets anders", "version": "1"},
        {"version": "1"},
    ],
)
def test_library_change_with_a_broken_form_is_a_400_and_changes_nothing(
    client, opsteller, municipality, memorandum, data
):
    source = LibraryProposalFactory(title="Oude titel")
    proposal = services.proposal_adopt(memorandum=memorandum, library_proposal=source, by=opsteller)
    source.title = "Nieuwe titel"
    source.version += 1
    source.save()
    client.force_login(opsteller)
    response = client.post(url("library_change", municipality, proposal.pk), data)
    assert response.status_code == 400
    assert "<h1" in response.text and "Ongeldige aanvraag" in response.text
    proposal.refresh_from_db()
    assert (proposal.title, proposal.source_version) == ("Oude titel", 1)


@pytest.mark.parametrize(
    "path",
    [
        "/gemeente/%00/memorandum/",
        "/gemeente/1%002/",
        "/gemeente/12345%00/memorandum/",
        "/gemeente/abcde/memorandum/",
        "/gemeente/12345/memorandum/voorstel/99999999999999999999999999/",
        "/gemeente/12345/memorandum/voorstel/1.5/",
        "/gemeente/12345/memorandum/voorstel/%00/",
        "/gemeente/%E2%80%AE12345/",
        "/beheer/core/municipality/%00/change/",
    ],
)
def test_odd_url_segments_are_404(client, opsteller, municipality, path):
    client.force_login(opsteller)
    assert client.get(path).status_code == 404


def test_a_huge_id_is_404_not_a_database_error(client, opsteller, municipality, adopted):
    client.force_login(opsteller)
    huge = "9" * 18  # still matches the converter, beyond any real row
    assert client.get(url("memorandum", municipality) + f"voorstel/{huge}/").status_code == 404


@pytest.mark.parametrize("query", ["q=%00", "sdg=1%00", "action_area=%00BU", "%00=1"])
def test_a_control_character_in_the_query_is_a_400_with_a_message(
    client, opsteller, municipality, memorandum, query
):
    client.force_login(opsteller)
    response = client.get(url("library", municipality) + "?" + query)
    assert response.status_code == 400
    assert "ongeldige tekens" in response.text


@pytest.mark.parametrize(
    "query", ["sdg=99999999999999999999999", "sdg=-1", "sdg=1.5", "action_area=ZZ"]
)
def test_odd_library_filters_show_the_form_error(client, opsteller, municipality, query):
    client.force_login(opsteller)
    response = client.get(url("library", municipality) + "?" + query)
    assert response.status_code == 200
    assert response.context["form"].errors
