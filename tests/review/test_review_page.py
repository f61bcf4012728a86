"""The alderman's review page: the state and the submission's message, what changed since the
previous submission (only the changed parts, each with its diff and a link), the open comment
threads, the decision forms for a schepen under review, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from apps.beleidsvoorstellen import services as memorandum_services
from apps.beleidsvoorstellen.services import memorandum_get_or_create
from apps.review import services
from apps.review.models import Action
from tests.beleidsvoorstellen.factories import area, current_legislature, level

pytestmark = pytest.mark.django_db

KIND = "memorandum"


@pytest.fixture(autouse=True)
def renders_run_immediately(settings):
    immediate = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    settings.TASKS = {"default": immediate, "documents": immediate}


def own_proposal(memorandum, opsteller, title, text):
    return memorandum_services.proposal_create_own(
        memorandum=memorandum,
        action_area=area("BK"),
        level=level("S"),
        title=title,
        text=text,
        by=opsteller,
    )


@pytest.fixture
def written(memorandum, opsteller):
    """A memorandum with an introduction and two own proposals."""
    memorandum = memorandum_services.memorandum_update_introduction(
        memorandum=memorandum,
        introduction="<p>De gemeente kiest voor eerlijke handel en klimaatrechtvaardigheid.</p>",
        expected_version=memorandum.version,
        by=opsteller,
    )
    own_proposal(memorandum, opsteller, "Fairtrade in de kantine", "<p>Koffie en thee.</p>")
    own_proposal(memorandum, opsteller, "Stedenband", "<p>Een band met een partnerstad.</p>")
    return memorandum


def review_url(document) -> str:
    return reverse("review:review", args=[document.municipality.nis_code, KIND, document.pk])


def submit(document, opsteller, message=""):
    return services.transition(
        document=document, action=Action.SUBMIT, by=opsteller, message=message
    )


def test_a_schepen_sees_a_first_submission_with_its_message_and_parts(
    client, written, opsteller, schepen
):
    submit(written, opsteller, "Graag voor de zitting van 12 december.")
    client.force_login(schepen)
    response = client.get(review_url(written))
    assert response.status_code == 200
    page = response.text
    assert ">Ter review</span>" in page
    assert "Graag voor de zitting van 12 december." in page
    assert "Dit is de eerste indiening" in page
    for label in ("Titel en inleiding", "Fairtrade in de kantine", "Stedenband"):
        assert label in page
    proposal = written.proposals.get(title="Stedenband")
    page_url = reverse("beleidsvoorstellen:memorandum", args=[written.municipality.nis_code])
    assert f'href="{page_url}#voorstel-{proposal.pk}"' in page
    # The decision: approve, or send back with a reason the browser requires too.
    assert 'value="approve"' in page
    assert 'value="send_back"' in page
    assert "required" in page.split('value="send_back"')[1].split("</form>")[0]
    assert "Reden van het terugsturen (verplicht)" in page


def test_changes_since_the_previous_submission_show_only_the_changed_parts(
    client, written, opsteller, schepen
):
    submit(written, opsteller)
    services.transition(
        document=written, action=Action.SEND_BACK, by=schepen, message="Maak het concreter."
    )
    services.transition(document=written, action=Action.REOPEN, by=opsteller)
    written.refresh_from_db()
    memorandum_services.memorandum_update_introduction(
        memorandum=written,
        introduction="<p>De gemeente kiest voor eerlijke handel en een warme stedenband.</p>",
        expected_version=written.version,
        by=opsteller,
    )
    added = own_proposal(written, opsteller, "Mondiale vorming", "<p>Op school.</p>")
    submit(written, opsteller, "Aangepast zoals gevraagd.")

    client.force_login(schepen)
    page = client.get(review_url(written)).text
    assert "Wat is er veranderd sinds de vorige indiening" in page
    assert "Dit is de eerste indiening" not in page
    changes = page.split('id="review-changes"')[1].split('id="review-threads"')[0]
    assert "Titel en inleiding" in changes
    assert "<del>" in changes and "klimaatrechtvaardigheid" in changes
    assert "<ins>" in changes and "stedenband" in changes
    assert "Mondiale vorming" in changes
    assert f"#voorstel-{added.pk}" in changes
    assert "nieuw" in changes
    # The proposals nobody touched are not listed.
    assert "Fairtrade in de kantine" not in changes
    assert "Stedenband</a>" not in changes
    assert "Aangepast zoals gevraagd." in page


def test_resubmitting_without_changes_says_so(client, written, opsteller, schepen):
    submit(written, opsteller)
    services.transition(document=written, action=Action.WITHDRAW, by=opsteller)
    submit(written, opsteller)
    client.force_login(schepen)
    assert (
        "Er is niets gewijzigd sinds de vorige indiening." in client.get(review_url(written)).text
    )


def test_open_threads_are_shown_resolved_ones_are_not(client, written, opsteller, schepen):
    submit(written, opsteller)
    proposal = written.proposals.get(title="Stedenband")
    thread = services.thread_start(
        document=written,
        part_key=f"proposal-{proposal.pk}",
        quote="een partnerstad",
        text="Welke stad?\nEn waarom?",
        by=schepen,
    )
    services.comment_reply(thread=thread, text="Een stad in Burkina Faso.", by=opsteller)
    done = services.thread_start(document=written, text="Afgehandelde vraag", by=schepen)
    services.thread_resolve(thread=done, by=opsteller)

    client.force_login(schepen)
    page = client.get(review_url(written)).text
    threads = page.split('id="review-threads"')[1]
    assert "Open opmerking (1)" in threads
    assert "Stedenband" in threads
    assert "een partnerstad" in threads
    assert "Welke stad?<br>En waarom?" in threads
    assert "Een stad in Burkina Faso." in threads
    assert escape(schepen.get_full_name() or schepen.email) in threads
    assert "Afgehandelde vraag" not in threads
    assert "1 opmerking is afgehandeld." in threads
    comments = reverse("review:comments", args=[written.municipality.nis_code, KIND, written.pk])
    assert f'href="{comments}#thread-{thread.pk}"' in threads


def test_comment_text_is_escaped(client, written, opsteller, schepen):
    submit(written, opsteller)
    services.thread_start(document=written, text='Zie 5 < 6 & "dit"', by=schepen)
    client.force_login(schepen)
    page = client.get(review_url(written)).text
    assert "Zie 5 &lt; 6 &amp; &quot;dit&quot;" in page


@pytest.mark.parametrize("who", ["opsteller", "lezer"])
def test_only_a_schepen_gets_the_decision(client, written, opsteller, schepen, lezer, who):
    submit(written, opsteller)
    client.force_login({"opsteller": opsteller, "lezer": lezer}[who])
    response = client.get(review_url(written))
    assert response.status_code == 200
    assert 'value="approve"' not in response.text
    assert 'value="send_back"' not in response.text


def test_no_decision_once_the_document_is_approved(client, written, opsteller, schepen):
    submit(written, opsteller)
    services.transition(document=written, action=Action.APPROVE, by=schepen)
    client.force_login(schepen)
    page = client.get(review_url(written)).text
    assert ">Goedgekeurd</span>" in page
    assert 'value="approve"' not in page
    assert "goedgekeurde versie van" in page


def test_a_concept_never_submitted(client, written, schepen):
    client.force_login(schepen)
    page = client.get(review_url(written)).text
    assert "Dit document is nog niet ter review ingediend." in page
    assert 'value="approve"' not in page


def test_a_sent_back_document_shows_the_reason(client, written, opsteller, schepen):
    submit(written, opsteller)
    services.transition(
        document=written, action=Action.SEND_BACK, by=schepen, message="Te vaag over budget."
    )
    client.force_login(opsteller)
    page = client.get(review_url(written)).text
    assert "Reden van het terugsturen:" in page
    assert "Te vaag over budget." in page


def test_other_municipality_and_unknown_kind_are_404(
    client, written, outsider, other_municipality, opsteller
):
    client.force_login(outsider)
    assert client.get(review_url(written)).status_code == 404
    theirs = memorandum_get_or_create(
        municipality=other_municipality, legislature=current_legislature(), by=outsider
    )
    client.force_login(opsteller)
    url = reverse("review:review", args=[written.municipality.nis_code, KIND, theirs.pk])
    assert client.get(url).status_code == 404
    url = reverse("review:review", args=[written.municipality.nis_code, "begroting", written.pk])
    assert client.get(url).status_code == 404


def test_a_post_to_the_review_page_is_refused(client, written, schepen):
    client.force_login(schepen)
    assert client.post(review_url(written)).status_code == 405


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _comment(document, n, schepen, opsteller, parts):
    """Thread ``n``: on a part, a quote, a reply with a mention, every third resolved."""
    thread = services.thread_start(
        document=document,
        part_key=parts[n % len(parts)],
        quote=f"passage {n}",
        text=f"Opmerking {n} voor @{opsteller.email.split('@')[0]}",
        by=schepen,
    )
    services.comment_reply(thread=thread, text=f"Antwoord {n}", by=opsteller)
    if n % 3 == 2:
        services.thread_resolve(thread=thread, by=opsteller)


def test_review_page_queries_are_the_same_for_3_and_30_comments(
    client, written, opsteller, schepen
):
    submit(written, opsteller)
    services.transition(document=written, action=Action.WITHDRAW, by=opsteller)
    written.refresh_from_db()
    memorandum_services.memorandum_update_introduction(
        memorandum=written,
        introduction="<p>Een gewijzigde inleiding.</p>",
        expected_version=written.version,
        by=opsteller,
    )
    submit(written, opsteller)
    parts = ["document", *(f"proposal-{p.pk}" for p in written.proposals.all())]
    for n in range(3):
        _comment(written, n, schepen, opsteller, parts)
    client.force_login(schepen)
    url = review_url(written)
    client.get(url)
    few = _queries(client, url)
    for n in range(3, 30):
        _comment(written, n, schepen, opsteller, parts)
    page = client.get(url).text
    assert "Opmerking 28" in page and "Antwoord 27" in page
    assert "Opmerking 29" not in page  # resolved
    many = _queries(client, url)
    print(f"review page: {few} queries with 3 comments, {many} with 30")
    assert many == few
