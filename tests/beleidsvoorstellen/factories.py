"""Library and memorandum rows for tests, independent of fixtures/library.yaml."""

import factory

from apps.beleidsvoorstellen.models import Memorandum, MemorandumProposal
from apps.core.models import ActionArea, AmbitionLevel, Legislature, SDGGoal
from apps.library.models import LibraryProposal, LibrarySubOption, Reason
from tests.factories import MunicipalityFactory


def area(code: str = "BK") -> ActionArea:
    return ActionArea.objects.get(code=code)


def level(code: str = "S") -> AmbitionLevel:
    return AmbitionLevel.objects.get(code=code)


def sdg(number: int) -> SDGGoal:
    return SDGGoal.objects.get(number=number)


def current_legislature() -> Legislature:
    return Legislature.objects.current()


class LibraryProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryProposal
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"T-{n}")
    action_area = factory.LazyFunction(area)
    level = factory.LazyFunction(level)
    title = factory.Sequence(lambda n: f"Bibliotheekvoorstel {n}")
    text = "<p>De gemeente ondertekent de SDG-engagementsverklaring.</p>"
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def sdgs(self, create, extracted, **kwargs):
        if create and extracted:
            self.sdg_goals.set(SDGGoal.objects.filter(number__in=extracted))

    @factory.post_generation
    def options(self, create, extracted, **kwargs):
        if create and extracted:
            for order, text in enumerate(extracted):
                LibrarySubOption.objects.create(proposal=self, text=text, order=order)


class ReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reason
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"reden-{n}")
    name_nl = factory.Sequence(lambda n: f"Reden {n}")
    name_en = factory.Sequence(lambda n: f"Reason {n}")
    description_nl = "Waarom."
    order = factory.Sequence(lambda n: n)


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
