import pytest

from apps.beleidsvoorstellen.models import MemorandumSubOption
from apps.beleidsvoorstellen.selectors import (
    LibraryFilters,
    library_browse,
    memorandum_page_data,
    memorandum_print_data,
)

from .factories import (
    LibraryProposalFactory,
    MemorandumFactory,
    MemorandumProposalFactory,
    ReasonFactory,
    area,
    level,
    sdg,
)

pytestmark = pytest.mark.django_db


def _fill(memorandum, count):
    reason = ReasonFactory()
    for i in range(count):
        proposal = MemorandumProposalFactory(
            memorandum=memorandum, action_area=area(["BK", "BU", "SW"][i % 3]), level=level()
        )
        proposal.sdg_goals.set([sdg(17), sdg(1 + i % 16)])
        proposal.reasons.set([reason])
        MemorandumSubOption.objects.create(proposal=proposal, text="aangevinkt", ticked=True)
        MemorandumSubOption.objects.create(proposal=proposal, text="niet", ticked=False)


def test_print_data_numbers_proposals_per_action_area(municipality):
    memorandum = MemorandumFactory(municipality=municipality)
    first = MemorandumProposalFactory(memorandum=memorandum, action_area=area("BU"), order=1)
    second = MemorandumProposalFactory(memorandum=memorandum, action_area=area("BU"), order=2)
    own = MemorandumProposalFactory(memorandum=memorandum, action_area=area("BK"), order=3)

    data = memorandum_print_data(memorandum=memorandum)

    assert [g["area"].code for g in data["groups"]] == ["BK", "BU"]
    numbers = {p.pk: p.number for g in data["groups"] for p in g["proposals"]}
    assert numbers == {own.pk: "1.1", first.pk: "2.1", second.pk: "2.2"}
    assert data["municipality"] == municipality
    assert data["coverage"].total == 3


def test_the_page_numbers_the_areas_present_without_gaps_as_the_pdf_does(municipality):
    memorandum = MemorandumFactory(municipality=municipality)
    own = MemorandumProposalFactory(memorandum=memorandum, action_area=area("BK"), order=1)
    partner = MemorandumProposalFactory(memorandum=memorandum, action_area=area("SW"), order=2)

    data = memorandum_page_data(memorandum=memorandum)

    assert [(g["area"].code, g["number"]) for g in data["groups"]] == [("BK", 1), ("SW", 2)]
    numbers = {p.pk: p.number for g in data["groups"] for p in g["proposals"]}
    assert numbers == {own.pk: "1.1", partner.pk: "2.1"}


def test_print_data_lists_only_ticked_sub_options(municipality):
    memorandum = MemorandumFactory(municipality=municipality)
    _fill(memorandum, 1)
    proposal = memorandum_print_data(memorandum=memorandum)["groups"][0]["proposals"][0]
    assert [o.text for o in proposal.ticked_sub_options] == ["aangevinkt"]


@pytest.mark.parametrize("count", [3, 30])
def test_print_data_runs_a_fixed_number_of_queries(municipality, count, django_assert_num_queries):
    memorandum = MemorandumFactory(municipality=municipality)
    _fill(memorandum, count)
    # Eight: the memorandum's rows, its areas and levels, the SDGs, and the proposals with
    # their SDGs, reasons, ticked sub-options and filled-in fields.
    with django_assert_num_queries(8):
        data = memorandum_print_data(memorandum=memorandum)
        for group in data["groups"]:
            for proposal in group["proposals"]:
                list(proposal.sdg_goals.all())
                list(proposal.reasons.all())
                _ = proposal.level.name, proposal.ticked_sub_options, proposal.own_fields


@pytest.mark.parametrize("count", [3, 30])
def test_page_data_and_library_browse_run_a_fixed_number_of_queries(
    municipality, count, django_assert_num_queries
):
    memorandum = MemorandumFactory(municipality=municipality)
    _fill(memorandum, count)
    for _ in range(count):
        LibraryProposalFactory(sdgs=[17], options=["a"])
    with django_assert_num_queries(8):
        data = memorandum_page_data(memorandum=memorandum)
        assert data["library_changed_count"] == 0
    # Five: the proposals, their SDGs, sub-options and fill-in fields, and what is adopted.
    with django_assert_num_queries(5):
        browse = library_browse(memorandum=memorandum, filters=LibraryFilters(q="voorstel"))
        for proposal in browse["proposals"]:
            _ = proposal.action_area.name, proposal.level.name
            list(proposal.sdg_goals.all()), list(proposal.sub_options.all())
    assert len(browse["proposals"]) == count
