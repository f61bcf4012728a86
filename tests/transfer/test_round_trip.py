"""A municipality exported, deleted and imported again comes back whole: documents,
comments, review transitions, notifications, history and memberships, with new ids wired
the way the old ones were. The demo municipality is the data, with a few additions the demo
lacks (a deleted proposal, an approved version's PDF, a notification setting, a user that
is gone from the installation)."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import resolve
from django.utils import timezone

from apps.beleidsvoorstellen.models import Memorandum, MemorandumProposal
from apps.beleidsvoorstellen.services import proposal_delete
from apps.core.demo import DEMO_PASSWORD
from apps.core.models import Membership, Role
from apps.core.transfer import import_municipality, read_file
from apps.review.models import (
    ApprovedVersion,
    Comment,
    DocumentReview,
    Notification,
    NotificationSetting,
    Thread,
    Transition,
)
from apps.review.services import transition

from .rows import expected_after_import, owned_rows, without_history_ids

PROPOSAL = "beleidsvoorstellen.memorandumproposal"
PDF = bytes(range(256)) * 4  # every byte value, as a PDF may hold


def _extras(demodorp):
    """What the demo does not have: a deleted proposal (history only), an approved version
    with its PDF bytes, a notification setting of the schepen."""
    memorandum = Memorandum.objects.get(municipality=demodorp)
    opsteller = Membership.objects.get(municipality=demodorp, role=Role.OPSTELLER).user
    schepen = Membership.objects.get(municipality=demodorp, role=Role.SCHEPEN).user
    transition(document=memorandum, action="withdraw", by=opsteller)
    commented = {
        int(t.part_key.split("-")[1])
        for t in Thread.objects.filter(municipality=demodorp)
        if t.part_key
    }
    doomed = memorandum.proposals.exclude(pk__in=commented).order_by("-order").first()
    doomed_pk = doomed.pk
    proposal_delete(proposal=doomed, by=opsteller)
    last = Transition.objects.filter(review__municipality=demodorp).order_by("pk").last()
    ApprovedVersion.objects.create(
        review=last.review,
        transition=last,
        approved_at=timezone.now(),
        approved_by=schepen,
        filename="memorandum.pdf",
        html="<p>Goedgekeurd</p>",
        render_status=ApprovedVersion.RenderStatus.DONE,
        pdf=PDF,
        size=len(PDF),
    )
    NotificationSetting.objects.create(user=schepen, kind="mention", by_mail=False)
    if apps.is_installed("apps.methods"):
        _worksheet(demodorp, opsteller, memorandum.proposals.order_by("pk").first())
    return doomed_pk, schepen


def _worksheet(demodorp, opsteller, proposal):
    """A worksheet of the participation methods: an idea, a reply to it (a row pointing to a
    row of its own table) and the idea handed to the memorandum as a proposal (a generic
    reference by content type and object id)."""
    from apps.methods.models import Contribution, Method, Transfer, Worksheet

    sheet = Worksheet.objects.create(
        municipality=demodorp,
        legislature=proposal.memorandum.legislature,
        method=Method.objects.order_by("pk").first(),
        title="Ideeën voor het memorandum",
    )
    idea = Contribution.objects.create(
        worksheet=sheet, author=opsteller, section="idee", text="Een fairtradeontbijt."
    )
    Contribution.objects.create(
        worksheet=sheet, parent=idea, guest_name="Gast", section="idee", text="Met de scholen."
    )
    Transfer.objects.create(
        contribution=idea,
        content_type=ContentType.objects.get_for_model(MemorandumProposal),
        object_id=proposal.pk,
        created_by=opsteller,
    )


def _people(municipality):
    return {
        (m.user.email, m.role, m.user.first_name, m.user.password)
        for m in Membership.objects.filter(municipality=municipality).select_related("user")
    }


@pytest.mark.django_db
def test_a_municipality_comes_back_whole(demo, tmp_path):
    deleted_pk, schepen = _extras(demo)
    before = owned_rows(demo, deleted={PROPOSAL: {deleted_pk}})
    people = _people(demo)
    old_root = demo.pk
    path = tmp_path / "demodorp.json"
    call_command("export_municipality", "99001", str(path), verbosity=0)

    # Another installation: the municipality is not there, nor the schepen's account; the
    # other accounts are (they are linked, not duplicated).
    demo.delete()
    schepen_email, schepen_hash = schepen.email, schepen.password
    schepen.delete()
    result = import_municipality(read_file(path))

    new = result.municipality
    assert (new.nis_code, new.name) == ("99001", "Demodorp")
    after = owned_rows(new, deleted={PROPOSAL: {result.id_map[PROPOSAL][deleted_pk]}})
    expected = expected_after_import(
        before,
        id_map=result.id_map,
        user_map=result.user_map,
        old_root=old_root,
        new_root=new.pk,
    )
    assert sorted(after) == sorted(expected)
    for model_label in expected:
        assert (
            without_history_ids(after)[model_label] == without_history_ids(expected)[model_label]
        ), model_label
    # The comparison covered what matters, with data in it.
    for model_label in (
        "beleidsvoorstellen.memorandum",
        PROPOSAL,
        "beleidsvoorstellen.historicalmemorandumproposal",
        "beleidsvoorstellen.memorandumfield",
        "review.documentreview",
        "review.transition",
        "review.approvedversion",
        "review.thread",
        "review.comment",
        "review.comment_mentions",
        "review.notification",
        "core.membership",
        "core.yearfigures",
        "omgevingsanalyse.historicalsection",
        "meerjarenplan.budgetline",
        "meerjarenplan.action_proposals",
    ):
        assert after.get(model_label), model_label

    # Accounts: by e-mail, never twice; the gone one back with its own password.
    users = get_user_model().objects
    assert _people(new) == people
    assert result.users_created == [schepen_email]
    for email, *_rest in people:
        assert users.filter(email__iexact=email).count() == 1
    schepen = users.get(email=schepen_email)
    assert schepen.password == schepen_hash and schepen.check_password(DEMO_PASSWORD)
    assert not schepen.is_staff
    assert NotificationSetting.objects.filter(user=schepen, kind="mention", by_mail=False).exists()

    # The review hangs on the new documents, the comments on the new parts.
    memorandum = Memorandum.objects.get(municipality=new)
    review = DocumentReview.objects.get(municipality=new, kind="memorandum")
    assert review.object_id == memorandum.pk
    proposals = set(
        MemorandumProposal.objects.filter(memorandum=memorandum).values_list("pk", flat=True)
    )
    threads = Thread.objects.filter(municipality=new)
    assert {t.object_id for t in threads} == {memorandum.pk}
    part_keys = [t.part_key for t in threads if t.part_key]
    assert part_keys and all(int(k.split("-")[1]) in proposals for k in part_keys)
    submitted = Transition.objects.filter(review=review, action="submit")
    for step in submitted:
        keys = [k for k in step.snapshot if k.startswith("proposal-")]
        assert keys and all(
            int(k.split("-")[1]) in proposals | {result.id_map[PROPOSAL][deleted_pk]} for k in keys
        )
    assert list(
        Comment.objects.filter(thread__municipality=new).values_list("author__email", "text")
    )
    for notification in Notification.objects.filter(municipality=new):
        match = resolve(notification.url.split("#")[0])
        assert match.kwargs["object_id"] == memorandum.pk
        if "#thread-" in notification.url:
            assert threads.filter(pk=int(notification.url.split("#thread-")[1])).exists()
    approved = ApprovedVersion.objects.get(review=review)
    assert bytes(approved.pdf) == PDF
    # The history of the deleted proposal came along, under a new id nobody else has.
    new_deleted = result.id_map[PROPOSAL][deleted_pk]
    if apps.is_installed("apps.methods"):
        from apps.methods.models import Contribution, Transfer

        # The demo has worksheets of its own (apps/methods/demo.py): this test's one by title.
        mine = {"worksheet__municipality": new, "worksheet__title": "Ideeën voor het memorandum"}
        reply = Contribution.objects.get(parent__isnull=False, **mine)
        assert reply.parent.worksheet.municipality == new
        handed = Transfer.objects.get(
            contribution__worksheet__municipality=new,
            contribution__worksheet__title="Ideeën voor het memorandum",
        )
        assert handed.contribution == reply.parent
        assert MemorandumProposal.objects.get(pk=handed.object_id).memorandum == memorandum
    assert not MemorandumProposal.objects.filter(pk=new_deleted).exists()
    assert MemorandumProposal.history.filter(id=new_deleted, history_type="-").exists()
