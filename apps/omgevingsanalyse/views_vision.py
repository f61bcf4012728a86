"""Visie & missie: every member reads the page, only the opsteller edits the two texts. The
guide's guiding questions and practice examples are help for the drafter: shown beside the
texts, never printed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from apps.core.editing import versioned_edit
from apps.core.models import DocumentKind
from apps.core.richtext import visible_text

from . import selectors, services
from .forms_vision import VisionForm
from .scope import AnalysisScope

VISION_TOPIC = "visie"
MISSION_TOPIC = "missie"

# The topics of the guide's questions (free text in the reference data), in the reader's
# language; a topic not listed here shows as it is stored.
TOPIC_LABELS = {
    VISION_TOPIC: gettext_lazy("Visie"),
    MISSION_TOPIC: gettext_lazy("Missie"),
    "strategie": gettext_lazy("Strategie"),
    "lokale vertaalslag": gettext_lazy("Lokale vertaalslag"),
    "actoren": gettext_lazy("Actoren"),
    "aanpak": gettext_lazy("Aanpak"),
}


def question_groups(questions) -> list[dict]:
    """The guiding questions per topic: vision first, mission second, the other topics after
    them in the order of their first question."""
    groups: dict[str, list] = {}
    for question in questions:
        groups.setdefault(question.topic.strip().lower(), []).append(question)
    first = [topic for topic in (VISION_TOPIC, MISSION_TOPIC) if topic in groups]
    ordered = first + [topic for topic in groups if topic not in first]
    return [
        {
            "topic": topic,
            "label": TOPIC_LABELS.get(topic) or topic.capitalize(),
            "questions": groups[topic],
        }
        for topic in ordered
    ]


def _questions_context() -> dict:
    groups = question_groups(selectors.guiding_questions(DocumentKind.VISIE_MISSIE))
    return {
        "question_groups": groups,
        "other_question_groups": [
            group for group in groups if group["topic"] not in (VISION_TOPIC, MISSION_TOPIC)
        ],
    }


def _vision_url(scope: AnalysisScope) -> str:
    return reverse("omgevingsanalyse:vision", args=[scope.municipality.nis_code])


@login_required
@require_http_methods(["GET"])
def vision_page(request, nis_code: str):
    scope = AnalysisScope(request, nis_code)
    scope.use_vision()
    vision = scope.vision
    has_vision = bool(vision and visible_text(vision.vision))
    has_mission = bool(vision and visible_text(vision.mission))
    return render(
        request,
        "omgevingsanalyse/vision.html",
        scope.context(
            has_vision=has_vision,
            has_mission=has_mission,
            written=has_vision or has_mission,
            examples=selectors.practice_examples(DocumentKind.VISIE_MISSIE),
            **_questions_context(),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def vision_edit(request, nis_code: str):
    scope = AnalysisScope(request, nis_code)
    scope.use_vision()
    scope.require_edit()
    # Looking at the edit page, or a refused save, creates nothing; the first save does.
    vision = scope.vision
    return versioned_edit(
        request,
        form_class=VisionForm,
        initial=lambda: VisionForm.initial_for(vision) if vision else {"version": 1},
        save=lambda form: services.vision_update(
            vision=scope.ensure_vision(),
            vision_text=form.cleaned_data["vision"],
            mission_text=form.cleaned_data["mission"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
        ),
        success_url=_vision_url(scope),
        success_message=_("Visie en missie zijn opgeslagen."),
        template="omgevingsanalyse/vision_form.html",
        context=scope.context(heading=_("Visie en missie bewerken"), **_questions_context()),
    )
