"""The library search (issue 10, point 3): title, text and sub-options, the Dutch configuration,
words found inside words; a fixed number of queries, and never a 500 whatever is typed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.beleidsvoorstellen.selectors import LibraryFilters, library_browse

from .conftest import SHIPPED, load
from .factories import LibraryProposalFactory

pytestmark = pytest.mark.django_db


def keys(q: str, **filters) -> set[str]:
    data = library_browse(memorandum=None, filters=LibraryFilters(q=q, **filters))
    found = [p.key for p in data["proposals"]]
    assert len(found) == len(set(found)), f"{q!r} lists a proposal twice: {found}"
    return set(found)


def library_url(municipality) -> str:
    return reverse("beleidsvoorstellen:library", args=[municipality.nis_code])


# --- the shipped library ---------------------------------------------------------------------


@pytest.fixture
def shipped(db):
    load(SHIPPED)


@pytest.mark.parametrize(
    "q, expected",
    [
        # Only in BK-G1's sub-option "de SDG-toets van de VVSG".
        ("SDG-toets", {"BK-G1"}),
        # BK-S4's title, BK-G6's sub-option (both "FairTradeGemeente", found inside the word)
        # and BU-G3's sub-option "De Week van de Fair Trade".
        ("fair", {"BK-S4", "BK-G6", "BU-G3"}),
    ],
)
def test_the_done_when_searches_find_exactly_their_proposals(shipped, q, expected):
    assert keys(q) == expected


@pytest.mark.parametrize(
    "q, expected, also",
    [
        # SW-G1's sub-option names "diasporaverenigingen"; BU-A3's text says "mensen uit de
        # diaspora" and SW-A1's "van diasporaorganisaties en ngo's": rightly found too.
        ("diaspora", {"SW-G1"}, {"BU-A3", "SW-A1"}),
        # BU-G3's sub-option "De campagne van 11.11.11"; SW-S1's text budgets "steun aan
        # 11.11.11": rightly found too.
        ("11.11.11", {"BU-G3"}, {"SW-S1"}),
    ],
)
def test_the_done_when_searches_find_their_proposals_and_the_others_that_say_it(
    shipped, q, expected, also
):
    assert keys(q) == expected | also


def test_case_and_surrounding_punctuation_do_not_matter(shipped):
    assert keys("sdg-TOETS") == {"BK-G1"}
    assert keys('"fair",') == {"BK-S4", "BK-G6", "BU-G3"}


def test_the_dutch_stemmer_still_finds_other_forms_of_a_word(shipped):
    # "Duurzaam aankopen" is BK-G6's title; "aankoop" occurs in its text and sub-options only
    # as "aankopen" and "aankoopdienst", and "handelaars" in BK-S4 stems to "handelar".
    assert "BK-G6" in keys("duurzame aankopen")
    assert "BK-S4" in keys("handelaar")


def test_several_words_must_all_be_there(shipped):
    assert keys("fair campagne") == {"BU-G3"}
    assert keys("fair -trade") == set()


def test_search_combines_with_the_filters(shipped):
    from apps.core.models import ActionArea

    assert keys("fair", action_area=ActionArea.objects.get(code="BK")) == {"BK-S4", "BK-G6"}


# --- sub-options -----------------------------------------------------------------------------


def test_a_word_only_in_a_sub_option_finds_the_proposal_once(db):
    proposal = LibraryProposalFactory(
        title="Een stedenband verkennen",
        text="<p>Samenwerken met een partnerstad.</p>",
        options=["Met een zusterstad in Benin", "Een uitwisseling met Benin voor jongeren"],
    )
    LibraryProposalFactory(title="Iets anders", text="<p>Niets over dat land.</p>")
    assert keys("benin") == {proposal.key}
    assert keys("zusterstad") == {proposal.key}
    assert keys("uitwisselingen") == {proposal.key}  # stemmed, PostgreSQL only


def test_html_tags_are_not_searched(db):
    LibraryProposalFactory(text="<p><strong>Vet</strong> en <em>schuin</em>.</p>")
    assert keys("strong") == set()
    assert keys("vet") != set()


def test_an_inactive_proposal_is_not_found(db):
    LibraryProposalFactory(title="Oude FairTrade-werking", is_active=False)
    assert keys("fair") == set()


# --- the page --------------------------------------------------------------------------------


def _fill(count: int, start: int) -> None:
    for n in range(start, start + count):
        LibraryProposalFactory(
            title=f"Voorstel {n}",
            options=[f"Eerlijke handel {n}", f"Nog een FairTrade-keuze {n}"],
            sdgs=[12, 17],
        )


def _count(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), len(response.context["proposals"])


@pytest.mark.parametrize("q", ["fair", "eerlijke handel", "11.11.11", "fair -niets"])
def test_the_search_page_runs_the_same_number_of_queries_for_3_and_30_matches(
    client, lezer, municipality, q
):
    client.force_login(lezer)
    path = library_url(municipality) + "?" + f"q={q}"
    _fill(3, 0)
    client.get(path)  # the first request of a session may touch it
    few, found_few = _count(client, path)
    _fill(27, 3)
    many, found_many = _count(client, path)
    assert many == few
    if q != "11.11.11":
        assert (found_few, found_many) == (3, 30)


def test_the_page_shows_what_a_sub_option_search_found(client, lezer, municipality, shipped):
    client.force_login(lezer)
    response = client.get(library_url(municipality), {"q": "diaspora"})
    assert response.status_code == 200
    assert "diasporaverenigingen" in response.text
    assert "3 voorstellen gevonden" in response.text


ODD = [
    "x" * 5000,
    "fair" * 60,
    "!!!",
    "-",
    '"',
    "&|!():*<->",
    "' OR 1=1 --",
    "'; DROP TABLE library_libraryproposal; --",
    "%",
    "_",
    "\\",
    "fair\\",
    "<script>alert(1)</script>",
    "or",
    "de het een",
    "a:*",
    "💚 fair",
    "\u200b",
]


@pytest.mark.parametrize("q", ODD)
def test_odd_search_input_is_never_a_500(client, lezer, municipality, shipped, q):
    client.force_login(lezer)
    response = client.get(library_url(municipality), {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text


@pytest.mark.parametrize("q", ["%", "_", "\\", "!!!", "-", "' OR 1=1 --"])
def test_wildcards_and_punctuation_find_nothing_special(shipped, q):
    # Nothing in the library contains these, and none of them is a wildcard.
    assert keys(q) == set()


def test_a_nul_in_the_search_is_a_dutch_400(client, lezer, municipality, shipped):
    client.force_login(lezer)
    response = client.get(library_url(municipality) + "?q=fair%00")
    assert response.status_code == 400
    assert "ongeldige tekens" in response.text


def test_a_search_too_long_is_shown_as_an_error(client, lezer, municipality, shipped):
    client.force_login(lezer)
    response = client.get(library_url(municipality), {"q": "x" * 5000})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]
    # Next to the search field, in Dutch, and tied to the field for screen readers.
    assert 'aria-describedby="id_q-fouten"' in response.text
    message = response.text.split('id="id_q-fouten">')[1].split("</div>")[0]
    assert "200 tekens" in message
