"""The printed memorandum, registered with apps/documents (see ``apps.documents.registry``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apps.documents.registry import PrintDocument, register

from .models import Memorandum
from .selectors import memorandum_for, memorandum_print_data

KIND = "memorandum"


def memorandum_document(memorandum: Memorandum) -> PrintDocument:
    data = memorandum_print_data(memorandum=memorandum)
    municipality, legislature = data["municipality"], data["legislature"]
    return PrintDocument(
        template_name="documents/memorandum.html",
        context={**data, "document_title": memorandum.title},
        filename=f"memorandum-{slugify(municipality.name)}-{legislature}.pdf",
    )


def memorandum_of(municipality, object_id: int) -> Memorandum:
    """The memorandum inside the municipality only: any other is Memorandum.DoesNotExist."""
    return Memorandum.objects.select_related("municipality", "legislature").get(
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
    )
