"""Thin views: resolve the municipality through the user's scope, call one selector or service,
render. Everyone who is a member reads; only the opsteller gets forms and may POST."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.base import Message
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.editing import StaleVersionError, versioned_edit
from apps.core.http import bad_request, first_error, local_redirect
from apps.core.models import DocumentKind
from apps.core.richtext import editable_text
from apps.core.scope import MunicipalityScope
from apps.library.models import LibraryProposal
from apps.library.selectors import practice_examples
from apps.review.diff import has_changes, word_diff

from . import selectors, services
from .forms import (
    IntroductionForm,
    LibraryChangeForm,
    LibraryFilterForm,
    MoveForm,
    OwnProposalForm,
    ProposalForm,
)


class Scope(MunicipalityScope):
    """The municipality, legislature and memorandum a request works in."""

    def __init__(self, request, nis_code: str):
        super().__init__(request, nis_code)
        self.memorandum = selectors.memorandum_for(
            user=request.user, municipality=self.municipality, legislature=self.legislature
        )
        self.document = self.memorandum
        self.lock(self.memorandum)

    def require_memorandum(self):
        if self.memorandum is None:
            raise Http404
        return self.memorandum

    def ensure_memorandum(self):
        if self.memorandum is None:
            if self.legislature is None:
                raise Http404
            self.memorandum = services.memorandum_get_or_create(
                municipality=self.municipality, legislature=self.legislature, by=self.user
            )
            self.document = self.memorandum
        return self.memorandum

    def proposal(self, pk: int):
        return selectors.proposal_for_user(user=self.user, municipality=self.municipality, pk=pk)

    def context(self, **extra) -> dict:
        return super().context(memorandum=self.memorandum, **extra)


def _memorandum_url(scope: Scope, anchor: str = "") -> str:
    url = reverse("beleidsvoorstellen:memorandum", args=[scope.municipality.nis_code])
    return f"{url}#{anchor}" if anchor else url


def _anchor(proposal) -> str:
    return f"voorstel-{proposal.pk}"


# A message about one part of the memorandum carries that part's anchor as its extra tag
# ("voorstel-12", "inleiding"); the memorandum page shows it there instead of at the top.
INTRODUCTION = "inleiding"


def _placed_messages(request, anchors: set[str]) -> tuple[list[Message], dict[str, list]]:
    """This request's messages split into those shown at the top of the page and those shown
    next to the part they are about. Reading them marks them as shown (no query)."""
    top: list[Message] = []
    placed: dict[str, list[Message]] = {}
    for message in messages.get_messages(request):
        if message.extra_tags in anchors:
            placed.setdefault(message.extra_tags, []).append(message)
        else:
            # An anchor that is gone (a proposal deleted meanwhile): at the top, without it.
            top.append(Message(message.level, message.message) if message.extra_tags else message)
    # The edit page's own confirmation (apps.core.editing) repeats the placed one: show it once.
    shown = {message.message for group in placed.values() for message in group}
    return [message for message in top if message.message not in shown], placed


@login_required
def memorandum_detail(request, nis_code: str):
    scope = Scope(request, nis_code)
    data = {}
    proposals = []
    if scope.memorandum is not None:
        data = selectors.memorandum_page_data(memorandum=scope.memorandum)
        proposals = [p for group in data["groups"] for p in group["proposals"]]
    anchors = {INTRODUCTION, *(_anchor(p) for p in proposals)}
    top_messages, placed = _placed_messages(request, anchors)
    for proposal in proposals:
        proposal.notices = placed.get(_anchor(proposal), [])
    return render(
        request,
        "beleidsvoorstellen/memorandum.html",
        scope.context(
            messages=top_messages,
            introduction_notices=placed.get(INTRODUCTION, []),
            data=data,
            examples=practice_examples(DocumentKind.MEMORANDUM),
            pdf_url=reverse("documents:memorandum_pdf", args=[nis_code])
            if scope.memorandum
            else None,
        ),
    )


@login_required
@require_POST
def memorandum_start(request, nis_code: str):
    scope = Scope(request, nis_code)
    scope.require_edit()
    scope.ensure_memorandum()
    return redirect(_memorandum_url(scope))


@login_required
@require_http_methods(["GET", "POST"])
def introduction_edit(request, nis_code: str):
    scope = Scope(request, nis_code)
    scope.require_edit()
    memorandum = scope.require_memorandum()
    message = _("De inleiding is opgeslagen.")

    def save(form):
        services.memorandum_update_introduction(
            memorandum=memorandum,
            introduction=form.cleaned_data["introduction"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
        messages.success(request, message, extra_tags=INTRODUCTION)

    return versioned_edit(
        request,
        form_class=IntroductionForm,
        initial=lambda: {
            "introduction": editable_text(memorandum.introduction),
            "version": memorandum.version,
        },
        save=save,
        success_url=_memorandum_url(scope, INTRODUCTION),
        success_message=message,
        template="beleidsvoorstellen/introduction_form.html",
        context=scope.context(heading=_("Inleiding bewerken")),
    )


@login_required
@require_http_methods(["GET"])
def library_browse(request, nis_code: str):
    scope = Scope(request, nis_code)
    form = LibraryFilterForm(request.GET or None)
    filters = selectors.LibraryFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.LibraryFilters(
            action_area=form.cleaned_data["action_area"],
            level=form.cleaned_data["level"],
            sdg=form.cleaned_data["sdg"],
            q=form.cleaned_data["q"].strip(),
        )
    data = selectors.library_browse(memorandum=scope.memorandum, filters=filters)
    return render(
        request,
        "beleidsvoorstellen/library.html",
        scope.context(form=form, filters=filters, **data),
    )


@login_required
@require_POST
def proposal_adopt(request, nis_code: str, library_pk: int):
    scope = Scope(request, nis_code)
    scope.require_edit()
    library_proposal = get_object_or_404(LibraryProposal.objects.active(), pk=library_pk)
    memorandum = scope.ensure_memorandum()
    try:
        proposal = services.proposal_adopt(
            memorandum=memorandum, library_proposal=library_proposal, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return local_redirect(
            request,
            request.POST.get("next"),
            reverse("beleidsvoorstellen:library", args=[nis_code]),
        )
    message = _("“%(title)s” is opgenomen in het memorandum.") % {"title": proposal.title}
    if request.POST.get("next"):
        # Back to the library card it was adopted from (the library page shows messages on top).
        messages.success(request, message)
        return local_redirect(
            request, request.POST["next"], reverse("beleidsvoorstellen:library", args=[nis_code])
        )
    messages.success(request, message, extra_tags=_anchor(proposal))
    return redirect(_memorandum_url(scope, _anchor(proposal)))


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request, nis_code: str):
    scope = Scope(request, nis_code)
    scope.require_edit()
    if request.method == "POST":
        form = OwnProposalForm(request.POST)
        if form.is_valid():
            proposal = services.proposal_create_own(
                memorandum=scope.ensure_memorandum(),
                action_area=form.cleaned_data["action_area"],
                level=form.cleaned_data["level"],
                **form.proposal_data(),
                by=request.user,
            )
            messages.success(
                request, _("Het eigen voorstel is toegevoegd."), extra_tags=_anchor(proposal)
            )
            return redirect(_memorandum_url(scope, _anchor(proposal)))
    else:
        form = OwnProposalForm()
    return render(
        request,
        "beleidsvoorstellen/proposal_create.html",
        scope.context(
            form=form, heading=_("Eigen voorstel toevoegen"), submit_label=_("Toevoegen")
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, nis_code: str, pk: int):
    scope = Scope(request, nis_code)
    proposal = scope.proposal(pk)
    scope.require_edit()
    message = _("Het voorstel is opgeslagen.")

    def save(form):
        services.proposal_update(
            proposal=proposal,
            **form.proposal_data(),
            ticked_sub_option_ids=[o.pk for o in form.cleaned_data.get("ticked_sub_options", [])],
            field_values=form.field_values(),
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
        messages.success(request, message, extra_tags=_anchor(proposal))

    return versioned_edit(
        request,
        form_class=ProposalForm,
        form_kwargs={"proposal": proposal},
        initial=lambda: ProposalForm.initial_for(proposal),
        save=save,
        success_url=_memorandum_url(scope, _anchor(proposal)),
        success_message=message,
        template="beleidsvoorstellen/proposal_edit.html",
        context=scope.context(proposal=proposal, heading=_("Voorstel bewerken")),
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_delete(request, nis_code: str, pk: int):
    scope = Scope(request, nis_code)
    proposal = scope.proposal(pk)
    scope.require_edit()
    if request.method == "POST":
        services.proposal_delete(proposal=proposal, by=request.user)
        messages.success(
            request, _("“%(title)s” is uit het memorandum verwijderd.") % {"title": proposal.title}
        )
        return redirect(_memorandum_url(scope))
    return render(
        request, "beleidsvoorstellen/proposal_delete.html", scope.context(proposal=proposal)
    )


@login_required
@require_POST
def proposal_move(request, nis_code: str, pk: int):
    scope = Scope(request, nis_code)
    proposal = scope.proposal(pk)
    scope.require_edit()
    form = MoveForm(request.POST)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    direction = form.cleaned_data["direction"]
    try:
        services.proposal_move(proposal=proposal, direction=direction, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages), extra_tags=_anchor(proposal))
    else:
        moved = (
            _("“%(title)s” staat nu een plaats hoger.")
            if direction == "up"
            else _("“%(title)s” staat nu een plaats lager.")
        )
        messages.success(request, moved % {"title": proposal.title}, extra_tags=_anchor(proposal))
    return redirect(_memorandum_url(scope, _anchor(proposal)))


@login_required
@require_http_methods(["GET", "POST"])
def proposal_library_change(request, nis_code: str, pk: int):
    scope = Scope(request, nis_code)
    proposal = scope.proposal(pk)
    if proposal.source is None:
        raise Http404
    conflict = None
    if request.method == "POST":
        scope.require_edit()
        form = LibraryChangeForm(request.POST)
        if not form.is_valid():
            return bad_request(request, first_error(form))
        try:
            services.proposal_accept_library_change(
                proposal=proposal,
                replace_text=form.cleaned_data["action"] == "overnemen",
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except StaleVersionError as error:
            conflict = error
            proposal = scope.proposal(pk)
        else:
            messages.success(
                request,
                _("De wijziging in de bibliotheek is verwerkt."),
                extra_tags=_anchor(proposal),
            )
            return redirect(_memorandum_url(scope, _anchor(proposal)))
    source = proposal.source
    return render(
        request,
        "beleidsvoorstellen/library_change.html",
        scope.context(
            proposal=proposal,
            source=source,
            title_diff=word_diff(proposal.source_title, source.title),
            text_diff=word_diff(proposal.source_text, source.text),
            title_changed=has_changes(proposal.source_title, source.title),
            text_changed=has_changes(proposal.source_text, source.text),
            conflict=conflict,
        ),
        status=409 if conflict else 200,
    )
