"""The documents on a municipality's dashboard.

Core knows the three BBC documents by name only; each document app registers a card provider
in its ``AppConfig.ready()``, so the arrows keep pointing from the document apps to core.
A provider takes (municipality, legislature, user) and returns a dict for the card template:
``url``, ``status`` and ``summary`` (each optional). Each provider runs a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import DocumentKind
from .permissions import can_edit


@dataclass(frozen=True)
class DocumentSlot:
    key: str
    title: str
    description: str


# By value, so a kind added to DocumentKind shows up here as soon as it has a description.
DESCRIPTIONS = {
    "visie_missie": _("Waarom de gemeente lokaal mondiaal beleid voert en waar ze naartoe wil."),
    DocumentKind.OMGEVINGSANALYSE: _(
        "Waar staat de gemeente rond lokaal mondiaal beleid, en wat gebeurt er in de wereld?"
    ),
    DocumentKind.MEMORANDUM: _("De administratieve beleidsvoorstellen voor het nieuwe bestuur."),
    DocumentKind.MEERJARENPLAN: _(
        "Beleidsdoelstellingen, actieplannen en acties met hun budget per jaar."
    ),
}
DOCUMENT_KINDS = [
    DocumentSlot(kind.value, kind.label, DESCRIPTIONS.get(kind.value, "")) for kind in DocumentKind
]

_providers: dict[str, Callable] = {}


def register(key: str, provider: Callable) -> None:
    if key not in {kind.key for kind in DOCUMENT_KINDS}:
        raise ValueError(f"Unknown document kind: {key}")
    _providers[key] = provider


def cards(municipality, legislature, user) -> list[dict]:
    result = []
    # Only the opsteller starts a document; the others look at what is there.
    writes = can_edit(user, municipality)
    for kind in DOCUMENT_KINDS:
        provider = _providers.get(kind.key)
        card = {"kind": kind, "available": provider is not None}
        if provider is not None:
            card.update(provider(municipality, legislature, user) or {})
        if not writes and card.get("action") == str(_("Beginnen")):
            card["action"] = str(_("Bekijken"))
        result.append(card)
    return result
