import math

from axes.helpers import get_cool_off
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """Dutch page for a username+IP pair that is cooling off; 429 tells clients to wait."""
    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 15
    return render(request, "registration/lockout.html", {"cooloff_minutes": minutes}, status=429)


def axes_username(request, credentials):
    """Count failures per normalised email, so case variations share one counter."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    # An email address has at most 254 characters; axes stores the name in a column that size.
    return str(raw).strip().lower()[:254]
