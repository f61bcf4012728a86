"""No lost update anywhere (issue 9, point 7): every page that saves a document's text goes
through the one optimistic lock of apps.core.editing. Per edit page, ten users on PostgreSQL
post their own text at the same moment, each from the version they all loaded: exactly one is
saved (a redirect), the nine others get the conflict page (409) with their own text still in
the form, and the row moved on by exactly one version, holding the winner's text."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from apps.beleidsvoorstellen import services as memorandum_services
from apps.beleidsvoorstellen.models import Memorandum, MemorandumProposal
from apps.core.editing import Edited
from apps.core.figures import figure_years, year_figures_save
from apps.core.models import DocumentKind, Legislature, YearFigures
from apps.library.models import GuidingQuestion
from apps.meerjarenplan import services as plan_services
from apps.meerjarenplan.models import Action, ActionPlan, Goal, GrowthTarget, Plan
from apps.omgevingsanalyse import services as analysis_services
from apps.omgevingsanalyse.models import (
    Actor,
    ActorKind,
    ActorState,
    Analysis,
    GuidingAnswer,
    Indicator,
    Quadrant,
    Section,
    Sphere,
    Structure,
    SwotItem,
    VisionMission,
)
from tests.beleidsvoorstellen.factories import LibraryProposalFactory
from tests.concurrency import THREADS, run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

# The first words of StaleVersionError's message, on every conflict page.
STALE = "Iemand anders heeft dit intussen gewijzigd"


def typed(n: int) -> str:
    """What user ``n`` types; two digits, so no thread's text is part of another's."""
    return f"Tekst van draad {n:02d}"


@dataclass
class Edit:
    """One edit page under test: the form all ten loaded, and how to read the row back."""

    url: str
    version: int  # the version all ten threads loaded
    data: Callable[[int], dict]  # the POST of thread n
    saved: Callable[[], tuple[int, str]]  # (version, stored text) of the row now
    shown: Callable[[int], str | None] = typed  # what thread n's 409 page must still show
    stored: Callable[[int], str] = typed  # what the row holds when thread n won


def legislature():
    return Legislature.objects.current()


def _url(name: str, municipality, *args) -> str:
    return reverse(name, args=[municipality.nis_code, *args])


def _value(text: str) -> str:
    """A number typed in an input: the page shows it back as the input's value."""
    return f'value="{text}"'


# --- the memorandum ------------------------------------------------------------------------


def _memorandum(municipality, user) -> Memorandum:
    return memorandum_services.memorandum_get_or_create(
        municipality=municipality, legislature=legislature(), by=user
    )


def memorandum_introduction(municipality, user) -> Edit:
    memorandum = _memorandum(municipality, user)
    return Edit(
        url=_url("beleidsvoorstellen:introduction", municipality),
        version=memorandum.version,
        data=lambda n: {"introduction": typed(n), "version": memorandum.version},
        saved=lambda: _row(Memorandum, memorandum.pk, "introduction"),
    )


def _adopted(municipality, user) -> MemorandumProposal:
    return memorandum_services.proposal_adopt(
        memorandum=_memorandum(municipality, user),
        library_proposal=LibraryProposalFactory(options=["Een eerste suboptie"]),
        by=user,
    )


def memorandum_proposal(municipality, user) -> Edit:
    proposal = _adopted(municipality, user)
    return Edit(
        url=_url("beleidsvoorstellen:proposal_edit", municipality, proposal.pk),
        version=proposal.version,
        data=lambda n: {
            "title": f"Titel van draad {n:02d}",
            "text": typed(n),
            "justification": f"Motivering van draad {n:02d}",
            "priority": "normaal",
            "version": proposal.version,
        },
        saved=lambda: _row(MemorandumProposal, proposal.pk, "text"),
    )


def memorandum_proposal_library_change(municipality, user) -> Edit:
    """Taking over (or not) a changed library text types nothing: the conflict page is enough."""
    proposal = _adopted(municipality, user)
    return Edit(
        url=_url("beleidsvoorstellen:library_change", municipality, proposal.pk),
        version=proposal.version,
        data=lambda n: {
            "action": "overnemen" if n % 2 else "behouden",
            "version": proposal.version,
        },
        saved=lambda: _row(MemorandumProposal, proposal.pk, "title"),
        shown=lambda n: None,
        stored=lambda n: proposal.title,
    )


# --- visie & missie and the omgevingsanalyse -----------------------------------------------


def _vision_edit(municipality, vision: VisionMission | None) -> Edit:
    def saved():
        row = VisionMission.objects.get(municipality=municipality)
        return row.version, row.vision + row.mission

    version = vision.version if vision else 1
    return Edit(
        url=_url("omgevingsanalyse:vision_edit", municipality),
        version=version,
        data=lambda n: {
            "vision": typed(n),
            "mission": f"Missie van draad {n:02d}",
            "version": version,
        },
        saved=saved,
    )


def vision_mission(municipality, user) -> Edit:
    vision = analysis_services.vision_get_or_create(
        municipality=municipality, legislature=legislature(), by=user
    )
    return _vision_edit(municipality, vision)


def vision_mission_first_save(municipality, user) -> Edit:
    """Nobody saved visie & missie yet: the first save creates the row, at version 1."""
    return _vision_edit(municipality, None)


def _analysis(municipality, user) -> Analysis:
    return analysis_services.analysis_start(
        municipality=municipality,
        legislature=legislature(),
        structure=Structure.objects.get(key="vijf-p"),
        by=user,
    )


def analysis_introduction(municipality, user) -> Edit:
    analysis = _analysis(municipality, user)
    return Edit(
        url=_url("omgevingsanalyse:introduction", municipality),
        version=analysis.version,
        data=lambda n: {"introduction": typed(n), "version": analysis.version},
        saved=lambda: _row(Analysis, analysis.pk, "introduction"),
    )


def analysis_section(municipality, user) -> Edit:
    section = _analysis(municipality, user).sections.order_by("order").first()
    return Edit(
        url=_url("omgevingsanalyse:section_edit", municipality, section.pk),
        version=section.version,
        data=lambda n: {
            "title": f"Sectie van draad {n:02d}",
            "text": typed(n),
            "version": section.version,
        },
        saved=lambda: _row(Section, section.pk, "text"),
    )


def _question() -> GuidingQuestion:
    return GuidingQuestion.objects.filter(document_kind=DocumentKind.OMGEVINGSANALYSE).order_by(
        "order", "key"
    )[0]


def _answer_edit(municipality, analysis, question, version: int) -> Edit:
    def saved():
        row = GuidingAnswer.objects.get(analysis=analysis, question=question)
        return row.version, row.answer

    return Edit(
        url=_url("omgevingsanalyse:answer_save", municipality, question.pk),
        version=version,
        data=lambda n: {"answer": typed(n), "version": version},
        saved=saved,
    )


def guiding_answer(municipality, user) -> Edit:
    analysis = _analysis(municipality, user)
    answer = analysis_services.answer_save(
        analysis=analysis,
        question=_question(),
        answer="Een eerste antwoord.",
        expected_version=0,
        by=user,
    )
    return _answer_edit(municipality, analysis, answer.question, answer.version)


def guiding_answer_first_save(municipality, user) -> Edit:
    """A question without an answer yet: every form carries version 0."""
    return _answer_edit(municipality, _analysis(municipality, user), _question(), 0)


def indicator(municipality, user) -> Edit:
    analysis = _analysis(municipality, user)
    own = analysis_services.indicator_create(
        analysis=analysis, name="Scholen met een schoolband", unit="aantal", by=user
    )

    def data(n):
        fields = {
            "name": f"Indicator van draad {n:02d}",
            "unit": "aantal",
            "source": "",
            "note": typed(n),
            "version": own.version,
        }
        for year in figure_years(analysis.legislature):
            fields[f"value_{year}"] = ""
        return fields

    return Edit(
        url=_url("omgevingsanalyse:indicator_edit", municipality, own.pk),
        version=own.version,
        data=data,
        saved=lambda: _row(Indicator, own.pk, "note"),
    )


def swot_item(municipality, user) -> Edit:
    analysis = _analysis(municipality, user)
    item = analysis_services.swot_item_save(
        analysis=analysis,
        item=None,
        quadrant=Quadrant.STRENGTH,
        text="Een actieve Noord-Zuidraad.",
        sdg=None,
        action_area=None,
        by=user,
    )
    return Edit(
        url=_url("omgevingsanalyse:swot_edit", municipality, item.pk),
        version=item.version,
        data=lambda n: {
            "quadrant": Quadrant.STRENGTH,
            "text": typed(n),
            "sdg": "",
            "action_area": "",
            "version": item.version,
        },
        saved=lambda: _row(SwotItem, item.pk, "text"),
    )


def actor(municipality, user) -> Edit:
    analysis = _analysis(municipality, user)
    row = analysis_services.actor_save(
        analysis=analysis,
        actor=None,
        name="Wereldwinkel",
        kind=ActorKind.NGO,
        sphere=Sphere.INFLUENCE,
        state=ActorState.RUNNING,
        action_areas=[],
        by=user,
    )
    return Edit(
        url=_url("omgevingsanalyse:actor_edit", municipality, row.pk),
        version=row.version,
        data=lambda n: {
            "name": f"Actor van draad {n:02d}",
            "kind": ActorKind.NGO,
            "sphere": Sphere.INFLUENCE,
            "state": ActorState.RUNNING,
            "notes": typed(n),
            "version": row.version,
        },
        saved=lambda: _row(Actor, row.pk, "notes"),
    )


# --- the meerjarenplan ---------------------------------------------------------------------


def _plan(municipality, user) -> Plan:
    return plan_services.plan_get_or_create(
        municipality=municipality, legislature=legislature(), by=user
    )


def plan_settings(municipality, user) -> Edit:
    plan = _plan(municipality, user)
    return Edit(
        url=_url("meerjarenplan:settings", municipality),
        version=plan.version,
        data=lambda n: {
            "title": f"Meerjarenplan van draad {n:02d}",
            "introduction": typed(n),
            "numbering": "prefix",
            "goal_prefix": "BD",
            "plan_prefix": "AP",
            "action_prefix": "AC",
            "version": plan.version,
        },
        saved=lambda: _row(Plan, plan.pk, "introduction"),
    )


def plan_growth_path(municipality, user) -> Edit:
    plan = _plan(municipality, user)
    year = plan.legislature.years[0]

    def saved():
        share = GrowthTarget.objects.get(plan=plan, year=year).share
        return Plan.objects.get(pk=plan.pk).version, f"{share.normalize():f}"

    return Edit(
        url=_url("meerjarenplan:growth_edit", municipality),
        version=plan.version,
        data=lambda n: {f"share_{year}": f"{n + 1},37", "version": plan.version},
        saved=saved,
        shown=lambda n: _value(f"{n + 1},37"),
        stored=lambda n: f"{n + 1}.37",
    )


def _items(municipality, user) -> tuple[Goal, ActionPlan, Action]:
    plan = _plan(municipality, user)
    goal = plan_services.goal_create(plan=plan, title="Doel", by=user)
    action_plan = plan_services.action_plan_create(goal=goal, title="Actieplan", by=user)
    action = plan_services.action_create(action_plan=action_plan, title="Actie", by=user)
    return goal, action_plan, action


def _item_edit(municipality, level: str, item) -> Edit:
    model = type(item)
    return Edit(
        url=_url("meerjarenplan:item_edit", municipality, level, item.pk),
        version=item.version,
        data=lambda n: {
            "title": f"Titel van draad {n:02d}",
            "description": typed(n),
            "responsible_service": "",
            "version": item.version,
        },
        saved=lambda: _row(model, item.pk, "description"),
    )


def goal(municipality, user) -> Edit:
    return _item_edit(municipality, "doelstelling", _items(municipality, user)[0])


def action_plan(municipality, user) -> Edit:
    return _item_edit(municipality, "actieplan", _items(municipality, user)[1])


def action(municipality, user) -> Edit:
    return _item_edit(municipality, "actie", _items(municipality, user)[2])


def action_budget(municipality, user) -> Edit:
    item = _items(municipality, user)[2]
    year = item.plan.legislature.years[0]

    def saved():
        row = Action.objects.get(pk=item.pk)
        return row.version, f"{row.budget_lines.get().amount.normalize():f}"

    return Edit(
        url=_url("meerjarenplan:budget_edit", municipality, "actie", item.pk),
        version=item.version,
        data=lambda n: {f"b_{year}_exploitatie_uitgaven": f"{n + 1}2345", "version": item.version},
        saved=saved,
        shown=lambda n: _value(f"{n + 1}2345"),
        stored=lambda n: f"{n + 1}2345",
    )


def goal_milestones(municipality, user) -> Edit:
    item = _items(municipality, user)[0]
    year = item.plan.legislature.years[0]

    def saved():
        row = Goal.objects.get(pk=item.pk)
        return row.version, row.milestones.get().name

    return Edit(
        url=_url("meerjarenplan:milestones_edit", municipality, "doelstelling", item.pk),
        version=item.version,
        data=lambda n: {
            "mijlpaal-TOTAL_FORMS": "1",
            "mijlpaal-INITIAL_FORMS": "0",
            "mijlpaal-MIN_NUM_FORMS": "0",
            "mijlpaal-MAX_NUM_FORMS": "1000",
            "mijlpaal-0-name": typed(n),
            "mijlpaal-0-target_value": "10",
            "mijlpaal-0-year": str(year),
            "version": item.version,
        },
        saved=saved,
    )


# --- the key figures -----------------------------------------------------------------------


def _figures_edit(municipality, versions: dict[int, int]) -> Edit:
    """The key figures' page posts every year at once; each year its own loaded version (0 for
    a year without figures). Thread n types its own total for the first year."""
    years = figure_years(legislature())
    first = years[0]

    def data(n):
        fields = {
            "jaar-TOTAL_FORMS": str(len(years)),
            "jaar-INITIAL_FORMS": str(len(years)),
            "jaar-MIN_NUM_FORMS": "0",
            "jaar-MAX_NUM_FORMS": "1000",
        }
        for index, year in enumerate(years):
            fields[f"jaar-{index}-year"] = str(year)
            fields[f"jaar-{index}-version"] = str(versions.get(year, 0))
            fields[f"jaar-{index}-total_budget"] = f"{n + 1}2345678" if year == first else ""
            fields[f"jaar-{index}-lmb_budget"] = ""
            fields[f"jaar-{index}-inhabitants"] = ""
        return fields

    def saved():
        row = YearFigures.objects.get(municipality=municipality, year=first)
        return row.version, f"{row.total_budget.normalize():f}"

    return Edit(
        url=_url("core:figures", municipality),
        version=versions.get(first, 0),
        data=data,
        saved=saved,
        shown=lambda n: _value(f"{n + 1}2345678"),
        stored=lambda n: f"{n + 1}2345678",
    )


def year_figures(municipality, user) -> Edit:
    first = figure_years(legislature())[0]
    year_figures_save(
        municipality=municipality,
        rows=[
            {
                "year": first,
                "version": 0,
                "total_budget": Decimal(1000000),
                "lmb_budget": None,
                "inhabitants": None,
            }
        ],
        by=user,
    )
    version = YearFigures.objects.get(municipality=municipality, year=first).version
    return _figures_edit(municipality, {first: version})


def year_figures_first_save(municipality, user) -> Edit:
    """No figures typed yet: every year's form carries version 0."""
    return _figures_edit(municipality, {})


def _row(model, pk: int, field: str) -> tuple[int, str]:
    row = model.objects.get(pk=pk)
    return row.version, getattr(row, field)


# --- worksheets of the methods ------------------------------------------------------------


def _worksheet(municipality, user, key: str):
    from apps.methods import services as methods_services
    from apps.methods.models import Method

    return methods_services.worksheet_create(
        municipality=municipality,
        legislature=legislature(),
        method=Method.objects.get(key=key),
        title="Werkblad",
        by=user,
    )


def worksheet_settings(municipality, user) -> Edit:
    from apps.methods.models import Worksheet

    worksheet = _worksheet(municipality, user, "brainwriting")
    return Edit(
        url=_url("methods:settings", municipality, worksheet.pk),
        version=worksheet.version,
        data=lambda n: {
            "open_to_members": "on",
            "phase": worksheet.phase,
            "round": n + 1,
            "version": worksheet.version,
        },
        saved=lambda: (
            Worksheet.objects.get(pk=worksheet.pk).version,
            str(Worksheet.objects.get(pk=worksheet.pk).round),
        ),
        shown=lambda n: None,  # no text to keep: a phase and a round
        stored=lambda n: str(n + 1),
    )


def worksheet_evaluation(municipality, user) -> Edit:
    from apps.methods import services as methods_services
    from apps.methods.models import Evaluation

    worksheet = _worksheet(municipality, user, "oeso-dac")
    evaluation = methods_services.evaluation_save(
        worksheet=worksheet, criterion="relevantie", text="Eerst.", expected_version=0, by=user
    )
    return Edit(
        url=_url("methods:evaluation_save", municipality, worksheet.pk),
        version=evaluation.version,
        data=lambda n: {
            "criterion": "relevantie",
            "text": typed(n),
            "version": evaluation.version,
        },
        saved=lambda: _row(Evaluation, evaluation.pk, "text"),
    )


def worksheet_project_sheet(municipality, user) -> Edit:
    from apps.methods import services as methods_services
    from apps.methods.models import ProjectSheet
    from apps.methods.permissions import Participant

    worksheet = _worksheet(municipality, user, "gps")
    idea = methods_services.contribution_add(
        worksheet=worksheet,
        participant=Participant(user=user),
        section="kort",
        text="Een repaircafé",
        group=worksheet.groups.first(),
    )
    sheet = methods_services.project_sheet_start(idea=idea, participant=Participant(user=user))
    return Edit(
        url=_url("methods:project_sheet", municipality, worksheet.pk, sheet.pk),
        version=sheet.version,
        data=lambda n: {
            "description": typed(n),
            "advantages": "",
            "pitfalls": "",
            "needs": "",
            "version": sheet.version,
        },
        saved=lambda: _row(ProjectSheet, sheet.pk, "description"),
    )


# Each edit page, with the model whose row it saves.
EDITS = {
    "memorandum-introduction": (Memorandum, memorandum_introduction),
    "memorandum-proposal": (MemorandumProposal, memorandum_proposal),
    "memorandum-proposal-library-change": (MemorandumProposal, memorandum_proposal_library_change),
    "vision-mission": (VisionMission, vision_mission),
    "vision-mission-first-save": (VisionMission, vision_mission_first_save),
    "analysis-introduction": (Analysis, analysis_introduction),
    "analysis-section": (Section, analysis_section),
    "guiding-answer": (GuidingAnswer, guiding_answer),
    "guiding-answer-first-save": (GuidingAnswer, guiding_answer_first_save),
    "indicator": (Indicator, indicator),
    "swot-item": (SwotItem, swot_item),
    "actor": (Actor, actor),
    "plan-settings": (Plan, plan_settings),
    "plan-growth-path": (Plan, plan_growth_path),
    "goal": (Goal, goal),
    "action-plan": (ActionPlan, action_plan),
    "action": (Action, action),
    "action-budget": (Action, action_budget),
    "goal-milestones": (Goal, goal_milestones),
    "year-figures": (YearFigures, year_figures),
    "year-figures-first-save": (YearFigures, year_figures_first_save),
    "worksheet-settings": ("methods.Worksheet", worksheet_settings),
    "worksheet-evaluation": ("methods.Evaluation", worksheet_evaluation),
    "worksheet-project-sheet": ("methods.ProjectSheet", worksheet_project_sheet),
}


def test_every_edited_model_has_an_edit_page_here():
    """A new model with a version (one that inherits Edited) needs its case above."""
    edited = {
        model
        for model in django_apps.get_models()
        if issubclass(model, Edited) and not model._meta.abstract
    }
    assert edited == {
        django_apps.get_model(model) if isinstance(model, str) else model
        for model, _build in EDITS.values()
    }


@pytest.mark.parametrize("name", EDITS)
def test_ten_saves_from_one_version(name, municipality, opsteller):
    _model, build = EDITS[name]
    edit = build(municipality, opsteller)
    logged_in = threading.Barrier(THREADS, timeout=30)

    def save(n):
        # Each thread its own browser; all ten log in first, then post together.
        client = Client()
        client.force_login(opsteller)
        logged_in.wait()
        return client.post(edit.url, edit.data(n))

    responses = run_at_once(save, range(THREADS))

    errors = [r for r in responses if isinstance(r, Exception)]
    assert not errors, errors
    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [302] + [409] * (THREADS - 1), statuses
    winner = statuses.index(302)
    for n, response in enumerate(responses):
        if n == winner:
            continue
        html = response.content.decode()
        assert STALE in html, (n, html[:2000])
        if edit.shown(n) is not None:
            assert edit.shown(n) in html, (n, edit.shown(n))
    version, text = edit.saved()
    assert version == edit.version + 1
    assert edit.stored(winner) in text, (winner, text)
