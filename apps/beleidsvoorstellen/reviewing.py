"""The memorandum in apps/review: its texts (introduction, then each proposal) and history."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.review import registry
from apps.review.registry import Part

from .models import Memorandum, MemorandumProposal

KEY = "memorandum"


def _page(memorandum) -> str:
    return reverse("beleidsvoorstellen:memorandum", args=[memorandum.municipality.nis_code])


def parts(memorandum) -> list[Part]:
    page = _page(memorandum)
    result = [
        Part(
            key="document",
            label=_("Titel en inleiding"),
            instance=memorandum,
            fields={"title": _("titel"), "introduction": _("inleiding")},
            url=f"{page}#inleiding",
        )
    ]
    for proposal in MemorandumProposal.objects.filter(memorandum=memorandum).order_by(
        "order", "pk"
    ):
        result.append(
            Part(
                key=f"proposal-{proposal.pk}",
                label=proposal.title,
                instance=proposal,
                fields={
                    "title": _("titel"),
                    "text": _("tekst"),
                    "justification": _("motivering"),
                },
                url=f"{page}#voorstel-{proposal.pk}",
            )
        )
    return result


def history(memorandum) -> list:
    return [
        Memorandum.history.filter(id=memorandum.pk),
        MemorandumProposal.history.filter(memorandum_id=memorandum.pk),
    ]


def register_reviewable() -> None:
    registry.register(
        KEY,
        label=_("Ambtelijk memorandum"),
        model=Memorandum,
        parts=parts,
        history=history,
        page_url=_page,
        printable="memorandum",
    )
