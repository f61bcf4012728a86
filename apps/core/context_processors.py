from django.utils.functional import SimpleLazyObject

from .models import Membership

# The municipality the user chose last (apps/core/views.py keeps it in the session).
SESSION_KEY = "current_municipality"


def memberships(request):
    """The municipalities in the navigation's switcher: one query, only for logged-in users.

    ``nav_municipality`` is the municipality the menu links into on pages that are not about
    one (the one used last, else the first): taken from the same list, so no extra query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def load():
        return list(
            Membership.objects.filter(user=user)
            .select_related("municipality")
            .order_by("municipality__name")
        )

    # Lazy: pages that never render the navigation do not pay for the query.
    loaded = SimpleLazyObject(load)
    session = getattr(request, "session", None)

    def nav_municipality():
        last = session.get(SESSION_KEY) if session is not None else None
        chosen = next((m for m in loaded if m.municipality.nis_code == last), None)
        if chosen is None and len(loaded):
            chosen = loaded[0]
        return chosen.municipality if chosen is not None else None

    return {"user_memberships": loaded, "nav_municipality": SimpleLazyObject(nav_municipality)}
