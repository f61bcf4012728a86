"""What each printable document is made of: its print template, its context, its file name.

The document apps own their data; this module only asks their selectors for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify

from apps.core.models import DocumentKind


@dataclass(frozen=True)
class PrintDocument:
    template_name: str
    context: dict
    filename: str


def memorandum_document(memorandum) -> PrintDocument:
    from apps.beleidsvoorstellen.selectors import memorandum_print_data

    data = memorandum_print_data(memorandum=memorandum)
    municipality, legislature = data["municipality"], data["legislature"]
    return PrintDocument(
        template_name="documents/memorandum.html",
        context={**data, "document_title": memorandum.title},
        filename=f"memorandum-{slugify(municipality.name)}-{legislature}.pdf",
    )


def _memorandum_of(municipality, object_id: int):
    from apps.beleidsvoorstellen.models import Memorandum

    return Memorandum.objects.select_related("municipality", "legislature").get(
        municipality=municipality, pk=object_id
    )


LOADERS = {DocumentKind.MEMORANDUM: (_memorandum_of, memorandum_document)}


def document_for(*, kind: str, municipality, object_id: int) -> PrintDocument:
    """The printable document a job names, looked up inside the job's municipality only."""
    load, build = LOADERS[kind]
    return build(load(municipality, object_id))
