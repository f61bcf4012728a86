"""Demodorp's meerjarenplan: a memorandum of eight adopted library proposals and a plan of three
goals, six action plans and fifteen actions with budgets 2026-2031, five actions coming from the
memorandum. The LMB budget grows from about €55.000 to about €120.000 a year, with a few
investments and subsidies received. Loaded by ``load_demo``; a plan that exists is left alone."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from apps.beleidsvoorstellen.services import (
    memorandum_get_or_create,
    memorandum_update_introduction,
    proposal_adopt,
    proposal_update,
)
from apps.core.demo import register_demo
from apps.core.models import Legislature, SDGGoal
from apps.library.models import LibraryProposal, Reason

from . import services
from .models import Direction, Kind, Plan
from .services_memorandum import AS_ACTION, proposal_to_plan

LIBRARY_FILE = "fixtures/library.yaml"

# The memorandum: eight library proposals from the three action areas.
MEMORANDUM_KEYS = [
    "BK-S4",  # FairTradeGemeente worden
    "BK-G4",  # personeel en budget, groeipad naar 0,7 %
    "BK-G6",  # duurzaam aankopen
    "BU-G2",  # het mondiale middenveld ondersteunen
    "BU-G3",  # campagnes en themadagen
    "SW-G1",  # de subsidiereglementen herzien
    "SW-G2",  # internationale jeugdwerking en scholenbanden
    "SW-A3",  # een stedenband verkennen
]

# How the opsteller worked some adopted proposals out: ticked sub-options (by position),
# filled-in fields (by the position of their sub-option, 0 for the proposal itself, and
# label; numbers as stored, see apps.library.fillin), reasons (by key), a justification and a
# priority.
MEMORANDUM_CHOICES = {
    "BK-G4": {
        "ticked": [2, 3],
        "fields": {
            (2, "Huidige personeelsinzet"): "0.1",
            (2, "Gewenste personeelsinzet"): "0.3",
            (2, "Motivering"): (
                "De SDG-werkgroep, de FairTradeGemeente-werking en de herziening van de "
                "subsidiereglementen vragen meer tijd dan een tiende van een voltijdse betrekking."
            ),
            (3, "Huidig jaarbudget voor lokaal mondiaal beleid"): "18000",
            (3, "Beoogd jaarbudget in 2031"): "45000",
        },
        "reasons": ["sdg-engagement", "besparen-en-financiering"],
        "priority": "hoog",
        "justification": (
            "<p>Zonder bijkomende personeelsinzet kan de gemeente de andere voorstellen van dit "
            "memorandum niet uitvoeren.</p>"
        ),
    },
    "BK-G6": {"ticked": [1, 2], "reasons": ["sdg-engagement", "imago"]},
    "BU-G3": {"ticked": [1, 2], "reasons": ["wereldburgerschap", "middenveld"]},
    "SW-G1": {"ticked": [1, 3], "reasons": ["middenveld", "internationale-inspiratie"]},
}

EX, INV = Kind.EXPLOITATIE, Kind.INVESTERINGEN
OUT, IN = Direction.UITGAVEN, Direction.ONTVANGSTEN

# Each action: its title (or the key of the memorandum proposal it comes from), whether it is
# prioritair, and its exploitatie-uitgaven in 2026 and in 2031 (the years between grow evenly).
# The plan's actions add up to €54.500 in 2026 and €120.500 in 2031.
PLAN = [
    {
        "title": "Demodorp koopt eerlijk en duurzaam aan en geeft zelf het goede voorbeeld",
        "service": "Financiën en aankoop",
        "sdgs": [8, 12],
        "plans": [
            {
                "title": "Eerlijk en duurzaam aankopen",
                "priority": True,
                "actions": [
                    {"from": "BK-G6", "amounts": (2000, 4000)},
                    {"from": "BK-S4", "amounts": (2500, 4500)},
                    {
                        "title": "Een fairtradeontbijt tijdens de Week van de Fair Trade",
                        "amounts": (1500, 2500),
                    },
                ],
            },
            {
                "title": "Lokaal mondiaal beleid verankeren in de organisatie",
                "actions": [
                    {
                        "title": "Een halftijdse ambtenaar lokaal mondiaal beleid",
                        "amounts": (15000, 30000),
                    },
                    {
                        "title": "Een SDG-toets bij nieuwe beleidsbeslissingen",
                        "amounts": (1000, 2000),
                    },
                ],
            },
        ],
    },
    {
        "title": "De inwoners van Demodorp zijn betrokken wereldburgers",
        "service": "Cultuur en vrije tijd",
        "sdgs": [4, 17],
        "plans": [
            {
                "title": "Het mondiale middenveld versterken",
                "actions": [
                    {"from": "BU-G2", "amounts": (6000, 12000)},
                    {"from": "SW-G1", "amounts": (8000, 18000)},
                    {
                        "title": "Een Mondiaal Huis als ontmoetingsplek voor verenigingen",
                        "amounts": (1500, 3000),
                        "investments": {2027: 15000},
                    },
                ],
            },
            {
                "title": "Sensibiliseren en mondiaal burgerschap",
                "actions": [
                    {
                        "title": "Een SDG-campagne in de bibliotheek en de scholen",
                        "amounts": (2500, 5000),
                        "receipts": 2000,  # provinciale subsidie
                    },
                    {
                        "title": "Mondiale vorming voor jeugdbewegingen",
                        "amounts": (1500, 3500),
                    },
                ],
            },
        ],
    },
    {
        "title": "Demodorp werkt als partner mee aan internationale solidariteit",
        "service": "Lokaal mondiaal beleid",
        "sdgs": [6, 13, 17],
        "plans": [
            {
                "title": "Een stedenband uitbouwen",
                "actions": [
                    {"from": "SW-A3", "amounts": (4000, 10000), "receipts": 10000},
                    {
                        "title": "Samen met de partnergemeente werken aan drinkwater",
                        "priority": True,
                        "amounts": (3000, 9000),
                        "investments": {2028: 12000, 2029: 8000},
                    },
                    {
                        "title": "Uitwisselingen tussen scholen van beide gemeenten",
                        "amounts": (1000, 3000),
                    },
                ],
            },
            {
                "title": "Noodhulp en klimaatrechtvaardigheid",
                "actions": [
                    {"title": "Een noodhulpfonds bij rampen", "amounts": (3000, 6000)},
                    {
                        "title": "Een klimaatfonds voor projecten in het Zuiden",
                        "amounts": (2000, 8000),
                    },
                ],
            },
        ],
    },
]

# Milestones: (code path (goal, plan, action) counted from 1, indicator, target, year).
MILESTONES = {
    (1, 1, 1): [
        ("Aandeel duurzame aankopen (%)", "50", 2028),
        ("Aandeel duurzame aankopen (%)", "80", 2031),
    ],
    (1, 1, 2): [("Titel FairTradeGemeente behaald", "1", 2027)],
    (2, 1, 2): [
        ("Ondersteunde vierdepijlerorganisaties", "8", 2028),
        ("Ondersteunde vierdepijlerorganisaties", "12", 2031),
    ],
    (3, 1): [("Gezamenlijke projecten met de partnergemeente", "2", 2029)],
}

# The growth path the opsteller sets, in % of the municipal budget.
GROWTH_PATH = {2026: "0.10", 2027: "0.13", 2028: "0.15", 2029: "0.17", 2030: "0.19", 2031: "0.21"}

INTRODUCTION = (
    "<p>Dit is het deel lokaal mondiaal beleid van het meerjarenplan 2026-2031 van Demodorp. Het "
    "werkt de voorstellen uit het ambtelijk memorandum uit in drie beleidsdoelstellingen en "
    "groeit het budget stap voor stap naar 0,7 % van het gemeentebudget.</p>"
)


# The memorandum's introduction: what the administration proposes and why, in the formal
# language of a document for the college.
MEMORANDUM_INTRODUCTION = (
    "<p>Met dit ambtelijk memorandum legt de administratie van Demodorp het nieuwe bestuur "
    "haar voorstellen voor lokaal mondiaal beleid voor de legislatuur 2026-2031 voor. Ze "
    "bouwen voort op de omgevingsanalyse: de gemeente heeft een actieve mondiale adviesraad "
    "en een levendig middenveld, maar het budget voor lokaal mondiaal beleid ligt nog ver "
    "onder de 0,7 % van de totale uitgaven.</p>"
    "<p>De acht voorstellen zijn geordend volgens de drie actieterreinen: mondiale "
    "beleidskeuzes in de eigen werking, mondiaal burgerschap bij de inwoners en mondiale "
    "samenwerking met partners in het Zuiden. Bij elk voorstel staat het ambitieniveau, de "
    "prioriteit en de SDG's waaraan het bijdraagt. Het college kiest welke voorstellen het "
    "opneemt in het meerjarenplan.</p>"
)


def _library_loaded() -> None:
    """``make run`` loads the library after the demo: load it first when it is still empty."""
    if LibraryProposal.objects.exists():
        return
    from apps.library.services import library_load

    path = settings.BASE_DIR / LIBRARY_FILE
    library_load(content=path.read_bytes(), filename="library.yaml")


def _memorandum_proposals(municipality, legislature, opsteller) -> dict:
    memorandum = memorandum_get_or_create(
        municipality=municipality, legislature=legislature, by=opsteller
    )
    if not memorandum.introduction:
        memorandum = memorandum_update_introduction(
            memorandum=memorandum,
            introduction=MEMORANDUM_INTRODUCTION,
            expected_version=memorandum.version,
            by=opsteller,
        )
    adopted = {p.source.key: p for p in memorandum.proposals.select_related("source") if p.source}
    for key in MEMORANDUM_KEYS:
        if key in adopted:
            continue
        library_proposal = LibraryProposal.objects.active().filter(key=key).first()
        if library_proposal is not None:
            adopted[key] = proposal_adopt(
                memorandum=memorandum, library_proposal=library_proposal, by=opsteller
            )
            if key in MEMORANDUM_CHOICES:
                adopted[key] = _work_out(adopted[key], MEMORANDUM_CHOICES[key], opsteller)
    return adopted


def _work_out(proposal, choices: dict, opsteller):
    """Tick, fill in and argue a freshly adopted proposal as the opsteller would."""
    options = list(proposal.sub_options.order_by("order", "pk"))
    position = {option.pk: n for n, option in enumerate(options, start=1)}
    fields = {(position.get(f.sub_option_id, 0), f.label): f for f in proposal.fields.all()}
    wanted = choices.get("fields", {})
    return proposal_update(
        proposal=proposal,
        title=proposal.title,
        text=proposal.text,
        justification=choices.get("justification", ""),
        reasons=list(Reason.objects.filter(key__in=choices.get("reasons", []))),
        priority=choices.get("priority", proposal.priority),
        ticked_sub_option_ids=[
            options[n - 1].pk for n in choices.get("ticked", []) if n <= len(options)
        ],
        field_values={fields[name].pk: value for name, value in wanted.items() if name in fields},
        expected_version=proposal.version,
        by=opsteller,
    )


def _amounts(years: list[int], spec: dict) -> dict:
    start, end = spec["amounts"]
    last = len(years) - 1
    amounts = {}
    for i, year in enumerate(years):
        # Even growth, rounded to €100 (Decimal all the way: amounts are never floats).
        value = Decimal(start * (last - i) + end * i) / (last * 100)
        amounts[(year, EX, OUT)] = value.quantize(Decimal(1)) * 100
        if spec.get("receipts") and i > 0:
            amounts[(year, EX, IN)] = Decimal(spec["receipts"])
    for year, amount in spec.get("investments", {}).items():
        amounts[(year, INV, OUT)] = Decimal(amount)
    return amounts


def _milestones(item, key, opsteller):
    rows = MILESTONES.get(key)
    if not rows:
        return item
    return services.milestones_set(
        item=item,
        milestones=[(name, Decimal(value), year) for name, value, year in rows],
        expected_version=item.version,
        by=opsteller,
    )


def load_demo_plan(municipality, opsteller) -> None:
    legislature = Legislature.objects.current()
    if legislature is None:
        return
    if Plan.objects.filter(municipality=municipality, legislature=legislature).exists():
        return
    _library_loaded()
    proposals = _memorandum_proposals(municipality, legislature, opsteller)
    plan = services.plan_get_or_create(
        municipality=municipality, legislature=legislature, by=opsteller
    )
    plan = services.plan_update(
        plan=plan,
        title=plan.title,
        introduction=INTRODUCTION,
        expected_version=plan.version,
        by=opsteller,
    )
    sdgs = {goal.number: goal for goal in SDGGoal.objects.all()}
    years = legislature.years
    for g, goal_spec in enumerate(PLAN, start=1):
        goal = services.goal_create(
            plan=plan,
            title=goal_spec["title"],
            responsible_service=goal_spec["service"],
            sdg_goals=[sdgs[n] for n in goal_spec["sdgs"] if n in sdgs],
            by=opsteller,
        )
        _milestones(goal, (g,), opsteller)
        for p, plan_spec in enumerate(goal_spec["plans"], start=1):
            action_plan = services.action_plan_create(
                goal=goal,
                title=plan_spec["title"],
                responsible_service=goal_spec["service"],
                priority=plan_spec.get("priority", False),
                by=opsteller,
            )
            _milestones(action_plan, (g, p), opsteller)
            for a, spec in enumerate(plan_spec["actions"], start=1):
                proposal = proposals.get(spec.get("from"))
                if proposal is not None:
                    action = proposal_to_plan(
                        plan=plan,
                        proposal=proposal,
                        as_level=AS_ACTION,
                        parent=action_plan,
                        by=opsteller,
                    )
                else:
                    action = services.action_create(
                        action_plan=action_plan,
                        title=spec.get("title") or spec["from"],
                        responsible_service=goal_spec["service"],
                        priority=spec.get("priority", False),
                        sdg_goals=[sdgs[n] for n in goal_spec["sdgs"] if n in sdgs],
                        by=opsteller,
                    )
                action = _milestones(action, (g, p, a), opsteller)
                services.budget_set(
                    item=action,
                    amounts=_amounts(years, spec),
                    expected_version=action.version,
                    by=opsteller,
                )
    plan.refresh_from_db()
    services.growth_path_set(
        plan=plan,
        shares={year: Decimal(share) for year, share in GROWTH_PATH.items() if year in years},
        expected_version=plan.version,
        by=opsteller,
    )


def register() -> None:
    """Called from ``MeerjarenplanConfig.ready``: ``load_demo`` runs the loader."""
    register_demo(load_demo_plan)
