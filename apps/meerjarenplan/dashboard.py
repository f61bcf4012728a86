"""The meerjarenplan's dashboard card: four queries at most (the plan, its number of actions,
its review state and open comments)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.review.selectors import dashboard_summary

from .models import Action, Plan


def plan_card(municipality, legislature, user) -> dict:
    url = reverse("meerjarenplan:plan", args=[municipality.nis_code])
    plan = None
    if legislature is not None:
        plan = (
            Plan.objects.for_user(user)
            .filter(municipality=municipality, legislature=legislature)
            .first()
        )
    if plan is None:
        return {
            "url": url,
            "status": _("Nog niet begonnen"),
            "summary": _("Kies een structuur om te beginnen."),
            "action": _("Beginnen"),
        }
    count = Action.objects.filter(plan=plan).count()
    return {
        "url": url,
        **_review(plan),
        "summary": ngettext("%(count)d actie", "%(count)d acties", count) % {"count": count},
        "action": _("Openen"),
    }


def _review(document) -> dict:
    """The card's status is the document's review state; ``review`` adds the open comment
    count (apps/review: two queries)."""
    summary = next(iter(dashboard_summary([document]).values()))
    return {"status": summary["label"], "review": summary}
