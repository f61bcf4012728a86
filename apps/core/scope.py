"""The request scope every document view starts from: the user's municipality (a 404 for any
other), the current legislature, and whether the user may edit. Document apps subclass it to
add their document."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .permissions import can_comment, can_edit, can_review
from .selectors import current_legislature, municipality_for_user


class MunicipalityScope:
    def __init__(self, request, nis_code: str):
        self.request = request
        self.user = request.user
        self.municipality = municipality_for_user(request.user, nis_code)
        self.legislature = current_legislature()
        self.can_edit = can_edit(request.user, self.municipality)
        self.can_review = can_review(request.user, self.municipality)
        self.can_comment = can_comment(request.user, self.municipality)

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionDenied

    def context(self, **extra) -> dict:
        return {
            "current_municipality": self.municipality,
            "municipality": self.municipality,
            "legislature": self.legislature,
            "can_edit": self.can_edit,
            "can_review": self.can_review,
            "can_comment": self.can_comment,
            **extra,
        }
