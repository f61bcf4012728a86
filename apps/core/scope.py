"""The request scope every document view starts from: the user's municipality (a 404 for any
other), the current legislature, and whether the user may edit. Document apps subclass it to
add their document."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .editing import DocumentLocked, edit_block
from .permissions import can_comment, can_edit, can_review
from .selectors import current_legislature, municipality_for_user


class MunicipalityScope:
    def __init__(self, request, nis_code: str):
        self.request = request
        self.user = request.user
        self.municipality = municipality_for_user(request.user, nis_code)
        self.legislature = current_legislature()
        # The role may write; ``can_edit`` narrows it to the document at hand (see lock()).
        self.may_write = can_edit(request.user, self.municipality)
        self.can_edit = self.may_write
        self.locked_reason = None
        self.can_review = can_review(request.user, self.municipality)
        self.can_comment = can_comment(request.user, self.municipality)

    def edit_block(self, document) -> str | None:
        """Why this document cannot be edited now (under review, approved), or None."""
        return edit_block(document)

    def lock(self, document) -> None:
        """Narrow ``can_edit`` to ``document``: nobody edits a document under review."""
        self.locked_reason = self.edit_block(document)
        self.can_edit = self.may_write and not self.locked_reason

    def require_edit(self, document=None) -> None:
        """Refuse a write: a 403 without the role, a 403 that says why while ``document`` (or
        the scope's own document, see subclasses) is locked."""
        if not self.may_write:
            raise PermissionDenied
        reason = self.edit_block(document if document is not None else self.document)
        if reason:
            raise DocumentLocked(reason)

    # The document the scope edits by default; subclasses name theirs.
    document = None

    def context(self, **extra) -> dict:
        return {
            "current_municipality": self.municipality,
            "municipality": self.municipality,
            "legislature": self.legislature,
            "can_edit": self.can_edit,
            "locked_reason": self.locked_reason,
            "can_review": self.can_review,
            "can_comment": self.can_comment,
            **extra,
        }
