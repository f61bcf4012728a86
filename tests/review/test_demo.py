"""Demodorp's memorandum has a review round behind it: submitted, a remark on one proposal
(quoting it, mentioning the opsteller, answered and resolved), a remark on the whole still
open, sent back, amended and submitted again; the demo schepen can approve it, and the
approved PDF's cover then reads "Goedgekeurd" with the date. Loading twice changes nothing."""

import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from apps.beleidsvoorstellen.models import Memorandum
from apps.review import registry, selectors, services
from apps.review.demo import ADDED
from apps.review.models import ApprovedVersion, Notification, Status, Thread, Transition

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def user(email):
    return get_user_model().objects.get(email=email)


@pytest.fixture
def memorandum(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    load_demo()
    return Memorandum.objects.get(municipality__nis_code="99001")


def test_the_demo_memorandum_is_with_the_schepen_after_one_round(memorandum):
    assert selectors.status_of(memorandum) == Status.TER_REVIEW
    actions = list(Transition.objects.order_by("created_at", "pk").values_list("action", flat=True))
    assert actions == ["submit", "send_back", "reopen", "submit"]
    threads = Thread.objects.filter(kind="memorandum", object_id=memorandum.pk)
    assert threads.count() == 2
    resolved = threads.get(resolved_at__isnull=False)
    assert resolved.part_key.startswith("proposal-") and resolved.quote
    assert resolved.comments.count() == 2
    opsteller = user("opsteller@demo.lmbplanner.be")
    assert list(resolved.comments.first().mentions.all()) == [opsteller]
    assert threads.get(resolved_at__isnull=True).part_key == ""
    assert Notification.objects.filter(user=opsteller, kind="mention").exists()
    assert Notification.objects.filter(
        user=user("schepen@demo.lmbplanner.be"), kind="submitted"
    ).exists()


def test_the_review_page_shows_only_the_amended_proposal(memorandum):
    changes, had_previous = selectors.changes_since_previous_submission(
        registry.get("memorandum"), memorandum
    )
    assert had_previous
    assert len(changes) == 1
    assert "2.500 euro" in str(changes[0].diff) and "<ins>" in str(changes[0].diff)
    assert ADDED.strip("<p/>") in str(
        memorandum.proposals.get(pk=changes[0].key.split("-")[1]).text
    )


def test_the_demo_schepen_approves_and_the_cover_says_so(
    memorandum, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(
            document=memorandum, action="approve", by=user("schepen@demo.lmbplanner.be")
        )
    approved = ApprovedVersion.objects.get()
    assert approved.render_status == ApprovedVersion.RenderStatus.DONE
    cover = PdfReader(io.BytesIO(approved.pdf)).pages[0].extract_text()
    with translation.override("nl"):  # the document's language, whatever the test's
        today = formats.date_format(timezone.localdate(), "j F Y")
    assert f"Goedgekeurd op {today}" in " ".join(cover.split())


def test_the_demo_memorandum_has_an_introduction_and_eight_proposals_in_three_areas(memorandum):
    assert "acht voorstellen" in memorandum.introduction
    proposals = memorandum.proposals.all()
    assert proposals.count() == 8
    assert len({p.action_area_id for p in proposals}) == 3


def test_loading_the_demo_again_changes_nothing(memorandum):
    before = (Transition.objects.count(), Thread.objects.count(), Notification.objects.count())
    load_demo()
    after = (Transition.objects.count(), Thread.objects.count(), Notification.objects.count())
    assert before == after
