from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render

from . import dashboard, selectors
from .models import Role
from .permissions import role_in

SESSION_KEY = "current_municipality"


@transaction.non_atomic_requests  # ATOMIC_REQUESTS would open a connection for nothing
def health(request):
    """The cheapest page the app serves, for a load balancer and as the yardstick of
    ``make bench-load``: no database, no template, no session."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_required
def home(request):
    """Send the user to the municipality they used last, else to their first one."""
    memberships = list(selectors.memberships_of(request.user).order_by("municipality__name"))
    if not memberships:
        return render(request, "core/no_membership.html", status=200)
    last = request.session.get(SESSION_KEY)
    chosen = next((m for m in memberships if m.municipality.nis_code == last), memberships[0])
    return redirect("core:dashboard", nis_code=chosen.municipality.nis_code)


@login_required
def municipality_dashboard(request, nis_code: str):
    municipality = selectors.municipality_for_user(request.user, nis_code)
    if request.session.get(SESSION_KEY) != municipality.nis_code:
        # Only when it changes: assigning marks the session changed, and saving it is a write
        # transaction on every visit of the dashboard.
        request.session[SESSION_KEY] = municipality.nis_code
    legislature = selectors.current_legislature()
    return render(
        request,
        "core/dashboard.html",
        {
            "current_municipality": municipality,
            "municipality": municipality,
            "legislature": legislature,
            "role": Role(role_in(request.user, municipality)),
            "cards": dashboard.cards(municipality, legislature, request.user),
        },
    )
