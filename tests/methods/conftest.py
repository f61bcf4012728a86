import pytest
from django.core.cache import cache

from apps.core.models import Legislature
from apps.methods import services
from apps.methods.models import Method


@pytest.fixture(autouse=True)
def fresh_cache():
    """The guests' throttle counts in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def open_worksheet(municipality, opsteller, key, **extra):
    return services.worksheet_create(
        municipality=municipality,
        legislature=Legislature.objects.current(),
        method=Method.objects.get(key=key),
        title=extra.pop("title", f"Werkblad {key}"),
        by=opsteller,
        **extra,
    )


@pytest.fixture
def brainwriting(municipality, opsteller):
    worksheet = open_worksheet(municipality, opsteller, "brainwriting")
    services.group_add(
        worksheet=worksheet, name="Groep A", question="Hoe bereiken we jongeren?", by=opsteller
    )
    services.group_add(
        worksheet=worksheet, name="Groep B", question="Hoe werken we met bedrijven?", by=opsteller
    )
    return worksheet


@pytest.fixture
def guest_link(brainwriting, opsteller):
    invitation, token = services.invitation_create(
        worksheet=brainwriting, guest_name="Ann van de adviesraad", days=7, by=opsteller
    )
    return invitation, f"/gast/{token}/"
