"""Under review (and approved, and sent back) a document is read-only for everyone, the
opsteller included: every edit URL answers 403 with the reason, and nothing changes. The same
request succeeds once the opsteller has taken the document back, so the 403 is the lock's."""

import pytest
from django.urls import reverse

from apps.beleidsvoorstellen import services as memorandum_services
from apps.beleidsvoorstellen.models import Memorandum, MemorandumProposal
from apps.core.models import Legislature
from apps.meerjarenplan import services as plan_services
from apps.meerjarenplan.models import Action as PlanAction
from apps.omgevingsanalyse import services as analysis_services
from apps.omgevingsanalyse.models import Analysis, Section, Structure, VisionMission
from apps.review import services
from apps.review.models import Action, Status
from tests.beleidsvoorstellen.factories import LibraryProposalFactory, area, level

pytestmark = pytest.mark.django_db

LOCKED = "ter review bij de schepen"


@pytest.fixture(autouse=True)
def renders_run_immediately(settings):
    immediate = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    settings.TASKS = {"default": immediate, "documents": immediate}


def submit(document, opsteller):
    services.transition(document=document, action=Action.SUBMIT, by=opsteller)


def withdraw(document, opsteller):
    services.transition(document=document, action=Action.WITHDRAW, by=opsteller)


# --- the memorandum ----------------------------------------------------------------------------


@pytest.fixture
def own(memorandum, adopted, opsteller):
    """A second proposal, the opsteller's own, after the adopted one."""
    return memorandum_services.proposal_create_own(
        memorandum=memorandum,
        action_area=adopted.action_area,
        level=adopted.level,
        title="Eigen voorstel",
        text="<p>Onze eigen tekst.</p>",
        by=opsteller,
    )


def memorandum_state(memorandum) -> tuple:
    """Everything an edit could change: the memorandum, its proposals, their history."""
    row = Memorandum.objects.get(pk=memorandum.pk)
    proposals = list(
        MemorandumProposal.objects.filter(memorandum=memorandum)
        .order_by("pk")
        .values_list("pk", "version", "order", "title", "text")
    )
    return (
        row.version,
        row.title,
        row.introduction,
        proposals,
        MemorandumProposal.history.count(),
        Memorandum.history.count(),
    )


def memorandum_posts(memorandum, adopted, own):
    nis = memorandum.municipality.nis_code
    another = LibraryProposalFactory(title="Nog een voorstel", text="<p>Tekst.</p>")

    def url(name, *args):
        return reverse(f"beleidsvoorstellen:{name}", args=[nis, *args])

    return [
        (url("start"), {}),
        (url("introduction"), {"introduction": "<p>Gewijzigd</p>", "version": memorandum.version}),
        (
            url("proposal_edit", adopted.pk),
            {
                "title": "Gewijzigde titel",
                "text": "<p>Gewijzigde tekst.</p>",
                "justification": "",
                "priority": adopted.priority,
                "version": adopted.version,
            },
        ),
        (
            url("proposal_create"),
            {
                "action_area": area("BK").pk,
                "level": level("S").pk,
                "title": "Nieuw voorstel",
                "text": "<p>Nieuw.</p>",
                "priority": adopted.priority,
            },
        ),
        (url("adopt", another.pk), {}),
        (url("proposal_move", own.pk), {"direction": "up"}),
        (url("proposal_delete", adopted.pk), {}),
    ]


@pytest.mark.parametrize("status", [Status.TER_REVIEW, Status.GOEDGEKEURD, Status.TERUGGESTUURD])
def test_the_opsteller_cannot_edit_the_memorandum_unless_it_is_a_concept(
    client, memorandum, adopted, own, opsteller, schepen, status
):
    submit(memorandum, opsteller)
    if status == Status.GOEDGEKEURD:
        services.transition(document=memorandum, action=Action.APPROVE, by=schepen)
    elif status == Status.TERUGGESTUURD:
        services.transition(
            document=memorandum, action=Action.SEND_BACK, by=schepen, message="Te vaag."
        )
    before = memorandum_state(memorandum)
    client.force_login(opsteller)
    for url, data in memorandum_posts(memorandum, adopted, own):
        response = client.post(url, data)
        assert response.status_code == 403, url
        if status == Status.TER_REVIEW:
            assert LOCKED in response.text, url
        assert memorandum_state(memorandum) == before, url
    # GET on an edit page is refused too: no form to type into.
    intro = reverse("beleidsvoorstellen:introduction", args=[memorandum.municipality.nis_code])
    assert client.get(intro).status_code == 403


def test_the_same_edits_succeed_once_withdrawn(client, memorandum, adopted, own, opsteller):
    submit(memorandum, opsteller)
    withdraw(memorandum, opsteller)
    memorandum.refresh_from_db()
    adopted.refresh_from_db()
    client.force_login(opsteller)
    before = memorandum_state(memorandum)
    for url, data in memorandum_posts(memorandum, adopted, own)[1:]:
        response = client.post(url, data)
        assert response.status_code == 302, url
    after = memorandum_state(memorandum)
    assert after != before
    assert Memorandum.objects.get(pk=memorandum.pk).introduction == "<p>Gewijzigd</p>"
    assert not MemorandumProposal.objects.filter(pk=adopted.pk).exists()  # deleted last


def test_the_memorandum_page_under_review_has_the_banner_and_no_edit_buttons(
    client, memorandum, adopted, opsteller, lezer
):
    submit(memorandum, opsteller)
    page_url = reverse("beleidsvoorstellen:memorandum", args=[memorandum.municipality.nis_code])
    for user in (opsteller, lezer):
        client.force_login(user)
        page = client.get(page_url).text
        assert "Dit document ligt ter review bij de schepen." in page
        assert "Inleiding bewerken" not in page
        assert "Eigen voorstel toevoegen" not in page
    client.force_login(opsteller)
    assert "Indiening intrekken" in client.get(page_url).text


# --- the omgevingsanalyse and visie & missie ----------------------------------------------------


@pytest.fixture
def analysis(municipality, opsteller):
    return analysis_services.analysis_start(
        municipality=municipality,
        legislature=Legislature.objects.current(),
        structure=Structure.objects.get(key="vijf-p"),
        by=opsteller,
    )


@pytest.fixture
def vision(municipality, opsteller):
    vision = analysis_services.vision_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )
    return analysis_services.vision_update(
        vision=vision,
        vision_text="<p>Een eerlijke gemeente.</p>",
        mission_text="<p>Solidair in elk beleidsdomein.</p>",
        expected_version=vision.version,
        by=opsteller,
    )


def test_the_analysis_is_read_only_under_review(client, analysis, opsteller):
    section = analysis.sections.order_by("order").first()
    nis = analysis.municipality.nis_code
    intro = reverse("omgevingsanalyse:introduction", args=[nis])
    edit = reverse("omgevingsanalyse:section_edit", args=[nis, section.pk])
    section_data = {"title": "Nieuwe titel", "text": "<p>Nieuw.</p>", "version": section.version}
    submit(analysis, opsteller)
    client.force_login(opsteller)
    response = client.post(intro, {"introduction": "<p>Nieuw</p>", "version": analysis.version})
    assert response.status_code == 403
    assert LOCKED in response.text
    assert client.post(edit, section_data).status_code == 403
    assert Analysis.objects.get(pk=analysis.pk).version == analysis.version
    assert Section.objects.get(pk=section.pk).title == section.title
    page = client.get(reverse("omgevingsanalyse:analysis", args=[nis])).text
    assert "Dit document ligt ter review bij de schepen." in page

    withdraw(analysis, opsteller)
    assert client.post(edit, section_data).status_code == 302
    assert Section.objects.get(pk=section.pk).title == "Nieuwe titel"


def test_visie_en_missie_is_read_only_under_review(client, vision, opsteller):
    nis = vision.municipality.nis_code
    edit = reverse("omgevingsanalyse:vision_edit", args=[nis])
    data = {"vision": "<p>Anders.</p>", "mission": "<p>Ook anders.</p>", "version": vision.version}
    submit(vision, opsteller)
    client.force_login(opsteller)
    response = client.post(edit, data)
    assert response.status_code == 403
    assert LOCKED in response.text
    assert VisionMission.objects.get(pk=vision.pk).vision == "<p>Een eerlijke gemeente.</p>"
    page = client.get(reverse("omgevingsanalyse:vision", args=[nis])).text
    assert "Dit document ligt ter review bij de schepen." in page

    withdraw(vision, opsteller)
    assert client.post(edit, data).status_code == 302
    assert VisionMission.objects.get(pk=vision.pk).vision == "<p>Anders.</p>"


# --- the meerjarenplan -------------------------------------------------------------------------


def test_the_plan_is_read_only_under_review(client, municipality, opsteller):
    plan = plan_services.plan_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )
    goal = plan_services.goal_create(plan=plan, title="Doel 1", by=opsteller)
    action_plan = plan_services.action_plan_create(goal=goal, title="Plan 1.1", by=opsteller)
    action = plan_services.action_create(action_plan=action_plan, title="Actie", by=opsteller)
    edit = reverse("meerjarenplan:item_edit", args=[municipality.nis_code, "actie", action.pk])
    data = {
        "title": "Andere actie",
        "description": "",
        "responsible_service": "",
        "version": action.version,
    }
    submit(plan, opsteller)
    client.force_login(opsteller)
    response = client.post(edit, data)
    assert response.status_code == 403
    assert LOCKED in response.text
    assert PlanAction.objects.get(pk=action.pk).title == "Actie"
    page = client.get(reverse("meerjarenplan:plan", args=[municipality.nis_code])).text
    assert "Dit document ligt ter review bij de schepen." in page

    withdraw(plan, opsteller)
    assert client.post(edit, data).status_code == 302
    assert PlanAction.objects.get(pk=action.pk).title == "Andere actie"
