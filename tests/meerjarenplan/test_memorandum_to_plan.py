"""From the memorandum to the plan: a proposal becomes an action (or action plan) keeping its
text, SDGs and link; it is refused a second time and for another municipality; the proposals
page and the memorandum page show where each proposal landed."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.beleidsvoorstellen.services import memorandum_get_or_create, proposal_adopt
from apps.core.models import Legislature
from apps.meerjarenplan import services
from apps.meerjarenplan.models import Action, ActionPlan
from apps.meerjarenplan.selectors import plan_tree
from apps.meerjarenplan.selectors_memorandum import proposals_not_in_plan, where_proposals_landed
from apps.meerjarenplan.services_memorandum import proposal_to_plan
from tests.beleidsvoorstellen.factories import LibraryProposalFactory, area

from .conftest import build

pytestmark = pytest.mark.django_db


def _memorandum(municipality, by):
    return memorandum_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=by
    )


def _adopt(memorandum, by, title="Duurzaam aankopen", sdgs=(12, 8), code="BK"):
    library_proposal = LibraryProposalFactory(
        title=title,
        text="<p>De gemeente koopt <strong>eerlijk</strong> aan.</p>",
        sdgs=list(sdgs),
        action_area=area(code),
    )
    return proposal_adopt(memorandum=memorandum, library_proposal=library_proposal, by=by)


@pytest.fixture
def memorandum(municipality, opsteller):
    return _memorandum(municipality, opsteller)


@pytest.fixture
def proposal(memorandum, opsteller):
    return _adopt(memorandum, opsteller)


@pytest.fixture
def shaped(plan, opsteller):
    """BD1 with AP1.1 (2 actions) and AP1.2 (1 action); BD2 with AP2.1 (3 actions)."""
    return build(plan, opsteller, [[2, 1], [3]])


def url(name, municipality, *args):
    return reverse(f"meerjarenplan:{name}", args=[municipality.nis_code, *args])


# --- the service ---------------------------------------------------------------------------


def test_a_proposal_becomes_an_action_keeping_text_sdgs_and_link(plan, shaped, proposal, opsteller):
    _goals, action_plans, _actions = shaped
    action = proposal_to_plan(
        plan=plan, proposal=proposal, as_level="actie", parent=action_plans[1], by=opsteller
    )
    assert isinstance(action, Action)
    assert action.title == "Duurzaam aankopen"
    assert "<strong>eerlijk</strong>" in action.description
    assert sorted(action.sdg_goals.values_list("number", flat=True)) == [8, 12]
    assert list(action.proposals.all()) == [proposal]
    assert action.action_plan == action_plans[1]
    assert where_proposals_landed(proposal.memorandum) == {proposal.pk: ["AC1.2.2"]}
    codes = {node.item.pk: node.code for node in plan_tree(plan).nodes() if node.level == "action"}
    assert codes[action.pk] == "AC1.2.2"


def test_a_proposal_becomes_an_action_plan_under_a_goal(plan, shaped, proposal, opsteller):
    goals, _plans, _actions = shaped
    action_plan = proposal_to_plan(
        plan=plan, proposal=proposal, as_level="actieplan", parent=goals[1], by=opsteller
    )
    assert isinstance(action_plan, ActionPlan)
    assert list(action_plan.proposals.all()) == [proposal]
    assert where_proposals_landed(proposal.memorandum) == {proposal.pk: ["AP2.2"]}


def test_a_proposal_already_in_the_plan_is_refused_naming_where(plan, shaped, proposal, opsteller):
    _goals, action_plans, _actions = shaped
    proposal_to_plan(
        plan=plan, proposal=proposal, as_level="actie", parent=action_plans[0], by=opsteller
    )
    with pytest.raises(ValidationError) as error:
        proposal_to_plan(
            plan=plan, proposal=proposal, as_level="actie", parent=action_plans[2], by=opsteller
        )
    assert "AC1.1.3" in " ".join(error.value.messages)
    assert Action.objects.filter(proposals=proposal).count() == 1


def test_codes_follow_a_move_and_the_year_style(plan, shaped, proposal, opsteller):
    _goals, action_plans, actions = shaped
    action = proposal_to_plan(
        plan=plan, proposal=proposal, as_level="actie", parent=action_plans[0], by=opsteller
    )
    services.item_delete(item=actions[0], by=opsteller)
    assert where_proposals_landed(proposal.memorandum) == {proposal.pk: ["AC1.1.2"]}
    services.action_move_to(action=action, action_plan=action_plans[2], by=opsteller)
    assert where_proposals_landed(proposal.memorandum) == {proposal.pk: ["AC2.1.4"]}
    plan.refresh_from_db()
    services.plan_update(
        plan=plan,
        title=plan.title,
        introduction="",
        numbering="jaar",
        expected_version=plan.version,
        by=opsteller,
    )
    assert where_proposals_landed(proposal.memorandum) == {proposal.pk: ["2026-2-1-4"]}


def test_another_municipalitys_proposal_or_parent_is_refused(
    plan, shaped, opsteller, other_municipality, outsider
):
    foreign = _adopt(_memorandum(other_municipality, outsider), outsider)
    _goals, action_plans, _actions = shaped
    with pytest.raises(ValidationError):
        proposal_to_plan(
            plan=plan, proposal=foreign, as_level="actie", parent=action_plans[0], by=opsteller
        )
    assert not Action.objects.filter(proposals=foreign).exists()


def test_only_the_opsteller_may_turn_a_proposal_into_an_action(plan, shaped, proposal, schepen):
    _goals, action_plans, _actions = shaped
    with pytest.raises(PermissionDenied):
        proposal_to_plan(
            plan=plan, proposal=proposal, as_level="actie", parent=action_plans[0], by=schepen
        )


def test_proposals_not_in_plan(plan, shaped, memorandum, opsteller):
    first = _adopt(memorandum, opsteller, "Een")
    second = _adopt(memorandum, opsteller, "Twee")
    goals, _plans, _actions = shaped
    assert {p.pk for p in proposals_not_in_plan(plan)} == {first.pk, second.pk}
    proposal_to_plan(plan=plan, proposal=first, as_level="actieplan", parent=goals[0], by=opsteller)
    assert [p.pk for p in proposals_not_in_plan(plan)] == [second.pk]


# --- the pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["opsteller", "schepen", "lezer"])
def test_members_see_where_each_proposal_landed(
    request, client, role, plan, shaped, memorandum, opsteller
):
    landed = _adopt(memorandum, opsteller, "Geland voorstel")
    _adopt(memorandum, opsteller, "Wachtend voorstel")
    _goals, action_plans, _actions = shaped
    proposal_to_plan(
        plan=plan, proposal=landed, as_level="actie", parent=action_plans[2], by=opsteller
    )
    client.force_login(request.getfixturevalue(role))
    response = client.get(url("from_memorandum", plan.municipality))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Geland voorstel" in content and "AC2.1.4" in content
    assert "Nog niet in het plan" in content
    assert ("In het plan opnemen" in content) is (role == "opsteller")
    assert content.count('name="target"') == (1 if role == "opsteller" else 0)


def test_the_button_turns_a_proposal_into_an_action_and_says_its_code(
    client, plan, shaped, proposal, opsteller
):
    _goals, action_plans, _actions = shaped
    client.force_login(opsteller)
    response = client.post(
        url("proposal_to_plan", plan.municipality, proposal.pk),
        {"target": f"actie:{action_plans[0].pk}"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("plan", plan.municipality)
    assert any("AC1.1.3" in str(m) for m in get_messages(response.wsgi_request))
    assert Action.objects.filter(proposals=proposal, action_plan=action_plans[0]).exists()
    # A second click is refused with where it already is, and nothing is added.
    response = client.post(
        url("proposal_to_plan", plan.municipality, proposal.pk),
        {"target": f"actie:{action_plans[1].pk}"},
    )
    assert response["Location"] == url("from_memorandum", plan.municipality)
    assert any("AC1.1.3" in str(m) for m in get_messages(response.wsgi_request))
    assert Action.objects.filter(proposals=proposal).count() == 1


def test_as_an_action_plan_through_the_page(client, plan, shaped, proposal, opsteller):
    goals, _plans, _actions = shaped
    client.force_login(opsteller)
    response = client.post(
        url("proposal_to_plan", plan.municipality, proposal.pk),
        {"target": f"actieplan:{goals[0].pk}"},
    )
    assert response.status_code == 302
    assert ActionPlan.objects.get(proposals=proposal).goal == goals[0]


@pytest.mark.parametrize(
    "target", ["", "actie", "actie:", "actie:x", "doel:1", "actie:99999999", "actieplan:-1"]
)
def test_bad_input_is_a_400_and_changes_nothing(client, plan, shaped, proposal, opsteller, target):
    client.force_login(opsteller)
    before = Action.objects.count(), ActionPlan.objects.count()
    response = client.post(
        url("proposal_to_plan", plan.municipality, proposal.pk), {"target": target}
    )
    assert response.status_code == 400
    assert (Action.objects.count(), ActionPlan.objects.count()) == before


def test_a_parent_of_another_plan_is_a_400(
    client, plan, shaped, proposal, opsteller, other_municipality, outsider
):
    other_plan = services.plan_get_or_create(
        municipality=other_municipality, legislature=plan.legislature, by=outsider
    )
    _g, other_plans, _a = build(other_plan, outsider, [[1]])
    client.force_login(opsteller)
    response = client.post(
        url("proposal_to_plan", plan.municipality, proposal.pk),
        {"target": f"actie:{other_plans[0].pk}"},
    )
    assert response.status_code == 400
    assert not Action.objects.filter(proposals=proposal).exists()


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_readers_get_403_and_nothing_changes(request, client, role, plan, shaped, proposal):
    _goals, action_plans, _actions = shaped
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        url("proposal_to_plan", plan.municipality, proposal.pk),
        {"target": f"actie:{action_plans[0].pk}"},
    )
    assert response.status_code == 403
    assert not Action.objects.filter(proposals=proposal).exists()


def test_another_municipalitys_proposal_is_a_404(
    client, plan, shaped, opsteller, other_municipality, outsider
):
    foreign = _adopt(_memorandum(other_municipality, outsider), outsider)
    _goals, action_plans, _actions = shaped
    client.force_login(opsteller)
    response = client.post(
        url("proposal_to_plan", plan.municipality, foreign.pk),
        {"target": f"actie:{action_plans[0].pk}"},
    )
    assert response.status_code == 404
    assert not Action.objects.filter(proposals=foreign).exists()


def test_an_outsider_gets_404_on_both_pages(client, plan, shaped, proposal, outsider):
    client.force_login(outsider)
    assert client.get(url("from_memorandum", plan.municipality)).status_code == 404
    _goals, action_plans, _actions = shaped
    response = client.post(
        url("proposal_to_plan", plan.municipality, proposal.pk),
        {"target": f"actie:{action_plans[0].pk}"},
    )
    assert response.status_code == 404


def test_the_page_without_a_plan_or_memorandum(client, municipality, opsteller):
    client.force_login(opsteller)
    response = client.get(url("from_memorandum", municipality))
    assert response.status_code == 200
    assert "nog geen meerjarenplan" in response.content.decode()


def test_the_proposals_page_runs_a_fixed_number_of_queries(
    client, plan, shaped, memorandum, opsteller
):
    _goals, action_plans, _actions = shaped
    client.force_login(opsteller)
    path = url("from_memorandum", plan.municipality)

    def add(count, offset):
        for i in range(count):
            p = _adopt(memorandum, opsteller, f"Voorstel {offset + i}", sdgs=(17, 1 + i % 16))
            if i % 2:
                proposal_to_plan(
                    plan=plan,
                    proposal=p,
                    as_level="actie",
                    parent=action_plans[i % 3],
                    by=opsteller,
                )

    add(3, 0)
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    add(27, 3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert response.content.decode().count('class="card mb-3"') == 30
    assert len(many) == len(few)


# --- the memorandum page -------------------------------------------------------------------


def test_the_memorandum_page_shows_where_each_proposal_landed(
    client, plan, shaped, memorandum, opsteller, lezer
):
    landed = _adopt(memorandum, opsteller, "Geland voorstel")
    waiting = _adopt(memorandum, opsteller, "Wachtend voorstel", sdgs=(4,), code="BU")
    _goals, action_plans, _actions = shaped
    proposal_to_plan(
        plan=plan, proposal=landed, as_level="actie", parent=action_plans[2], by=opsteller
    )
    client.force_login(lezer)
    response = client.get(
        reverse("beleidsvoorstellen:memorandum", args=[plan.municipality.nis_code])
    )
    content = response.content.decode()
    assert "In het meerjarenplan: AC2.1.4" in content
    assert content.count("In het meerjarenplan:") == 1
    assert waiting.title in content


def test_the_memorandum_page_keeps_a_fixed_query_count_with_links(
    client, plan, shaped, memorandum, opsteller
):
    _goals, action_plans, _actions = shaped
    client.force_login(opsteller)
    path = reverse("beleidsvoorstellen:memorandum", args=[plan.municipality.nis_code])

    def add(count, offset):
        for i in range(count):
            p = _adopt(memorandum, opsteller, f"Voorstel {offset + i}")
            proposal_to_plan(
                plan=plan, proposal=p, as_level="actie", parent=action_plans[i % 3], by=opsteller
            )

    add(3, 0)
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    add(27, 3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert response.content.decode().count("In het meerjarenplan:") == 30
    assert len(many) == len(few)
