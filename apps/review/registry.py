"""The reviewable documents: each document app registers its own from ``AppConfig.ready()``.

A registration tells this app what it cannot know about a document:
- ``model``: the document's model (its rows carry ``municipality``);
- ``parts(document)``: the document's texts in reading order, as ``Part`` values (the
  document itself first, then its sections, proposals, goals, actions …), read with a fixed
  number of queries;
- ``history(document)``: the historical-record querysets of the document and its parts
  (django-simple-history), for the activity timeline;
- ``page_url(document)``: the document's own page;
- ``printable``: the apps/documents key whose print template is frozen on approval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import KEY_MAX_LENGTH


@dataclass(frozen=True)
class Part:
    """One text of a document: ``key`` is stable ("proposal-12"), ``fields`` maps each text
    field of ``instance`` to its label, in the order they print."""

    key: str
    label: str
    instance: object
    fields: dict[str, str]
    url: str = ""

    def text(self) -> str:
        """The part's texts as one HTML fragment, for a snapshot and a diff."""
        return "\n".join(
            f"<p>{getattr(self.instance, name) or ''}</p>"
            if "<" not in str(getattr(self.instance, name) or "")
            else str(getattr(self.instance, name))
            for name in self.fields
        )

    @property
    def model(self):
        return type(self.instance)


@dataclass(frozen=True)
class Reviewable:
    key: str
    label: str
    model: type
    parts: Callable
    history: Callable
    page_url: Callable
    printable: str = ""
    extra: dict = field(default_factory=dict)

    def title_of(self, document) -> str:
        return str(self.label)


class UnknownDocument(LookupError):
    pass


_reviewables: dict[str, Reviewable] = {}


def register(key: str, **options) -> Reviewable:
    if len(key) > KEY_MAX_LENGTH:
        raise ValueError(f"Invalid reviewable key: {key!r}")
    reviewable = Reviewable(key=key, **options)
    _reviewables[key] = reviewable
    return reviewable


def get(key: str) -> Reviewable:
    try:
        return _reviewables[key]
    except KeyError:
        raise UnknownDocument(key) from None


def for_document(document) -> Reviewable | None:
    """The registration of ``document``'s model, or None."""
    for reviewable in _reviewables.values():
        if type(document) is reviewable.model:
            return reviewable
    return None


def all_reviewables() -> list[Reviewable]:
    return list(_reviewables.values())
