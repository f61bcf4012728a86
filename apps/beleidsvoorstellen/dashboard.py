"""The memorandum's card on the municipality dashboard: two queries."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Memorandum


def memorandum_card(municipality, legislature, user) -> dict:
    url = reverse("beleidsvoorstellen:memorandum", args=[municipality.nis_code])
    memorandum = None
    if legislature is not None:
        memorandum = (
            Memorandum.objects.for_user(user)
            .filter(municipality=municipality, legislature=legislature)
            .first()
        )
    if memorandum is None:
        return {
            "url": url,
            "status": _("Nog niet begonnen"),
            "summary": _("Nog geen voorstellen."),
            "action": _("Beginnen"),
        }
    count = memorandum.proposals.count()
    return {
        "url": url,
        "status": memorandum.get_status_display(),
        "summary": ngettext("%(count)d voorstel", "%(count)d voorstellen", count)
        % {"count": count},
        "action": _("Openen"),
    }
