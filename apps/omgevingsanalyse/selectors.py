"""Reads for visie & missie and the omgevingsanalyse: every function runs a fixed number of
queries, however many sections, indicators, SWOT items or actors there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from apps.core.charts import Chart, Reference, Series, chart_rows, chart_svg
from apps.core.figures import figure_years, year_figures
from apps.core.models import ActionArea, DocumentKind, Legislature, Municipality
from apps.library.models import (
    GlobalFigure,
    GuidingQuestion,
    IndicatorReference,
    ValueKind,
)
from apps.library.selectors import practice_examples

from .models import (
    Actor,
    ActorState,
    Analysis,
    CitedFigure,
    GuidingAnswer,
    Indicator,
    IndicatorValue,
    Quadrant,
    Section,
    Structure,
    SwotItem,
    VisionMission,
)


def vision_for(*, municipality: Municipality, legislature: Legislature | None, user=None):
    if legislature is None:
        return None
    queryset = VisionMission.objects.all() if user is None else VisionMission.objects.for_user(user)
    return (
        queryset.filter(municipality=municipality, legislature=legislature)
        .select_related("municipality", "legislature", "updated_by")
        .first()
    )


def analysis_for(*, municipality: Municipality, legislature: Legislature | None, user=None):
    if legislature is None:
        return None
    queryset = Analysis.objects.all() if user is None else Analysis.objects.for_user(user)
    return (
        queryset.filter(municipality=municipality, legislature=legislature)
        .select_related("municipality", "legislature", "structure", "updated_by")
        .first()
    )


def part_for_user(model, *, user, analysis: Analysis, pk: int):
    """One section, indicator, SWOT item, actor or answer of the analysis, through the user's
    scope: anything of another municipality or another analysis is a 404. A cited figure is
    reached through its section, inside the analysis the user's scope already holds."""
    if model is CitedFigure:
        queryset = CitedFigure.objects.filter(section__analysis=analysis).select_related(
            "section__analysis", "figure"
        )
        return get_object_or_404(queryset, pk=pk)
    queryset = model.objects.for_user(user).filter(analysis=analysis).select_related("analysis")
    if model is Section:
        queryset = queryset.prefetch_related("sdg_goals", "figures__figure")
    if model is Indicator:
        queryset = queryset.select_related("definition").prefetch_related("values")
    if model is Actor:
        queryset = queryset.prefetch_related("action_areas")
    return get_object_or_404(queryset, pk=pk)


def structures():
    return list(Structure.objects.prefetch_related("sections").order_by("order"))


def guiding_questions(kind: str) -> list[GuidingQuestion]:
    return list(GuidingQuestion.objects.filter(document_kind=kind).order_by("order", "key"))


def questions_with_answers(analysis: Analysis) -> list[tuple[GuidingQuestion, GuidingAnswer]]:
    """The omgevingsanalyse's guiding questions, each with its answer (or None): two queries."""
    answers = {
        answer.question_id: answer for answer in GuidingAnswer.objects.filter(analysis=analysis)
    }
    questions = guiding_questions(DocumentKind.OMGEVINGSANALYSE)
    return [(question, answers.get(question.pk)) for question in questions]


def global_figures() -> list[GlobalFigure]:
    return list(GlobalFigure.objects.order_by("order", "key"))


# --- indicators ----------------------------------------------------------------------------


@dataclass
class IndicatorView:
    indicator: Indicator
    rows: list[dict] = field(default_factory=list)  # year, value, is_target (per_inhabitant)
    svg: str = ""
    # The chart's numbers, one row per year that has any (year, values, and per_inhabitant
    # for a computed indicator): the table beside the chart, on the page and in the PDF.
    table: list[dict] = field(default_factory=list)
    series_labels: list[str] = field(default_factory=list)
    references: list[IndicatorReference] = field(default_factory=list)
    has_values: bool = False


def _decimals(indicator: Indicator, values) -> int:
    """Two decimals for shares and FTE, none for scores, counts and euros, unless a typed
    value has a fraction (an own indicator's 0,25 must not read as 0)."""
    kind = indicator.definition.value_kind if indicator.definition_id else None
    if kind in {ValueKind.PERCENT, ValueKind.FTE}:
        return 2
    if any(value is not None and value != value.to_integral_value() for value in values):
        return 2
    return 0


def indicator_views(analysis: Analysis, indicators: list[Indicator]) -> list[IndicatorView]:
    """Each indicator with its values per year, its chart and the table beside it, over the
    years of the key figures (the previous plan period up to the end of the current one, so
    targets up to 2031 show). Computed indicators read the municipality's key figures: one
    query for all of them, one for the guide's reference values, whatever the number of
    indicators (their values come prefetched)."""
    years = figure_years(analysis.legislature)
    figures = {f.year: f for f in year_figures(analysis.municipality, years)}
    references: dict[int, list[IndicatorReference]] = {}
    definition_ids = [i.definition_id for i in indicators if i.definition_id]
    if definition_ids:
        for reference in IndicatorReference.objects.filter(
            indicator_id__in=definition_ids
        ).order_by("order", "key"):
            references.setdefault(reference.indicator_id, []).append(reference)
    views = []
    for indicator in indicators:
        view = IndicatorView(indicator=indicator)
        actual: dict[int, Decimal | None] = {}
        target: dict[int, Decimal | None] = {}
        per_inhabitant: dict[int, Decimal | None] = {}
        if indicator.computed:
            kind = indicator.definition.value_kind
            for year in years:
                figure = figures[year]
                value = figure.lmb_share if kind == ValueKind.PERCENT else figure.lmb_budget
                actual[year] = value
                per_inhabitant[year] = figure.per_inhabitant
                view.rows.append(
                    {
                        "year": year,
                        "value": value,
                        "is_target": False,
                        "per_inhabitant": figure.per_inhabitant,
                    }
                )
            series = [Series(_("berekend uit de kerncijfers"), actual)]
        else:
            for value in sorted(indicator.values.all(), key=lambda v: v.year):
                (target if value.is_target else actual)[value.year] = value.value
                view.rows.append(
                    {"year": value.year, "value": value.value, "is_target": value.is_target}
                )
            series = [Series(_("gemeten"), actual)]
            if target:
                series.append(Series(_("streefwaarde"), target, dashed=True))
        view.has_values = any(row["value"] is not None for row in view.rows)
        view.references = references.get(indicator.definition_id, [])
        chart = Chart(
            title=indicator.name,
            years=sorted({*years, *actual, *target}),
            unit=indicator.unit,
            series=series,
            references=[Reference(r.label, r.value) for r in view.references],
            decimals=_decimals(indicator, [*actual.values(), *target.values()]),
        )
        view.svg = chart_svg(chart, ident=f"indicator-{indicator.pk}")
        for row in chart_rows(chart):
            if indicator.computed:
                row["per_inhabitant"] = per_inhabitant.get(row["year"])
            if any(row["values"]) or row.get("per_inhabitant") is not None:
                view.table.append(row)
        view.series_labels = [s.label for s in series]
        views.append(view)
    return views


# --- the analysis page ---------------------------------------------------------------------


def _sections(analysis: Analysis):
    return (
        Section.objects.filter(analysis=analysis)
        .prefetch_related(
            "sdg_goals",
            Prefetch(
                "figures",
                queryset=CitedFigure.objects.select_related("figure").order_by("order", "pk"),
            ),
        )
        .order_by("order", "pk")
    )


def _indicators(analysis: Analysis):
    return (
        Indicator.objects.filter(analysis=analysis)
        .select_related("definition")
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("year")),
        )
        .order_by("order", "pk")
    )


def _actors(analysis: Analysis):
    return (
        Actor.objects.filter(analysis=analysis)
        .prefetch_related("action_areas")
        .order_by("order", "name")
    )


def swot_quadrants(analysis: Analysis) -> list[dict]:
    items = list(
        SwotItem.objects.filter(analysis=analysis)
        .select_related("sdg", "action_area")
        .order_by("order", "pk")
    )
    return [
        {
            "code": quadrant.value,
            "label": quadrant.label,
            "items": [item for item in items if item.quadrant == quadrant.value],
        }
        for quadrant in Quadrant
    ]


_STATE_ORDER = {state.value: index for index, state in enumerate(ActorState)}


def actor_map(actors: list[Actor], areas: list[ActionArea]) -> list[dict]:
    """The actors over the three action areas, each with its state (the guide's mapping of
    initiatives: running well, new, not yet), in that order of state within an area. An actor
    active in several areas appears under each; the action areas come prefetched."""
    return [
        {
            "area": area,
            "actors": sorted(
                (a for a in actors if area in a.action_areas.all()),
                key=lambda a: _STATE_ORDER.get(a.state, len(_STATE_ORDER)),
            ),
        }
        for area in areas
    ]


def analysis_page_data(*, analysis: Analysis) -> dict:
    sections = list(_sections(analysis))
    indicators = list(_indicators(analysis))
    actors = list(_actors(analysis))
    areas = list(ActionArea.objects.order_by("order"))
    return {
        "sections": sections,
        "indicators": indicator_views(analysis, indicators),
        "swot": swot_quadrants(analysis),
        "actors": actors,
        "actor_map": actor_map(actors, areas),
        "questions": questions_with_answers(analysis),
        "examples": practice_examples(DocumentKind.OMGEVINGSANALYSE),
        "global_figures": global_figures(),
    }


def analysis_print_data(*, analysis: Analysis, section: Section | None = None) -> dict:
    """What the PDF shows: the whole analysis, or one section of it."""
    vision = vision_for(municipality=analysis.municipality, legislature=analysis.legislature)
    if section is not None:
        sections = [s for s in _sections(analysis) if s.pk == section.pk]
        return {
            "municipality": analysis.municipality,
            "legislature": analysis.legislature,
            "analysis": analysis,
            "sections": sections,
            "single_section": True,
        }
    data = analysis_page_data(analysis=analysis)
    return {
        "municipality": analysis.municipality,
        "legislature": analysis.legislature,
        "analysis": analysis,
        "vision": vision,
        "sections": data["sections"],
        "indicators": data["indicators"],
        "swot": data["swot"],
        "actors": data["actors"],
        "actor_map": data["actor_map"],
        "single_section": False,
    }
