"""Issue 10, point 5 and 6: the way into the memorandum, the library in the menu, feedback
next to what was acted on, ambition levels told apart without colour, the editor's help and
headings, and the practice examples beside the memorandum."""

import re
from html.parser import HTMLParser

import pytest
from django.test import RequestFactory
from django.urls import reverse

from apps.beleidsvoorstellen import services
from apps.beleidsvoorstellen.models import MemorandumProposal
from apps.core import dashboard
from apps.core.context_processors import memberships
from apps.core.models import Membership, Role
from apps.core.richtext import RICH_HELP
from apps.core.widgets import RICH_TEXT_LABELS
from tests.factories import MunicipalityFactory

from .factories import LibraryProposalFactory, area, current_legislature, level

pytestmark = pytest.mark.django_db

EXAMPLES = ("Herent", "Hoogstraten", "Lommel", "Sint-Truiden")


def url(name, municipality, *args):
    return reverse(f"beleidsvoorstellen:{name}", args=[municipality.nis_code, *args])


def card_of(page: str, pk: int) -> str:
    """The HTML of one proposal card on the memorandum page."""
    start = page.index(f'id="voorstel-{pk}"')
    return page[start : page.index("</article>", start)]


def top_of(page: str) -> str:
    """The page above the memorandum's own content (the base template's message area)."""
    return page[: page.index("<h1")]


class Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def heading_levels(page: str) -> list[int]:
    parser = Headings()
    parser.feed(page)
    return parser.levels


# --- the way in ------------------------------------------------------------------------------


def test_beginnen_on_the_dashboard_lands_on_the_memorandum_which_offers_to_start_it(
    client, opsteller, municipality
):
    card = next(
        c
        for c in dashboard.cards(municipality, current_legislature(), opsteller)
        if c["kind"].key == "memorandum"
    )
    assert card["action"] == "Beginnen"
    assert card["url"] == url("memorandum", municipality)
    client.force_login(opsteller)
    dashboard_page = client.get(reverse("core:dashboard", args=[municipality.nis_code])).text
    assert f'href="{card["url"]}">Beginnen</a>' in dashboard_page
    page = client.get(card["url"]).text
    assert "Memorandum beginnen" in page
    assert f'action="{url("start", municipality)}"' in page
    # The examples are at hand before the first proposal.
    for name in EXAMPLES:
        assert f"{name} (" in page


def test_starting_lands_on_the_started_memorandum(client, opsteller, municipality):
    client.force_login(opsteller)
    response = client.post(url("start", municipality))
    assert response.url == url("memorandum", municipality)
    page = client.get(response.url).text
    assert "Memorandum beginnen" not in page and "Inleiding" in page


# --- the library in the menu -----------------------------------------------------------------


def _nav(page: str) -> str:
    return page[page.index("<nav") : page.index("</nav>")]


def test_the_menu_links_the_library_of_the_municipality_on_screen(client, opsteller, municipality):
    client.force_login(opsteller)
    library = url("library", municipality)
    dashboard_nav = _nav(client.get(reverse("core:dashboard", args=[municipality.nis_code])).text)
    assert f'href="{library}"' in dashboard_nav and ">Bibliotheek</a>" in dashboard_nav
    library_nav = _nav(client.get(library).text)
    assert re.search(
        rf'href="{re.escape(library)}"\s+aria-current="page">Bibliotheek<', library_nav
    )
    assert 'aria-current="page"' not in _nav(client.get(url("memorandum", municipality)).text)


def test_the_menu_links_the_municipality_used_last_on_other_pages(rf_request, opsteller):
    second = MunicipalityFactory(name="Aaadorp")  # first by name
    Membership.objects.create(user=opsteller, municipality=second, role=Role.LEZER)
    request = rf_request(opsteller, session={})
    assert memberships(request)["nav_municipality"].name == "Aaadorp"
    last = opsteller.memberships.get(role=Role.OPSTELLER).municipality
    request = rf_request(opsteller, session={"current_municipality": last.nis_code})
    assert memberships(request)["nav_municipality"].pk == last.pk


def test_the_menu_item_costs_no_query_beyond_the_switchers(
    rf_request, opsteller, django_assert_num_queries
):
    context = memberships(rf_request(opsteller, session={}))
    with django_assert_num_queries(1):
        assert len(context["user_memberships"]) == 1
        assert context["nav_municipality"].nis_code


def test_no_library_in_the_menu_without_a_municipality(client, django_user_model):
    user = django_user_model.objects.create_user(email="niemand@example.be", password="x")
    assert "nav_municipality" in memberships(_request_for(user, {}))
    assert not memberships(_request_for(user, {}))["nav_municipality"]
    assert "Bibliotheek" not in _nav(client.get(reverse("accounts:login")).text)


def _request_for(user, session):
    request = RequestFactory().get("/")
    request.user = user
    request.session = session
    return request


@pytest.fixture
def rf_request():
    return _request_for


# --- feedback next to what was acted on ------------------------------------------------------


def test_a_saved_proposal_says_so_in_its_own_card(client, opsteller, municipality, adopted):
    client.force_login(opsteller)
    response = client.post(
        url("proposal_edit", municipality, adopted.pk),
        {
            "title": "Nieuwe titel",
            "text": adopted.text,
            "justification": "",
            "priority": adopted.priority,
            "version": adopted.version,
        },
    )
    assert response.url == f"{url('memorandum', municipality)}#voorstel-{adopted.pk}"
    page = client.get(response.url).text
    card = card_of(page, adopted.pk)
    assert re.search(r'role="status">\s*Het voorstel is opgeslagen\.', card)
    assert page.count("Het voorstel is opgeslagen.") == 1
    assert "Het voorstel is opgeslagen." not in top_of(page)
    # Shown once: the next visit is quiet.
    assert "Het voorstel is opgeslagen." not in client.get(response.url).text


def test_a_moved_proposal_says_where_it_went_in_its_card(
    client, opsteller, municipality, memorandum
):
    first, second = (
        services.proposal_adopt(
            memorandum=memorandum, library_proposal=LibraryProposalFactory(), by=opsteller
        )
        for _ in range(2)
    )
    client.force_login(opsteller)
    response = client.post(url("proposal_move", municipality, second.pk), {"direction": "up"})
    assert response.url.endswith(f"#voorstel-{second.pk}")
    page = client.get(response.url).text
    assert f"“{second.title}” staat nu een plaats hoger." in card_of(page, second.pk)
    assert "plaats hoger" not in card_of(page, first.pk) and "plaats hoger" not in top_of(page)


def test_adopting_without_a_way_back_lands_on_the_adopted_card(
    client, opsteller, municipality, library_proposal
):
    client.force_login(opsteller)
    response = client.post(url("adopt", municipality, library_proposal.pk))
    proposal = MemorandumProposal.objects.get(source=library_proposal)
    assert response.url == f"{url('memorandum', municipality)}#voorstel-{proposal.pk}"
    card = card_of(client.get(response.url).text, proposal.pk)
    assert "is opgenomen in het memorandum" in card and 'role="status"' in card


def test_adopting_from_the_library_returns_to_the_library_card(
    client, opsteller, municipality, library_proposal
):
    client.force_login(opsteller)
    back = f"{url('library', municipality)}#bibliotheek-{library_proposal.pk}"
    response = client.post(url("adopt", municipality, library_proposal.pk), {"next": back})
    assert response.url == back
    assert "is opgenomen in het memorandum" in client.get(back).text


def test_an_own_proposal_and_the_introduction_confirm_in_place(
    client, opsteller, municipality, memorandum
):
    client.force_login(opsteller)
    response = client.post(
        url("proposal_create", municipality),
        {
            "action_area": area("SW").pk,
            "level": level("A").pk,
            "title": "Stedenband verkennen",
            "text": "Tekst",
            "priority": "normaal",
        },
    )
    assert response.status_code == 302, response.content
    pk = int(response.url.rsplit("-", 1)[1])
    assert "Het eigen voorstel is toegevoegd." in card_of(client.get(response.url).text, pk)

    response = client.post(
        url("introduction", municipality),
        {"introduction": "Een inleiding.", "version": memorandum.version},
    )
    assert response.url.endswith("#inleiding")
    page = client.get(response.url).text
    section = page[page.index('id="inleiding"') : page.index("</section>", page.index("inleiding"))]
    assert re.search(r'role="status">\s*De inleiding is opgeslagen\.', section)
    assert page.count("De inleiding is opgeslagen.") == 1


def test_a_message_about_a_proposal_that_is_gone_shows_at_the_top(
    client, opsteller, municipality, memorandum, adopted
):
    services.proposal_adopt(
        memorandum=memorandum, library_proposal=LibraryProposalFactory(), by=opsteller
    )
    client.force_login(opsteller)
    client.post(url("proposal_move", municipality, adopted.pk), {"direction": "down"})
    services.proposal_delete(proposal=adopted, by=opsteller)
    page = client.get(url("memorandum", municipality)).text
    assert "staat nu een plaats lager" in top_of(page)
    assert 'class="alert alert-success"' in top_of(page)


# --- ambition levels -------------------------------------------------------------------------


def test_the_three_levels_differ_by_a_marker_not_only_by_colour(
    client, opsteller, municipality, memorandum
):
    for code in ("S", "G", "A"):
        services.proposal_create_own(
            memorandum=memorandum,
            action_area=area("SW"),
            level=level(code),
            title=f"Niveau {code}",
            text="Tekst",
            by=opsteller,
        )
    client.force_login(opsteller)
    page = client.get(url("memorandum", municipality)).text
    for marker, n, name in (
        ("●○○", 1, "Starten"),
        ("●●○", 2, "Goed bezig"),
        ("●●●", 3, "Veel ambitie"),
    ):
        assert re.search(
            rf'aria-hidden="true">{marker}</span>\s*'
            rf'<span class="visually-hidden">Ambitieniveau {n} van 3:</span>\s*{name}',
            page,
        ), name


# --- the editor ------------------------------------------------------------------------------


def test_the_help_text_names_what_the_editor_shows():
    help_text = str(RICH_HELP)
    for key in ("bold", "italic", "bullets", "numbers", "heading", "link"):
        word = str(RICH_TEXT_LABELS[f"data-richtext-{key}"]).lower()
        assert word in help_text.lower(), word
    assert "HTML" not in help_text


@pytest.mark.parametrize("page", ["proposal_edit", "introduction"])
def test_the_edit_page_goes_h1_h2_so_the_editors_subheading_h3_fits(
    client, opsteller, municipality, adopted, page
):
    client.force_login(opsteller)
    args = [adopted.pk] if page == "proposal_edit" else []
    levels = heading_levels(client.get(url(page, municipality, *args)).text)
    assert levels[:2] == [1, 2]
    # The editor's "Tussentitel" is an <h3> (static/js/richtext.js): one below the form's h2.
    assert all(b - a <= 1 for a, b in zip(levels, [*levels[1:], 3], strict=True)), levels


# --- examples at hand ------------------------------------------------------------------------


def test_the_memorandum_side_panel_says_what_each_municipality_did(
    client, lezer, municipality, adopted
):
    client.force_login(lezer)
    page = client.get(url("memorandum", municipality)).text
    panel = page[page.index('class="card practice-examples') :]
    panel = panel[: panel.index("</section>")]
    assert panel.count('class="practice-example"') == 4
    for name in EXAMPLES:
        assert f"{name} (" in panel
    assert "Sint-Truiden (2018): Een ambtelijk memorandum volgens de vijf P" in panel


def test_a_lezer_is_offered_to_look_not_to_begin(lezer, municipality):
    """Only the opsteller starts a document: for the lezer a card of a document not yet
    begun says Bekijken, as the page it opens has no start button for them."""
    cards = dashboard.cards(municipality, current_legislature(), lezer)
    actions = {card["kind"].key: card.get("action") for card in cards}
    assert actions["memorandum"] == "Bekijken"
    assert "Beginnen" not in actions.values()
