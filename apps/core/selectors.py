from django.shortcuts import get_object_or_404

from .models import Legislature, Membership, Municipality


def municipality_for_user(user, nis_code: str) -> Municipality:
    """The municipality, if the user is a member; a 404 otherwise, never a 403 that confirms
    that it exists."""
    return get_object_or_404(Municipality.objects.for_user(user), nis_code=nis_code)


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("municipality")


def current_legislature() -> Legislature | None:
    return Legislature.objects.current()
