"""Reads of the library's reference data that document pages share."""

from .models import PracticeExample


def practice_examples(kind: str) -> list[PracticeExample]:
    """The guide's practice examples for one document kind, in the guide's order (one query)."""
    return list(PracticeExample.objects.filter(document_kind=kind).order_by("order"))
