from .models import Membership


def memberships(request):
    """The municipalities in the navigation's switcher: one query, only for logged-in users."""
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
    from django.utils.functional import SimpleLazyObject

    return {"user_memberships": SimpleLazyObject(load)}
