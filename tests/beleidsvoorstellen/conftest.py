import pytest

from apps.beleidsvoorstellen.services import memorandum_get_or_create, proposal_adopt

from .factories import LibraryProposalFactory, current_legislature


@pytest.fixture
def memorandum(municipality, opsteller):
    return memorandum_get_or_create(
        municipality=municipality, legislature=current_legislature(), by=opsteller
    )


@pytest.fixture
def library_proposal(db):
    return LibraryProposalFactory(
        title="Duurzame overheidsopdrachten",
        text="<p>De gemeente koopt duurzaam en eerlijk aan.</p>",
        sdgs=[12, 8],
        options=["FairTradeGemeente worden", "Criteria per productgroep"],
    )


@pytest.fixture
def adopted(memorandum, library_proposal, opsteller):
    """The library proposal, adopted in the memorandum."""
    return proposal_adopt(memorandum=memorandum, library_proposal=library_proposal, by=opsteller)
