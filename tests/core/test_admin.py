import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import ActionArea, Membership, Municipality, SDGGoal, SDGTarget
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", [Municipality, Membership, SDGGoal, SDGTarget, ActionArea, User])
def test_the_beheerder_can_open_every_admin_list(client, beheerder, model):
    MembershipFactory()
    meta = model._meta
    response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert response.status_code == 200


def test_an_sdg_goal_shows_its_targets_in_the_admin(client, beheerder):
    goal = SDGGoal.objects.get(number=17)
    response = client.get(reverse("admin:core_sdggoal_change", args=[goal.pk]))
    assert response.status_code == 200
    assert "17.2" in response.text


def test_officials_cannot_reach_the_admin(client, opsteller):
    client.force_login(opsteller)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/beheer/login/" in response["Location"]


def test_render_jobs_are_read_only_in_the_admin(client, beheerder):
    response = client.get(reverse("admin:documents_renderjob_changelist"))
    assert response.status_code == 200
    assert client.get(reverse("admin:documents_renderjob_add")).status_code == 403


def test_key_figures_saved_in_the_admin_from_an_old_version_are_refused(
    client, beheerder, municipality
):
    from apps.core.models import YearFigures

    figures = YearFigures.objects.create(municipality=municipality, year=2026, inhabitants=1000)
    url = reverse("admin:core_yearfigures_change", args=[figures.pk])
    data = {
        "municipality": municipality.pk,
        "year": 2026,
        "total_budget": "",
        "lmb_budget": "",
        "inhabitants": 1200,
        "loaded_version": figures.version,
    }
    assert client.post(url, data).status_code == 302
    figures.refresh_from_db()
    assert (figures.inhabitants, figures.version, figures.updated_by) == (1200, 2, beheerder)
    # A second beheerder's form, loaded before that save, must not overwrite it.
    stale = client.post(url, {**data, "inhabitants": 1300, "loaded_version": 1})
    assert stale.status_code == 200
    assert "intussen gewijzigd" in stale.content.decode()
    figures.refresh_from_db()
    assert (figures.inhabitants, figures.version) == (1200, 2)
