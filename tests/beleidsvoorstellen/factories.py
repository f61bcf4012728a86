"""Memorandum rows for tests; the library factories are re-exported for convenience."""

import factory

from apps.beleidsvoorstellen.models import Memorandum, MemorandumProposal
from apps.core.models import Legislature
from tests.factories import MunicipalityFactory
from tests.library.factories import (  # noqa: F401 - re-exported for the memorandum tests
    LibraryProposalFactory,
    LibrarySubOptionFactory,
    ReasonFactory,
    area,
    level,
    sdg,
)


def current_legislature() -> Legislature:
    return Legislature.objects.current()


class MemorandumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Memorandum

    municipality = factory.SubFactory(MunicipalityFactory)
    legislature = factory.LazyFunction(current_legislature)


class MemorandumProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemorandumProposal

    memorandum = factory.SubFactory(MemorandumFactory)
    action_area = factory.LazyFunction(area)
    level = factory.LazyFunction(level)
    title = factory.Sequence(lambda n: f"Eigen voorstel {n}")
    text = "<p>Tekst.</p>"
    order = factory.Sequence(lambda n: n)
