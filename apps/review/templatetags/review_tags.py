"""The review bar every document page shows (state, banner, transition buttons, links), and
the badge of a review state (dashboard cards, review page)."""

from django import template
from django.urls import reverse

from apps.core.permissions import can_comment, can_edit, can_review

from .. import registry, selectors
from ..models import Status

register = template.Library()

# The approved versions the bar lists (newest first); older ones stay in the timeline.
APPROVED_SHOWN = 3

# Bootstrap's badge per state; the badge always carries the state's name too (never colour
# alone).
BADGE_CLASSES = {
    Status.CONCEPT: "text-bg-secondary",
    Status.TER_REVIEW: "text-bg-warning",
    Status.GOEDGEKEURD: "text-bg-success",
    Status.TERUGGESTUURD: "text-bg-danger",
}


@register.filter
def status_badge_class(status) -> str:
    """The badge class of a review state ("concept", "ter_review", …)."""
    return BADGE_CLASSES.get(status, "text-bg-secondary")


open_counts_of = selectors.open_counts_of


@register.inclusion_tag("review/_review_bar.html", takes_context=True)
def review_bar(context, document):
    """The document's review bar: its state in words, the banner while it is read-only, the
    transitions the user's role may take, and links to the comments and the history.
    A fixed number of queries: the state and its last transition, the open comment count and
    the latest approved versions."""
    request = context.get("request")
    reviewable = registry.for_document(document) if document is not None else None
    if request is None or reviewable is None or not document.pk:
        return {"show": False}
    user = request.user
    municipality = document.municipality
    review = selectors.review_of(document)
    info = selectors.status_info(document)
    args = [municipality.nis_code, reviewable.key, document.pk]
    return {
        "show": True,
        "csrf_token": context.get("csrf_token"),
        "document": document,
        "reviewable": reviewable,
        "info": info,
        "Status": Status,
        # A document without a review row gets one at version 1 on its first transition.
        "version": review.version if review else 1,
        "is_opsteller": can_edit(user, municipality),
        "is_schepen": can_review(user, municipality),
        "can_comment": can_comment(user, municipality),
        "open_count": open_counts_of(reviewable, document)["*"],
        "approved_versions": selectors.approved_versions(review, limit=APPROVED_SHOWN),
        "transition_url": reverse("review:transition", args=args),
        "review_url": reverse("review:review", args=args),
        "comments_url": reverse("review:comments", args=args),
        "timeline_url": reverse("review:timeline", args=args),
        "nis_code": municipality.nis_code,
    }
