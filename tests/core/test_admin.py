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
