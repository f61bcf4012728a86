"""A guest's pages: a person without an account, holding the key of one invitation, sees and
adds to that one worksheet. The key is looked up by its hash; a revoked or expired invitation
is a 404 like a key that never existed. Each key is throttled (a counter per key in the cache)
so a leaked link cannot flood a worksheet.

Nothing else opens to the key: these views are the only ones that read it, and the guest has
no session that other pages would accept.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .permissions import Participant
from .services import token_hash
from .views import add_contribution, worksheet_context

# Requests per key per window: polling every few seconds plus a workshop's worth of writing.
DEFAULT_RATE = (120, 60)  # (requests, seconds)


def _rate() -> tuple[int, int]:
    return getattr(settings, "METHODS_GUEST_RATE", DEFAULT_RATE)


def _throttled(digest: str) -> bool:
    limit, window = _rate()
    key = f"methods:guest:{digest}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return count > limit


def guest_view(view):
    """Resolve the key to its invitation (404 when unusable), after the throttle."""

    def wrapped(request, key, *args, **kwargs):
        digest = token_hash(key)
        if _throttled(digest):
            response = render(request, "methods/throttled.html", {}, status=429)
            response["Retry-After"] = str(_rate()[1])
            return response
        invitation = selectors.invitation_by_hash(digest)
        participant = Participant(invitation=invitation)
        base = reverse("methods:guest", args=[key])
        return view(request, invitation.worksheet, participant, base, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _page(request, worksheet, participant, base, *, form=None, status=200):
    context = worksheet_context(worksheet, participant, base=base, form=form)
    context["guest_name"] = participant.invitation.guest_name
    return render(request, "methods/guest.html", context, status=status)


@require_GET
@guest_view
def guest_page(request, worksheet, participant, base):
    return _page(request, worksheet, participant, base)


@require_GET
@guest_view
def guest_board(request, worksheet, participant, base):
    context = worksheet_context(worksheet, participant, base=base)
    return render(request, "methods/worksheet.html#board", context)


@require_POST
@guest_view
def guest_add(request, worksheet, participant, base):
    done, form = add_contribution(request, worksheet, participant)
    if not done:
        return _page(request, worksheet, participant, base, form=form, status=400)
    messages.success(request, _("Je bijdrage staat op het werkblad."))
    return redirect(base)


@require_POST
@guest_view
def guest_vote(request, worksheet, participant, base, contribution_pk):
    contribution = selectors.contribution_of(worksheet, contribution_pk)
    with contextlib.suppress(ValidationError):  # not an idea: nothing to vote on
        services.vote_toggle(contribution=contribution, participant=participant)
    return redirect(f"{base}#idee-{contribution.pk}")


@require_POST
@guest_view
def guest_remove(request, worksheet, participant, base, contribution_pk):
    contribution = selectors.contribution_of(worksheet, contribution_pk)
    try:
        services.contribution_remove(contribution=contribution, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De bijdrage is verwijderd."))
    return redirect(base)
