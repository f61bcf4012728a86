"""The user's notifications: the list (unread marked), marking read, and the settings per
kind of notification (by mail, in the app). A user only ever sees and changes their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.http import bad_request, first_error, local_redirect

from . import selectors, services
from .forms import MarkReadForm, NotificationSettingsForm
from .models import Notification, NotificationSetting


@login_required
@require_GET
def notifications(request):
    items = selectors.notifications_for(request.user)
    return render(
        request,
        "review/notifications.html",
        {
            "notifications": items,
            "unread_count": sum(1 for item in items if item.read_at is None),
        },
    )


@login_required
@require_POST
def mark_read(request):
    """With ``id``: that notification is read and the user goes to what it is about; without:
    all of them are read."""
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    fallback = reverse("review:notifications")
    pk = form.cleaned_data["id"]
    if pk is None:
        count = services.notifications_mark_read(user=request.user)
        if count:
            messages.success(request, _("Alle meldingen zijn als gelezen gemarkeerd."))
        return redirect(fallback)
    notification = Notification.objects.filter(user=request.user, pk=pk).first()
    if notification is None:
        # Someone else's notification, or one that is gone: nothing to mark, back to the list.
        return redirect(fallback)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    # The stored link is the app's own path; local_redirect keeps it on the site anyway.
    return local_redirect(request, notification.url, fallback)


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    current = {
        row.kind: (row.by_mail, row.in_app)
        for row in NotificationSetting.objects.filter(user=request.user)
    }
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None, current=current
    )
    if request.method == "POST" and form.is_valid():
        services.notification_settings_save(user=request.user, choices=form.choices())
        messages.success(request, _("Je meldingsvoorkeuren zijn bewaard."))
        return redirect("review:settings")
    return render(request, "review/notification_settings.html", {"form": form})
