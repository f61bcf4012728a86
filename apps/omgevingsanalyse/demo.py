"""Demodorp's visie & missie and omgevingsanalyse for `make run`: a municipality halfway
through its documents. Loaded once; what was changed in the app stays as it is."""

from decimal import Decimal

from apps.core.models import ActionArea, Legislature, SDGGoal
from apps.library.models import GlobalFigure, GuidingQuestion

from . import services
from .models import ActorKind, ActorState, Analysis, Indicator, Quadrant, Sphere, Structure

VISION = """\
Demodorp wil een gemeente zijn die haar inwoners, verenigingen en bedrijven verbindt met de
rest van de wereld. Wat hier gebeurt, heeft gevolgen elders, en omgekeerd: klimaat, handel,
migratie en gezondheid houden niet op aan de gemeentegrens. Demodorp kiest daarom voor een
eerlijke en duurzame samenleving, hier en in partnergemeenten in het Zuiden.

Tegen 2031 is lokaal mondiaal beleid geen apart thema meer, maar een reflex in elk
beleidsdomein: bij aankopen, in het onderwijs, in de vrijetijdsdiensten en in de manier waarop
de gemeente samenwerkt."""

MISSION = """\
Het bestuur maakt mondiale keuzes in zijn eigen werking, ondersteunt inwoners en
organisaties die zich voor een rechtvaardige wereld inzetten en werkt samen met partners hier
en elders. De gemeente laat het budget voor lokaal mondiaal beleid stap voor stap groeien naar
0,7 % van haar uitgaven en legt jaarlijks verantwoording af over de SDG's."""

SECTION_TEXTS = {
    0: """\
Demodorp telt 32.500 inwoners, van wie ongeveer één op zes een migratieachtergrond heeft. De
sociale dienst stelt vast dat energie- en voedselprijzen gezinnen hier even hard treffen als in
de partnergemeente. Drie basisscholen werken rond wereldburgerschap; de mondiale raad
organiseert elk jaar een week rond eerlijke handel.""",
    1: """\
De gemeente heeft sinds 2021 een klimaatplan, maar het aankoopbeleid houdt nog weinig
rekening met de herkomst van grondstoffen. Een eerste screening toont dat ongeveer 20 % van de
aankopen (koffie, werkkledij, ICT) een duidelijk mondiaal risico draagt.""",
    2: """\
Demodorp is sinds 2019 FairTradeGemeente. De Fair-o-meter steeg van 38 naar 62; de zwakke
punten zijn de aankopen van de gemeente zelf en de betrokkenheid van de lokale handelaars.""",
    4: """\
De gemeente ondersteunt vijf vierdepijlerorganisaties en heeft een stedenband met een
gemeente in Benin. Het budget voor lokaal mondiaal beleid groeide van € 28.500 in 2019 naar
€ 46.000 in 2025, maar blijft onder 0,1 % van de totale uitgaven.""",
}

SWOT = {
    Quadrant.STRENGTH: [
        ("Actieve mondiale raad met twaalf leden", 17, "SW"),
        ("FairTradeGemeente sinds 2019", 12, "BU"),
        ("Drie scholen met een werking rond wereldburgerschap", 4, "BU"),
    ],
    Quadrant.WEAKNESS: [
        ("Slechts 0,4 VTE voor lokaal mondiaal beleid", 17, None),
        ("Aankoopbeleid zonder duurzaamheidscriteria", 12, "BK"),
    ],
    Quadrant.OPPORTUNITY: [
        ("Nieuwe SDG-engagementsverklaring van de provincie", 17, "BK"),
        ("Diasporavereniging wil samenwerken rond gezondheid", 3, "SW"),
        ("Vernieuwde sporthal als plek voor een wereldfeest", None, "BU"),
    ],
    Quadrant.THREAT: [
        ("Besparingen in de meerjarenplanning", None, None),
        ("Dalende vrijwilligersinzet in de vierde pijler", 17, "SW"),
    ],
}

ACTORS = [
    (
        "Mondiale raad Demodorp",
        ActorKind.ADVISORY_COUNCIL,
        Sphere.INFLUENCE,
        ActorState.RUNNING,
        ["BK", "BU", "SW"],
        "Adviseert het college; twaalf leden.",
    ),
    (
        "Wereldwinkel Demodorp",
        ActorKind.NGO,
        Sphere.INTEREST,
        ActorState.RUNNING,
        ["BU"],
        "Verkoopt eerlijke producten, geeft schoolvoorstellingen.",
    ),
    (
        "Vriendenkring Za-Bénin",
        ActorKind.FOURTH_PILLAR,
        Sphere.INFLUENCE,
        ActorState.RUNNING,
        ["SW"],
        "Waterproject in de partnergemeente.",
    ),
    (
        "Basisschool De Regenboog",
        ActorKind.SCHOOL,
        Sphere.INFLUENCE,
        ActorState.NEW,
        ["BU"],
        "Start in 2026 een project rond kinderrechten.",
    ),
    (
        "Gezondheidsvereniging Sahel Solidarité",
        ActorKind.DIASPORA,
        Sphere.INTEREST,
        ActorState.NEW,
        ["SW", "BU"],
        "Vraagt ondersteuning voor een gezondheidspost.",
    ),
    (
        "Koffiebranderij Van Damme",
        ActorKind.COMPANY,
        Sphere.INTEREST,
        ActorState.NOT_YET,
        ["BK"],
        "Mogelijke partner voor eerlijke koffie op evenementen.",
    ),
    (
        "Dienst aankoop van de gemeente",
        ActorKind.OTHER,
        Sphere.CONTROL,
        ActorState.NOT_YET,
        ["BK"],
        "Duurzaamheidscriteria in bestekken zijn nog niet ingevoerd.",
    ),
    (
        "Jeugdraad",
        ActorKind.ADVISORY_COUNCIL,
        Sphere.INFLUENCE,
        ActorState.NEW,
        ["BU"],
        "Wil een jaarlijkse klimaatactie met een mondiaal luik.",
    ),
]

# (indicator key, values 2019-2025, targets 2026-2031)
INDICATOR_VALUES = {
    "lmb-vte": (
        ["0.2", "0.2", "0.3", "0.3", "0.4", "0.4", "0.4"],
        ["0.5", "0.5", "0.6", "0.6", "0.8", "0.8"],
    ),
    "fair-o-meter": (
        ["38", "41", "45", "50", "54", "58", "62"],
        ["65", "68", "72", "75", "78", "80"],
    ),
    "lmb-activiteiten": (
        ["8", "5", "9", "12", "14", "17", "21"],
        ["22", "24", "25", "26", "28", "30"],
    ),
}


def _prose(text: str) -> str:
    """The texts above are wrapped for reading here; a paragraph is one line when typed."""
    return "\n\n".join(" ".join(part.split()) for part in text.split("\n\n"))


def load_demo_documents(municipality, opsteller) -> None:
    legislature = Legislature.objects.current()
    if legislature is None:
        return
    vision = services.vision_get_or_create(
        municipality=municipality, legislature=legislature, by=opsteller
    )
    if not vision.vision:
        services.vision_update(
            vision=vision,
            vision_text=_prose(VISION),
            mission_text=_prose(MISSION),
            expected_version=vision.version,
            by=opsteller,
        )
    if Analysis.objects.filter(municipality=municipality, legislature=legislature).exists():
        return
    analysis = services.analysis_start(
        municipality=municipality,
        legislature=legislature,
        structure=Structure.objects.get(key="vijf-p"),
        by=opsteller,
    )
    services.analysis_update_introduction(
        analysis=analysis,
        introduction=(
            "Deze omgevingsanalyse brengt in kaart waar Demodorp staat met zijn lokaal mondiaal "
            "beleid, welke mondiale trends de gemeente raken en wie er mee aan de slag gaat. Ze "
            "volgt de vijf pijlers van duurzame ontwikkeling."
        ),
        expected_version=analysis.version,
        by=opsteller,
    )
    sections = list(analysis.sections.order_by("order"))
    for index, text in SECTION_TEXTS.items():
        section = sections[index]
        services.section_update(
            section=section,
            title=section.title,
            text=_prose(text),
            sdg_goals=section.sdg_goals.all(),
            expected_version=section.version,
            by=opsteller,
        )
    figures = list(GlobalFigure.objects.order_by("order", "key")[:2])
    for section, figure in zip((sections[0], sections[4]), figures, strict=False):
        services.figure_cite(section=section, figure=figure, by=opsteller)
    indicators = {
        i.definition.key: i
        for i in Indicator.objects.filter(analysis=analysis).select_related("definition")
        if i.definition_id
    }
    first_year = legislature.start_year - 7
    for key, (past, targets) in INDICATOR_VALUES.items():
        indicator = indicators.get(key)
        if indicator is None:
            continue
        values = {first_year + i: (Decimal(v), False) for i, v in enumerate(past)}
        values |= {legislature.start_year + i: (Decimal(v), True) for i, v in enumerate(targets)}
        services.indicator_update(
            indicator=indicator,
            name=indicator.name,
            unit=indicator.unit,
            source="Eigen telling van de dienst",
            note="",
            values=values,
            expected_version=indicator.version,
            by=opsteller,
        )
    goals = {g.number: g for g in SDGGoal.objects.all()}
    areas = {a.code: a for a in ActionArea.objects.all()}
    for quadrant, items in SWOT.items():
        for text, sdg, area in items:
            services.swot_item_save(
                analysis=analysis,
                item=None,
                quadrant=quadrant,
                text=text,
                sdg=goals.get(sdg),
                action_area=areas.get(area),
                by=opsteller,
            )
    for name, kind, sphere, state, area_codes, notes in ACTORS:
        services.actor_save(
            analysis=analysis,
            actor=None,
            name=name,
            kind=kind,
            sphere=sphere,
            state=state,
            action_areas=[areas[c] for c in area_codes],
            notes=notes,
            by=opsteller,
        )
    question = (
        GuidingQuestion.objects.filter(document_kind="omgevingsanalyse").order_by("order").first()
    )
    if question is not None:
        services.answer_save(
            analysis=analysis,
            question=question,
            answer="De mondiale raad en de dienst aankoop zijn de eerste partners om mee te nemen.",
            expected_version=0,
            by=opsteller,
        )
