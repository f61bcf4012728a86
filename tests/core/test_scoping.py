import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import permissions
from apps.core.models import Municipality, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_sees_their_municipality_dashboard(client, opsteller, municipality):
    client.force_login(opsteller)
    response = client.get(reverse("core:dashboard", args=[municipality.nis_code]))
    assert response.status_code == 200
    assert municipality.name in response.text
    assert "2026-2031" in response.text


def test_a_member_of_a_gets_404_on_b(client, opsteller, other_municipality):
    client.force_login(opsteller)
    response = client.get(reverse("core:dashboard", args=[other_municipality.nis_code]))
    assert response.status_code == 404


def test_an_unknown_municipality_is_the_same_404(client, opsteller):
    client.force_login(opsteller)
    assert client.get(reverse("core:dashboard", args=["12345"])).status_code == 404


def test_anonymous_users_are_sent_to_login(client, municipality):
    response = client.get(reverse("core:dashboard", args=[municipality.nis_code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_queryset_scoping_follows_memberships(municipality, other_municipality, opsteller):
    assert list(Municipality.objects.for_user(opsteller)) == [municipality]
    MembershipFactory(user=opsteller, municipality=other_municipality, role=Role.LEZER)
    assert set(Municipality.objects.for_user(opsteller)) == {municipality, other_municipality}


def test_staff_without_membership_see_no_municipality(municipality):
    staff = UserFactory(is_staff=True, is_superuser=True)
    assert not Municipality.objects.for_user(staff).exists()


def test_inactive_users_see_nothing(municipality, opsteller):
    opsteller.is_active = False
    assert not Municipality.objects.for_user(opsteller).exists()
    assert not permissions.can_view(opsteller, municipality)


@pytest.mark.parametrize(
    ("role", "view", "edit", "review"),
    [
        (Role.OPSTELLER, True, True, False),
        (Role.SCHEPEN, True, False, True),
        (Role.LEZER, True, False, False),
    ],
)
def test_role_predicates(municipality, role, view, edit, review):
    user = MembershipFactory(municipality=municipality, role=role).user
    assert permissions.can_view(user, municipality) is view
    assert permissions.can_edit(user, municipality) is edit
    assert permissions.can_review(user, municipality) is review


def test_predicates_deny_non_members(municipality, outsider):
    assert not permissions.can_view(outsider, municipality)
    assert not permissions.can_edit(outsider, municipality)


def test_home_redirects_to_the_last_used_municipality(client, opsteller, other_municipality):
    MembershipFactory(user=opsteller, municipality=other_municipality, role=Role.LEZER)
    client.force_login(opsteller)
    client.get(reverse("core:dashboard", args=[other_municipality.nis_code]))
    response = client.get(reverse("core:home"))
    assert response["Location"] == reverse("core:dashboard", args=[other_municipality.nis_code])


def test_switcher_lists_every_membership(client, opsteller, municipality, other_municipality):
    MembershipFactory(user=opsteller, municipality=other_municipality, role=Role.LEZER)
    client.force_login(opsteller)
    response = client.get(reverse("core:dashboard", args=[municipality.nis_code]))
    assert reverse("core:dashboard", args=[other_municipality.nis_code]) in response.text


def test_user_without_membership_gets_an_explanation(client):
    client.force_login(UserFactory())
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert "aan geen gemeente gekoppeld" in response.text


def test_dashboard_query_count_does_not_grow_with_memberships(client, opsteller, municipality):
    client.force_login(opsteller)
    url = reverse("core:dashboard", args=[municipality.nis_code])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        MembershipFactory(user=opsteller, municipality__nis_code=f"{80000 + n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
