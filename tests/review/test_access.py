"""Who reaches the review app: every member reads; a lezer's POST to any review, comment or
restore endpoint is a 403 and changes nothing; anyone of another municipality gets a 404 for
every document URL, GET or POST, as if the document did not exist."""

import pytest
from django.urls import URLPattern, reverse

from apps.review import services
from apps.review.models import Comment, DocumentReview, Thread, Transition
from apps.review.urls import urlpatterns

pytestmark = pytest.mark.django_db

# The endpoints that write, with what a form of the page would post.
POSTS = {
    "transition": {"action": "approve"},
    "thread_create": {"part_key": "", "text": "Nog een vraag"},
    "reply": {"text": "Een antwoord"},
    "resolve": {"action": "resolve"},
    "restore": {"history_id": "1", "expected_version": "1"},
}
DOCUMENT_ROUTES = [
    p.name for p in urlpatterns if isinstance(p, URLPattern) and "nis_code" in str(p.pattern)
]


@pytest.fixture
def world(memorandum, adopted, opsteller, schepen, django_capture_on_commit_callbacks):
    thread = services.thread_start(
        document=memorandum, part_key=f"proposal-{adopted.pk}", text="Waarom?", by=schepen
    )
    services.transition(document=memorandum, action="submit", by=opsteller)
    step = services.transition(document=memorandum, action="approve", by=schepen)
    return {
        "nis_code": memorandum.municipality.nis_code,
        "kind": "memorandum",
        "object_id": memorandum.pk,
        "thread_id": thread.pk,
        "approved_id": step.approved_version.pk,
        "part_key": f"proposal-{adopted.pk}",
    }


def url_for(name: str, world: dict) -> str:
    pattern = next(p for p in urlpatterns if getattr(p, "name", None) == name)
    kwargs = {key: world[key] for key in pattern.pattern.converters}
    return reverse(f"review:{name}", kwargs=kwargs)


def state() -> tuple:
    return (
        Thread.objects.count(),
        Comment.objects.count(),
        Transition.objects.count(),
        list(DocumentReview.objects.values_list("status", "version")),
    )


def test_every_document_route_is_covered_here():
    assert set(POSTS) <= set(DOCUMENT_ROUTES)
    assert len(DOCUMENT_ROUTES) >= 10


@pytest.mark.parametrize("name", sorted(POSTS))
def test_a_lezer_posting_gets_403_and_nothing_changes(client, lezer, world, name):
    client.force_login(lezer)
    before = state()
    response = client.post(url_for(name, world), POSTS[name])
    assert response.status_code == 403
    assert state() == before


@pytest.mark.parametrize("name", DOCUMENT_ROUTES)
def test_another_municipality_gets_404_for_every_document_url(client, outsider, world, name):
    client.force_login(outsider)
    before = state()
    url = url_for(name, world)
    # The method the route takes answers 404; the other one may be a 405, which says
    # nothing about the document either.
    answers = {client.get(url).status_code, client.post(url, POSTS.get(name, {})).status_code}
    assert 404 in answers
    assert answers <= {404, 405}
    assert state() == before


@pytest.mark.parametrize("name", ["review", "comments", "timeline", "versions"])
def test_a_lezer_reads_the_review_pages(client, lezer, world, name):
    client.force_login(lezer)
    assert client.get(url_for(name, world)).status_code == 200


@pytest.mark.parametrize("name", DOCUMENT_ROUTES)
def test_anonymous_visitors_are_sent_to_log_in(client, world, name):
    response = client.get(url_for(name, world))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
