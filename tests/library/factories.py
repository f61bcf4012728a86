import factory

from apps.core.models import ActionArea, AmbitionLevel
from apps.library.models import LibraryProposal, LibrarySubOption


class LibraryProposalFactory(factory.django.DjangoModelFactory):
    """A proposal on the reference action areas and levels the core migration loads."""

    class Meta:
        model = LibraryProposal
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"T-{n}")
    action_area = factory.LazyFunction(lambda: ActionArea.objects.get(code="BK"))
    level = factory.LazyFunction(lambda: AmbitionLevel.objects.get(code="S"))
    title = factory.Sequence(lambda n: f"Testvoorstel {n}")
    text = "<p>Een voorstel om mee te testen.</p>"
    order = factory.Sequence(lambda n: n)


class LibrarySubOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibrarySubOption

    proposal = factory.SubFactory(LibraryProposalFactory)
    text = factory.Sequence(lambda n: f"Suboptie {n}")
    order = factory.Sequence(lambda n: n)
