"""The data every fuzzed URL works on: one municipality with its three roles, a memorandum with
an adopted library proposal (with sub-options, and a library text that changed since), a second
adopted proposal, an own proposal, a finished render job, and a beheerder for the admin.

It is built once for the module, in a transaction rolled back at the end: each test runs in a
savepoint inside it (pytest-django), each request in a savepoint inside that (test_fuzz.py).
"""

import logging
from dataclasses import dataclass, field

import pytest
from django.apps import apps as django_apps
from django.db import transaction
from django.db.models import F

from apps.beleidsvoorstellen import services
from apps.beleidsvoorstellen.models import Memorandum, MemorandumProposal
from apps.core.models import DocumentKind, Municipality, Role
from apps.documents.models import JobStatus, RenderJob
from apps.library.models import LibraryProposal, PracticeExample
from tests.beleidsvoorstellen.factories import (
    LibraryProposalFactory,
    ReasonFactory,
    area,
    current_legislature,
    level,
    sdg,
)
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory

IMMEDIATE = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}


@pytest.fixture(autouse=True)
def render_jobs_run_immediately(settings):
    """A PDF job runs synchronously, in the request's on_commit (as in tests/documents)."""
    settings.TASKS = {"default": IMMEDIATE, "documents": IMMEDIATE}


@pytest.fixture(autouse=True)
def quiet_request_logs():
    """Thousands of 400s and 404s: the test reports what matters (the 500s) itself."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security", "axes")]
    saved = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    yield
    for logger, old in zip(loggers, saved, strict=True):
        logger.setLevel(old)


@dataclass
class World:
    municipality: Municipality
    users: dict  # role name -> user (None for anonymous)
    memorandum: Memorandum
    adopted: MemorandumProposal  # from the library, with sub-options; library text changed
    adopted_plain: MemorandumProposal  # from the library, no sub-options
    own: MemorandumProposal
    library_adopted: LibraryProposal
    library_fresh: LibraryProposal  # not in the memorandum yet
    job: RenderJob
    practice_example: PracticeExample
    analysis: object = None  # the omgevingsanalyse, with one of every part
    # Worksheets by method key, a note on each ("notes"), a GPS project sheet and a guest key.
    methods: dict = field(default_factory=dict)
    # What the tests may share, as the data is the same for all: the forms of every page.
    cache: dict = field(default_factory=dict)


def build_world() -> World:
    municipality = MunicipalityFactory(name="Teststad")
    users = {
        role.value: MembershipFactory(municipality=municipality, role=role).user
        for role in (Role.OPSTELLER, Role.SCHEPEN, Role.LEZER)
    }
    opsteller = users["opsteller"]
    beheerder = UserFactory(is_staff=True, is_superuser=True, email="beheerder@example.be")
    MembershipFactory(user=beheerder, municipality=municipality, role=Role.LEZER)
    # Someone of another municipality, so scoping has something to hide.
    MembershipFactory(municipality=MunicipalityFactory(name="Anderdorp"), role=Role.OPSTELLER)

    reason = ReasonFactory(name_nl="Concreet engagement voor de SDG's")
    memorandum = services.memorandum_get_or_create(
        municipality=municipality, legislature=current_legislature(), by=opsteller
    )
    services.memorandum_update_introduction(
        memorandum=memorandum,
        introduction="<p>Waarom dit memorandum er is.</p>",
        expected_version=memorandum.version,
        by=opsteller,
    )
    memorandum.refresh_from_db()
    library_adopted = LibraryProposalFactory(
        title="Duurzame overheidsopdrachten",
        text="<p>De gemeente koopt duurzaam en eerlijk aan.</p>",
        sdgs=[12, 8],
        options=["FairTradeGemeente worden", "Criteria per productgroep"],
    )
    library_plain = LibraryProposalFactory(title="SDG-engagementsverklaring", sdgs=[17])
    library_fresh = LibraryProposalFactory(
        title="Nog niet opgenomen", sdgs=[4], options=["Een optie"]
    )
    _fill_in_fields(library_adopted)
    adopted = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_adopted, by=opsteller
    )
    adopted_plain = services.proposal_adopt(
        memorandum=memorandum, library_proposal=library_plain, by=opsteller
    )
    adopted.reasons.set([reason])
    # The library moved on since the adoption: the memorandum offers the change.
    LibraryProposal.objects.filter(pk=library_adopted.pk).update(
        text="<p>De gemeente koopt duurzaam, eerlijk en circulair aan.</p>",
        version=F("version") + 1,
    )
    own = services.proposal_create_own(
        memorandum=memorandum,
        action_area=area("SW"),
        level=level("A"),
        title="Eigen voorstel",
        text="Een eigen tekst.\n\nMet twee alinea's.",
        justification="Omdat het kan.",
        reasons=[reason],
        sdg_goals=[sdg(5)],
        by=opsteller,
    )
    job = RenderJob.objects.create(
        municipality=municipality,
        kind=DocumentKind.MEMORANDUM,
        object_id=memorandum.pk,
        requested_by=opsteller,
        status=JobStatus.DONE,
        pdf=b"%PDF-1.4\n% fuzz\n%%EOF\n",
        size=22,
        filename="memorandum-fuzz.pdf",
    )
    practice_example = PracticeExample.objects.create(
        key="fuzz-voorbeeld",
        municipality_name="Voorbeeldstad",
        year=2020,
        document_kind=DocumentKind.MEMORANDUM,
        title="Een voorbeeld",
        summary="Samenvatting.",
    )
    try:  # the key figures per year, where the app has them
        year_figures = django_apps.get_model("core", "YearFigures")
    except LookupError:
        pass
    else:
        year_figures.objects.create(
            municipality=municipality, year=2024, inhabitants=25000, updated_by=opsteller
        )
    analysis = _analysis(municipality, opsteller)
    _plan(municipality, opsteller, own)
    methods = _methods(municipality, users)
    _review(municipality, users, memorandum, adopted)
    for proposal in (adopted, adopted_plain, own):
        proposal.refresh_from_db()
    return World(
        municipality=municipality,
        users={**users, "anonymous": None, "beheerder": beheerder},
        memorandum=memorandum,
        adopted=adopted,
        adopted_plain=adopted_plain,
        own=own,
        library_adopted=library_adopted,
        library_fresh=library_fresh,
        job=job,
        practice_example=practice_example,
        analysis=analysis,
        methods=methods,
    )


def _fill_in_fields(library_proposal):
    """A fill-in field of every kind, on the proposal and on a sub-option, so the adopted
    proposal's edit page has every kind of input for the fuzzer (NUL, huge numbers, ...)."""
    from apps.library.models import FieldKind, LibraryField

    option = library_proposal.sub_options.order_by("order").first()
    for order, kind in enumerate(FieldKind.values, start=1):
        LibraryField.objects.create(
            proposal=library_proposal,
            sub_option=option if order % 2 else None,
            kind=kind,
            label=f"Veld {kind}",
            order=order,
        )


def _review(municipality, users, memorandum, adopted):
    """Review data every review page links: comment threads on the memorandum (one on a
    proposal, with a reply and a mention) and an approved visie & missie with its frozen
    version, so the review, comments, history and approved-PDF pages have real ids. The
    memorandum stays a concept, so its edit pages stay open to the fuzzer."""
    from apps.omgevingsanalyse import services as oa
    from apps.review import services as review

    opsteller, schepen = users["opsteller"], users["schepen"]
    thread = review.thread_start(
        document=memorandum,
        part_key=f"proposal-{adopted.pk}",
        quote="een passage",
        text="Kan dit concreter?",
        by=schepen,
    )
    review.comment_reply(thread=thread, text="Ja, ik pas het aan.", by=opsteller)
    review.thread_start(document=memorandum, text="Een opmerking bij het geheel.", by=schepen)
    vision = oa.vision_get_or_create(
        municipality=municipality, legislature=current_legislature(), by=opsteller
    )
    oa.vision_update(
        vision=vision,
        vision_text="<p>Een visie.</p>",
        mission_text="<p>Een missie.</p>",
        expected_version=vision.version,
        by=opsteller,
    )
    review.transition(document=vision, action="submit", by=opsteller)
    review.transition(document=vision, action="approve", by=schepen)


def _methods(municipality, users):
    """A worksheet of every kind but the SWOT with a note on it (a brainwriting one with a
    group, a criterion and a guest's invitation), so the methods pages link real ids."""
    from apps.core.models import Legislature, SDGGoal
    from apps.methods import services as methods
    from apps.methods.kinds import KINDS, OM_MARKERS
    from apps.methods.models import Method
    from apps.methods.permissions import Participant

    opsteller = users["opsteller"]
    me = Participant(user=opsteller)
    sheets = {
        key: methods.worksheet_create(
            municipality=municipality,
            legislature=Legislature.objects.current(),
            method=Method.objects.get(key=key),
            title=f"Werkblad {key}",
            by=opsteller,
        )
        # The crawl follows the first worksheet link of the overview: brainwriting's, the page
        # with the most forms (votes, groups, grid, invitations, hand-over), comes first
        # without a SWOT worksheet (tests/methods covers the SWOT's pages).
        for key in KINDS
        if key != "swot"
    }
    group = methods.group_add(
        worksheet=sheets["brainwriting"], name="Groep A", question="Een vraag", by=opsteller
    )
    methods.criterion_add(
        worksheet=sheets["brainwriting"], kind="wens", text="Bereik", weight=2, by=opsteller
    )
    _invitation, guest_key = methods.invitation_create(
        worksheet=sheets["brainwriting"], guest_name="Gast", days=7, by=opsteller
    )
    notes = {}
    notes["brainwriting"] = methods.contribution_add(
        worksheet=sheets["brainwriting"], participant=me, section="idee", group=group, text="Idee"
    )
    notes["gps"] = methods.contribution_add(
        worksheet=sheets["gps"],
        participant=me,
        section="kort",
        group=sheets["gps"].groups.first(),
        text="Een repaircafé",
    )
    project_sheet = methods.project_sheet_start(idea=notes["gps"], participant=me)
    notes["outcome-mapping"] = methods.contribution_add(
        worksheet=sheets["outcome-mapping"], participant=me, section="invloed", text="De school"
    )
    notes["outcome-marker"] = methods.contribution_add(
        worksheet=sheets["outcome-mapping"],
        participant=me,
        section=OM_MARKERS[0][0],
        parent=notes["outcome-mapping"],
        text="Een schoolband",
    )
    methods.contribution_add(
        worksheet=sheets["sdg-cirkel"],
        participant=me,
        section="al",
        sdg=SDGGoal.objects.get(number=1),
        text="Al bezig",
    )
    methods.contribution_add(
        worksheet=sheets["start-stop-verder"], participant=me, section="stop", text="Folder"
    )
    impact = methods.contribution_add(
        worksheet=sheets["veranderingstheorie"], participant=me, section="impact", text="Impact"
    )
    methods.contribution_add(
        worksheet=sheets["veranderingstheorie"],
        participant=me,
        section="outcome",
        parent=impact,
        text="Outcome",
    )
    methods.contribution_add(
        worksheet=sheets["oeso-dac"], participant=me, section="impact", question=0, text="Antwoord"
    )
    return {"sheets": sheets, "notes": notes, "project_sheet": project_sheet, "key": guest_key}


def _plan(municipality, opsteller, proposal):
    """A meerjarenplan with a goal, an action plan, an action with amounts and a milestone."""
    from decimal import Decimal

    from apps.core.models import Legislature
    from apps.meerjarenplan import services as mjp

    plan = mjp.plan_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )
    goal = mjp.goal_create(plan=plan, title="Een doelstelling", by=opsteller)
    action_plan = mjp.action_plan_create(goal=goal, title="Een actieplan", by=opsteller)
    mjp.action_plan_create(goal=goal, title="Een tweede actieplan", by=opsteller)
    action = mjp.action_create(action_plan=action_plan, title="Een actie", by=opsteller)
    mjp.budget_set(
        item=action,
        amounts={(2026, "exploitatie", "uitgaven"): Decimal("1000")},
        expected_version=action.version,
        by=opsteller,
    )
    return plan


def _analysis(municipality, opsteller):
    """A started omgevingsanalyse with one of every part, so its pages link real ids."""
    from apps.core.models import ActionArea, Legislature
    from apps.library.models import GlobalFigure, GuidingQuestion
    from apps.omgevingsanalyse import services as oa
    from apps.omgevingsanalyse.models import Structure

    analysis = oa.analysis_start(
        municipality=municipality,
        legislature=Legislature.objects.current(),
        structure=Structure.objects.get(key="vijf-p"),
        by=opsteller,
    )
    section = analysis.sections.order_by("order").first()
    oa.figure_cite(section=section, figure=GlobalFigure.objects.first(), by=opsteller)
    oa.answer_save(
        analysis=analysis,
        question=GuidingQuestion.objects.filter(document_kind="omgevingsanalyse").first(),
        answer="Een antwoord.",
        expected_version=0,
        by=opsteller,
    )
    oa.indicator_create(analysis=analysis, name="Eigen indicator", unit="aantal", by=opsteller)
    area = ActionArea.objects.first()
    oa.swot_item_save(
        analysis=analysis,
        item=None,
        quadrant="S",
        text="Sterk",
        sdg=None,
        action_area=area,
        by=opsteller,
    )
    oa.actor_save(
        analysis=analysis,
        actor=None,
        name="Een ngo",
        kind="ngo",
        sphere="invloed",
        state="loopt",
        action_areas=[area],
        by=opsteller,
    )
    oa.vision_get_or_create(
        municipality=municipality, legislature=analysis.legislature, by=opsteller
    )
    return analysis


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once: about a hundred tests use it, each inside its own rolled-back savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
