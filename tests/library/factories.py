"""Library rows for tests, independent of fixtures/library.yaml; the reference action areas,
levels and SDGs come from the core data migration."""

import factory

from apps.core.models import ActionArea, AmbitionLevel, SDGGoal
from apps.library.models import LibraryProposal, LibrarySubOption, Reason


def area(code: str = "BK") -> ActionArea:
    return ActionArea.objects.get(code=code)


def level(code: str = "S") -> AmbitionLevel:
    return AmbitionLevel.objects.get(code=code)


def sdg(number: int) -> SDGGoal:
    return SDGGoal.objects.get(number=number)


class LibraryProposalFactory(factory.django.DjangoModelFactory):
    """``sdgs=[12, 8]`` links goals, ``options=["…", "…"]`` adds sub-options."""

    class Meta:
        model = LibraryProposal
        django_get_or_create = ["key"]
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


class LibrarySubOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibrarySubOption

    proposal = factory.SubFactory(LibraryProposalFactory)
    text = factory.Sequence(lambda n: f"Suboptie {n}")
    order = factory.Sequence(lambda n: n)


class ReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reason
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"reden-{n}")
    name_nl = factory.Sequence(lambda n: f"Reden {n}")
    name_en = factory.Sequence(lambda n: f"Reason {n}")
    description_nl = "Waarom."
    order = factory.Sequence(lambda n: n)
