"""Each kind of worksheet keeps its own structure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from apps.core.editing import StaleVersionError
from apps.core.models import ActionArea, SDGGoal
from apps.methods import selectors, services
from apps.methods.kinds import KINDS
from apps.methods.models import Phase
from apps.methods.permissions import Participant

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db


def add(worksheet, user, **fields):
    return services.contribution_add(
        worksheet=worksheet, participant=Participant(user=user), **fields
    )


def settings(worksheet, user, **changes):
    values = {
        "open_to_members": worksheet.open_to_members,
        "phase": worksheet.phase,
        "round": worksheet.round,
        **changes,
    }
    return services.worksheet_update_settings(
        worksheet=worksheet, expected_version=worksheet.version, by=user, **values
    )


@pytest.mark.parametrize("key", sorted(KINDS))
def test_every_kinds_page_and_board_render_with_contributions(client, municipality, opsteller, key):
    worksheet = open_worksheet(municipality, opsteller, key)
    fields = {
        "brainwriting": lambda: {
            "section": "idee",
            "group": services.group_add(worksheet=worksheet, name="A", question="V", by=opsteller),
        },
        "swot": lambda: {"section": "O"},
        "gps": lambda: {"section": "kort", "group": worksheet.groups.get()},
        "initiatieven": lambda: {"section": "loopt", "action_areas": [ActionArea.objects.first()]},
        "outcome-mapping": lambda: {"section": "invloed", "detail": "Koopt eerlijk"},
        "sdg-cirkel": lambda: {"section": "verschil", "sdg": SDGGoal.objects.get(number=17)},
        "start-stop-verder": lambda: {"section": "stop", "detail": "Bereikt niemand"},
        "veranderingstheorie": lambda: {"section": "impact"},
        "oeso-dac": lambda: {"section": "relevantie", "question": 1},
    }[key]()
    add(worksheet, opsteller, text="Een eerste bijdrage", **fields)
    client.force_login(opsteller)
    for name in ("worksheet", "board"):
        response = client.get(
            reverse(f"methods:{name}", args=[municipality.nis_code, worksheet.pk])
        )
        assert response.status_code == 200
        assert "Een eerste bijdrage" in response.content.decode()


# --- brainwriting ----------------------------------------------------------------------------


def test_brainwriting_rounds_pass_each_sheet_to_the_next_group(brainwriting, opsteller):
    a, b = brainwriting.groups.all()
    board = selectors.board(brainwriting, Participant(user=opsteller))
    assert [g.writes_on for g in board.groups] == [a, b]  # round 1: own sheet
    brainwriting = settings(brainwriting, opsteller, round=2)
    board = selectors.board(brainwriting, Participant(user=opsteller))
    assert [g.writes_on for g in board.groups] == [b, a]  # round 2: the next group's sheet
    note = add(brainwriting, opsteller, section="idee", group=a, text="Verder op het idee van A")
    assert note.round == 2


def test_brainwriting_top_three_per_sheet_by_votes(brainwriting, opsteller, schepen, lezer):
    brainwriting = settings(brainwriting, opsteller, open_to_members=True)
    a = brainwriting.groups.first()
    ideas = [
        add(brainwriting, opsteller, section="idee", group=a, text=f"Idee {n}") for n in range(5)
    ]
    for voter, picks in ((opsteller, [3, 1, 4]), (schepen, [3, 1]), (lezer, [3])):
        for index in picks:
            services.vote_toggle(contribution=ideas[index], participant=Participant(user=voter))
    board = selectors.board(brainwriting, Participant(user=lezer))
    group = board.groups[0]
    assert [c.text for c in group.top_three] == ["Idee 3", "Idee 1", "Idee 4"]
    assert board.my_votes == {ideas[3].pk}


def test_brainwriting_needs_a_group_of_its_own_worksheet(brainwriting, opsteller, municipality):
    other = open_worksheet(municipality, opsteller, "brainwriting")
    foreign = services.group_add(worksheet=other, name="X", question="Y", by=opsteller)
    with pytest.raises(ValidationError):
        add(brainwriting, opsteller, section="idee", group=foreign, text="Mis")
    with pytest.raises(ValidationError):
        add(brainwriting, opsteller, section="idee", group=None, text="Zonder blad")


def test_decision_grid_drops_ideas_that_fail_a_must_and_weighs_the_wishes(brainwriting, opsteller):
    a = brainwriting.groups.first()
    cheap, popular, illegal = (
        add(brainwriting, opsteller, section="idee", group=a, text=text)
        for text in ("Goedkoop", "Populair", "Onwettig")
    )
    must = services.criterion_add(
        worksheet=brainwriting, kind="eis", text="Past in het budget", weight=1, by=opsteller
    )
    reach = services.criterion_add(
        worksheet=brainwriting, kind="wens", text="Bereikt jongeren", weight=3, by=opsteller
    )
    cost = services.criterion_add(
        worksheet=brainwriting, kind="wens", text="Weinig werk", weight=1, by=opsteller
    )
    for idea, values in ((cheap, (1, 1, 3)), (popular, (1, 3, 0)), (illegal, (0, 3, 3))):
        for criterion, value in zip((must, reach, cost), values, strict=True):
            services.score_set(criterion=criterion, contribution=idea, value=value, by=opsteller)
    grid = selectors.board(brainwriting, Participant(user=opsteller)).extra["grid"]
    assert [(row["idea"].text, row["fails"], row["total"]) for row in grid] == [
        ("Populair", False, 9),
        ("Goedkoop", False, 6),
        ("Onwettig", True, 0),
    ]
    with pytest.raises(ValidationError):  # a must is met or not: 0 or 1
        services.score_set(criterion=must, contribution=cheap, value=2, by=opsteller)


# --- SDG circle, start-stop-continue ---------------------------------------------------------


def test_sdg_circle_places_each_note_at_its_goal_and_column(municipality, opsteller):
    circle = open_worksheet(municipality, opsteller, "sdg-cirkel")
    add(circle, opsteller, section="al", sdg=SDGGoal.objects.get(number=12), text="Fairtrade")
    add(circle, opsteller, section="verschil", sdg=SDGGoal.objects.get(number=12), text="Circulair")
    goals = selectors.board(circle, Participant(user=opsteller)).extra["goals"]
    assert len(goals) == 17
    twelve = goals[11]
    assert [c.text for c in twelve["already"]] == ["Fairtrade"]
    assert [c.text for c in twelve["difference"]] == ["Circulair"]
    with pytest.raises(ValidationError):
        add(circle, opsteller, section="al", sdg=None, text="Zonder SDG")


def test_start_stop_continue_is_a_table_of_actions_with_a_reason(municipality, opsteller):
    table = open_worksheet(municipality, opsteller, "start-stop-verder")
    add(table, opsteller, section="stop", text="Jaarlijkse folder", detail="Niemand leest hem")
    add(table, opsteller, section="start", text="Fairtrade-ontbijt")
    columns = selectors.board(table, Participant(user=opsteller)).extra["columns"]
    assert [(key, [c.text for c in rows]) for key, _label, rows in columns] == [
        ("start", ["Fairtrade-ontbijt"]),
        ("stop", ["Jaarlijkse folder"]),
        ("verder", []),
    ]
    assert columns[1][2][0].detail == "Niemand leest hem"


# --- theory of change ------------------------------------------------------------------------


def test_theory_of_change_is_a_chain_with_an_assumption_on_each_link(municipality, opsteller):
    toc = open_worksheet(municipality, opsteller, "veranderingstheorie")
    impact = add(toc, opsteller, section="impact", text="Een rechtvaardige wereld")
    outcome = add(
        toc,
        opsteller,
        section="outcome",
        parent=impact,
        text="Verenigingen werken professioneler",
        detail="Professionele partners dragen meer bij",
    )
    output = add(toc, opsteller, section="output", parent=outcome, text="Kennis over eigenaarschap")
    add(
        toc,
        opsteller,
        section="activiteit",
        parent=output,
        text="Vorming voor vierdepijlers",
        detail="Vorming geeft competenties en motivatie",
    )
    board = selectors.board(toc, Participant(user=opsteller))
    (root,) = board.extra["roots"]
    chain = []
    node = root
    while node is not None:
        chain.append((node.section, node.detail))
        node = node.child_list[0] if node.child_list else None
    assert chain == [
        ("impact", ""),
        ("outcome", "Professionele partners dragen meer bij"),
        ("output", ""),
        ("activiteit", "Vorming geeft competenties en motivatie"),
    ]
    # An activity hangs under an output, not straight under the impact; an impact under nothing.
    with pytest.raises(ValidationError):
        add(toc, opsteller, section="activiteit", parent=impact, text="Te vroeg")
    with pytest.raises(ValidationError):
        add(toc, opsteller, section="outcome", parent=None, text="Los")
    with pytest.raises(ValidationError):
        add(toc, opsteller, section="impact", parent=impact, text="Onder een impact")


# --- OECD-DAC self-evaluation ----------------------------------------------------------------


def test_self_evaluation_answers_alone_then_side_by_side_then_merged(
    municipality, opsteller, schepen
):
    sheet = open_worksheet(municipality, opsteller, "oeso-dac")
    sheet = settings(sheet, opsteller, open_to_members=True)
    add(sheet, opsteller, section="coherentie", question=0, text="Goed met de ngo's")
    add(sheet, schepen, section="coherentie", question=0, text="Te weinig met scholen")
    # Collecting: each sees only their own answers, and how many others gave.
    board = selectors.board(sheet, Participant(user=schepen))
    assert [c.text for c in board.contributions] == ["Te weinig met scholen"]
    assert board.hidden_count == 1
    sheet = settings(sheet, opsteller, phase=Phase.SIDE_BY_SIDE)
    board = selectors.board(sheet, Participant(user=schepen))
    coherence = next(c for c in board.extra["criteria"] if c["key"] == "coherentie")
    assert [a.text for a in coherence["questions"][0]["answers"]] == [
        "Goed met de ngo's",
        "Te weinig met scholen",
    ]
    assert [c["key"] for c in board.extra["criteria"]] == [
        "relevantie",
        "coherentie",
        "effectiviteit",
        "efficientie",
        "impact",
        "duurzaamheid",
    ]
    # The opsteller merges; a save from a stale form is refused, not lost silently.
    first = services.evaluation_save(
        worksheet=sheet,
        criterion="coherentie",
        text="Sterk met ngo's.",
        expected_version=0,
        by=opsteller,
    )
    with pytest.raises(StaleVersionError):
        services.evaluation_save(
            worksheet=sheet, criterion="coherentie", text="Oud", expected_version=0, by=opsteller
        )
    services.evaluation_save(
        worksheet=sheet,
        criterion="coherentie",
        text="Sterk met ngo's, zwak met scholen.",
        expected_version=first.version,
        by=opsteller,
    )
    board = selectors.board(sheet, Participant(user=schepen))
    coherence = next(c for c in board.extra["criteria"] if c["key"] == "coherentie")
    assert coherence["evaluation"].text == "Sterk met ngo's, zwak met scholen."
    with pytest.raises(ValidationError):
        add(sheet, opsteller, section="coherentie", question=7, text="Geen vraag")
    with pytest.raises(PermissionDenied):  # only the opsteller merges
        services.evaluation_save(
            worksheet=sheet, criterion="impact", text="x", expected_version=0, by=schepen
        )


def test_a_closed_worksheet_takes_no_more_notes(municipality, opsteller):
    table = open_worksheet(municipality, opsteller, "start-stop-verder")
    table = settings(table, opsteller, phase=Phase.CLOSED)
    with pytest.raises(ValidationError):
        add(table, opsteller, section="start", text="Te laat")


def test_a_guest_sees_only_their_own_self_evaluation_while_collecting(municipality, opsteller):
    sheet = open_worksheet(municipality, opsteller, "oeso-dac")
    add(sheet, opsteller, section="impact", question=0, text="Antwoord van de opsteller")
    _invitation, token = services.invitation_create(
        worksheet=sheet, guest_name="Partner", days=3, by=opsteller
    )
    guest = Client()
    response = guest.post(
        f"/gast/{token}/bijdragen/nieuw/",
        {"section": "impact", "question": "1", "text": "Antwoord van de gast"},
    )
    assert response.status_code == 302
    board = guest.get(f"/gast/{token}/bijdragen/").content.decode()
    assert "Antwoord van de gast" in board
    assert "Antwoord van de opsteller" not in board
