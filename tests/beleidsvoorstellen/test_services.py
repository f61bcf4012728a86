import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.beleidsvoorstellen import services
from apps.beleidsvoorstellen.models import MemorandumProposal, Priority
from apps.beleidsvoorstellen.selectors import display_order
from apps.core.editing import StaleVersionError
from apps.review.diff import word_diff

from .factories import LibraryProposalFactory, ReasonFactory, area, current_legislature, level, sdg

pytestmark = pytest.mark.django_db


def _update(proposal, by, **changes):
    fields = {
        "title": proposal.title,
        "text": proposal.text,
        "justification": proposal.justification,
        "reasons": list(proposal.reasons.all()),
        "priority": proposal.priority,
        "ticked_sub_option_ids": [o.pk for o in proposal.sub_options.filter(ticked=True)],
        "expected_version": proposal.version,
    }
    fields.update(changes)
    return services.proposal_update(proposal=proposal, by=by, **fields)


def test_adopt_copies_text_sdgs_sub_options_and_links_the_source(
    memorandum, library_proposal, opsteller
):
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_proposal, by=opsteller
    )

    assert proposal.title == "Duurzame overheidsopdrachten"
    assert proposal.text == "<p>De gemeente koopt duurzaam en eerlijk aan.</p>"
    assert proposal.source == library_proposal
    assert proposal.source_version == library_proposal.version
    assert proposal.source_text == library_proposal.text
    assert proposal.action_area == library_proposal.action_area
    assert proposal.level == library_proposal.level
    assert sorted(g.number for g in proposal.sdg_goals.all()) == [8, 12]
    options = list(proposal.sub_options.order_by("order"))
    assert [o.text for o in options] == ["FairTradeGemeente worden", "Criteria per productgroep"]
    assert all(o.source_id and not o.ticked for o in options)


def test_adopting_the_same_library_proposal_twice_is_refused(
    memorandum, library_proposal, opsteller
):
    services.proposal_adopt(memorandum=memorandum, library_proposal=library_proposal, by=opsteller)

    with pytest.raises(ValidationError, match="staat al in het memorandum"):
        services.proposal_adopt(
            memorandum=memorandum, library_proposal=library_proposal, by=opsteller
        )
    assert memorandum.proposals.count() == 1


def test_memorandum_get_or_create_returns_the_one_memorandum(municipality, opsteller, memorandum):
    again = services.memorandum_get_or_create(
        municipality=municipality, legislature=current_legislature(), by=opsteller
    )
    assert again == memorandum
    assert again.title == "Ambtelijk memorandum lokaal mondiaal beleid"


def test_update_sanitises_script_and_file_images(memorandum, library_proposal, opsteller):
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_proposal, by=opsteller
    )
    updated = _update(
        proposal,
        opsteller,
        text='<p>Goed<script>alert(1)</script></p><img src="file:///etc/passwd">',
        justification='<p onclick="x()">Omdat</p><a href="javascript:alert(1)">link</a>',
    )

    assert updated.text == "<p>Goed</p>"
    assert "script" not in updated.text and "passwd" not in updated.text
    assert "onclick" not in updated.justification
    assert "javascript" not in updated.justification
    assert updated.version == proposal.version + 1


def test_plain_text_becomes_paragraphs(memorandum, opsteller):
    proposal = services.proposal_create_own(
        memorandum=memorandum,
        action_area=area("SW"),
        level=level("A"),
        title="Stedenband",
        text="Eerste alinea.\n\nTweede alinea: 3 < 4 & meer.",
        by=opsteller,
    )
    assert proposal.text == "<p>Eerste alinea.</p>\n\n<p>Tweede alinea: 3 &lt; 4 &amp; meer.</p>"


def test_update_ticks_sub_options_and_sets_reasons_and_priority(
    memorandum, library_proposal, opsteller
):
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_proposal, by=opsteller
    )
    _first, second = proposal.sub_options.order_by("order")
    reasons = [ReasonFactory(key="imago"), ReasonFactory(key="welzijn")]

    _update(
        proposal,
        opsteller,
        ticked_sub_option_ids=[second.pk],
        reasons=reasons,
        priority=Priority.HOOG,
    )

    proposal.refresh_from_db()
    assert [o.ticked for o in proposal.sub_options.order_by("order")] == [False, True]
    assert set(proposal.reasons.values_list("key", flat=True)) == {"imago", "welzijn"}
    assert proposal.priority == Priority.HOOG


def test_sub_options_of_another_proposal_cannot_be_ticked(memorandum, opsteller):
    one = services.proposal_adopt(
        memorandum=memorandum,
        library_proposal=LibraryProposalFactory(options=["a"]),
        by=opsteller,
    )
    two = services.proposal_adopt(
        memorandum=memorandum,
        library_proposal=LibraryProposalFactory(options=["b"]),
        by=opsteller,
    )
    _update(one, opsteller, ticked_sub_option_ids=[two.sub_options.get().pk])
    assert not two.sub_options.get().ticked


def test_stale_version_is_refused_and_nothing_is_saved(memorandum, library_proposal, opsteller):
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_proposal, by=opsteller
    )
    loaded_version = proposal.version
    _update(proposal, opsteller, title="Eerste wijziging")

    with pytest.raises(StaleVersionError) as error:
        _update(
            proposal,
            opsteller,
            title="Tweede wijziging",
            reasons=[ReasonFactory()],
            expected_version=loaded_version,
        )

    proposal.refresh_from_db()
    assert proposal.title == "Eerste wijziging"
    assert not proposal.reasons.exists()
    assert error.value.current.title == "Eerste wijziging"


def test_introduction_update_uses_optimistic_locking(memorandum, opsteller):
    saved = services.memorandum_update_introduction(
        memorandum=memorandum,
        introduction="<p>Inleiding</p><script>x</script>",
        expected_version=memorandum.version,
        by=opsteller,
    )
    assert saved.introduction == "<p>Inleiding</p>"
    with pytest.raises(StaleVersionError):
        services.memorandum_update_introduction(
            memorandum=memorandum,
            introduction="andere",
            expected_version=memorandum.version,
            by=opsteller,
        )
    memorandum.refresh_from_db()
    assert memorandum.introduction == "<p>Inleiding</p>"


def test_own_proposal_has_no_source_and_goes_last(memorandum, library_proposal, opsteller):
    adopted = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_proposal, by=opsteller
    )
    own = services.proposal_create_own(
        memorandum=memorandum,
        action_area=area("BK"),
        level=level("G"),
        title="Ethisch bankieren",
        text="<p>De gemeente kiest een ethische bank.</p>",
        sdg_goals=[sdg(16)],
        by=opsteller,
    )
    assert own.source is None and own.is_own
    assert own.order > adopted.order
    assert list(own.sdg_goals.values_list("number", flat=True)) == [16]


def test_own_proposal_needs_a_title(memorandum, opsteller):
    with pytest.raises(ValidationError):
        services.proposal_create_own(
            memorandum=memorandum,
            action_area=area("BK"),
            level=level("G"),
            title="  ",
            text="tekst",
            by=opsteller,
        )
    assert not memorandum.proposals.exists()


def test_delete_removes_the_proposal_and_allows_adopting_again(
    memorandum, library_proposal, opsteller
):
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_proposal, by=opsteller
    )
    services.proposal_delete(proposal=proposal, by=opsteller)
    assert not memorandum.proposals.exists()
    services.proposal_adopt(memorandum=memorandum, library_proposal=library_proposal, by=opsteller)
    assert memorandum.proposals.count() == 1


def test_deleting_the_library_entry_keeps_the_adopted_text(memorandum, library_proposal, opsteller):
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_proposal, by=opsteller
    )
    library_proposal.delete()
    proposal.refresh_from_db()
    assert proposal.source is None
    assert proposal.text == "<p>De gemeente koopt duurzaam en eerlijk aan.</p>"
    assert proposal.sub_options.count() == 2


def test_reorder_stores_the_given_order(memorandum, opsteller):
    a, b, c = (
        services.proposal_adopt(
            memorandum=memorandum, library_proposal=LibraryProposalFactory(), by=opsteller
        )
        for _ in range(3)
    )
    services.proposals_reorder(memorandum=memorandum, ordered_ids=[c.pk, a.pk, b.pk], by=opsteller)
    assert [pk for pk, _area in display_order(memorandum=memorandum)] == [c.pk, a.pk, b.pk]


def test_reorder_refuses_a_list_that_is_not_the_memorandum(memorandum, opsteller):
    a = services.proposal_adopt(
        memorandum=memorandum, library_proposal=LibraryProposalFactory(), by=opsteller
    )
    with pytest.raises(ValidationError):
        services.proposals_reorder(memorandum=memorandum, ordered_ids=[a.pk, 999], by=opsteller)


def test_move_swaps_within_the_action_area_only(memorandum, opsteller):
    bk1 = services.proposal_adopt(
        memorandum=memorandum, library_proposal=LibraryProposalFactory(), by=opsteller
    )
    sw = services.proposal_adopt(
        memorandum=memorandum,
        library_proposal=LibraryProposalFactory(action_area=area("SW")),
        by=opsteller,
    )
    bk2 = services.proposal_adopt(
        memorandum=memorandum, library_proposal=LibraryProposalFactory(), by=opsteller
    )
    services.proposal_move(proposal=bk2, direction="up", by=opsteller)
    assert [pk for pk, _ in display_order(memorandum=memorandum)] == [bk2.pk, bk1.pk, sw.pk]
    # Already first in its area: nothing moves, and the user is told why.
    with pytest.raises(ValidationError) as refused:
        services.proposal_move(
            proposal=MemorandumProposal.objects.get(pk=bk2.pk), direction="up", by=opsteller
        )
    assert refused.value.code == "first"
    assert [pk for pk, _ in display_order(memorandum=memorandum)] == [bk2.pk, bk1.pk, sw.pk]


def test_library_change_is_flagged_and_diffed_but_the_text_stays(
    memorandum, library_proposal, opsteller
):
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_proposal, by=opsteller
    )
    assert not proposal.library_changed

    library_proposal.text = "<p>De gemeente koopt duurzaam, eerlijk en circulair aan.</p>"
    library_proposal.version += 1
    library_proposal.save()

    proposal = MemorandumProposal.objects.select_related("source").get(pk=proposal.pk)
    assert proposal.library_changed
    assert proposal.text == "<p>De gemeente koopt duurzaam en eerlijk aan.</p>"
    diff = marks(word_diff(proposal.source_text, library_proposal.text))
    assert "<ins>circulair</ins>" in diff
    assert "<del>duurzaam</del> <ins>duurzaam, eerlijk</ins>" in diff


def marks(diff: str) -> str:
    """The diff without the screen-reader labels of its <ins> and <del>."""
    return re.sub(r'<span class="visually-hidden">[^<]*</span>', "", diff)


def test_word_diff_labels_changes_for_screen_readers():
    diff = word_diff("<p>oud woord</p>", "<p>nieuw woord</p>")
    assert '<del><span class="visually-hidden">verwijderd: </span>oud</del>' in diff
    assert '<ins><span class="visually-hidden">toegevoegd: </span>nieuw</ins>' in diff


def test_word_diff_escapes_html_in_the_texts():
    diff = marks(word_diff("<p>a</p>", "<p>a &lt;script&gt;alert(1)&lt;/script&gt;</p>"))
    assert "<script>" not in diff
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in diff


def test_accepting_a_library_change_takes_over_the_new_text(
    memorandum, library_proposal, opsteller
):
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_proposal, by=opsteller
    )
    library_proposal.title = "Duurzaam aankopen"
    library_proposal.version += 1
    library_proposal.save()
    library_proposal.sub_options.create(text="Een duurzaamheidsambtenaar", order=5)

    accepted = services.proposal_accept_library_change(
        proposal=proposal, replace_text=True, expected_version=proposal.version, by=opsteller
    )
    assert accepted.title == "Duurzaam aankopen"
    assert accepted.source_version == library_proposal.version
    assert (
        not MemorandumProposal.objects.select_related("source").get(pk=proposal.pk).library_changed
    )
    assert accepted.sub_options.count() == 3


def test_keeping_the_own_text_clears_the_flag(memorandum, library_proposal, opsteller):
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_proposal, by=opsteller
    )
    proposal = _update(proposal, opsteller, title="Onze titel")
    library_proposal.title = "Nieuwe bibliotheektitel"
    library_proposal.version += 1
    library_proposal.save()

    kept = services.proposal_accept_library_change(
        proposal=proposal, replace_text=False, expected_version=proposal.version, by=opsteller
    )
    assert kept.title == "Onze titel"
    assert kept.source_title == "Nieuwe bibliotheektitel"
    assert not MemorandumProposal.objects.select_related("source").get(pk=kept.pk).library_changed


@pytest.mark.parametrize("reader", ["schepen", "lezer", "outsider"])
def test_services_refuse_everyone_but_the_opsteller(
    request, reader, memorandum, library_proposal, opsteller
):
    user = request.getfixturevalue(reader)
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=LibraryProposalFactory(), by=opsteller
    )
    with pytest.raises(PermissionDenied):
        services.proposal_adopt(memorandum=memorandum, library_proposal=library_proposal, by=user)
    with pytest.raises(PermissionDenied):
        _update(proposal, user, title="Niet van jou")
    with pytest.raises(PermissionDenied):
        services.proposal_delete(proposal=proposal, by=user)
    with pytest.raises(PermissionDenied):
        services.proposals_reorder(memorandum=memorandum, ordered_ids=[proposal.pk], by=user)
    assert MemorandumProposal.objects.get(pk=proposal.pk).title == proposal.title


def test_simple_text_is_edited_as_plain_paragraphs_and_round_trips():
    from apps.core.richtext import editable_text, rich_text

    stored = "<p>Een &amp; twee</p>\n<p>Drie<br>vier</p>"
    assert editable_text(stored) == "Een & twee\n\nDrie\nvier"
    assert rich_text(editable_text(stored)) == "<p>Een &amp; twee</p>\n\n<p>Drie<br>vier</p>"
    # Formatting beyond paragraphs is shown as HTML, so nothing is lost.
    assert editable_text("<p>a</p><ul><li>b</li></ul>") == "<p>a</p><ul><li>b</li></ul>"
