"""Demodorp's worksheets: a finished OECD-DAC self-evaluation of the previous policy by three
people (the opsteller, the schepen and the lezer, each answering alone, then merged), and a
theory of change whose two activities are two actions of the demo meerjarenplan. Loaded by
``load_demo`` after the plan's loader; a municipality that has worksheets is left alone."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from apps.core.models import DocumentKind, Legislature

from . import services
from .models import Method, Phase, Transfer, Worksheet
from .permissions import Participant

SCHEPEN = "schepen@demo.lmbplanner.be"
LEZER = "lezer@demo.lmbplanner.be"

# (criterion, question) → the answers of the opsteller, the schepen and the lezer.
ANSWERS = {
    ("relevantie", 0): (
        "Vooral SDG 12 en 17: eerlijke aankoop en de stedenband.",
        "We doen veel rond SDG 17, maar weinig rond klimaat (SDG 13).",
        "Voor mij als collega van de jeugddienst was de link met de SDG's niet zichtbaar.",
    ),
    ("coherentie", 0): (
        "De samenwerking met de vierdepijlers loopt goed, met scholen amper.",
        "De adviesraad is een sterke partner; bedrijven ontbreken.",
        "Twee diensten organiseerden los van elkaar een actie rond fair trade.",
    ),
    ("effectiviteit", 0): (
        "De FairTradeGemeente-titel is behaald; jongeren bereiken we te weinig.",
        "De doelen waren vaag geformuleerd, dus moeilijk te meten.",
        "De campagnes bereikten vooral mensen die al overtuigd waren.",
    ),
    ("efficientie", 0): (
        "Met een tiende voltijdse betrekking kwam veel werk op vrijwilligers terecht.",
        "Het budget werd volledig gebruikt, maar laat in het jaar.",
        "Subsidiedossiers vragen veel papierwerk voor kleine bedragen.",
    ),
    ("impact", 1): (
        "Het drinkwaterproject in de partnergemeente bereikt 2.000 mensen.",
        "Moeilijk te zeggen: we volgen de effecten niet op.",
        "Op school merken de leerlingen iets van de uitwisseling.",
    ),
    ("duurzaamheid", 0): (
        "Het draagvlak bij het bestuur groeide; bij de inwoners is het wisselend.",
        "Politiek is er steun, zolang het niet veel kost.",
        "Zonder de trekker in de dienst valt veel stil.",
    ),
}

EVALUATIONS = {
    "relevantie": (
        "Het beleid sluit aan bij SDG 12 en 17; klimaat en de band met het meerjarenplan moeten "
        "sterker en zichtbaarder voor de andere diensten."
    ),
    "coherentie": (
        "Sterke partners in het middenveld en de adviesraad; scholen en bedrijven ontbreken, en "
        "de diensten stemmen hun acties niet af."
    ),
    "effectiviteit": (
        "Eén duidelijk resultaat (FairTradeGemeente); de andere doelen waren te vaag om te meten "
        "en jongeren werden te weinig bereikt."
    ),
    "efficientie": (
        "Te weinig personeel voor het takenpakket; het budget komt laat en de subsidies vragen "
        "veel administratie."
    ),
    "impact": ("Het drinkwaterproject heeft zichtbare gevolgen; voor de rest ontbreekt opvolging."),
    "duurzaamheid": (
        "Het draagvlak hangt aan enkele personen; verankering in de organisatie en een vaste "
        "personeelsinzet zijn nodig."
    ),
}

ACTION_PLAN = "Het mondiale middenveld versterken"


def load_demo_worksheets(municipality, opsteller) -> None:
    legislature = Legislature.objects.current()
    if legislature is None or Worksheet.objects.filter(municipality=municipality).exists():
        return
    users = get_user_model().objects
    people = [opsteller, users.get(email=SCHEPEN), users.get(email=LEZER)]
    _self_evaluation(municipality, legislature, people)
    _theory_of_change(municipality, legislature, opsteller)


def _settings(worksheet, by, **changes):
    values = {
        "open_to_members": worksheet.open_to_members,
        "phase": worksheet.phase,
        "round": worksheet.round,
        **changes,
    }
    return services.worksheet_update_settings(
        worksheet=worksheet, expected_version=worksheet.version, by=by, **values
    )


def _self_evaluation(municipality, legislature, people) -> None:
    opsteller = people[0]
    sheet = services.worksheet_create(
        municipality=municipality,
        legislature=legislature,
        method=Method.objects.get(key="oeso-dac"),
        title="Zelfevaluatie van het beleid 2020-2025",
        question="Hoe goed deed ons lokaal mondiaal beleid het de voorbije legislatuur?",
        document_kind=DocumentKind.OMGEVINGSANALYSE,
        by=opsteller,
    )
    sheet = _settings(sheet, opsteller, open_to_members=True)
    for (criterion, question), answers in ANSWERS.items():
        for person, text in zip(people, answers, strict=True):
            services.contribution_add(
                worksheet=sheet,
                participant=Participant(user=person),
                section=criterion,
                question=question,
                text=text,
            )
    sheet = _settings(sheet, opsteller, phase=Phase.SIDE_BY_SIDE)
    for criterion, text in EVALUATIONS.items():
        services.evaluation_save(
            worksheet=sheet, criterion=criterion, text=text, expected_version=0, by=opsteller
        )
    _settings(sheet, opsteller, phase=Phase.CLOSED)


def _theory_of_change(municipality, legislature, opsteller) -> None:
    from apps.meerjarenplan.models import Action

    toc = services.worksheet_create(
        municipality=municipality,
        legislature=legislature,
        method=Method.objects.get(key="veranderingstheorie"),
        title="Veranderingstheorie: een sterk mondiaal middenveld",
        document_kind=DocumentKind.MEERJARENPLAN,
        by=opsteller,
    )
    me = Participant(user=opsteller)

    def step(section, text, parent=None, detail=""):
        return services.contribution_add(
            worksheet=toc,
            participant=me,
            section=section,
            text=text,
            parent=parent,
            detail=detail,
        )

    impact = step("impact", "Een samenleving die zich wereldwijd solidair en rechtvaardig opstelt")
    outcome = step(
        "outcome",
        "Vierdepijlers werken professioneel, met eigenaarschap bij hun partners in het Zuiden",
        impact,
        "Professionele, duurzame projecten dragen meer bij aan rechtvaardigheid dan losse hulp.",
    )
    output = step(
        "output",
        "Vierdepijlers kennen goede praktijk rond partnerschap en financiering",
        outcome,
        "Wie weet hoe het beter kan en gesteund wordt, past de eigen werking aan.",
    )
    activities = [
        step(
            "activiteit",
            "Een Mondiaal Huis als ontmoetingsplek voor verenigingen",
            output,
            "Verenigingen die elkaar geregeld treffen, leren van elkaars aanpak.",
        ),
        step(
            "activiteit",
            "De subsidiereglementen belonen partnerschap en eigenaarschap",
            output,
            "Wat de gemeente subsidieert, sturen de verenigingen bij.",
        ),
    ]
    # The plan's loader already made these two actions (the Mondiaal Huis, and the revised
    # subsidy rules from memorandum proposal SW-G1): the demo records that they came from this
    # worksheet, as contribution_to_action would have, without adding actions to the plan.
    actions = list(
        Action.objects.filter(
            action_plan__plan__municipality=municipality,
            action_plan__plan__legislature=legislature,
            action_plan__title=ACTION_PLAN,
        ).order_by("order")
    )
    wanted = [
        next((a for a in actions if a.title.startswith("Een Mondiaal Huis")), None),
        next((a for a in actions if "subsidie" in a.title.lower()), None),
    ]
    action_type = ContentType.objects.get_for_model(Action)
    for activity, action in zip(activities, wanted, strict=True):
        if action is not None:  # the demo without documents has no plan
            Transfer.objects.create(
                contribution=activity,
                content_type=action_type,
                object_id=action.pk,
                created_by=opsteller,
            )
