"""The memorandum's card on the municipality dashboard: four queries (the memorandum, its
number of proposals, its review state and open comments)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.review.selectors import dashboard_summary

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
        **_review(memorandum),
        "summary": ngettext("%(count)d voorstel", "%(count)d voorstellen", count)
        % {"count": count},
        "action": _("Openen"),
    }


def _review(document) -> dict:
    """The card's status is the document's review state; ``review`` adds the open comment
    count (apps/review: two queries)."""
    summary = next(iter(dashboard_summary([document]).values()))
    return {"status": summary["label"], "review": summary}
