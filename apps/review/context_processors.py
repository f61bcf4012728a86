"""The number of unread notifications, for the bell in the navigation bar."""

from . import selectors


def notifications(request) -> dict:
    """``unread_notifications``: one query for a signed-in user, none for a visitor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": selectors.unread_count(user)}
