"""Who may do what on a worksheet, in one place (views, templates and services ask these).

The opsteller manages every worksheet of the municipality. Schepen and lezers read them, and
add to one only when the opsteller opened it to them. A guest's rights come from a usable
invitation for that one worksheet and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.models import Role
from apps.core.permissions import role_in


@dataclass(frozen=True)
class Participant:
    """Who acts on a worksheet: a signed-in member, or a guest through an invitation."""

    user: object = None
    invitation: object = None

    @property
    def is_guest(self) -> bool:
        return self.invitation is not None


def can_manage(user, worksheet) -> bool:
    return role_in(user, worksheet.municipality) == Role.OPSTELLER


def can_contribute(participant: Participant, worksheet) -> bool:
    if participant.is_guest:
        invitation = participant.invitation
        return invitation.worksheet_id == worksheet.pk and invitation.is_usable
    role = role_in(participant.user, worksheet.municipality)
    if role == Role.OPSTELLER:
        return True
    return role in (Role.SCHEPEN, Role.LEZER) and worksheet.open_to_members


def may_remove(participant: Participant, contribution) -> bool:
    """One's own contribution, or any as the opsteller."""
    if participant.is_guest:
        return contribution.invitation_id == participant.invitation.pk
    if contribution.author_id == getattr(participant.user, "pk", None):
        return True
    return can_manage(participant.user, contribution.worksheet)
