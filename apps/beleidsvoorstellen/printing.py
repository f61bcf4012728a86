"""The printed memorandum, registered with apps/documents (see ``apps.documents.registry``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apps.core.models import Membership, Role
from apps.documents.registry import PrintDocument, register

from .models import Memorandum
from .selectors import memorandum_for, memorandum_print_data

KIND = "memorandum"


# The memorandum names no service of its own (the model has no field for it): the cover says
# which function drafts it, as the guide does, and no more.
SERVICE = _("Mondiaal beleid")


def memorandum_document(memorandum: Memorandum) -> PrintDocument:
    data = memorandum_print_data(memorandum=memorandum)
    municipality, legislature = data["municipality"], data["legislature"]
    number_present_areas(data["groups"])
    context = {
        **data,
        "document_title": memorandum.title,
        "document_created": memorandum.created_at,
        "document_modified": memorandum.updated_at,
        "author": author_of(memorandum),
        "service": SERVICE,
        "proposals": [proposal for group in data["groups"] for proposal in group["proposals"]],
    }
    return PrintDocument(
        template_name="documents/memorandum.html",
        context=context,
        filename=f"memorandum-{slugify(municipality.name)}-{legislature}.pdf",
    )


def number_present_areas(groups: list[dict]) -> None:
    """The printed chapters are the action areas that hold proposals, numbered 1, 2, 3 without
    gaps (an empty area gets no chapter, so no number either); the proposals follow suit."""
    for number, group in enumerate(groups, start=1):
        group["number"] = number
        for position, proposal in enumerate(group["proposals"], start=1):
            proposal.number = f"{number}.{position}"


def author_of(memorandum: Memorandum) -> str:
    """Who wrote it: whoever changed it last, else the municipality's opsteller; only a real
    name (an e-mail address is no author on a cover), else nothing."""
    if memorandum.updated_by is not None and memorandum.updated_by.get_full_name():
        return memorandum.updated_by.get_full_name()
    memberships = Membership.objects.filter(
        municipality_id=memorandum.municipality_id, role=Role.OPSTELLER, user__is_active=True
    ).select_related("user")
    for membership in memberships.order_by("pk"):
        if name := membership.user.get_full_name():
            return name
    return ""


def memorandum_of(municipality, object_id: int) -> Memorandum:
    """The memorandum inside the municipality only: any other is Memorandum.DoesNotExist."""
    return Memorandum.objects.select_related("municipality", "legislature", "updated_by").get(
        municipality=municipality, pk=object_id
    )


def current_memorandum(municipality, legislature, user) -> Memorandum | None:
    return memorandum_for(municipality=municipality, legislature=legislature, user=user)


def register_printables() -> None:
    register(
        KIND,
        label=_("Ambtelijk memorandum"),
        description=_(
            "De PDF bevat een titelblad, een inhoudstafel met paginanummers en alle "
            "beleidsvoorstellen per actieterrein."
        ),
        load=memorandum_of,
        build=memorandum_document,
        title=lambda memorandum: f"{memorandum.title} — {memorandum.legislature}",
        page_url=lambda memorandum: reverse(
            "beleidsvoorstellen:memorandum", args=[memorandum.municipality.nis_code]
        ),
        find=current_memorandum,
        book_order=30,
    )
