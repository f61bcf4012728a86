import pytest
from django.utils import translation

from apps.core.models import Role

from .factories import MembershipFactory, MunicipalityFactory


@pytest.fixture(autouse=True)
def default_language():
    """A request in English (set_language) leaves English active in the thread; the next
    test must start in the app's default language, whatever ran before it."""
    yield
    translation.deactivate()


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Teststad")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Anderdorp")


def _member(municipality, role):
    return MembershipFactory(municipality=municipality, role=role).user


@pytest.fixture
def opsteller(municipality):
    return _member(municipality, Role.OPSTELLER)


@pytest.fixture
def schepen(municipality):
    return _member(municipality, Role.SCHEPEN)


@pytest.fixture
def lezer(municipality):
    return _member(municipality, Role.LEZER)


@pytest.fixture
def outsider(other_municipality):
    """An opsteller of another municipality."""
    return _member(other_municipality, Role.OPSTELLER)
