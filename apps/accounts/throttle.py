"""Throttling of password-reset mails, per address and per client, across processes.

Every request is counted, whether or not the address belongs to an account, so the answer
never tells which addresses exist."""

from __future__ import annotations

import enum
import hashlib
import hmac
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.utils import timezone

from .models import PasswordResetRequest

WINDOW = timedelta(hours=1)


class Verdict(enum.Enum):
    SEND = "send"
    ADDRESS_LIMIT = "address"  # answered like a sent mail: no hint whether the address exists
    CLIENT_LIMIT = "client"  # this client asked too often, for whatever addresses


def _digest(kind: str, value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def client_of(request) -> str:
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"


def password_reset_request(*, email: str, client: str) -> Verdict:
    """Record one request and say whether its mail may go out."""
    now = timezone.now()
    since = now - WINDOW
    PasswordResetRequest.objects.filter(created_at__lt=since).delete()
    address = _digest("address", email.strip().lower())
    client_key = _digest("client", client)
    recent = PasswordResetRequest.objects.filter(created_at__gte=since)
    by_client = recent.filter(client_digest=client_key).count()
    by_address = recent.filter(address_digest=address).count()
    PasswordResetRequest.objects.create(address_digest=address, client_digest=client_key)
    if by_client >= settings.PASSWORD_RESET_LIMIT_PER_CLIENT:
        return Verdict.CLIENT_LIMIT
    if by_address >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS:
        return Verdict.ADDRESS_LIMIT
    return Verdict.SEND
