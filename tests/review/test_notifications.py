"""Notifications and their mails: who gets which, the settings per kind, the list, marking
read and the unread count of the navigation bar."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from apps.core.models import Role
from apps.review import services
from apps.review.context_processors import notifications as unread_processor
from apps.review.models import Notification, NotificationKind, NotificationSetting
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def handle(user) -> str:
    return user.email.split("@")[0]


def recipients(mailoutbox) -> list[str]:
    return sorted(address for mail in mailoutbox for address in mail.to)


@pytest.fixture
def second_schepen(municipality):
    return MembershipFactory(municipality=municipality, role=Role.SCHEPEN).user


@pytest.fixture
def no_pdf(monkeypatch):
    """An approval freezes its print HTML; its PDF render is not what these tests are about."""
    monkeypatch.setattr("apps.review.tasks.enqueue_approved_render", lambda approved_id: None)


def submit(memorandum, opsteller, capture):
    with capture(execute=True):
        services.transition(document=memorandum, action="submit", by=opsteller)


# --- transitions -----------------------------------------------------------------------------


def test_a_submission_mails_the_municipalitys_schepenen_only(
    django_capture_on_commit_callbacks,
    mailoutbox,
    memorandum,
    opsteller,
    schepen,
    second_schepen,
    lezer,
    outsider,
    other_municipality,
):
    MembershipFactory(municipality=other_municipality, role=Role.SCHEPEN)
    submit(memorandum, opsteller, django_capture_on_commit_callbacks)
    assert recipients(mailoutbox) == sorted([schepen.email, second_schepen.email])
    mail = mailoutbox[0]
    assert mail.subject.startswith("[LMB Planner] ")
    assert "diende Ambtelijk memorandum in ter review" in mail.subject
    review_url = reverse(
        "review:review", args=[memorandum.municipality.nis_code, "memorandum", memorandum.pk]
    )
    assert f"http://127.0.0.1:8000{review_url}" in mail.body or review_url in mail.body
    assert reverse("review:settings") in mail.body
    assert set(Notification.objects.values_list("user", flat=True)) == {
        schepen.pk,
        second_schepen.pk,
    }
    notification = Notification.objects.get(user=schepen)
    assert notification.kind == NotificationKind.SUBMITTED
    assert notification.url == review_url
    assert notification.actor == opsteller and notification.mailed


def test_no_mail_leaves_before_the_commit(
    django_capture_on_commit_callbacks, mailoutbox, memorandum, opsteller, schepen
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.transition(document=memorandum, action="submit", by=opsteller)
    assert mailoutbox == []
    assert callbacks  # the mail waits for the commit


def test_sending_back_mails_the_opstellers(
    django_capture_on_commit_callbacks, mailoutbox, municipality, memorandum, opsteller, schepen
):
    second = MembershipFactory(municipality=municipality, role=Role.OPSTELLER).user
    submit(memorandum, opsteller, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(
            document=memorandum, action="send_back", message="Te vaag.\nHerschrijf.", by=schepen
        )
    assert recipients(mailoutbox) == sorted([opsteller.email, second.email])
    assert "stuurde Ambtelijk memorandum terug" in mailoutbox[0].subject
    assert "Te vaag.\nHerschrijf." in mailoutbox[0].body
    assert Notification.objects.filter(kind=NotificationKind.DECIDED).count() == 2


def test_an_approval_mails_the_opstellers(
    django_capture_on_commit_callbacks, mailoutbox, memorandum, opsteller, schepen, no_pdf
):
    submit(memorandum, opsteller, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(document=memorandum, action="approve", by=schepen)
    assert recipients(mailoutbox) == [opsteller.email]
    assert "keurde Ambtelijk memorandum goed" in mailoutbox[0].subject


# --- comments --------------------------------------------------------------------------------


def test_a_mention_mails_the_mentioned_member_only(
    django_capture_on_commit_callbacks,
    mailoutbox,
    municipality,
    other_municipality,
    memorandum,
    opsteller,
    schepen,
    lezer,
):
    # A member of another municipality with the same local part is never reached.
    namesake = UserFactory(email=f"{handle(opsteller)}@elders.be")
    MembershipFactory(municipality=other_municipality, user=namesake, role=Role.OPSTELLER)
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_start(
            document=memorandum, text=f"Kijk even, @{handle(opsteller)}.", by=schepen
        )
    assert recipients(mailoutbox) == [opsteller.email]
    assert "vermeldt je in een opmerking bij Ambtelijk memorandum" in mailoutbox[0].subject
    assert f"Kijk even, @{handle(opsteller)}." in mailoutbox[0].body
    assert list(Notification.objects.values_list("user", "kind")) == [
        (opsteller.pk, NotificationKind.MENTION)
    ]


def test_mentioning_oneself_notifies_nobody(
    django_capture_on_commit_callbacks, mailoutbox, memorandum, schepen
):
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_start(document=memorandum, text=f"Notitie @{handle(schepen)}", by=schepen)
    assert mailoutbox == [] and not Notification.objects.exists()


def test_a_reply_mails_earlier_participants_but_not_the_replier(
    django_capture_on_commit_callbacks, mailoutbox, municipality, memorandum, opsteller, schepen
):
    third = MembershipFactory(municipality=municipality, role=Role.SCHEPEN).user
    thread = services.thread_start(document=memorandum, part_key="document", text="A", by=schepen)
    services.comment_reply(thread=thread, text="B", by=third)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply(thread=thread, text="Aangepast, zie de inleiding.", by=opsteller)
    assert recipients(mailoutbox) == sorted([schepen.email, third.email])
    assert "reageerde op een opmerking bij Ambtelijk memorandum: Titel en inleiding" in (
        mailoutbox[0].subject
    )
    assert set(Notification.objects.values_list("user", "kind")) == {
        (schepen.pk, NotificationKind.REPLY),
        (third.pk, NotificationKind.REPLY),
    }


def test_a_mentioned_participant_gets_the_mention_not_also_the_reply(
    django_capture_on_commit_callbacks, mailoutbox, memorandum, opsteller, schepen
):
    thread = services.thread_start(document=memorandum, text="A", by=schepen)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply(thread=thread, text=f"@{handle(schepen)} klaar", by=opsteller)
    assert recipients(mailoutbox) == [schepen.email]
    assert list(Notification.objects.values_list("kind", flat=True)) == [NotificationKind.MENTION]


def test_a_mail_server_failure_keeps_the_comment(
    django_capture_on_commit_callbacks, memorandum, opsteller, schepen, monkeypatch
):
    def broken(**kwargs):
        raise OSError("server weg")

    monkeypatch.setattr(services, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(
            document=memorandum, text=f"@{handle(opsteller)} hallo", by=schepen
        )
    assert thread.comments.count() == 1
    assert Notification.objects.filter(user=opsteller).exists()


def test_a_line_break_in_a_part_name_does_not_break_the_subject(
    django_capture_on_commit_callbacks, mailoutbox, memorandum, opsteller, schepen
):
    thread = services.thread_start(document=memorandum, text="A", by=schepen)
    type(thread).objects.filter(pk=thread.pk).update(part_label="Twee\nregels")
    thread.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply(thread=thread, text="B", by=opsteller)
    assert len(mailoutbox) == 1
    assert "Twee regels" in mailoutbox[0].subject


# --- settings per kind -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("by_mail", "in_app"), [(False, True), (True, False), (False, False), (True, True)]
)
def test_a_switched_off_kind_sends_no_mail_or_no_notification(
    django_capture_on_commit_callbacks, mailoutbox, memorandum, opsteller, schepen, by_mail, in_app
):
    services.notification_settings_save(
        user=schepen, choices={NotificationKind.SUBMITTED: (by_mail, in_app)}
    )
    submit(memorandum, opsteller, django_capture_on_commit_callbacks)
    assert (len(mailoutbox) == 1) is by_mail
    assert Notification.objects.filter(user=schepen).exists() is in_app


def test_switching_off_one_kind_leaves_the_others_on(
    django_capture_on_commit_callbacks, mailoutbox, memorandum, opsteller, schepen
):
    services.notification_settings_save(
        user=opsteller, choices={NotificationKind.MENTION: (False, False)}
    )
    thread = services.thread_start(document=memorandum, text="A", by=opsteller)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply(thread=thread, text=f"@{handle(opsteller)} kijk", by=schepen)
    assert mailoutbox == [] and not Notification.objects.exists()  # the mention is off
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply(thread=thread, text="Nog iets", by=schepen)
    assert recipients(mailoutbox) == [opsteller.email]  # a reply still mails


def test_settings_page_shows_and_saves_the_choices(client, schepen):
    client.force_login(schepen)
    page = reverse("review:settings")
    content = client.get(page).content.decode()
    for kind in NotificationKind:
        assert str(kind.label) in content
        assert f'name="{kind.value}_mail"' in content and f'name="{kind.value}_app"' in content
    assert content.count("checked") == 2 * len(NotificationKind)
    data = {f"{kind.value}_app": "on" for kind in NotificationKind}
    data["submitted_mail"] = "on"
    response = client.post(page, data)
    assert response.status_code == 302 and response["Location"] == page
    saved = {row.kind: (row.by_mail, row.in_app) for row in NotificationSetting.objects.all()}
    assert saved == {
        NotificationKind.SUBMITTED: (True, True),
        NotificationKind.DECIDED: (False, True),
        NotificationKind.MENTION: (False, True),
        NotificationKind.REPLY: (False, True),
    }
    content = client.get(page).content.decode()
    assert content.count("checked") == len(NotificationKind) + 1
    # Everything off: an empty form saves too.
    client.post(page, {})
    assert not NotificationSetting.objects.filter(by_mail=True).exists()
    assert not NotificationSetting.objects.filter(in_app=True).exists()


def test_settings_are_per_user(client, schepen, opsteller):
    client.force_login(schepen)
    client.post(reverse("review:settings"), {})
    assert not NotificationSetting.objects.filter(user=opsteller).exists()
    client.force_login(opsteller)
    assert client.get(reverse("review:settings")).content.decode().count("checked") == 8


# --- the list, marking read, the unread count ------------------------------------------------


@pytest.fixture
def two_mentions(memorandum, opsteller, schepen):
    for text in ("Eerste", "Tweede"):
        services.thread_start(document=memorandum, text=f"{text} @{handle(opsteller)}", by=schepen)
    return list(Notification.objects.filter(user=opsteller).order_by("pk"))


def test_unread_count_in_the_context_and_the_list(client, opsteller, schepen, two_mentions):
    request = RequestFactory().get("/")
    request.user = opsteller
    assert unread_processor(request) == {"unread_notifications": 2}
    request.user = schepen
    assert unread_processor(request) == {"unread_notifications": 0}
    client.force_login(opsteller)
    content = client.get(reverse("review:notifications")).content.decode()
    assert content.count("is-unread") == 2
    assert "2 ongelezen" in content
    assert "vermeldt je in een opmerking" in content
    assert "Alles als gelezen markeren" in content


def test_no_unread_count_for_a_visitor(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_processor(request) == {}


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, opsteller, two_mentions):
    first, second = two_mentions
    client.force_login(opsteller)
    response = client.post(reverse("review:mark_read"), {"id": first.pk})
    assert response.status_code == 302 and response["Location"] == first.url
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_mark_all_read(client, opsteller, two_mentions):
    client.force_login(opsteller)
    response = client.post(reverse("review:mark_read"))
    assert response["Location"] == reverse("review:notifications")
    assert not Notification.objects.filter(user=opsteller).unread().exists()
    content = client.get(reverse("review:notifications")).content.decode()
    assert "is-unread" not in content and "Alles als gelezen markeren" not in content


def test_nobody_marks_someone_elses_notification(client, schepen, two_mentions):
    client.force_login(schepen)
    response = client.post(reverse("review:mark_read"), {"id": two_mentions[0].pk})
    assert response["Location"] == reverse("review:notifications")
    client.post(reverse("review:mark_read"))
    assert Notification.objects.unread().count() == 2
    assert "Eerste" not in client.get(reverse("review:notifications")).content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999999"])
def test_mark_read_with_a_bad_id_is_a_400(client, opsteller, two_mentions, value):
    client.force_login(opsteller)
    assert client.post(reverse("review:mark_read"), {"id": value}).status_code == 400
    assert Notification.objects.unread().count() == 2


def test_a_notification_link_never_leaves_the_site(client, opsteller, two_mentions):
    Notification.objects.filter(pk=two_mentions[0].pk).update(url="//elders.example/")
    client.force_login(opsteller)
    response = client.post(reverse("review:mark_read"), {"id": two_mentions[0].pk})
    assert response["Location"] == reverse("review:notifications")


def test_notification_pages_need_a_login(client):
    for name in ("notifications", "settings"):
        response = client.get(reverse(f"review:{name}"))
        assert response.status_code == 302
    assert client.post(reverse("review:mark_read")).status_code == 302
    assert client.get(reverse("review:mark_read")).status_code in (302, 405)


def test_notifications_page_runs_a_fixed_number_of_queries(
    client, memorandum, opsteller, schepen, django_assert_num_queries
):
    def mention(n):
        for _ in range(n):
            services.thread_start(document=memorandum, text=f"@{handle(opsteller)}", by=schepen)

    mention(2)
    client.force_login(opsteller)
    page = reverse("review:notifications")
    client.get(page)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    mention(20)
    with django_assert_num_queries(len(queries)):
        content = client.get(page).content.decode()
    assert content.count("is-unread") == 22
