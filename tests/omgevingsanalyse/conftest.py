"""Shared fixtures of the omgevingsanalyse tests: an analysis started, as the opsteller would,
from the five-P structure (the reference structures come from the data migration)."""

import pytest

from apps.core.models import Legislature
from apps.omgevingsanalyse import services
from apps.omgevingsanalyse.models import Structure

FIVE_P = "vijf-p"


@pytest.fixture
def analysis(municipality, opsteller):
    return services.analysis_start(
        municipality=municipality,
        legislature=Legislature.objects.current(),
        structure=Structure.objects.get(key=FIVE_P),
        by=opsteller,
    )


@pytest.fixture
def sections(analysis):
    """The analysis's sections in their order."""
    return list(analysis.sections.order_by("order"))
