"""The printed omgevingsanalyse, whole or one section at a time, and the printed visie &
missie alone, registered with apps/documents (see ``apps.documents.registry``).

Both print ``templates/documents/omgevingsanalyse.html`` from ``analysis_print_data``: the
formal document only. Nothing addressed to the drafter is in the context it gets (no section
guidance, no guiding questions or answers, no help texts), so the template cannot print it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apps.core.richtext import visible_text
from apps.documents.registry import PrintDocument, register

from .models import ActorState, Analysis, Section, VisionMission
from .selectors import analysis_for, analysis_print_data, vision_for

KIND = "omgevingsanalyse"
SECTION_KIND = "omgevingsanalyse-sectie"
VISION_KIND = "visie-missie"


# --- loaders: inside the municipality only -------------------------------------------------


def analysis_of(municipality, object_id: int) -> Analysis:
    """The analysis inside the municipality only: any other is Analysis.DoesNotExist."""
    return Analysis.objects.select_related("municipality", "legislature", "structure").get(
        municipality=municipality, pk=object_id
    )


def section_of(municipality, object_id: int) -> Section:
    """The section, if its analysis belongs to the municipality; else Section.DoesNotExist."""
    return Section.objects.select_related(
        "analysis__municipality", "analysis__legislature", "analysis__structure"
    ).get(analysis__municipality=municipality, pk=object_id)


def vision_of(municipality, object_id: int) -> VisionMission:
    """Visie & missie inside the municipality only: any other is VisionMission.DoesNotExist."""
    return VisionMission.objects.select_related("municipality", "legislature").get(
        municipality=municipality, pk=object_id
    )


def current_vision(municipality, legislature, user) -> VisionMission | None:
    return vision_for(municipality=municipality, legislature=legislature, user=user)


def current_analysis(municipality, legislature, user) -> Analysis | None:
    return analysis_for(municipality=municipality, legislature=legislature, user=user)


# --- builders ------------------------------------------------------------------------------


def _written(html: str | None) -> str:
    """The rich text when it holds any visible text, else "" (an empty editor leaves tags)."""
    return html if html and visible_text(html) else ""


def _filename(analysis: Analysis, *suffix: str) -> str:
    parts = ["omgevingsanalyse", slugify(analysis.municipality.name), str(analysis.legislature)]
    return "-".join([*parts, *suffix]) + ".pdf"


def _last_changed(*groups):
    """The latest change of anything the PDF shows: the analysis's own date only moves with
    its introduction, while the sections, indicators, SWOT and actors change on their own."""
    dates = [obj.updated_at for group in groups for obj in group if obj is not None]
    return max(dates, default=None)


def analysis_document(analysis: Analysis) -> PrintDocument:
    data = analysis_print_data(analysis=analysis)
    vision = data["vision"]
    views = data["indicators"]
    # A guide indicator nobody filled in yet is named, not drawn as an empty chart.
    charted = [view for view in views if any(row["value"] is not None for row in view.rows)]
    charted_ids = {view.indicator.pk for view in charted}
    swot_items = [item for quadrant in data["swot"] for item in quadrant["items"]]
    return PrintDocument(
        template_name="documents/omgevingsanalyse.html",
        context={
            **data,
            "document_title": analysis.title,
            "vision_text": _written(vision.vision) if vision else "",
            "mission_text": _written(vision.mission) if vision else "",
            "introduction": _written(analysis.introduction),
            "indicators": charted,
            "indicators_without_data": [
                view.indicator for view in views if view.indicator.pk not in charted_ids
            ],
            "has_swot": bool(swot_items),
            "actor_states": ActorState.choices,
            "last_changed": _last_changed(
                [analysis, vision],
                data["sections"],
                [view.indicator for view in views],
                swot_items,
                data["actors"],
            ),
        },
        filename=_filename(analysis),
    )


def section_document(section: Section) -> PrintDocument:
    analysis = section.analysis
    data = analysis_print_data(analysis=analysis, section=section)
    return PrintDocument(
        template_name="documents/omgevingsanalyse.html",
        context={**data, "document_title": section.title, "short_cover": True},
        filename=_filename(analysis, "sectie", str(section.order + 1), slugify(section.title)[:60]),
    )


def vision_document(vision: VisionMission) -> PrintDocument:
    """Visie & missie alone: a short cover and the two texts, as the omgevingsanalyse prints
    them (the document the college approves on its own)."""
    return PrintDocument(
        template_name="documents/vision_mission.html",
        context={
            "municipality": vision.municipality,
            "legislature": vision.legislature,
            "vision": vision,
            "document_title": _("Visie en missie"),
            "vision_text": _written(vision.vision),
            "mission_text": _written(vision.mission),
            "last_changed": vision.updated_at,
            "short_cover": True,
        },
        filename="-".join(
            ["visie-missie", slugify(vision.municipality.name), str(vision.legislature)]
        )
        + ".pdf",
    )


# --- registration --------------------------------------------------------------------------


def _analysis_url(analysis: Analysis, anchor: str = "") -> str:
    url = reverse("omgevingsanalyse:analysis", args=[analysis.municipality.nis_code])
    return f"{url}#{anchor}" if anchor else url


def register_printables() -> None:
    register(
        KIND,
        label=_("Omgevingsanalyse"),
        description=_(
            "De PDF bevat een titelblad, een inhoudstafel met paginanummers, de visie en "
            "missie, de inleiding, alle secties met hun geciteerde cijfers, de indicatoren met "
            "hun grafiek en tabel, de SWOT en de actoren."
        ),
        load=analysis_of,
        build=analysis_document,
        title=lambda analysis: f"{analysis.title} — {analysis.legislature}",
        page_url=_analysis_url,
        find=current_analysis,
        # In the plan book visie & missie is a part of its own, printed before this one.
        book_order=20,
        book_context={"vision_text": "", "mission_text": ""},
    )
    register(
        SECTION_KIND,
        label=_("Sectie van de omgevingsanalyse"),
        description=_("De PDF bevat deze ene sectie, met haar SDG's en geciteerde cijfers."),
        load=section_of,
        build=section_document,
        title=lambda section: section.title,
        page_url=lambda section: _analysis_url(section.analysis, f"sectie-{section.pk}"),
    )
    register(
        VISION_KIND,
        label=_("Visie en missie"),
        description=_("De PDF bevat de visie en de missie van de gemeente, met een korte kop."),
        load=vision_of,
        build=vision_document,
        title=lambda vision: f"{_('Visie en missie')} — {vision.legislature}",
        page_url=lambda vision: reverse(
            "omgevingsanalyse:vision", args=[vision.municipality.nis_code]
        ),
        find=current_vision,
        book_order=10,
    )
