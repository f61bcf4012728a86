"""The dashboard cards of visie & missie and the omgevingsanalyse: at most four queries each
(the document, a count, its review state and open comments)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.richtext import visible_text
from apps.review.selectors import dashboard_summary

from .models import Analysis, VisionMission


def vision_card(municipality, legislature, user) -> dict:
    url = reverse("omgevingsanalyse:vision", args=[municipality.nis_code])
    vision = None
    if legislature is not None:
        vision = (
            VisionMission.objects.for_user(user)
            .filter(municipality=municipality, legislature=legislature)
            .first()
        )
    if vision is None:
        return {"url": url, "status": _("Nog niet begonnen"), "action": _("Beginnen")}
    written = [
        label
        for label, text in ((_("visie"), vision.vision), (_("missie"), vision.mission))
        if visible_text(text)
    ]
    review = _review(vision)
    if not written and review["review"]["status"] == "concept":
        return {"url": url, "status": _("Nog niet begonnen"), "action": _("Beginnen")}
    # Once submitted, the card says the review state even of an empty text.
    summary = (
        _("Geschreven: %(parts)s.") % {"parts": ", ".join(written)}
        if written
        else _("Nog geen tekst.")
    )
    return {"url": url, **review, "summary": summary, "action": _("Openen")}


def analysis_card(municipality, legislature, user) -> dict:
    url = reverse("omgevingsanalyse:analysis", args=[municipality.nis_code])
    analysis = None
    if legislature is not None:
        analysis = (
            Analysis.objects.for_user(user)
            .filter(municipality=municipality, legislature=legislature)
            .first()
        )
    if analysis is None:
        return {
            "url": url,
            "status": _("Nog niet begonnen"),
            "summary": _("Kies een structuur om te beginnen."),
            "action": _("Beginnen"),
        }
    count = analysis.sections.count()
    return {
        "url": url,
        **_review(analysis),
        "summary": ngettext("%(count)d sectie", "%(count)d secties", count) % {"count": count},
        "action": _("Openen"),
    }


def _review(document) -> dict:
    """The card's status is the document's review state; ``review`` adds the open comment
    count (apps/review: two queries)."""
    summary = next(iter(dashboard_summary([document]).values()))
    return {"status": summary["label"], "review": summary}
