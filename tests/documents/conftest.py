import io

import pytest
from pypdf import PdfReader

from apps.beleidsvoorstellen.models import MemorandumSubOption
from tests.beleidsvoorstellen.factories import (
    MemorandumFactory,
    MemorandumProposalFactory,
    ReasonFactory,
    area,
    level,
    sdg,
)

IMMEDIATE = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}


@pytest.fixture(autouse=True)
def render_jobs_run_immediately(settings):
    """A job runs inside the request's on_commit, in the test's own thread and transaction."""
    settings.TASKS = {"default": IMMEDIATE, "documents": IMMEDIATE}


def fill_memorandum(memorandum, count: int, *, text: str = "<p>Tekst van het voorstel.</p>"):
    """``count`` proposals spread over the three action areas, each with SDGs, a reason and
    one ticked and one unticked sub-option. Returns them in creation order."""
    reason = ReasonFactory(name_nl="Concreet engagement voor de SDG's")
    proposals = []
    for i in range(count):
        proposal = MemorandumProposalFactory(
            memorandum=memorandum,
            action_area=area(["BK", "BU", "SW"][i % 3]),
            level=level(["S", "G", "A"][i % 3]),
            title=f"Voorstel nummer {i + 1:02d}",
            text=text,
            order=i,
        )
        proposal.sdg_goals.set([sdg(17), sdg(1 + i % 16)])
        proposal.reasons.set([reason])
        MemorandumSubOption.objects.create(
            proposal=proposal, text=f"Gekozen optie {i + 1}", ticked=True
        )
        MemorandumSubOption.objects.create(
            proposal=proposal, text="Niet gekozen optie", ticked=False
        )
        proposals.append(proposal)
    return proposals


@pytest.fixture
def memorandum(municipality):
    memorandum = MemorandumFactory(
        municipality=municipality, introduction="<p>Waarom dit memorandum er is.</p>"
    )
    fill_memorandum(memorandum, 6)
    return memorandum


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
