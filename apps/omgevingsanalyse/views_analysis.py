"""The omgevingsanalyse page, its introduction and sections, the cited global figures and the
answers to the guide's guiding questions.

Thin views: resolve the analysis through the user's scope (another municipality is a 404), call
one selector or service, render. Every member reads; only the opsteller gets forms and may POST
(403 otherwise). Ids in a POST go through a form: a wrong one is a 400 page with a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.editing import StaleVersionError, rebind_with_version, versioned_edit
from apps.core.http import bad_request, first_error, local_redirect
from apps.core.models import DocumentKind
from apps.core.richtext import editable_text
from apps.library.models import GuidingQuestion

from . import selectors, services
from .forms_analysis import (
    AnswerForm,
    AnswerToSectionForm,
    FigureForm,
    IntroductionForm,
    SectionCreateForm,
    SectionForm,
    SectionMoveForm,
    StartForm,
)
from .models import CitedFigure, GuidingAnswer, Section
from .scope import AnalysisScope

# The help panels of the section edit page that a redirect may open (?open=…).
HELP_PANELS = {"cijfers", "antwoorden"}


def _url(name: str, scope: AnalysisScope, *args, anchor: str = "") -> str:
    url = reverse(f"omgevingsanalyse:{name}", args=[scope.municipality.nis_code, *args])
    return f"{url}#{anchor}" if anchor else url


def _analysis_url(scope: AnalysisScope, anchor: str = "") -> str:
    return _url("analysis", scope, anchor=anchor)


def _section_edit_url(scope: AnalysisScope, section, panel: str = "") -> str:
    url = _url("section_edit", scope, section.pk)
    return f"{url}?open={panel}#{panel}" if panel else url


def _answer_auto_id(question) -> str:
    """Unique ids per question, so each label points at its own field on the questions page."""
    return f"vraag-{question.pk}-%s"


# --- the page ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def analysis_page(request, nis_code: str):
    scope = AnalysisScope(request, nis_code)
    if scope.analysis is not None:
        data = selectors.analysis_page_data(analysis=scope.analysis)
    else:
        data = {
            "structures": selectors.structures(),
            "examples": selectors.practice_examples(DocumentKind.OMGEVINGSANALYSE),
        }
    return render(request, "omgevingsanalyse/analysis.html", scope.context(**data))


@login_required
@require_POST
def analysis_start(request, nis_code: str):
    scope = AnalysisScope(request, nis_code)
    scope.require_edit()
    if scope.legislature is None:
        raise Http404
    if scope.analysis is not None:
        messages.info(request, _("De omgevingsanalyse is al gestart."))
        return redirect(_analysis_url(scope))
    form = StartForm(request.POST)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    structure = form.cleaned_data["structure"]
    try:
        services.analysis_start(
            municipality=scope.municipality,
            legislature=scope.legislature,
            structure=structure,
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("De omgevingsanalyse is gestart met de structuur “%(name)s”.")
            % {"name": structure.name},
        )
    return redirect(_analysis_url(scope))


@login_required
@require_http_methods(["GET", "POST"])
def introduction_edit(request, nis_code: str):
    scope = AnalysisScope(request, nis_code)
    scope.require_edit()
    analysis = scope.require_analysis()
    return versioned_edit(
        request,
        form_class=IntroductionForm,
        initial=lambda: {
            "introduction": editable_text(analysis.introduction),
            "version": analysis.version,
        },
        save=lambda form: services.analysis_update_introduction(
            analysis=analysis,
            introduction=form.cleaned_data["introduction"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
        ),
        success_url=_analysis_url(scope, "inleiding"),
        success_message=_("De inleiding is opgeslagen."),
        template="omgevingsanalyse/introduction_form.html",
        context=scope.context(heading=_("Inleiding bewerken")),
    )


# --- sections ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def section_create(request, nis_code: str):
    scope = AnalysisScope(request, nis_code)
    scope.require_edit()
    analysis = scope.require_analysis()
    if request.method == "POST":
        form = SectionCreateForm(request.POST)
        if form.is_valid():
            try:
                section = services.section_create(
                    analysis=analysis,
                    title=form.cleaned_data["title"],
                    sdg_goals=form.cleaned_data["sdg_goals"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("De sectie “%(title)s” is toegevoegd.") % {"title": section.title},
                )
                return redirect(_analysis_url(scope, f"sectie-{section.pk}"))
    else:
        form = SectionCreateForm()
    return render(
        request,
        "omgevingsanalyse/section_create.html",
        scope.context(form=form, heading=_("Sectie toevoegen"), submit_label=_("Toevoegen")),
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, nis_code: str, pk: int):
    scope = AnalysisScope(request, nis_code)
    section = scope.part(Section, pk)
    scope.require_edit()
    cited = list(section.figures.all())
    cited_ids = {c.figure_id for c in cited}
    answered = [
        (question, answer)
        for question, answer in selectors.questions_with_answers(scope.analysis)
        if answer is not None and answer.answer
    ]
    panel = request.GET.get("open", "")
    return versioned_edit(
        request,
        form_class=SectionForm,
        initial=lambda: SectionForm.initial_for(section),
        save=lambda form: services.section_update(
            section=section,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            sdg_goals=form.cleaned_data["sdg_goals"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
        ),
        success_url=_analysis_url(scope, f"sectie-{section.pk}"),
        success_message=_("De sectie is opgeslagen."),
        template="omgevingsanalyse/section_edit.html",
        context=scope.context(
            section=section,
            heading=_("Sectie “%(title)s” bewerken") % {"title": section.title},
            cited=cited,
            available_figures=[f for f in selectors.global_figures() if f.pk not in cited_ids],
            answered=answered,
            open_panel=panel if panel in HELP_PANELS else "",
            edit_url=_section_edit_url(scope, section),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_delete(request, nis_code: str, pk: int):
    scope = AnalysisScope(request, nis_code)
    section = scope.part(Section, pk)
    scope.require_edit()
    if request.method == "POST":
        services.section_delete(section=section, by=request.user)
        messages.success(
            request,
            _("De sectie “%(title)s” is uit de omgevingsanalyse verwijderd.")
            % {"title": section.title},
        )
        return redirect(_analysis_url(scope, "secties"))
    return render(
        request,
        "omgevingsanalyse/section_delete.html",
        scope.context(section=section, cited=list(section.figures.all())),
    )


@login_required
@require_POST
def section_move(request, nis_code: str, pk: int):
    scope = AnalysisScope(request, nis_code)
    section = scope.part(Section, pk)
    scope.require_edit()
    form = SectionMoveForm(request.POST)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    try:
        services.section_move(
            section=section, direction=form.cleaned_data["direction"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_analysis_url(scope, f"sectie-{section.pk}"))


# --- cited global figures ------------------------------------------------------------------


@login_required
@require_POST
def figure_cite(request, nis_code: str, pk: int):
    scope = AnalysisScope(request, nis_code)
    section = scope.part(Section, pk)
    scope.require_edit()
    form = FigureForm(request.POST)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    figure = form.cleaned_data["figure"]
    try:
        services.figure_cite(section=section, figure=figure, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Het cijfer “%(figure)s” staat nu in deze sectie, met zijn bron.")
            % {"figure": figure.figure},
        )
    return redirect(_section_edit_url(scope, section, "cijfers"))


@login_required
@require_POST
def figure_uncite(request, nis_code: str, pk: int):
    scope = AnalysisScope(request, nis_code)
    cited = scope.part(CitedFigure, pk)
    scope.require_edit()
    services.figure_uncite(cited=cited, by=request.user)
    messages.success(
        request,
        _("Het cijfer “%(figure)s” is uit deze sectie verwijderd.")
        % {"figure": cited.figure.figure},
    )
    return redirect(_section_edit_url(scope, cited.section, "cijfers"))


# --- guiding questions ---------------------------------------------------------------------


def _questions_page(request, scope: AnalysisScope, *, bound=None, conflict=None, status=200):
    """The guiding questions with their answers; for the opsteller a form per question, the
    one just posted (``bound``) keeping what was typed."""
    analysis = scope.require_analysis()
    sections = list(Section.objects.filter(analysis=analysis).order_by("order", "pk"))
    items = []
    for number, (question, answer) in enumerate(
        selectors.questions_with_answers(analysis), start=1
    ):
        item = {"number": number, "question": question, "answer": answer, "form": None}
        if scope.can_edit:
            if bound is not None and bound[0] == question.pk:
                form = bound[1]
                item["conflict"] = conflict
            else:
                form = AnswerForm(
                    initial={
                        "answer": editable_text(answer.answer if answer else ""),
                        "version": answer.version if answer else 0,
                    },
                    auto_id=_answer_auto_id(question),
                )
            form.fields["answer"].label = _("Antwoord op vraag %(number)d") % {"number": number}
            item["form"] = form
        items.append(item)
    return render(
        request,
        "omgevingsanalyse/questions.html",
        scope.context(
            items=items,
            sections=sections,
            conflict=conflict,
            heading=_("Hulpvragen"),
            questions_url=_url("questions", scope),
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def questions_page(request, nis_code: str):
    return _questions_page(request, AnalysisScope(request, nis_code))


@login_required
@require_POST
def answer_save(request, nis_code: str, question_pk: int):
    scope = AnalysisScope(request, nis_code)
    scope.require_edit()
    analysis = scope.require_analysis()
    question = get_object_or_404(
        GuidingQuestion.objects.filter(document_kind=DocumentKind.OMGEVINGSANALYSE),
        pk=question_pk,
    )
    auto_id = _answer_auto_id(question)
    form = AnswerForm(request.POST, auto_id=auto_id)
    conflict = None
    if form.is_valid():
        try:
            services.answer_save(
                analysis=analysis,
                question=question,
                answer=form.cleaned_data["answer"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except StaleVersionError as error:
            conflict = error
            form = rebind_with_version(
                AnswerForm, request.POST, error.current.version, auto_id=auto_id
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het antwoord is opgeslagen."))
            return redirect(_url("questions", scope, anchor=f"vraag-{question.pk}"))
    return _questions_page(
        request,
        scope,
        bound=(question.pk, form),
        conflict=conflict,
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def answer_to_section(request, nis_code: str, pk: int):
    scope = AnalysisScope(request, nis_code)
    answer = scope.part(GuidingAnswer, pk)
    scope.require_edit()
    form = AnswerToSectionForm(request.POST, analysis=scope.analysis)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    section = form.cleaned_data["section"]
    try:
        services.answer_to_section(answer=answer, section=section, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Het antwoord staat nu onderaan de tekst van de sectie “%(title)s”.")
            % {"title": section.title},
        )
    return local_redirect(
        request, form.cleaned_data["next"], _section_edit_url(scope, section, "antwoorden")
    )
