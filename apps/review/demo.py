"""Demodorp's memorandum has a review round behind it, so ``make run`` shows the review:

the opsteller submitted it; the schepen asked on one proposal for a concrete amount
(mentioning the opsteller), who answered and resolved it; a second remark on the whole
document is still open; the schepen sent it back with a reason, the opsteller added the
amount and submitted it again. It is now with the schepen, who can approve it.
"""

from apps.core.models import Membership, Role
from apps.core.richtext import visible_text

from .models import DocumentReview
from .services import comment_reply, thread_resolve, thread_start, transition

# The proposal the round is about (duurzaam aankopen) and what the opsteller adds to it.
PROPOSAL_KEY = "BK-G6"
ADDED = (
    "<p>Voor de opleiding van de aankopers en de opvolging van de criteria trekt het bestuur "
    "vanaf 2026 jaarlijks 2.500 euro uit.</p>"
)


def load_demo_review(municipality, opsteller) -> None:
    from apps.beleidsvoorstellen.models import Memorandum
    from apps.beleidsvoorstellen.services import proposal_update

    memorandum = Memorandum.objects.filter(municipality=municipality).first()
    if memorandum is None:
        return
    if DocumentReview.objects.filter(kind="memorandum", object_id=memorandum.pk).exists():
        return  # the round is there already (or the demo users made their own)
    schepen_membership = (
        Membership.objects.filter(municipality=municipality, role=Role.SCHEPEN)
        .select_related("user")
        .first()
    )
    if schepen_membership is None:
        return
    schepen = schepen_membership.user
    proposal = memorandum.proposals.filter(source__key=PROPOSAL_KEY).first()
    if proposal is None:
        proposal = memorandum.proposals.order_by("order").first()
    if proposal is None:
        return
    handle = opsteller.email.split("@")[0]
    # The schepen quotes the proposal's opening words, as one does pointing at a passage.
    quote = " ".join(visible_text(proposal.text).split()[:14])

    transition(
        document=memorandum,
        action="submit",
        message="Graag jullie lezing vóór het college van december.",
        by=opsteller,
    )
    asked = thread_start(
        document=memorandum,
        part_key=f"proposal-{proposal.pk}",
        quote=quote,
        text=f"@{handle} kunnen we hier een concreet bedrag per jaar bij zetten?",
        by=schepen,
    )
    comment_reply(
        thread=asked,
        text="Goed idee: ik neem het bedrag uit het meerjarenplan over in de tekst.",
        by=opsteller,
    )
    thread_resolve(thread=asked, by=opsteller)
    thread_start(
        document=memorandum,
        text="Stem de timing van de campagnes nog af met de dienst Welzijn.",
        by=schepen,
    )
    transition(
        document=memorandum,
        action="send_back",
        message="Het voorstel over duurzaam aankopen mist nog een bedrag; verder akkoord.",
        by=schepen,
    )
    transition(document=memorandum, action="reopen", by=opsteller)
    proposal.refresh_from_db()
    proposal_update(
        proposal=proposal,
        title=proposal.title,
        text=proposal.text + ADDED,
        justification=proposal.justification,
        reasons=list(proposal.reasons.all()),
        priority=proposal.priority,
        ticked_sub_option_ids=list(
            proposal.sub_options.filter(ticked=True).values_list("pk", flat=True)
        ),
        expected_version=proposal.version,
        sdg_goals=list(proposal.sdg_goals.all()),
        by=opsteller,
    )
    transition(
        document=memorandum,
        action="submit",
        message="Het bedrag staat er nu bij.",
        by=opsteller,
    )


def register() -> None:
    from apps.core.demo import register_demo

    register_demo(load_demo_review)
