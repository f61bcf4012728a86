"""The history of every document text (django-simple-history on ``apps.core.editing.Edited``):
each save through an app's own service keeps a version by whom saved it, a version can be
brought back as a new one (never while the document is under review, never over a newer
save), the timeline merges edits, transitions and comments without a query per event, and the
historical tables exist on PostgreSQL and on the SQLite database of `make run`."""

import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.beleidsvoorstellen import services as memorandum_services
from apps.beleidsvoorstellen.models import MemorandumProposal
from apps.core.editing import Edited, StaleVersionError
from apps.core.figures import year_figures_save
from apps.core.models import DocumentKind, Legislature, Role, YearFigures
from apps.library.models import GuidingQuestion
from apps.meerjarenplan import services as plan_services
from apps.omgevingsanalyse import services as analysis_services
from apps.omgevingsanalyse.models import Quadrant, Structure
from apps.review import registry, selectors
from apps.review.services import ReviewError, thread_start, transition, version_restore
from tests.factories import MembershipFactory
from tests.meerjarenplan.conftest import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(municipality):
    """A second opsteller: a version's user is who saved it, not who created the row."""
    return MembershipFactory(municipality=municipality, role=Role.OPSTELLER).user


@pytest.fixture
def analysis(municipality, opsteller):
    return analysis_services.analysis_start(
        municipality=municipality,
        legislature=Legislature.objects.current(),
        structure=Structure.objects.get(key="vijf-p"),
        by=opsteller,
    )


@pytest.fixture
def plan(municipality, opsteller):
    return plan_services.plan_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )


def _part(document, key):
    reviewable = registry.for_document(document)
    part = selectors.find_part(reviewable, document, key)
    assert part is not None, key
    return part


def _reload(instance):
    return type(instance).objects.get(pk=instance.pk)


# --- a version per save ----------------------------------------------------------------------


def _memorandum(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    return memorandum_services.memorandum_update_introduction(
        memorandum=memorandum,
        introduction="<p>Nieuwe inleiding.</p>",
        expected_version=memorandum.version,
        by=by,
    )


def _proposal(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    return memorandum_services.proposal_update(
        proposal=adopted,
        title="Eerlijk aankopen",
        text="<p>Andere tekst.</p>",
        justification="<p>Omdat het kan.</p>",
        reasons=[],
        priority=adopted.priority,
        ticked_sub_option_ids=[],
        expected_version=adopted.version,
        by=by,
    )


def _vision(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    vision = analysis_services.vision_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )
    return analysis_services.vision_update(
        vision=vision,
        vision_text="<p>Een mondiale gemeente.</p>",
        mission_text="<p>Samen.</p>",
        expected_version=vision.version,
        by=by,
    )


def _analysis(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    return analysis_services.analysis_update_introduction(
        analysis=analysis,
        introduction="<p>Zo staat de gemeente ervoor.</p>",
        expected_version=analysis.version,
        by=by,
    )


def _section(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    section = analysis.sections.order_by("order").first()
    return analysis_services.section_update(
        section=section,
        title="Mensen",
        text="<p>Over de inwoners.</p>",
        sdg_goals=[],
        expected_version=section.version,
        by=by,
    )


def _question():
    return GuidingQuestion.objects.filter(document_kind=DocumentKind.OMGEVINGSANALYSE).first()


def _answer(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    answer = analysis_services.answer_save(
        analysis=analysis,
        question=_question(),
        answer="<p>Eerste antwoord.</p>",
        expected_version=0,
        by=opsteller,
    )
    return analysis_services.answer_save(
        analysis=analysis,
        question=_question(),
        answer="<p>Beter antwoord.</p>",
        expected_version=answer.version,
        by=by,
    )


def _indicator(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    indicator = analysis_services.indicator_create(
        analysis=analysis, name="Scholen met een schoolband", unit="aantal", by=opsteller
    )
    return analysis_services.indicator_update(
        indicator=indicator,
        name="Scholen met een schoolband",
        unit="aantal",
        source="Eigen telling",
        note="Geteld in september.",
        values={},
        expected_version=indicator.version,
        by=by,
    )


def _swot(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    item = analysis_services.swot_item_save(
        analysis=analysis,
        item=None,
        quadrant=Quadrant.STRENGTH,
        text="Een actieve adviesraad",
        sdg=None,
        action_area=None,
        by=opsteller,
    )
    return analysis_services.swot_item_save(
        analysis=analysis,
        item=item,
        quadrant=Quadrant.STRENGTH,
        text="Een zeer actieve adviesraad",
        sdg=None,
        action_area=None,
        expected_version=item.version,
        by=by,
    )


def _actor(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    fields = {"kind": "ngo", "sphere": "invloed", "state": "loopt", "action_areas": []}
    actor = analysis_services.actor_save(
        analysis=analysis, actor=None, name="Wereldwinkel", by=opsteller, **fields
    )
    return analysis_services.actor_save(
        analysis=analysis,
        actor=actor,
        name="Wereldwinkel Teststad",
        expected_version=actor.version,
        by=by,
        **fields,
    )


def _plan(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    return plan_services.plan_update(
        plan=plan,
        title="Meerjarenplan mondiaal",
        introduction="<p>Ons plan.</p>",
        expected_version=plan.version,
        by=by,
    )


def _item(index):
    def save(memorandum, adopted, analysis, plan, municipality, opsteller, by):
        goals, action_plans, actions = build(plan, opsteller, [[1]])
        item = (goals, action_plans, actions)[index][0]
        return plan_services.item_update(
            item=item,
            title=f"{item.title} herschreven",
            description="<p>Uitleg.</p>",
            responsible_service="Dienst internationale samenwerking",
            sdg_goals=[],
            sdg_targets=[],
            proposals=[],
            expected_version=item.version,
            by=by,
        )

    return save


def _year_figures(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    row = {"year": 2025, "total_budget": Decimal(1000), "lmb_budget": None, "inhabitants": 100}
    year_figures_save(municipality=municipality, rows=[{**row, "version": 0}], by=opsteller)
    year_figures_save(
        municipality=municipality, rows=[{**row, "inhabitants": 120, "version": 1}], by=by
    )
    return YearFigures.objects.get(municipality=municipality, year=2025)


def _worksheet(municipality, opsteller, key):
    from apps.methods import services as methods_services
    from apps.methods.models import Method

    return methods_services.worksheet_create(
        municipality=municipality,
        legislature=Legislature.objects.current(),
        method=Method.objects.get(key=key),
        title="Werkblad",
        by=opsteller,
    )


def _worksheet_settings(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    from apps.methods import services as methods_services

    worksheet = _worksheet(municipality, opsteller, "brainwriting")
    return methods_services.worksheet_update_settings(
        worksheet=worksheet,
        open_to_members=True,
        phase=worksheet.phase,
        round=2,
        expected_version=worksheet.version,
        by=by,
    )


def _evaluation(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    from apps.methods import services as methods_services

    worksheet = _worksheet(municipality, opsteller, "oeso-dac")
    first = methods_services.evaluation_save(
        worksheet=worksheet, criterion="relevantie", text="Eerst.", expected_version=0, by=opsteller
    )
    return methods_services.evaluation_save(
        worksheet=worksheet,
        criterion="relevantie",
        text="Samengevat.",
        expected_version=first.version,
        by=by,
    )


def _project_sheet(memorandum, adopted, analysis, plan, municipality, opsteller, by):
    from apps.methods import services as methods_services
    from apps.methods.permissions import Participant

    worksheet = _worksheet(municipality, opsteller, "gps")
    idea = methods_services.contribution_add(
        worksheet=worksheet,
        participant=Participant(user=opsteller),
        section="kort",
        text="Een repaircafé",
        group=worksheet.groups.first(),
    )
    sheet = methods_services.project_sheet_start(idea=idea, participant=Participant(user=opsteller))
    sheet = methods_services.project_sheet_save(
        sheet=sheet,
        participant=Participant(user=opsteller),
        expected_version=sheet.version,
        description="Eerst.",
    )
    return methods_services.project_sheet_save(
        sheet=sheet,
        participant=Participant(user=by),
        expected_version=sheet.version,
        description="Herstellen in plaats van weggooien.",
    )


SAVES = {
    "Memorandum": _memorandum,
    "MemorandumProposal": _proposal,
    "VisionMission": _vision,
    "Analysis": _analysis,
    "Section": _section,
    "GuidingAnswer": _answer,
    "Indicator": _indicator,
    "SwotItem": _swot,
    "Actor": _actor,
    "Plan": _plan,
    "Goal": _item(0),
    "ActionPlan": _item(1),
    "Action": _item(2),
    "YearFigures": _year_figures,
    "Worksheet": _worksheet_settings,
    "Evaluation": _evaluation,
    "ProjectSheet": _project_sheet,
}


def test_every_edited_model_is_covered_here():
    edited = {
        model.__name__
        for model in apps.get_models()
        if issubclass(model, Edited) and not model.__name__.startswith("Historical")
    }

    assert edited == set(SAVES)


@pytest.mark.parametrize("name", list(SAVES))
def test_each_save_through_the_apps_service_keeps_a_version_by_whom_saved_it(
    name, memorandum, adopted, analysis, plan, municipality, opsteller, colleague
):
    saved = SAVES[name](memorandum, adopted, analysis, plan, municipality, opsteller, colleague)

    records = list(saved.history.order_by("-history_date", "-history_id"))
    assert type(saved).__name__ == name
    assert len(records) >= 2
    assert records[0].history_type == "~"
    assert records[0].history_user == colleague
    assert records[0].version == saved.version
    assert records[1].history_user == opsteller
    assert records[1].version < saved.version


def test_a_deleted_part_keeps_its_versions(memorandum, adopted, opsteller):
    pk = adopted.pk
    memorandum_services.proposal_delete(proposal=adopted, by=opsteller)

    records = list(MemorandumProposal.history.filter(id=pk).order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "-"]
    assert records[-1].title == "Duurzame overheidsopdrachten"


def test_a_deletion_is_recorded_as_made_by_who_deleted(
    memorandum, adopted, analysis, plan, opsteller, colleague
):
    """The last editor (opsteller) is not who deleted (colleague): the "-" record names the
    colleague, for a proposal, a section (a queryset delete) and a plan item."""
    section = analysis.sections.order_by("order").first()
    goal = plan_services.goal_create(plan=plan, title="Weg ermee", by=opsteller)
    gone = [(type(row), row.pk) for row in (adopted, section, goal)]
    memorandum_services.proposal_delete(proposal=adopted, by=colleague)
    analysis_services.section_delete(section=section, by=colleague)
    plan_services.item_delete(item=goal, by=colleague)
    for model, pk in gone:
        last = model.history.filter(id=pk).order_by("-history_date").first()
        assert (last.history_type, last.history_user) == ("-", colleague), model


# --- restore ---------------------------------------------------------------------------------


@pytest.fixture
def rewritten(adopted, colleague):
    """The adopted proposal with every text rewritten (version 2)."""
    return memorandum_services.proposal_update(
        proposal=adopted,
        title="Eerlijke aankopen",
        text="<p>De gemeente koopt alleen nog eerlijke koffie.</p>",
        justification="<p>Dat vroeg de raad.</p>",
        reasons=[],
        priority=adopted.priority,
        ticked_sub_option_ids=[],
        expected_version=adopted.version,
        by=colleague,
    )


def test_restore_brings_back_every_text_of_the_part_as_a_new_version(
    memorandum, adopted, rewritten, opsteller
):
    part = _part(memorandum, f"proposal-{adopted.pk}")
    first = adopted.history.earliest("history_date")

    restored = version_restore(
        document=memorandum,
        part=part,
        history_id=first.history_id,
        expected_version=rewritten.version,
        by=opsteller,
    )

    current = _reload(adopted)
    assert (current.title, current.text, current.justification) == (
        "Duurzame overheidsopdrachten",
        "<p>De gemeente koopt duurzaam en eerlijk aan.</p>",
        "",
    )
    assert restored.version == current.version == rewritten.version + 1
    newest = current.history.latest("history_date")
    assert newest.history_user == opsteller
    assert newest.history_type == "~"
    # The text it replaced is still a version of its own.
    texts = set(current.history.values_list("text", flat=True))
    assert "<p>De gemeente koopt alleen nog eerlijke koffie.</p>" in texts
    assert current.history.count() == 3


def test_restore_works_for_a_plan_action_with_all_its_fields(plan, opsteller):
    _goals, _plans, (action,) = build(plan, opsteller, [[1]])
    changed = plan_services.item_update(
        item=action,
        title="Andere titel",
        description="<p>Andere uitleg.</p>",
        responsible_service="Andere dienst",
        sdg_goals=[],
        sdg_targets=[],
        proposals=[],
        expected_version=action.version,
        by=opsteller,
    )
    part = _part(plan, f"action-{action.pk}")

    version_restore(
        document=plan,
        part=part,
        history_id=action.history.earliest("history_date").history_id,
        expected_version=changed.version,
        by=opsteller,
    )

    current = _reload(action)
    assert (current.title, current.description, current.responsible_service) == (
        action.title,
        action.description,
        action.responsible_service,
    )


def test_restore_is_refused_while_the_document_is_under_review(
    memorandum, adopted, rewritten, opsteller
):
    transition(document=memorandum, action="submit", by=opsteller)
    part = _part(memorandum, f"proposal-{adopted.pk}")

    with pytest.raises(ReviewError, match="ter review"):
        version_restore(
            document=memorandum,
            part=part,
            history_id=adopted.history.earliest("history_date").history_id,
            expected_version=rewritten.version,
            by=opsteller,
        )

    assert _reload(adopted).title == "Eerlijke aankopen"


def test_restore_over_a_newer_save_is_refused(memorandum, adopted, rewritten, opsteller):
    part = _part(memorandum, f"proposal-{adopted.pk}")

    with pytest.raises(StaleVersionError):
        version_restore(
            document=memorandum,
            part=part,
            history_id=adopted.history.earliest("history_date").history_id,
            expected_version=adopted.version,  # the version before ``rewritten``
            by=opsteller,
        )

    assert _reload(adopted).version == rewritten.version


def test_restore_of_another_parts_version_is_refused(memorandum, adopted, rewritten, opsteller):
    part = _part(memorandum, f"proposal-{adopted.pk}")
    other = memorandum.history.earliest("history_date")

    with pytest.raises(ReviewError, match="bestaat niet"):
        version_restore(
            document=memorandum,
            part=part,
            history_id=other.history_id,
            expected_version=rewritten.version,
            by=opsteller,
        )


@pytest.mark.parametrize("role", ["lezer", "schepen"])
def test_only_the_opsteller_restores(request, role, memorandum, adopted, rewritten):
    part = _part(memorandum, f"proposal-{adopted.pk}")

    with pytest.raises(PermissionDenied):
        version_restore(
            document=memorandum,
            part=part,
            history_id=adopted.history.earliest("history_date").history_id,
            expected_version=rewritten.version,
            by=request.getfixturevalue(role),
        )

    assert _reload(adopted).title == "Eerlijke aankopen"


# --- the timeline ----------------------------------------------------------------------------


def test_timeline_merges_edits_transitions_and_comments_newest_first(
    memorandum, adopted, rewritten, opsteller, schepen
):
    reviewable = registry.get("memorandum")
    transition(document=memorandum, action="submit", by=opsteller)
    thread_start(document=memorandum, text="Graag een cijfer erbij.", by=schepen)

    events = selectors.timeline(reviewable, memorandum)

    assert [e["what"] for e in events[:3]] == ["comment", "transition", "edit"]
    edit = events[2]
    assert edit["who"] == rewritten.updated_by
    assert edit["part"].key == f"proposal-{adopted.pk}"
    assert edit["title"] == "Eerlijke aankopen"
    assert [e["at"] for e in events] == sorted((e["at"] for e in events), reverse=True)


def test_timeline_is_bounded(memorandum, opsteller):
    for n in range(5):
        memorandum = memorandum_services.memorandum_update_introduction(
            memorandum=memorandum,
            introduction=f"<p>Versie {n}</p>",
            expected_version=memorandum.version,
            by=opsteller,
        )

    assert len(selectors.timeline(registry.get("memorandum"), memorandum, limit=3)) == 3


def _edits(memorandum, proposal, by, count):
    for n in range(count):
        proposal = memorandum_services.proposal_update(
            proposal=proposal,
            title=f"Titel {n}",
            text=f"<p>Tekst {n}</p>",
            justification="",
            reasons=[],
            priority=proposal.priority,
            ticked_sub_option_ids=[],
            expected_version=proposal.version,
            by=by,
        )
    return proposal


def test_timeline_runs_the_same_queries_for_3_and_30_edits(memorandum, adopted, opsteller):
    reviewable = registry.get("memorandum")
    thread_start(document=memorandum, text="Eerste opmerking", by=opsteller)
    proposal = _edits(memorandum, adopted, opsteller, 3)
    selectors.forget(memorandum)
    with CaptureQueriesContext(connection) as few:
        assert len(selectors.timeline(reviewable, memorandum)) >= 4
    _edits(memorandum, proposal, opsteller, 27)
    thread_start(document=memorandum, text="Tweede opmerking", by=opsteller)
    selectors.forget(memorandum)
    with CaptureQueriesContext(connection) as many:
        assert len(selectors.timeline(reviewable, memorandum)) >= 31

    assert len(many) == len(few)


def test_versions_are_newest_first_with_their_user(memorandum, adopted, rewritten, colleague):
    records = selectors.versions(_part(memorandum, f"proposal-{adopted.pk}"))

    assert [r.version for r in records] == [2, 1]
    assert records[0].history_user == colleague


# --- the tables ------------------------------------------------------------------------------


def test_the_migrations_create_a_history_table_for_every_edited_model():
    tables = set(connection.introspection.table_names())
    edited = [
        model
        for model in apps.get_models()
        if issubclass(model, Edited) and not model.__name__.startswith("Historical")
    ]

    missing = [
        model.__name__ for model in edited if model.history.model._meta.db_table not in tables
    ]
    assert edited
    assert missing == []


SQLITE_SCRIPT = """
import json
from apps.accounts.models import User
from apps.beleidsvoorstellen import services
from apps.core.models import Legislature, Membership, Municipality, Role
from apps.review import registry, selectors
from apps.review.services import version_restore

town = Municipality.objects.create(name="Sqlitestad", nis_code="99001", province="antwerpen")
user = User.objects.create_user("opsteller@example.be", "een-sterk-wachtwoord")
Membership.objects.create(user=user, municipality=town, role=Role.OPSTELLER)
memo = services.memorandum_get_or_create(
    municipality=town, legislature=Legislature.objects.current(), by=user
)
for text in ("<p>Eerste</p>", "<p>Tweede</p>"):
    memo = services.memorandum_update_introduction(
        memorandum=memo, introduction=text, expected_version=memo.version, by=user
    )
part = selectors.find_part(registry.get("memorandum"), memo, "document")
first = memo.history.filter(introduction="<p>Eerste</p>").get()
version_restore(
    document=memo, part=part, history_id=first.history_id, expected_version=memo.version, by=user
)
memo.refresh_from_db()
print(json.dumps({
    "introduction": memo.introduction,
    "versions": [r.version for r in selectors.versions(part)],
    "users": sorted({r.history_user.email for r in memo.history.all()}),
}))
"""


@pytest.mark.sqlite
def test_history_and_restore_work_on_the_sqlite_database_of_make_run(tmp_path):
    from tests.sqlite.client import SqliteServer

    server = SqliteServer(tmp_path)
    server.manage("migrate", "--noinput", "-v", "0")

    result = json.loads(server.manage("shell", "-c", SQLITE_SCRIPT).strip().splitlines()[-1])

    assert result == {
        "introduction": "<p>Eerste</p>",
        "versions": [4, 3, 2, 1],
        "users": ["opsteller@example.be"],
    }
