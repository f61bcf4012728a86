"""The review workflow through its view: every transition rule (who may, from which state),
the refusals with their message, the roles and municipalities that never get that far, and
what the review bar and the dashboard card say in each state."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from apps.beleidsvoorstellen.services import memorandum_get_or_create
from apps.core.models import Role
from apps.review import services
from apps.review.models import Action, DocumentReview, Status, Thread, Transition
from tests.beleidsvoorstellen.factories import current_legislature

pytestmark = pytest.mark.django_db

KIND = "memorandum"
REASON = "De inleiding mist de link met de SDG's."

# How each state is reached from a concept: (action, by which role, message).
PATHS = {
    Status.CONCEPT: [],
    Status.TER_REVIEW: [(Action.SUBMIT, Role.OPSTELLER, "")],
    Status.GOEDGEKEURD: [
        (Action.SUBMIT, Role.OPSTELLER, ""),
        (Action.APPROVE, Role.SCHEPEN, ""),
    ],
    Status.TERUGGESTUURD: [
        (Action.SUBMIT, Role.OPSTELLER, ""),
        (Action.SEND_BACK, Role.SCHEPEN, REASON),
    ],
}

# The rules of the brief, written out again (not read from services.RULES, so a changed rule
# fails here): action -> (role, the states it starts from, the state it leads to).
EXPECTED = {
    Action.SUBMIT: (Role.OPSTELLER, {Status.CONCEPT}, Status.TER_REVIEW),
    Action.WITHDRAW: (Role.OPSTELLER, {Status.TER_REVIEW}, Status.CONCEPT),
    Action.APPROVE: (Role.SCHEPEN, {Status.TER_REVIEW}, Status.GOEDGEKEURD),
    Action.SEND_BACK: (Role.SCHEPEN, {Status.TER_REVIEW}, Status.TERUGGESTUURD),
    Action.REOPEN: (Role.OPSTELLER, {Status.GOEDGEKEURD, Status.TERUGGESTUURD}, Status.CONCEPT),
}


@pytest.fixture(autouse=True)
def renders_run_immediately(settings):
    """An approval renders its PDF after the commit; in these tests that never comes (no
    on-commit capture), and the tests that want it run it in their own thread."""
    immediate = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    settings.TASKS = {"default": immediate, "documents": immediate}


@pytest.fixture
def users(opsteller, schepen, lezer):
    return {Role.OPSTELLER: opsteller, Role.SCHEPEN: schepen, Role.LEZER: lezer}


def bring_to(document, status, users):
    for action, role, message in PATHS[status]:
        services.transition(document=document, action=action, by=users[role], message=message)
    return DocumentReview.objects.filter(kind=KIND, object_id=document.pk).first()


def status_now(document) -> str:
    review = DocumentReview.objects.filter(kind=KIND, object_id=document.pk).first()
    return review.status if review else Status.CONCEPT


def version_now(document) -> int:
    review = DocumentReview.objects.filter(kind=KIND, object_id=document.pk).first()
    return review.version if review else 1


def transition_url(document, kind=KIND) -> str:
    return reverse("review:transition", args=[document.municipality.nis_code, kind, document.pk])


def page_url(document) -> str:
    return reverse("beleidsvoorstellen:memorandum", args=[document.municipality.nis_code])


def post(client, document, action, *, message="", version=None, **extra):
    data = {"action": action, "message": message, **extra}
    data["expected_version"] = version_now(document) if version is None else version
    return client.post(transition_url(document), data)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the rules -------------------------------------------------------------------------------

CASES = [(status, action) for status in Status for action in Action]


@pytest.mark.parametrize(("status", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_every_transition_rule(client, memorandum, users, status, action):
    role, sources, target = EXPECTED[action]
    bring_to(memorandum, status, users)
    transitions_before = Transition.objects.count()
    client.force_login(users[role])
    message = REASON if action == Action.SEND_BACK else "Een bericht."

    response = post(client, memorandum, action, message=message)

    assert response.status_code == 302
    assert response["Location"] == page_url(memorandum)
    if status in sources:
        assert status_now(memorandum) == target
        assert Transition.objects.count() == transitions_before + 1
        step = Transition.objects.latest("pk")
        assert (step.action, step.from_status, step.to_status) == (action, status, target)
        assert step.by == users[role]
        assert step.message == message
        [text] = messages_of(response)
        assert text  # a Dutch success message
    else:
        assert status_now(memorandum) == status
        assert Transition.objects.count() == transitions_before
        assert messages_of(response) == [
            f"Dat kan niet: het document is nu ‘{Status(status).label}’."
        ]


@pytest.mark.parametrize("action", list(Action))
def test_the_other_role_gets_403_and_nothing_changes(client, memorandum, users, action):
    role, sources, _target = EXPECTED[action]
    start = next(iter(sources))
    bring_to(memorandum, start, users)
    other = Role.SCHEPEN if role == Role.OPSTELLER else Role.OPSTELLER
    client.force_login(users[other])
    response = post(client, memorandum, action, message=REASON)
    assert response.status_code == 403
    assert status_now(memorandum) == start


@pytest.mark.parametrize("action", list(Action))
def test_a_lezer_gets_403_for_every_action(client, memorandum, users, action):
    _role, sources, _target = EXPECTED[action]
    start = next(iter(sources))
    bring_to(memorandum, start, users)
    client.force_login(users[Role.LEZER])
    response = post(client, memorandum, action, message=REASON)
    assert response.status_code == 403
    assert status_now(memorandum) == start


def test_a_lezer_with_an_unknown_action_still_gets_403(client, memorandum, lezer):
    client.force_login(lezer)
    assert post(client, memorandum, "publish").status_code == 403


def test_another_municipalitys_document_is_404(client, memorandum, outsider, other_municipality):
    client.force_login(outsider)
    response = post(client, memorandum, Action.SUBMIT)
    assert response.status_code == 404
    assert status_now(memorandum) == Status.CONCEPT


def test_a_document_of_another_municipality_under_my_municipality_is_404(
    client, municipality, opsteller, outsider, other_municipality
):
    theirs = memorandum_get_or_create(
        municipality=other_municipality, legislature=current_legislature(), by=outsider
    )
    client.force_login(opsteller)
    url = reverse("review:transition", args=[municipality.nis_code, KIND, theirs.pk])
    response = client.post(url, {"action": Action.SUBMIT, "expected_version": 1})
    assert response.status_code == 404
    assert status_now(theirs) == Status.CONCEPT


def test_an_unknown_kind_is_404(client, memorandum, opsteller):
    client.force_login(opsteller)
    url = reverse("review:transition", args=[memorandum.municipality.nis_code, "begroting", 1])
    assert client.post(url, {"action": "submit"}).status_code == 404


def test_a_get_is_not_a_transition(client, memorandum, opsteller):
    client.force_login(opsteller)
    assert client.get(transition_url(memorandum)).status_code == 405
    assert status_now(memorandum) == Status.CONCEPT


def test_an_anonymous_visitor_is_sent_to_the_login(client, memorandum):
    response = client.post(transition_url(memorandum), {"action": "submit"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert status_now(memorandum) == Status.CONCEPT


def test_send_back_without_a_reason_is_refused(client, memorandum, users):
    bring_to(memorandum, Status.TER_REVIEW, users)
    client.force_login(users[Role.SCHEPEN])
    response = post(client, memorandum, Action.SEND_BACK, message="   ")
    assert response.status_code == 302
    assert status_now(memorandum) == Status.TER_REVIEW
    assert messages_of(response) == [
        "Geef een reden op waarom het document teruggaat naar de opsteller."
    ]


def test_a_reason_of_only_tags_is_no_reason(client, memorandum, users):
    bring_to(memorandum, Status.TER_REVIEW, users)
    client.force_login(users[Role.SCHEPEN])
    post(client, memorandum, Action.SEND_BACK, message="<b></b>")
    assert status_now(memorandum) == Status.TER_REVIEW


def test_a_stale_version_is_refused(client, memorandum, users):
    """Two schepenen on one review page: the first approves, the second's send-back (loaded
    with the same version) must not land on the approved document."""
    bring_to(memorandum, Status.TER_REVIEW, users)
    loaded = version_now(memorandum)
    services.transition(document=memorandum, action=Action.APPROVE, by=users[Role.SCHEPEN])
    client.force_login(users[Role.SCHEPEN])
    response = post(client, memorandum, Action.SEND_BACK, message=REASON, version=loaded)
    assert status_now(memorandum) == Status.GOEDGEKEURD
    [text] = messages_of(response)
    assert "intussen gewijzigd" in text
    assert "Goedgekeurd" in text


def test_the_first_submit_expects_version_1(client, memorandum, opsteller):
    """A document that was never reviewed has no row yet; the bar sends version 1."""
    client.force_login(opsteller)
    response = post(client, memorandum, Action.SUBMIT, version=1)
    assert response.status_code == 302
    assert status_now(memorandum) == Status.TER_REVIEW


def test_a_malformed_version_is_a_400_in_dutch(client, memorandum, opsteller):
    client.force_login(opsteller)
    response = client.post(
        transition_url(memorandum), {"action": Action.SUBMIT, "expected_version": "twee"}
    )
    assert response.status_code == 400
    assert "De versie van de status ontbreekt of klopt niet." in response.text
    assert status_now(memorandum) == Status.CONCEPT


def test_an_unknown_action_is_refused_with_a_message(client, memorandum, opsteller):
    client.force_login(opsteller)
    response = post(client, memorandum, "publish")
    assert response.status_code == 302
    assert messages_of(response) == ["Onbekende actie."]
    assert not DocumentReview.objects.exists()


def test_a_too_long_message_is_refused(client, memorandum, opsteller):
    client.force_login(opsteller)
    response = post(client, memorandum, Action.SUBMIT, message="x" * 5001)
    assert status_now(memorandum) == Status.CONCEPT
    assert "te lang" in messages_of(response)[0]


def test_a_local_next_is_followed_and_another_site_is_not(client, memorandum, users):
    bring_to(memorandum, Status.TER_REVIEW, users)
    client.force_login(users[Role.SCHEPEN])
    review = reverse("review:review", args=[memorandum.municipality.nis_code, KIND, memorandum.pk])
    response = post(client, memorandum, Action.SEND_BACK, message="", next=review)
    assert response["Location"] == review  # the refusal shows on the review page
    response = post(client, memorandum, Action.SEND_BACK, message=REASON, next="//evil.example")
    assert response["Location"] == page_url(memorandum)
    assert status_now(memorandum) == Status.TERUGGESTUURD


def test_submit_keeps_the_message_and_tells_the_schepen(client, memorandum, users):
    client.force_login(users[Role.OPSTELLER])
    post(client, memorandum, Action.SUBMIT, message="Graag voor de collegezitting.")
    step = Transition.objects.get(action=Action.SUBMIT)
    assert step.message == "Graag voor de collegezitting."
    assert step.snapshot["document"]["label"] == "Titel en inleiding"
    assert users[Role.SCHEPEN].lmb_notifications.filter(kind="submitted").count() == 1


# --- the review bar --------------------------------------------------------------------------


def bar_of(client, document) -> str:
    response = client.get(page_url(document))
    assert response.status_code == 200
    return response.text


def test_bar_of_a_concept(client, memorandum, users):
    client.force_login(users[Role.OPSTELLER])
    page = bar_of(client, memorandum)
    assert "Status:" in page
    assert ">Concept</span>" in page
    assert "Indienen ter review" in page
    assert 'name="message"' in page
    assert f'action="{transition_url(memorandum)}"' in page
    assert 'name="expected_version" value="1"' in page
    assert "Opmerkingen (0 open)" in page
    args = [memorandum.municipality.nis_code, KIND, memorandum.pk]
    assert f'href="{reverse("review:timeline", args=args)}"' in page
    assert f'href="{reverse("review:comments", args=args)}"' in page
    assert 'name="action" value="submit"' in page
    client.force_login(users[Role.SCHEPEN])
    page = bar_of(client, memorandum)
    assert "Indienen ter review" not in page
    assert 'value="submit"' not in page


def test_bar_under_review_for_each_role(client, memorandum, users):
    review = bring_to(memorandum, Status.TER_REVIEW, users)
    review_url = reverse(
        "review:review", args=[memorandum.municipality.nis_code, KIND, memorandum.pk]
    )
    for role in users:
        client.force_login(users[role])
        page = bar_of(client, memorandum)
        assert "Dit document ligt ter review bij de schepen." in page
        assert "voor iedereen alleen te lezen" in page
        assert ("Indiening intrekken" in page) == (role == Role.OPSTELLER)
        assert ("Naar de review" in page) == (role == Role.SCHEPEN)
        assert (f'href="{review_url}"' in page) == (role == Role.SCHEPEN)
        assert "Indienen ter review" not in page
    client.force_login(users[Role.OPSTELLER])
    page = bar_of(client, memorandum)
    assert f'name="expected_version" value="{review.version}"' in page
    assert 'value="withdraw"' in page


def test_bar_of_an_approved_document(client, memorandum, users, django_capture_on_commit_callbacks):
    bring_to(memorandum, Status.TER_REVIEW, users)
    with django_capture_on_commit_callbacks(execute=False):
        step = services.transition(
            document=memorandum, action=Action.APPROVE, by=users[Role.SCHEPEN]
        )
    approved = step.approved_version
    client.force_login(users[Role.OPSTELLER])
    page = bar_of(client, memorandum)
    date = step.created_at.strftime("%-d")  # the day; the month is in Dutch
    assert "Goedgekeurd op " + date in page
    schepen = users[Role.SCHEPEN]
    assert escape(schepen.get_full_name() or schepen.email) in page
    pdf_url = reverse(
        "review:approved_pdf",
        args=[memorandum.municipality.nis_code, KIND, memorandum.pk, approved.pk],
    )
    assert pdf_url in page
    assert "goedgekeurde versie van" in page
    assert "wordt nog gemaakt" in page  # the render waits for the commit
    assert ">Heropenen</button>" in page
    client.force_login(users[Role.LEZER])
    page = bar_of(client, memorandum)
    assert pdf_url in page
    assert "Heropenen" not in page


def test_bar_of_a_document_sent_back(client, memorandum, users):
    bring_to(memorandum, Status.TERUGGESTUURD, users)
    client.force_login(users[Role.OPSTELLER])
    page = bar_of(client, memorandum)
    assert ">Teruggestuurd</span>" in page
    assert escape(REASON) in page
    assert "Heropenen om aan te passen" in page
    client.force_login(users[Role.SCHEPEN])
    page = bar_of(client, memorandum)
    assert escape(REASON) in page
    assert "Heropenen om aan te passen" not in page


def test_bar_counts_open_comments(client, memorandum, users):
    for n in range(3):
        services.thread_start(document=memorandum, text=f"Vraag {n}", by=users[Role.SCHEPEN])
    Thread.objects.filter(pk=Thread.objects.order_by("pk").first().pk).update(
        resolved_at="2026-01-01T00:00:00Z"
    )
    client.force_login(users[Role.LEZER])
    assert "Opmerkingen (2 open)" in bar_of(client, memorandum)


def test_bar_queries_do_not_grow_with_comments_or_approvals(client, memorandum, users):
    bring_to(memorandum, Status.GOEDGEKEURD, users)
    client.force_login(users[Role.OPSTELLER])
    client.get(page_url(memorandum))
    with CaptureQueriesContext(connection) as few:
        client.get(page_url(memorandum))
    for _ in range(3):
        services.transition(document=memorandum, action=Action.REOPEN, by=users[Role.OPSTELLER])
        bring_to(memorandum, Status.GOEDGEKEURD, users)
    for n in range(10):
        services.thread_start(document=memorandum, text=f"Vraag {n}", by=users[Role.SCHEPEN])
    with CaptureQueriesContext(connection) as many:
        client.get(page_url(memorandum))
    assert len(many) == len(few)


# --- the dashboard card ------------------------------------------------------------------------


def test_dashboard_card_says_the_review_state_and_open_comments(client, memorandum, users):
    dashboard = reverse("core:dashboard", args=[memorandum.municipality.nis_code])
    client.force_login(users[Role.LEZER])
    page = client.get(dashboard).text
    assert ">Concept</span>" in page
    assert "open opmerking" not in page
    bring_to(memorandum, Status.TER_REVIEW, users)
    services.thread_start(document=memorandum, text="Eén vraag", by=users[Role.SCHEPEN])
    page = client.get(dashboard).text
    assert ">Ter review</span>" in page
    assert "1 open opmerking" in page
    services.thread_start(document=memorandum, text="Nog een", by=users[Role.SCHEPEN])
    assert "2 open opmerkingen" in client.get(dashboard).text


def test_dashboard_queries_do_not_grow_with_comments(client, memorandum, users):
    dashboard = reverse("core:dashboard", args=[memorandum.municipality.nis_code])
    bring_to(memorandum, Status.TER_REVIEW, users)
    client.force_login(users[Role.OPSTELLER])
    client.get(dashboard)
    with CaptureQueriesContext(connection) as few:
        client.get(dashboard)
    for n in range(12):
        services.thread_start(document=memorandum, text=f"Vraag {n}", by=users[Role.SCHEPEN])
    with CaptureQueriesContext(connection) as many:
        client.get(dashboard)
    assert len(many) == len(few)


def test_an_empty_vision_under_review_says_so_on_its_card(client, municipality, users):
    """Only an untouched concept is "Nog niet begonnen": a submitted vision, even without
    text, shows its review state."""
    from apps.core.selectors import current_legislature
    from apps.omgevingsanalyse.services import vision_get_or_create

    dashboard = reverse("core:dashboard", args=[municipality.nis_code])
    vision = vision_get_or_create(
        municipality=municipality,
        legislature=current_legislature(),
        by=users[Role.OPSTELLER],
    )
    client.force_login(users[Role.LEZER])
    assert "Nog niet begonnen" in client.get(dashboard).text
    services.transition(document=vision, action="submit", by=users[Role.OPSTELLER])
    page = client.get(dashboard).text
    assert ">Ter review</span>" in page
    assert "Nog geen tekst." in page
