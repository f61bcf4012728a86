"""Comment threads on a document: the page, starting, replying, resolving, mentions, the
members for suggestions, the per-part links with open counts, and who may do what."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import Role
from apps.review import services
from apps.review.models import Comment, Notification, NotificationKind, Thread
from tests.beleidsvoorstellen.factories import MemorandumFactory, MemorandumProposalFactory
from tests.factories import MembershipFactory, UserFactory
from tests.meerjarenplan.conftest import build, plan  # noqa: F401 (fixture)
from tests.omgevingsanalyse.conftest import analysis  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def url(name, municipality, document, *args, kind="memorandum"):
    return reverse(f"review:{name}", args=[municipality.nis_code, kind, document.pk, *args])


def handle(user) -> str:
    return user.email.split("@")[0]


@pytest.fixture
def thread(memorandum, schepen):
    return services.thread_start(
        document=memorandum, part_key="document", text="Mooie inleiding.", by=schepen
    )


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["opsteller", "schepen", "lezer"])
def test_members_read_the_threads_and_only_writers_get_forms(
    request, client, role, municipality, memorandum, thread
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url("comments", municipality, memorandum))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mooie inleiding." in content
    assert f'id="thread-{thread.pk}"' in content
    writer = role != "lezer"
    assert ('id="nieuwe-opmerking"' in content) is writer
    assert (url("reply", municipality, memorandum, thread.pk) in content) is writer
    assert (url("resolve", municipality, memorandum, thread.pk) in content) is writer
    assert ("data-mentions-url" in content) is writer


def test_page_lists_open_threads_before_resolved_with_part_quote_and_counts(
    client, opsteller, schepen, municipality, memorandum, adopted
):
    resolved = services.thread_start(
        document=memorandum, part_key="document", text="Al opgelost.", by=schepen
    )
    services.thread_resolve(thread=resolved, by=opsteller)
    open_one = services.thread_start(
        document=memorandum,
        part_key=f"proposal-{adopted.pk}",
        quote="De gemeente koopt duurzaam",
        text="Hoe precies?\nGraag een voorbeeld.",
        by=schepen,
    )
    client.force_login(opsteller)
    content = client.get(url("comments", municipality, memorandum)).content.decode()
    assert content.index(f'id="thread-{open_one.pk}"') < content.index(f'id="thread-{resolved.pk}"')
    assert "<blockquote" in content and "De gemeente koopt duurzaam" in content
    assert "Hoe precies?<br>Graag een voorbeeld." in content
    page = reverse("beleidsvoorstellen:memorandum", args=[municipality.nis_code])
    assert f'href="{page}#voorstel-{adopted.pk}"' in content
    assert "Duurzame overheidsopdrachten" in content
    assert "1 open" in content and "1 afgehandeld" in content
    assert "Heropenen" in content and "Afhandelen" in content


def test_part_filter_shows_that_parts_threads_and_preselects_it(
    client, schepen, municipality, memorandum, adopted, thread
):
    on_part = services.thread_start(
        document=memorandum,
        part_key=f"proposal-{adopted.pk}",
        text="Over dit voorstel.",
        by=schepen,
    )
    client.force_login(schepen)
    response = client.get(
        url("comments", municipality, memorandum), {"deel": f"proposal-{adopted.pk}"}
    )
    content = response.content.decode()
    assert f'id="thread-{on_part.pk}"' in content
    assert f'id="thread-{thread.pk}"' not in content
    assert f'<option value="proposal-{adopted.pk}" selected>' in content
    assert "Alle opmerkingen tonen" in content
    # An unknown part shows nothing, never an error.
    response = client.get(url("comments", municipality, memorandum), {"deel": "proposal-999999"})
    assert response.status_code == 200
    assert f'id="thread-{thread.pk}"' not in response.content.decode()


def test_comment_text_is_escaped_with_line_breaks_and_mentions_marked(
    client, opsteller, schepen, municipality, memorandum
):
    services.thread_start(
        document=memorandum,
        text=f"<b>vet</b> & <script>x</script>\n@{handle(opsteller)} kijk, @niemand niet",
        by=schepen,
    )
    client.force_login(opsteller)
    content = client.get(url("comments", municipality, memorandum)).content.decode()
    assert "<script>x" not in content and "<b>vet" not in content
    assert f'<br><mark class="mention">@{handle(opsteller)}</mark> kijk' in content
    assert '<mark class="mention">@niemand' not in content


# --- writing ---------------------------------------------------------------------------------


def test_schepen_starts_a_thread_on_a_part_with_a_quote(
    client, schepen, municipality, memorandum, adopted
):
    client.force_login(schepen)
    response = client.post(
        url("thread_create", municipality, memorandum),
        {"part": f"proposal-{adopted.pk}", "quote": "koopt duurzaam", "text": "Welke criteria?"},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert (
        response["Location"] == url("comments", municipality, memorandum) + f"#thread-{thread.pk}"
    )
    assert thread.part_key == f"proposal-{adopted.pk}"
    assert thread.part_label == "Duurzame overheidsopdrachten"
    assert thread.quote == "koopt duurzaam"
    assert thread.created_by == schepen
    assert [c.text for c in thread.comments.all()] == ["Welke criteria?"]


def test_opsteller_starts_a_thread_on_the_whole_document(
    client, opsteller, municipality, memorandum
):
    client.force_login(opsteller)
    client.post(url("thread_create", municipality, memorandum), {"part": "", "text": "Algemeen."})
    thread = Thread.objects.get()
    assert (thread.part_key, thread.part_label, thread.kind) == ("", "", "memorandum")
    assert thread.municipality == municipality


def test_reply_and_resolve_then_reopen(client, opsteller, municipality, memorandum, thread):
    client.force_login(opsteller)
    back = url("comments", municipality, memorandum) + f"#thread-{thread.pk}"
    response = client.post(
        url("reply", municipality, memorandum, thread.pk), {"text": "Aangepast."}
    )
    assert response["Location"] == back
    assert [c.text for c in thread.comments.all()] == ["Mooie inleiding.", "Aangepast."]
    response = client.post(
        url("resolve", municipality, memorandum, thread.pk), {"action": "resolve"}
    )
    assert response["Location"] == back
    thread.refresh_from_db()
    assert thread.is_resolved and thread.resolved_by == opsteller
    client.post(url("resolve", municipality, memorandum, thread.pk), {"action": "reopen"})
    thread.refresh_from_db()
    assert not thread.is_resolved and thread.resolved_by is None


@pytest.mark.parametrize("action", ["", "delete", "resolve\x00"])
def test_resolve_with_an_unknown_action_is_a_400(
    client, opsteller, municipality, memorandum, thread, action
):
    client.force_login(opsteller)
    response = client.post(url("resolve", municipality, memorandum, thread.pk), {"action": action})
    assert response.status_code == 400
    assert "Kies afhandelen of heropenen." in response.content.decode()
    thread.refresh_from_db()
    assert not thread.is_resolved


BAD_TEXTS = [
    ("", "Schrijf eerst je"),
    ("   \n  ", "Schrijf eerst je"),
    ("een\x00nul", "ongeldig teken"),
    ("x" * 10_001, "te lang"),
    ("<p></p>", "Schrijf eerst je"),  # the service strips tags: nothing left
]


@pytest.mark.parametrize(("text", "message"), BAD_TEXTS)
def test_bad_thread_text_says_why_and_creates_nothing(
    client, schepen, municipality, memorandum, text, message
):
    client.force_login(schepen)
    response = client.post(
        url("thread_create", municipality, memorandum), {"part": "", "text": text}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Thread.objects.exists() and not Comment.objects.exists()


@pytest.mark.parametrize(("text", "message"), BAD_TEXTS)
def test_bad_reply_text_says_why_and_adds_nothing(
    client, schepen, municipality, memorandum, thread, text, message
):
    client.force_login(schepen)
    response = client.post(
        url("reply", municipality, memorandum, thread.pk), {"text": text}, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert thread.comments.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"part": "proposal-999999", "text": "Hallo"}, "Dat onderdeel bestaat niet"),
        ({"part": "x" * 500, "text": "Hallo"}, "Dat onderdeel bestaat niet"),
        ({"part": "", "quote": "q" * 1001, "text": "Hallo"}, "citaat is te lang"),
        ({"part": "", "quote": "een\x00nul", "text": "Hallo"}, "ongeldig teken"),
    ],
)
def test_bad_part_or_quote_says_why_and_keeps_the_text(
    client, schepen, municipality, memorandum, data, message
):
    client.force_login(schepen)
    response = client.post(url("thread_create", municipality, memorandum), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "Hallo</textarea>" in content
    assert not Thread.objects.exists()


def test_a_part_deleted_meanwhile_is_refused_by_the_service(
    client, schepen, municipality, memorandum, adopted, monkeypatch
):
    """The form knew the part; the service no longer finds it: a message, no thread."""
    client.force_login(schepen)
    real = services.selectors.find_part
    monkeypatch.setattr(services.selectors, "find_part", lambda *args: None)
    response = client.post(
        url("thread_create", municipality, memorandum),
        {"part": f"proposal-{adopted.pk}", "text": "Hallo"},
    )
    monkeypatch.setattr(services.selectors, "find_part", real)
    assert response.status_code == 400
    assert "Dat onderdeel bestaat niet (meer)" in response.content.decode()
    assert not Thread.objects.exists()


# --- who may ---------------------------------------------------------------------------------


def test_a_lezer_posts_nothing_and_gets_no_members(client, lezer, municipality, memorandum, thread):
    client.force_login(lezer)
    posts = [
        (url("thread_create", municipality, memorandum), {"part": "", "text": "Mag ik?"}),
        (url("reply", municipality, memorandum, thread.pk), {"text": "Mag ik?"}),
        (url("resolve", municipality, memorandum, thread.pk), {"action": "resolve"}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 403, path
    assert client.get(url("members", municipality, memorandum)).status_code == 403
    assert Thread.objects.count() == 1 and Comment.objects.count() == 1
    thread.refresh_from_db()
    assert not thread.is_resolved


def test_another_municipality_is_404(client, outsider, municipality, memorandum, thread):
    client.force_login(outsider)
    assert client.get(url("comments", municipality, memorandum)).status_code == 404
    assert client.get(url("members", municipality, memorandum)).status_code == 404
    posts = [
        (url("thread_create", municipality, memorandum), {"part": "", "text": "Hallo"}),
        (url("reply", municipality, memorandum, thread.pk), {"text": "Hallo"}),
        (url("resolve", municipality, memorandum, thread.pk), {"action": "resolve"}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 404, path
    assert Comment.objects.count() == 1


def test_another_municipalitys_document_under_my_own_code_is_404(
    client, opsteller, municipality, other_municipality
):
    foreign = MemorandumFactory(municipality=other_municipality)
    client.force_login(opsteller)
    assert client.get(url("comments", municipality, foreign)).status_code == 404
    response = client.post(url("thread_create", municipality, foreign), {"text": "Hallo"})
    assert response.status_code == 404
    assert not Thread.objects.exists()


def test_unknown_document_kind_is_404(client, opsteller, municipality, memorandum):
    client.force_login(opsteller)
    assert client.get(url("comments", municipality, memorandum, kind="onbekend")).status_code == 404


def test_a_thread_of_another_document_is_404(
    client, opsteller, outsider, municipality, other_municipality, memorandum, thread
):
    foreign_memorandum = MemorandumFactory(municipality=other_municipality)
    foreign = services.thread_start(document=foreign_memorandum, text="Elders.", by=outsider)
    # Same municipality and the same object id, but another kind of document.
    other_kind = Thread.objects.create(
        municipality=municipality, kind="omgevingsanalyse", object_id=memorandum.pk
    )
    client.force_login(opsteller)
    for thread_id in (foreign.pk, other_kind.pk, 999_999_999):
        assert (
            client.post(url("reply", municipality, memorandum, thread_id), {"text": "Hallo"})
        ).status_code == 404
        assert (
            client.post(url("resolve", municipality, memorandum, thread_id), {"action": "resolve"})
        ).status_code == 404
    assert foreign.comments.count() == 1
    foreign.refresh_from_db()
    assert not foreign.is_resolved


def test_anonymous_users_go_to_the_login_page(client, municipality, memorandum, thread):
    response = client.get(url("comments", municipality, memorandum))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    response = client.post(url("reply", municipality, memorandum, thread.pk), {"text": "x"})
    assert response.status_code == 302
    assert thread.comments.count() == 1


def test_get_on_a_post_view_is_405(client, opsteller, municipality, memorandum, thread):
    client.force_login(opsteller)
    assert client.get(url("thread_create", municipality, memorandum)).status_code == 405
    assert client.get(url("resolve", municipality, memorandum, thread.pk)).status_code == 405


# --- mentions --------------------------------------------------------------------------------


def test_members_lists_handles_and_names_of_this_municipality_only(
    client, opsteller, schepen, lezer, outsider, municipality, memorandum
):
    client.force_login(schepen)
    response = client.get(url("members", municipality, memorandum))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    handles = {item["handle"] for item in data}
    assert handles == {handle(opsteller), handle(lezer)}  # not the schepen self, not outsiders
    item = next(item for item in data if item["handle"] == handle(opsteller))
    assert item["name"] == opsteller.get_full_name()


def test_a_mention_links_the_member_and_notifies_them(
    client, opsteller, schepen, municipality, memorandum
):
    client.force_login(schepen)
    client.post(
        url("thread_create", municipality, memorandum),
        {"part": "", "text": f"Wat denk jij, @{handle(opsteller)}?"},
    )
    comment = Comment.objects.get()
    assert list(comment.mentions.all()) == [opsteller]
    notification = Notification.objects.get(user=opsteller)
    assert notification.kind == NotificationKind.MENTION
    assert notification.url.endswith(f"#thread-{comment.thread_id}")
    assert not Notification.objects.filter(user=schepen).exists()


def test_a_mention_by_the_whole_address_when_two_members_share_a_local_part(
    client, schepen, municipality, memorandum
):
    first = MembershipFactory(
        municipality=municipality, role=Role.OPSTELLER, user=UserFactory(email="jan@a.be")
    ).user
    second = MembershipFactory(
        municipality=municipality, role=Role.LEZER, user=UserFactory(email="jan@b.be")
    ).user
    client.force_login(schepen)
    members = json.loads(client.get(url("members", municipality, memorandum)).content)
    assert {"jan@a.be", "jan@b.be"} <= {item["handle"] for item in members}
    client.post(url("thread_create", municipality, memorandum), {"text": "Voor @jan@b.be."})
    assert list(Comment.objects.get().mentions.all()) == [second]
    assert not Notification.objects.filter(user=first).exists()
    content = client.get(url("comments", municipality, memorandum)).content.decode()
    assert '<mark class="mention">@jan@b.be</mark>.' in content


# --- per-part links on the document pages ----------------------------------------------------


def test_document_page_shows_open_counts_per_part(
    client, opsteller, schepen, lezer, municipality, memorandum, adopted
):
    for text in ("Een", "Twee"):
        services.thread_start(
            document=memorandum, part_key=f"proposal-{adopted.pk}", text=text, by=schepen
        )
    done = services.thread_start(document=memorandum, part_key="document", text="Drie", by=schepen)
    services.thread_resolve(thread=done, by=schepen)
    client.force_login(opsteller)
    content = client.get(
        reverse("beleidsvoorstellen:memorandum", args=[municipality.nis_code])
    ).content.decode()
    comments = url("comments", municipality, memorandum)
    assert f'href="{comments}?deel=proposal-{adopted.pk}#opmerkingen"' in content
    assert f'href="{comments}?deel=proposal-{adopted.pk}#nieuwe-opmerking"' in content
    assert f'href="{comments}?deel=document#opmerkingen"' in content
    assert "2 open" in content
    assert "1 open" not in content  # the resolved one does not count
    client.force_login(lezer)
    content = client.get(
        reverse("beleidsvoorstellen:memorandum", args=[municipality.nis_code])
    ).content.decode()
    assert "2 open" in content and "#nieuwe-opmerking" not in content


def test_part_comments_reads_the_counts_once_for_many_parts(
    opsteller, schepen, municipality, memorandum, django_assert_num_queries
):
    proposals = [MemorandumProposalFactory(memorandum=memorandum) for _ in range(30)]
    for proposal in proposals[:3]:
        services.thread_start(
            document=memorandum, part_key=f"proposal-{proposal.pk}", text="Hm.", by=schepen
        )
    request = RequestFactory().get("/")
    request.user = opsteller
    template = Template(
        "{% load comment_tags %}{% for p in proposals %}"
        '{% part_comments memorandum "proposal" p.pk %}{% endfor %}'
        '{% part_comments memorandum "document" %}'
    )
    context = Context({"request": request, "memorandum": memorandum, "proposals": proposals})
    opsteller.__dict__.pop("_lmb_roles", None)
    # The open counts and the user's roles: two queries, however many parts.
    with django_assert_num_queries(2):
        html = template.render(context)
    assert html.count("1 open") == 3
    assert html.count("Opmerking maken") == 31
    # Each part links its own saved versions.
    versions = reverse(
        "review:versions",
        args=[municipality.nis_code, "memorandum", memorandum.pk, f"proposal-{proposals[7].pk}"],
    )
    assert f'href="{versions}"' in html


def test_part_comments_renders_nothing_without_a_document():
    html = Template('{% load comment_tags %}{% part_comments None "document" %}').render(Context())
    assert html.strip() == ""


# --- fixed query count -----------------------------------------------------------------------


def _fill(memorandum, users, total):
    while Thread.objects.count() < total:
        thread = services.thread_start(
            document=memorandum,
            part_key="document",
            quote="Een passage",
            text=f"@{handle(users[0])} bekijk dit",
            by=users[1],
        )
        services.comment_reply(thread=thread, text=f"@{handle(users[1])} gedaan", by=users[0])
        if thread.pk % 2:
            services.thread_resolve(thread=thread, by=users[0])


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["opsteller", "lezer"])
def test_comments_page_runs_the_same_number_of_queries_for_3_and_30_threads(
    request, client, role, opsteller, schepen, municipality, memorandum, adopted,
    django_assert_num_queries,
):  # fmt: skip
    _fill(memorandum, [opsteller, schepen], 3)
    client.force_login(request.getfixturevalue(role))
    path = url("comments", municipality, memorandum)
    client.get(path)  # the first request of a session may touch it
    few = _count(client, path)
    _fill(memorandum, [opsteller, schepen], 30)
    with django_assert_num_queries(few):
        response = client.get(path)
    content = response.content.decode()
    assert content.count('class="card mb-3 comment-thread') == 30
    assert content.count('<mark class="mention">') == 60


# --- every kind of document ------------------------------------------------------------------


def _analysis(request):
    return request.getfixturevalue("analysis"), "omgevingsanalyse:analysis"


def _plan(request):
    document = request.getfixturevalue("plan")
    build(document, request.getfixturevalue("opsteller"), [[1]])
    return document, "meerjarenplan:plan"


def _vision(request):
    from apps.core.models import Legislature
    from apps.omgevingsanalyse.services import vision_get_or_create

    vision = vision_get_or_create(
        municipality=request.getfixturevalue("municipality"),
        legislature=Legislature.objects.current(),
        by=request.getfixturevalue("opsteller"),
    )
    return vision, "omgevingsanalyse:vision"


@pytest.mark.parametrize("make", [_analysis, _plan, _vision], ids=["analyse", "plan", "visie"])
def test_every_document_kind_has_comments_on_its_parts(
    request, client, make, schepen, lezer, municipality
):
    from apps.review import registry

    document, page_name = make(request)
    reviewable = registry.for_document(document)
    parts = reviewable.parts(document)
    part = parts[min(1, len(parts) - 1)]  # a section, a goal; the vision has only itself
    client.force_login(schepen)
    response = client.post(
        url("thread_create", municipality, document, kind=reviewable.key),
        {"part": part.key, "text": "Graag verduidelijken."},
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert (thread.kind, thread.part_key) == (reviewable.key, part.key)
    client.force_login(lezer)
    content = client.get(url("comments", municipality, document, kind=reviewable.key)).content
    assert "Graag verduidelijken." in content.decode()
    page = client.get(reverse(page_name, args=[municipality.nis_code])).content.decode()
    comments = url("comments", municipality, document, kind=reviewable.key)
    assert f'href="{comments}?deel={part.key}#opmerkingen"' in page
    assert "1 open" in page


def test_comparisons_in_a_comment_survive_the_tag_cleaning(memorandum, schepen):
    thread = services.thread_start(
        document=memorandum, text="Als 3 < 5 en 6 > 4 <b>klopt</b> dit", by=schepen
    )
    assert thread.comments.get().text == "Als 3 < 5 en 6 > 4 klopt dit"
