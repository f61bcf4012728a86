"""Writes to visie & missie and the omgevingsanalyse. Every service re-checks that the user is
the opsteller, owns its transaction, and refuses a stale version (optimistic locking) the same
way the memorandum does; rows with an order are reordered under the analysis's lock."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.core.editing import delete_by, lock_version, require_editable
from apps.core.figures import figure_years
from apps.core.models import ActionArea, Legislature, Municipality, SDGGoal
from apps.core.ordering import swap_with_neighbour, write_order
from apps.core.permissions import can_edit
from apps.core.richtext import rich_text, sanitise
from apps.library.models import GlobalFigure, GuidingQuestion, IndicatorDefinition

from .models import (
    Actor,
    Analysis,
    CitedFigure,
    GuidingAnswer,
    Indicator,
    IndicatorValue,
    Section,
    Structure,
    SwotItem,
    VisionMission,
)

MAX_SECTIONS = 200
MAX_ROWS = 500  # SWOT items, actors, indicators: far above any real analysis


def _check(by, obj) -> None:
    if not can_edit(by, obj):
        raise PermissionDenied(_("Alleen de opsteller mag dit document bewerken."))
    require_editable(obj)


def _lock_analysis(analysis: Analysis) -> Analysis:
    return Analysis.objects.select_for_update().get(pk=analysis.pk)


def _next_order(queryset) -> int:
    highest = queryset.aggregate(highest=Max("order"))["highest"]
    return 0 if highest is None else highest + 1


def _limit(queryset, maximum: int, what: str) -> None:
    if queryset.count() >= maximum:
        raise ValidationError(
            _("Er kunnen niet meer dan %(max)d %(what)s zijn.") % {"max": maximum, "what": what},
            code="limit",
        )


# --- visie & missie ------------------------------------------------------------------------


def vision_get_or_create(*, municipality: Municipality, legislature: Legislature, by):
    _check(by, municipality)
    with transaction.atomic():
        vision, _created = VisionMission.objects.get_or_create(
            municipality=municipality, legislature=legislature, defaults={"updated_by": by}
        )
    return vision


def vision_update(
    *, vision: VisionMission, vision_text: str, mission_text: str, expected_version: int, by
) -> VisionMission:
    _check(by, vision)
    with transaction.atomic():
        current = lock_version(VisionMission, vision.pk, expected_version)
        current.vision = rich_text(vision_text)
        current.mission = rich_text(mission_text)
        current.touch(by)
        current.full_clean()
        current.save()
    return current


# --- the analysis --------------------------------------------------------------------------


def analysis_start(
    *, municipality: Municipality, legislature: Legislature, structure: Structure, by
) -> Analysis:
    """Start the analysis from a structure: its sections, and the guide's indicators."""
    _check(by, municipality)
    try:
        with transaction.atomic():
            analysis = Analysis(
                municipality=municipality,
                legislature=legislature,
                structure=structure,
                updated_by=by,
            )
            analysis.full_clean(validate_constraints=False)
            analysis.save()
            for order, spec in enumerate(
                structure.sections.prefetch_related("sdg_goals").order_by("order")
            ):
                section = Section.objects.create(
                    analysis=analysis,
                    title=spec.title_nl,
                    guidance=spec.guidance_nl,
                    order=order,
                    updated_by=by,
                )
                section.sdg_goals.set(spec.sdg_goals.all())
            Indicator.objects.bulk_create(
                Indicator(
                    analysis=analysis,
                    definition=definition,
                    name=definition.name_nl,
                    unit=definition.unit,
                    order=order,
                    updated_by=by,
                )
                for order, definition in enumerate(IndicatorDefinition.objects.order_by("order"))
            )
    except IntegrityError as error:
        raise ValidationError(
            _("De omgevingsanalyse is intussen al gestart."), code="started"
        ) from error
    return analysis


def analysis_update_introduction(
    *, analysis: Analysis, introduction: str, expected_version: int, by
) -> Analysis:
    _check(by, analysis)
    with transaction.atomic():
        current = lock_version(Analysis, analysis.pk, expected_version)
        current.introduction = rich_text(introduction)
        current.touch(by)
        current.save()
    return current


# --- sections ------------------------------------------------------------------------------


def section_create(
    *, analysis: Analysis, title: str, text: str = "", sdg_goals: Iterable[SDGGoal] = (), by
) -> Section:
    _check(by, analysis)
    with transaction.atomic():
        _lock_analysis(analysis)
        _limit(analysis.sections, MAX_SECTIONS, _("secties"))
        section = Section(
            analysis=analysis,
            title=title.strip(),
            text=rich_text(text),
            order=_next_order(analysis.sections),
            updated_by=by,
        )
        section.full_clean(validate_constraints=False)
        section.save()
        section.sdg_goals.set(sdg_goals)
    return section


def section_update(
    *,
    section: Section,
    title: str,
    text: str,
    sdg_goals: Iterable[SDGGoal],
    expected_version: int,
    by,
) -> Section:
    _check(by, section.analysis)
    with transaction.atomic():
        current = lock_version(Section, section.pk, expected_version)
        current.title = title.strip()
        current.text = rich_text(text)
        current.touch(by)
        current.full_clean(validate_constraints=False)
        current.save()
        current.sdg_goals.set(sdg_goals)
    return current


def section_delete(*, section: Section, by) -> None:
    _check(by, section.analysis)
    with transaction.atomic():
        analysis = _lock_analysis(section.analysis)
        delete_by(Section.objects.filter(pk=section.pk), by)
        write_order(list(analysis.sections.order_by("order", "pk")))


def section_move(*, section: Section, direction: str, by) -> None:
    if direction not in {"up", "down"}:
        raise ValidationError(_("Kies omhoog of omlaag."), code="direction")
    _check(by, section.analysis)
    with transaction.atomic():
        analysis = _lock_analysis(section.analysis)
        sections = list(analysis.sections.order_by("order", "pk"))
        ids = [s.pk for s in sections]
        if section.pk not in ids:
            raise ValidationError(_("Deze sectie is intussen verwijderd."), code="gone")
        moved = swap_with_neighbour(ids, section.pk, direction)
        if moved is None:
            raise ValidationError(
                _("“%(title)s” staat al bovenaan.")
                if direction == "up"
                else _("“%(title)s” staat al onderaan."),
                code="edge",
                params={"title": section.title},
            )
        by_pk = {s.pk: s for s in sections}
        write_order([by_pk[pk] for pk in moved])


def figure_cite(*, section: Section, figure: GlobalFigure, by) -> CitedFigure:
    """Quote a global figure (figure, statement and source) in the section."""
    _check(by, section.analysis)
    try:
        with transaction.atomic():
            Section.objects.select_for_update().get(pk=section.pk)
            cited = CitedFigure.objects.create(
                section=section, figure=figure, order=_next_order(section.figures)
            )
            Section.objects.filter(pk=section.pk).update(updated_by=by)
    except IntegrityError as error:
        raise ValidationError(_("Dit cijfer staat al in deze sectie."), code="cited") from error
    return cited


def figure_uncite(*, cited: CitedFigure, by) -> None:
    _check(by, cited.section.analysis)
    with transaction.atomic():
        CitedFigure.objects.filter(pk=cited.pk).delete()


# --- guiding questions ----------------------------------------------------------------------


def answer_save(
    *, analysis: Analysis, question: GuidingQuestion, answer: str, expected_version: int, by
) -> GuidingAnswer:
    """Store the answer to a guiding question; ``expected_version`` 0 for a first answer."""
    _check(by, analysis)
    with transaction.atomic():
        _lock_analysis(analysis)
        current = GuidingAnswer.objects.filter(analysis=analysis, question=question).first()
        if current is None:
            if expected_version != 0:
                raise ValidationError(
                    _("Dit antwoord bestaat niet meer; laad de pagina opnieuw."), code="gone"
                )
            current = GuidingAnswer(analysis=analysis, question=question, updated_by=by)
        else:
            current = lock_version(GuidingAnswer, current.pk, expected_version)
            current.touch(by)
        current.answer = rich_text(answer)
        current.save()
    return current


def answer_to_section(*, answer: GuidingAnswer, section: Section, by) -> Section:
    """Add the answer's text at the end of the section's text, as a new version of it."""
    _check(by, section.analysis)
    if answer.analysis_id != section.analysis_id:
        raise ValidationError(_("Die sectie hoort niet bij deze omgevingsanalyse."))
    if not answer.answer:
        raise ValidationError(_("Dit antwoord is nog leeg."), code="empty")
    with transaction.atomic():
        current = Section.objects.select_for_update().get(pk=section.pk)
        current.text = sanitise(f"{current.text}\n{answer.answer}")
        current.touch(by)
        current.save()
    return current


# --- indicators ----------------------------------------------------------------------------


def indicator_create(
    *, analysis: Analysis, name: str, unit: str, source: str = "", note: str = "", by
) -> Indicator:
    _check(by, analysis)
    with transaction.atomic():
        _lock_analysis(analysis)
        _limit(analysis.indicators, MAX_ROWS, _("indicatoren"))
        indicator = Indicator(
            analysis=analysis,
            name=name.strip(),
            unit=unit.strip(),
            source=source.strip(),
            note=note.strip(),
            order=_next_order(analysis.indicators),
            updated_by=by,
        )
        indicator.full_clean(validate_constraints=False)
        indicator.save()
    return indicator


def _plain(value: Decimal) -> str:
    """0 and 100 rather than 0,00 and 100,00."""
    return number_format(value.normalize())


def _check_values(indicator: Indicator, values: dict[int, tuple[Decimal, bool]]) -> None:
    """Values only for the years the analysis keeps figures for, within the guide's bounds
    (a Fair-o-meter score lies between 0 and 100); each message names its year."""
    years = set(figure_years(indicator.analysis.legislature))
    definition = indicator.definition if indicator.definition_id else None
    errors = []
    for year, (value, _target) in sorted(values.items()):
        if year not in years:
            errors.append(
                ValidationError(
                    _("%(year)s valt buiten de jaren van de omgevingsanalyse."),
                    code="year",
                    params={"year": year},
                )
            )
        elif definition and definition.minimum is not None and value < definition.minimum:
            errors.append(
                ValidationError(
                    _("%(year)s: de waarde kan niet lager zijn dan %(limit)s."),
                    code="min_value",
                    params={"year": year, "limit": _plain(definition.minimum)},
                )
            )
        elif definition and definition.maximum is not None and value > definition.maximum:
            errors.append(
                ValidationError(
                    _("%(year)s: de waarde kan niet hoger zijn dan %(limit)s."),
                    code="max_value",
                    params={"year": year, "limit": _plain(definition.maximum)},
                )
            )
    if errors:
        raise ValidationError(errors)


def indicator_update(
    *,
    indicator: Indicator,
    name: str,
    unit: str,
    source: str,
    note: str,
    values: dict[int, tuple[Decimal, bool]],
    expected_version: int,
    by,
) -> Indicator:
    """Store the indicator and its values per year (year → (value, is a target)); years
    missing from ``values`` have no value. The guide's indicators keep their name and unit; a
    computed indicator keeps no typed values (its numbers come from the key figures)."""
    _check(by, indicator.analysis)
    with transaction.atomic():
        current = lock_version(Indicator, indicator.pk, expected_version)
        if current.definition_id is None:
            current.name = name.strip()
            current.unit = unit.strip()
        current.source = source.strip()
        current.note = note.strip()
        current.touch(by)
        current.full_clean(validate_constraints=False)
        if current.computed:
            values = {}
        _check_values(current, values)
        rows = [
            IndicatorValue(indicator=current, year=year, value=value, is_target=target)
            for year, (value, target) in sorted(values.items())
        ]
        for row in rows:
            row.full_clean(exclude=["indicator"], validate_unique=False, validate_constraints=False)
        current.save()
        current.values.all().delete()
        IndicatorValue.objects.bulk_create(rows)
    return current


def indicator_delete(*, indicator: Indicator, by) -> None:
    _check(by, indicator.analysis)
    with transaction.atomic():
        delete_by(Indicator.objects.filter(pk=indicator.pk), by)


# --- SWOT ----------------------------------------------------------------------------------


def swot_item_save(
    *,
    analysis: Analysis,
    item: SwotItem | None,
    quadrant: str,
    text: str,
    sdg: SDGGoal | None,
    action_area: ActionArea | None,
    expected_version: int | None = None,
    by,
) -> SwotItem:
    """Add an item (``item`` None) or change one (with its loaded version). An item moved to
    another quadrant goes to the end of that quadrant."""
    _check(by, analysis)
    with transaction.atomic():
        if item is None:
            _lock_analysis(analysis)
            _limit(analysis.swot_items, MAX_ROWS, _("SWOT-elementen"))
            current = SwotItem(
                analysis=analysis,
                order=_next_order(analysis.swot_items.filter(quadrant=quadrant)),
                updated_by=by,
            )
        else:
            current = lock_version(SwotItem, item.pk, expected_version)
            if current.analysis_id != analysis.pk:
                raise ValidationError(_("Dit element hoort niet bij deze omgevingsanalyse."))
            current.touch(by)
            if current.quadrant != quadrant:
                _lock_analysis(analysis)
                current.order = _next_order(analysis.swot_items.filter(quadrant=quadrant))
        current.quadrant = quadrant
        current.text = text.strip()
        current.sdg = sdg
        current.action_area = action_area
        current.full_clean(validate_constraints=False)
        current.save()
    return current


def swot_item_delete(*, item: SwotItem, by) -> None:
    _check(by, item.analysis)
    with transaction.atomic():
        delete_by(SwotItem.objects.filter(pk=item.pk), by)


# --- actors --------------------------------------------------------------------------------


def actor_save(
    *,
    analysis: Analysis,
    actor: Actor | None,
    name: str,
    kind: str,
    sphere: str,
    state: str,
    action_areas: Iterable[ActionArea],
    notes: str = "",
    expected_version: int | None = None,
    by,
) -> Actor:
    _check(by, analysis)
    with transaction.atomic():
        if actor is None:
            _lock_analysis(analysis)
            _limit(analysis.actors, MAX_ROWS, _("actoren"))
            current = Actor(analysis=analysis, order=_next_order(analysis.actors), updated_by=by)
        else:
            current = lock_version(Actor, actor.pk, expected_version)
            if current.analysis_id != analysis.pk:
                raise ValidationError(_("Deze actor hoort niet bij deze omgevingsanalyse."))
            current.touch(by)
        current.name = name.strip()
        current.kind = kind
        current.sphere = sphere
        current.state = state
        current.notes = notes.strip()
        current.full_clean(validate_constraints=False)
        current.save()
        current.action_areas.set(action_areas)
    return current


def actor_delete(*, actor: Actor, by) -> None:
    _check(by, actor.analysis)
    with transaction.atomic():
        delete_by(Actor.objects.filter(pk=actor.pk), by)
