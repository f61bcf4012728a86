"""The omgevingsanalyse and visie & missie in apps/review: their texts and history."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.review import registry
from apps.review.registry import Part

from .models import Actor, Analysis, GuidingAnswer, Indicator, Section, SwotItem, VisionMission

ANALYSIS = "omgevingsanalyse"
VISION = "visie_missie"


def _analysis_page(analysis) -> str:
    return reverse("omgevingsanalyse:analysis", args=[analysis.municipality.nis_code])


def _vision_page(vision) -> str:
    return reverse("omgevingsanalyse:vision", args=[vision.municipality.nis_code])


def analysis_parts(analysis) -> list[Part]:
    page = _analysis_page(analysis)
    result = [
        Part(
            key="document",
            label=_("Titel en inleiding"),
            instance=analysis,
            fields={"title": _("titel"), "introduction": _("inleiding")},
            url=f"{page}#inleiding",
        )
    ]
    result += [
        Part(
            key=f"section-{section.pk}",
            label=section.title,
            instance=section,
            fields={"title": _("titel"), "text": _("tekst")},
            url=f"{page}#sectie-{section.pk}",
        )
        for section in Section.objects.filter(analysis=analysis).order_by("order", "pk")
    ]
    questions = reverse("omgevingsanalyse:questions", args=[analysis.municipality.nis_code])
    result += [
        Part(
            key=f"answer-{answer.pk}",
            label=_("Antwoord: %(question)s") % {"question": answer.question.text},
            instance=answer,
            fields={"answer": _("antwoord")},
            url=questions,
        )
        for answer in GuidingAnswer.objects.filter(analysis=analysis)
        .select_related("question")
        .order_by("question__order", "pk")
    ]
    result += [
        Part(
            key=f"indicator-{indicator.pk}",
            label=_("Indicator: %(name)s") % {"name": indicator.name},
            instance=indicator,
            fields={"name": _("naam"), "note": _("toelichting")},
            url=f"{page}#indicator-{indicator.pk}",
        )
        for indicator in Indicator.objects.filter(analysis=analysis).order_by("order", "pk")
    ]
    result += [
        Part(
            key=f"swot-{item.pk}",
            label=f"{item.get_quadrant_display()}: {item.text[:60]}",
            instance=item,
            fields={"text": _("tekst")},
            url=f"{page}#swot-element-{item.pk}",
        )
        for item in SwotItem.objects.filter(analysis=analysis).order_by("quadrant", "order", "pk")
    ]
    result += [
        Part(
            key=f"actor-{actor.pk}",
            label=_("Actor: %(name)s") % {"name": actor.name},
            instance=actor,
            fields={"name": _("naam"), "notes": _("notities")},
            url=f"{page}#actor-{actor.pk}",
        )
        for actor in Actor.objects.filter(analysis=analysis).order_by("order", "name")
    ]
    return result


def analysis_history(analysis) -> list:
    return [
        Analysis.history.filter(id=analysis.pk),
        *(
            model.history.filter(analysis_id=analysis.pk)
            for model in (Section, GuidingAnswer, Indicator, SwotItem, Actor)
        ),
    ]


def vision_parts(vision) -> list[Part]:
    return [
        Part(
            key="document",
            label=_("Visie en missie"),
            instance=vision,
            fields={"vision": _("visie"), "mission": _("missie")},
            url=_vision_page(vision),
        )
    ]


def vision_history(vision) -> list:
    return [VisionMission.history.filter(id=vision.pk)]


def register_reviewables() -> None:
    registry.register(
        ANALYSIS,
        label=_("Omgevingsanalyse"),
        model=Analysis,
        parts=analysis_parts,
        history=analysis_history,
        page_url=_analysis_page,
        printable="omgevingsanalyse",
    )
    registry.register(
        VISION,
        label=_("Visie en missie"),
        model=VisionMission,
        parts=vision_parts,
        history=vision_history,
        page_url=_vision_page,
        printable="visie-missie",
    )
