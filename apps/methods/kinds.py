"""What each kind of worksheet is made of: its sections, which fields a contribution uses, and
the checks on them. One ``Kind`` per method that has a worksheet; a method without one is
shown in the overview but opens no worksheet yet.

The structure lives here, in code, not in the data: the methods file says what a method is
for, this module says what its worksheet holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.omgevingsanalyse.models import ActorState, Quadrant, Sphere

from .models import Phase


@dataclass(frozen=True)
class Kind:
    key: str
    template: str  # the partial that draws the contributions (templates/methods/kinds/…)
    sections: tuple[tuple[str, object], ...]
    text_label: object = _("Tekst")
    detail_label: object = None  # None: no detail field
    uses_sdg: bool = False
    uses_group: bool = False
    uses_parent: bool = False
    uses_question: bool = False
    uses_areas: bool = False  # action areas (mapping of initiatives)
    votable: bool = False  # ideas on a group's or trend's sheet can be voted for
    phases: tuple[str, ...] = (Phase.COLLECT, Phase.CLOSED)
    # Contributions of others are hidden while the worksheet is collecting (a self-evaluation
    # is answered alone first).
    private_while_collecting: bool = False
    parent_of: dict = field(default_factory=dict)  # section → the sections its parent may be in
    max_text: int | None = None  # shorter than a contribution's own limit

    @property
    def section_keys(self) -> set[str]:
        return {key for key, _label in self.sections}

    def section_label(self, key: str):
        return dict(self.sections).get(key, key)

    @property
    def parent_sections(self) -> set[str]:
        """The sections something else may hang under."""
        return {section for allowed in self.parent_of.values() for section in allowed}


# --- theory of change: each level contributes to the one above it ---------------------------

TOC_LEVELS = (
    ("impact", _("Impact: de samenleving waar we naartoe willen")),
    ("outcome", _("Outcome: de verandering bij een groep")),
    ("output", _("Output: wat de activiteiten opleveren")),
    ("activiteit", _("Activiteit: wat we doen")),
)

# --- outcome mapping: actors in spheres (the omgevingsanalyse's Sphere), each with markers ---

OM_ACTORS = (*Sphere.choices, ("partner", _("Strategische partner")))
OM_MARKERS = (
    ("verwacht", _("Verwacht te zien (korte termijn)")),
    ("graag", _("Graag te zien")),
    ("ideaal", _("Ideaal te zien (lange termijn)")),
)
_OM_ACTOR_KEYS = tuple(key for key, _label in OM_ACTORS)

# --- OECD-DAC: six criteria with reflection questions (own summary of the guide's format) ---

OECD_CRITERIA = (
    (
        "relevantie",
        _("Relevantie: doen we de juiste dingen?"),
        (
            _("Hoe draagt het beleid bij aan de SDG's?"),
            _(
                "Past het bij de politieke lijnen, lokaal tot internationaal, en bij het "
                "meerjarenplan?"
            ),
            _("Beantwoordt het aan wat de doelgroepen nodig hebben?"),
        ),
    ),
    (
        "coherentie",
        _("Coherentie: sluiten we aan bij wat anderen doen?"),
        (
            _(
                "Hoe loopt de samenwerking met andere actoren die rond internationale "
                "rechtvaardigheid werken?"
            ),
            _("Wat werkte in die samenwerking en wat niet, en waarom?"),
            _("Welk soort nieuwe partner zou het beleid rijker maken?"),
        ),
    ),
    (
        "effectiviteit",
        _("Effectiviteit: halen we onze doelen?"),
        (
            _("Welke resultaten en doelgroepen bereiken we, en welke niet?"),
            _("Wat hielp, en wat verklaart zwakkere resultaten?"),
            _("Welke les trekken we daaruit?"),
        ),
    ),
    (
        "efficientie",
        _("Efficiëntie: zetten we onze middelen goed in?"),
        (
            _("Waar gebruiken we geld, mensen en tijd goed, waar niet, en waarom?"),
            _("Loopt het programma volgens plan? Waar is er vertraging, en waarom?"),
        ),
    ),
    (
        "impact",
        _("Impact: wat verandert er in de samenleving?"),
        (
            _("Wat voegt het beleid toe?"),
            _("Welke goede of slechte gevolgen heeft het voor mensen of voor het klimaat?"),
        ),
    ),
    (
        "duurzaamheid",
        _("Duurzaamheid: blijven de resultaten?"),
        (
            _(
                "Is er genoeg steun bij politici, bij de diensten en bij de inwoners? Waarom "
                "wel of niet?"
            ),
            _(
                "Hangen de activiteiten financieel af van de gemeente, en zouden gesteunde "
                "projecten zonder die steun verder kunnen?"
            ),
        ),
    ),
)


def oecd_questions(criterion: str):
    for key, _label, questions in OECD_CRITERIA:
        if key == criterion:
            return questions
    return ()


KINDS = {
    kind.key: kind
    for kind in (
        # The SWOT's quadrants and its items are the omgevingsanalyse's own (Quadrant,
        # SwotItem): the worksheet collects proposals per quadrant, and what the opsteller
        # adopts becomes an item of the analysis's one SWOT, not of a second copy.
        Kind(
            key="swot",
            template="methods/kinds/swot.html",
            sections=tuple(Quadrant.choices),
            max_text=500,  # SwotItem.text
        ),
        Kind(
            key="brainwriting",
            template="methods/kinds/brainwriting.html",
            sections=(("idee", _("Idee")),),
            text_label=_("Idee (in een volzin)"),
            uses_group=True,
            votable=True,
            phases=(Phase.COLLECT, Phase.CHOOSE, Phase.CLOSED),
        ),
        # GPS brainstorm: the groups are the trends (five chosen plus a free field).
        Kind(
            key="gps",
            template="methods/kinds/gps.html",
            sections=(("kort", _("Korte termijn")), ("lang", _("Lange termijn"))),
            text_label=_("Idee"),
            uses_group=True,
            votable=True,
            phases=(Phase.COLLECT, Phase.CHOOSE, Phase.CLOSED),
        ),
        # Mapping of initiatives: the three colours are the omgevingsanalyse's ActorState.
        Kind(
            key="initiatieven",
            template="methods/kinds/initiatives.html",
            sections=tuple(ActorState.choices),
            text_label=_("Initiatief"),
            detail_label=_("Actoren"),
            uses_areas=True,
        ),
        Kind(
            key="outcome-mapping",
            template="methods/kinds/outcome_mapping.html",
            sections=(*OM_ACTORS, *OM_MARKERS),
            text_label=_("Actor, of de verandering die je wil zien"),
            detail_label=_("Gewenste verandering in gedrag"),
            uses_parent=True,
            parent_of={key: _OM_ACTOR_KEYS for key, _label in OM_MARKERS},
        ),
        Kind(
            key="sdg-cirkel",
            template="methods/kinds/sdg_circle.html",
            sections=(
                ("al", _("Wat we al doen")),
                ("verschil", _("Waar we een verschil kunnen maken")),
            ),
            uses_sdg=True,
        ),
        Kind(
            key="start-stop-verder",
            template="methods/kinds/start_stop.html",
            sections=(
                ("start", _("Starten")),
                ("stop", _("Stoppen")),
                ("verder", _("Verderzetten")),
            ),
            text_label=_("Actie"),
            detail_label=_("Waarom"),
        ),
        Kind(
            key="veranderingstheorie",
            template="methods/kinds/theory_of_change.html",
            sections=tuple((key, label) for key, label in TOC_LEVELS),
            detail_label=_("Veronderstelling: waarom leidt dit tot de stap erboven?"),
            uses_parent=True,
            parent_of={"outcome": ("impact",), "output": ("outcome",), "activiteit": ("output",)},
        ),
        Kind(
            key="oeso-dac",
            template="methods/kinds/oecd_dac.html",
            sections=tuple((key, label) for key, label, _questions in OECD_CRITERIA),
            text_label=_("Antwoord"),
            uses_question=True,
            phases=(Phase.COLLECT, Phase.SIDE_BY_SIDE, Phase.CLOSED),
            private_while_collecting=True,
        ),
    )
}


def kind_of(worksheet) -> Kind | None:
    return KINDS.get(worksheet.method.key)


def check_contribution(
    kind: Kind, worksheet, *, section, text, sdg, group, parent, question, action_areas=()
) -> None:
    """Refuse a contribution that does not fit the kind's structure (with a message for the
    form); what a kind does not use must be empty."""
    errors = {}
    if kind.max_text and len(text) > kind.max_text:
        errors["text"] = _("Hoogstens %(max)d tekens.") % {"max": kind.max_text}
    if section not in kind.section_keys:
        errors["section"] = _("Kies een onderdeel van dit werkblad.")
    if kind.uses_sdg and sdg is None:
        errors["sdg"] = _("Kies de SDG waar deze bijdrage bij hoort.")
    if kind.uses_group and (group is None or group.worksheet_id != worksheet.pk):
        errors["group"] = _("Kies het blad van een groep van dit werkblad.")
    if kind.uses_parent and section in kind.parent_of:
        wanted = kind.parent_of[section]
        if parent is None or parent.worksheet_id != worksheet.pk or parent.section not in wanted:
            errors["parent"] = _("Kies de stap erboven waaraan dit bijdraagt.")
    elif parent is not None:
        errors["parent"] = _("Dit onderdeel hangt aan geen andere stap.")
    if kind.uses_question and (question is None or question >= len(oecd_questions(section))):
        errors["question"] = _("Kies een reflectievraag van dit criterium.")
    if action_areas and not kind.uses_areas:
        errors["action_areas"] = _("Dit werkblad kent geen actieterreinen.")
    if errors:
        raise ValidationError(errors)
