"""Writes that arrive at the same moment, on PostgreSQL, each thread with its own connection
(issue 6, point 5): none is silently lost, the order stays distinct and gap-free, and of two
saves from the same version exactly one wins."""

import pytest
from django.core.exceptions import ValidationError

from apps.beleidsvoorstellen import services
from apps.beleidsvoorstellen.models import MemorandumProposal
from apps.beleidsvoorstellen.selectors import display_order
from apps.core.editing import StaleVersionError
from tests.concurrency import THREADS, run_at_once

from .factories import LibraryProposalFactory

pytestmark = pytest.mark.django_db(transaction=True)


def orders(memorandum):
    return sorted(
        MemorandumProposal.objects.filter(memorandum=memorandum).values_list("order", flat=True)
    )


def test_simultaneous_adoptions_get_distinct_gap_free_places(memorandum, opsteller):
    library = [LibraryProposalFactory() for _ in range(THREADS)]
    results = run_at_once(
        lambda source: services.proposal_adopt(
            memorandum=memorandum, library_proposal=source, by=opsteller
        ),
        library,
    )
    assert all(isinstance(result, MemorandumProposal) for result in results), results
    assert orders(memorandum) == list(range(THREADS))


def test_simultaneous_adoptions_of_one_proposal_adopt_it_once(memorandum, opsteller):
    source = LibraryProposalFactory()
    results = run_at_once(
        lambda _: services.proposal_adopt(
            memorandum=memorandum, library_proposal=source, by=opsteller
        ),
        range(THREADS),
    )
    adopted = [r for r in results if isinstance(r, MemorandumProposal)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(adopted) == 1 and len(refused) == THREADS - 1, results
    assert {r.code for r in refused} == {"adopted"}
    assert orders(memorandum) == [0]


def test_simultaneous_moves_are_each_applied(memorandum, opsteller):
    proposals = [
        services.proposal_adopt(
            memorandum=memorandum, library_proposal=LibraryProposalFactory(), by=opsteller
        )
        for _ in range(2 * THREADS)
    ]
    # Ten proposals move up at once, each with its own neighbour: the swaps do not overlap, so
    # the end result does not depend on which comes first, and a lost one shows.
    movers = proposals[1::2]
    results = run_at_once(
        lambda proposal: services.proposal_move(proposal=proposal, direction="up", by=opsteller),
        movers,
    )
    assert results == [None] * THREADS
    expected = []
    for first, second in zip(proposals[0::2], proposals[1::2], strict=True):
        expected += [second.pk, first.pk]
    assert [pk for pk, _area in display_order(memorandum=memorandum)] == expected
    assert orders(memorandum) == list(range(2 * THREADS))


def test_moves_on_a_shared_neighbour_each_apply_in_turn(memorandum, opsteller):
    """Every proposal but the first moves up at once: whatever the order they run in, each
    either moves or says why it cannot (it got to the top), and the places stay distinct."""
    proposals = [
        services.proposal_adopt(
            memorandum=memorandum, library_proposal=LibraryProposalFactory(), by=opsteller
        )
        for _ in range(THREADS)
    ]
    results = run_at_once(
        lambda proposal: services.proposal_move(proposal=proposal, direction="up", by=opsteller),
        proposals[1:],
    )
    for result in results:
        assert result is None or (isinstance(result, ValidationError) and result.code == "first")
    assert orders(memorandum) == list(range(THREADS))
    assert sorted(pk for pk, _area in display_order(memorandum=memorandum)) == sorted(
        p.pk for p in proposals
    )


def test_adoptions_and_deletions_at_once_leave_no_gaps(memorandum, opsteller):
    existing = [
        services.proposal_adopt(
            memorandum=memorandum, library_proposal=LibraryProposalFactory(), by=opsteller
        )
        for _ in range(THREADS // 2)
    ]
    new_sources = [LibraryProposalFactory() for _ in range(THREADS // 2)]

    def work(item):
        if isinstance(item, MemorandumProposal):
            return services.proposal_delete(proposal=item, by=opsteller)
        return services.proposal_adopt(memorandum=memorandum, library_proposal=item, by=opsteller)

    results = run_at_once(work, [*existing, *new_sources])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert orders(memorandum) == list(range(THREADS // 2))


def test_ten_saves_from_the_same_version_one_wins(memorandum, opsteller):
    proposal = services.proposal_adopt(
        memorandum=memorandum, library_proposal=LibraryProposalFactory(), by=opsteller
    )

    def save(number):
        return services.proposal_update(
            proposal=proposal,
            title=f"Titel van schrijver {number}",
            text=f"Tekst van schrijver {number}",
            justification="",
            reasons=[],
            priority="normaal",
            ticked_sub_option_ids=[],
            expected_version=proposal.version,
            by=opsteller,
        )

    results = run_at_once(save, range(THREADS))
    winners = [r for r in results if isinstance(r, MemorandumProposal)]
    stale = [r for r in results if isinstance(r, StaleVersionError)]
    assert len(winners) == 1 and len(stale) == THREADS - 1, results
    saved = MemorandumProposal.objects.get(pk=proposal.pk)
    assert saved.version == proposal.version + 1
    assert saved.title == winners[0].title
