"""Results into documents: an idea or an activity becomes an own proposal of the memorandum,
and the transfer keeps the way back to the worksheet."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.beleidsvoorstellen.models import MemorandumProposal
from apps.core.models import ActionArea, AmbitionLevel
from apps.methods import services
from apps.methods.models import Transfer
from apps.methods.permissions import Participant

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db


def choice():
    return {"action_area": ActionArea.objects.first().pk, "level": AmbitionLevel.objects.first().pk}


def test_the_top_idea_becomes_an_own_proposal_with_a_link_back(client, brainwriting, opsteller):
    group = brainwriting.groups.first()
    idea = services.contribution_add(
        worksheet=brainwriting,
        participant=Participant(user=opsteller),
        section="idee",
        group=group,
        text="Een wereldcafé in de jeugdclub",
    )
    client.force_login(opsteller)
    nis = brainwriting.municipality.nis_code
    response = client.post(
        reverse("methods:to_proposal", args=[nis, brainwriting.pk, idea.pk]), choice()
    )
    assert response.status_code == 302
    proposal = MemorandumProposal.objects.get()
    assert proposal.title == "Een wereldcafé in de jeugdclub"
    assert proposal.memorandum.municipality == brainwriting.municipality
    transfer = Transfer.objects.get()
    assert (transfer.contribution, transfer.object_id) == (idea, proposal.pk)
    assert transfer.content_type == ContentType.objects.get_for_model(MemorandumProposal)
    # Once: a second time is refused, and the idea can no longer be removed.
    again = client.post(
        reverse("methods:to_proposal", args=[nis, brainwriting.pk, idea.pk]), choice()
    )
    assert again.status_code == 400
    assert MemorandumProposal.objects.count() == 1
    removal = client.post(
        reverse("methods:contribution_remove", args=[nis, brainwriting.pk, idea.pk])
    )
    assert removal.status_code == 400
    board = client.get(reverse("methods:board", args=[nis, brainwriting.pk])).content.decode()
    assert "overgenomen in een document" in board


def test_a_theory_of_change_activity_becomes_a_proposal_with_its_assumption(
    municipality, opsteller
):
    toc = open_worksheet(municipality, opsteller, "veranderingstheorie")
    me = Participant(user=opsteller)
    impact = services.contribution_add(worksheet=toc, participant=me, section="impact", text="I")
    outcome = services.contribution_add(
        worksheet=toc, participant=me, section="outcome", parent=impact, text="O"
    )
    output = services.contribution_add(
        worksheet=toc, participant=me, section="output", parent=outcome, text="P"
    )
    activity = services.contribution_add(
        worksheet=toc,
        participant=me,
        section="activiteit",
        parent=output,
        text="Vorming voor vierdepijlers",
        detail="Vorming versterkt hun werking",
    )
    proposal = services.contribution_to_proposal(
        contribution=activity,
        action_area=ActionArea.objects.first(),
        level=AmbitionLevel.objects.first(),
        by=opsteller,
    )
    assert "Vorming versterkt hun werking" in proposal.text
    with pytest.raises(services.ValidationError):  # an impact is no proposal
        services.contribution_to_proposal(
            contribution=impact,
            action_area=ActionArea.objects.first(),
            level=AmbitionLevel.objects.first(),
            by=opsteller,
        )


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_only_the_opsteller_hands_an_idea_to_the_memorandum(
    request, client, brainwriting, opsteller, role
):
    idea = services.contribution_add(
        worksheet=brainwriting,
        participant=Participant(user=opsteller),
        section="idee",
        group=brainwriting.groups.first(),
        text="Idee",
    )
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse(
            "methods:to_proposal",
            args=[brainwriting.municipality.nis_code, brainwriting.pk, idea.pk],
        ),
        choice(),
    )
    assert response.status_code == 403
    assert not MemorandumProposal.objects.exists()


def _plan_with_action_plan(municipality, opsteller, title="Een actieplan"):
    from apps.core.models import Legislature
    from apps.meerjarenplan import services as plan_services

    plan = plan_services.plan_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )
    goal = plan_services.goal_create(plan=plan, title="Een doelstelling", by=opsteller)
    return plan_services.action_plan_create(goal=goal, title=title, by=opsteller)


def test_an_activity_becomes_an_action_of_the_plan_with_a_link_back(
    client, municipality, opsteller, outsider
):
    from apps.meerjarenplan.models import Action

    action_plan = _plan_with_action_plan(municipality, opsteller)
    toc = open_worksheet(municipality, opsteller, "veranderingstheorie")
    me = Participant(user=opsteller)
    impact = services.contribution_add(worksheet=toc, participant=me, section="impact", text="I")
    outcome = services.contribution_add(
        worksheet=toc, participant=me, section="outcome", parent=impact, text="O"
    )
    output = services.contribution_add(
        worksheet=toc, participant=me, section="output", parent=outcome, text="P"
    )
    activity = services.contribution_add(
        worksheet=toc,
        participant=me,
        section="activiteit",
        parent=output,
        text="Vorming voor vierdepijlers",
        detail="Vorming versterkt hun werking",
    )
    client.force_login(opsteller)
    nis = municipality.nis_code
    page = client.get(reverse("methods:worksheet", args=[nis, toc.pk])).content.decode()
    assert "Actie maken" in page and "Een actieplan" in page
    # Another municipality's action plan is not a choice.
    foreign = _plan_with_action_plan(
        outsider.memberships.get().municipality, outsider, title="Elders"
    )
    url = reverse("methods:to_action", args=[nis, toc.pk, activity.pk])
    assert client.post(url, {"action_plan": foreign.pk}).status_code == 400
    assert client.post(url, {"action_plan": action_plan.pk}).status_code == 302
    action = Action.objects.get(action_plan=action_plan)
    assert action.title == "Vorming voor vierdepijlers"
    assert "Vorming versterkt hun werking" in action.description
    transfer = Transfer.objects.get()
    assert (transfer.contribution, transfer.object_id) == (activity, action.pk)
    assert client.post(url, {"action_plan": action_plan.pk}).status_code == 400  # once


def test_origin_of_leads_from_the_document_back_to_the_worksheet(brainwriting, opsteller):
    from apps.methods.selectors import origin_of

    idea = services.contribution_add(
        worksheet=brainwriting,
        participant=Participant(user=opsteller),
        section="idee",
        group=brainwriting.groups.first(),
        text="Een idee",
    )
    proposal = services.contribution_to_proposal(
        contribution=idea,
        action_area=ActionArea.objects.first(),
        level=AmbitionLevel.objects.first(),
        by=opsteller,
    )
    assert origin_of(proposal) == (brainwriting, idea)
    other = MemorandumProposal.objects.exclude(pk=proposal.pk).first()
    assert other is None or origin_of(other) is None
