"""Who may do what, in one place: views, templates and services all ask these predicates.

Deny by default: without an active membership in the object's municipality the answer is no.
Staff users (beheerders) manage reference data in the admin; in the app they act through
their memberships like everybody else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Membership, Role

if TYPE_CHECKING:
    from .models import Municipality


def role_in(user, municipality: Municipality) -> str | None:
    """The user's role in the municipality, or None. Cached on the user for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or municipality is None:
        return None
    cache = user.__dict__.setdefault("_lmb_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(user=user).values_list("municipality_id", "role"))
        user.__dict__["_lmb_roles"] = cache
    return cache.get(municipality.pk)


def municipality_of(obj) -> Municipality:
    from .models import Municipality

    return obj if isinstance(obj, Municipality) else obj.municipality


def can_view(user, obj) -> bool:
    return role_in(user, municipality_of(obj)) is not None


def can_edit(user, obj) -> bool:
    """Only the opsteller writes the text."""
    return role_in(user, municipality_of(obj)) == Role.OPSTELLER


def can_review(user, obj) -> bool:
    """Aldermen comment, approve or send back; they never edit the text."""
    return role_in(user, municipality_of(obj)) == Role.SCHEPEN


def can_comment(user, obj) -> bool:
    return role_in(user, municipality_of(obj)) in {Role.OPSTELLER, Role.SCHEPEN}
