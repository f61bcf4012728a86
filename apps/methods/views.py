"""The methods overview and the worksheet pages: thin views over selectors and services.

Members reach a worksheet through their municipality's scope (another municipality's is a
404); guests reach exactly one worksheet through the key of their invitation (views_guest.py).
Both draw the same board: ``worksheet_context`` below, with the URL prefix each posts to.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.editing import StaleVersionError, versioned_edit
from apps.core.http import bad_request, first_error
from apps.core.scope import MunicipalityScope

from . import selectors, services, spreadsheet
from .forms import (
    ActionForm,
    ActorTransferForm,
    ContributionEditForm,
    ContributionForm,
    CriterionForm,
    EvaluationForm,
    GroupForm,
    InvitationForm,
    ProjectSheetForm,
    ProposalForm,
    ScoreForm,
    SettingsForm,
    WorksheetForm,
)
from .kinds import KINDS, kind_of, oecd_questions
from .permissions import Participant, can_contribute, can_manage

POLL_SECONDS = 5


def _worksheet_url(worksheet) -> str:
    return reverse("methods:worksheet", args=[worksheet.municipality.nis_code, worksheet.pk])


def contribution_form(worksheet, data=None, section=None):
    kind = kind_of(worksheet)
    section = section if section in kind.section_keys else kind.sections[0][0]
    return ContributionForm(
        data,
        auto_id=f"id_{section}_%s" if kind.uses_question else "id_bijdrage_%s",
        kind=kind,
        worksheet=worksheet,
        questions=oecd_questions(section) if kind.uses_question else (),
        initial={"section": section},
    )


def worksheet_context(worksheet, participant: Participant, *, base: str, form=None) -> dict:
    board = selectors.board(worksheet, participant)
    kind = board.kind
    forms_by_section = {}
    if kind.uses_question:
        # One small form per criterion: its questions are the choices.
        for key, _label in kind.sections:
            forms_by_section[key] = (
                form
                if form is not None and form.data.get("section") == key
                else contribution_form(worksheet, section=key)
            )
    return {
        "worksheet": worksheet,
        "method": worksheet.method,
        "board": board,
        "kind": kind,
        "base": base,
        "poll_url": f"{base}bijdragen/",
        "poll_seconds": POLL_SECONDS,
        "may_contribute": can_contribute(participant, worksheet)
        and worksheet.phase != "afgesloten",
        "form": form or contribution_form(worksheet),
        "forms_by_section": forms_by_section,
        "is_guest": participant.is_guest,
    }


# --- overview --------------------------------------------------------------------------------


@login_required
@require_GET
def overview(request, nis_code):
    scope = MunicipalityScope(request, nis_code)
    methods = selectors.methods_with_worksheets(scope.municipality, scope.legislature)
    for method in methods:
        method.has_worksheet = method.key in KINDS
    return render(request, "methods/overview.html", scope.context(methods=methods))


@login_required
@require_http_methods(["GET", "POST"])
def worksheet_create(request, nis_code, method_key):
    scope = MunicipalityScope(request, nis_code)
    method = selectors.method_by_key(method_key)
    if not scope.may_write:
        raise PermissionDenied
    if method.key not in KINDS or scope.legislature is None:
        return bad_request(request, _("Voor deze werkvorm is er nog geen werkblad."))
    form = WorksheetForm(request.POST or None, initial={"title": method.name})
    if request.method == "POST" and form.is_valid():
        try:
            worksheet = services.worksheet_create(
                municipality=scope.municipality,
                legislature=scope.legislature,
                method=method,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Het werkblad is geopend."))
            return redirect(_worksheet_url(worksheet))
    return render(request, "methods/worksheet_create.html", scope.context(method=method, form=form))


# --- the worksheet ---------------------------------------------------------------------------


def _scoped(request, nis_code, worksheet_pk):
    scope = MunicipalityScope(request, nis_code)
    worksheet = selectors.worksheet_for_municipality(scope.municipality, worksheet_pk)
    return scope, worksheet


def _member_page(request, scope, worksheet, *, form=None, extra=None, status=200):
    participant = Participant(user=request.user)
    context = worksheet_context(worksheet, participant, base=_worksheet_url(worksheet), form=form)
    kind = context["kind"]
    if context["board"].manager:
        context.update(
            settings_form=SettingsForm(
                auto_id="id_instellingen_%s",
                kind=kind,
                initial={
                    "open_to_members": worksheet.open_to_members,
                    "phase": worksheet.phase,
                    "round": worksheet.round,
                    "version": worksheet.version,
                },
            ),
            # Each form its own ids: several forms on one page share field names.
            group_form=GroupForm(auto_id="id_groep_%s"),
            invitation_form=InvitationForm(auto_id="id_gast_%s"),
            criterion_form=CriterionForm(auto_id="id_criterium_%s"),
            invitations=list(worksheet.invitations.all()),
            proposal_form=ProposalForm(),
        )
        board = context["board"]
        if kind.key in {source for source, _section in services.PROPOSAL_SOURCES}:
            action_form = ActionForm(worksheet=worksheet)
            context["action_plans"] = list(action_form.fields["action_plan"].queryset)
        context["proposal_candidates"] = [
            c
            for c in board.contributions
            if (kind.key, c.section) in services.PROPOSAL_SOURCES and not c.transfer_count
        ]
        if kind.key == "swot":
            context["swot_candidates"] = [c for c in board.contributions if not c.transfer_count]
        context["actor_candidates"] = [
            (
                c,
                ActorTransferForm(
                    auto_id=f"id_actor{c.pk}_%s",
                    initial={
                        "sphere": c.section if kind.key == "outcome-mapping" else "invloed",
                        "state": c.section if kind.key == "initiatieven" else "loopt",
                        "kind": "ander",
                    },
                ),
            )
            for c in board.contributions
            if (kind.key, c.section) in services.ACTOR_SOURCES and not c.transfer_count
        ]
        context["marker_candidates"] = [
            c
            for c in board.contributions
            if kind.key == "outcome-mapping"
            and c.section in services.MARKER_SECTIONS
            and not c.transfer_count
        ]
        if kind.key == "oeso-dac":
            context["evaluation_transferred"] = worksheet.transfers.exists()
            context["evaluation_forms"] = [
                (
                    criterion,
                    EvaluationForm(
                        initial={
                            "criterion": criterion["key"],
                            "version": getattr(criterion["evaluation"], "version", 0),
                            "text": getattr(criterion["evaluation"], "text", ""),
                        },
                        # Field names stay the same (the view reads them); ids differ per form.
                        auto_id=f"id_eval_{criterion['key']}_%s",
                    ),
                )
                for criterion in board.extra["criteria"]
            ]
        if kind.key == "brainwriting" and context["board"].extra.get("criteria"):
            criteria = context["board"].extra["criteria"]
            for row in context["board"].extra["grid"]:
                row["form"] = ScoreForm(
                    criteria=criteria,
                    prefix=f"idee{row['idea'].pk}",
                    initial={f"c{c.pk}": v for c, v in row["cells"]},
                )
    context.update(extra or {})
    return render(request, "methods/worksheet.html", scope.context(**context), status=status)


@login_required
@require_GET
def worksheet_page(request, nis_code, worksheet_pk):
    scope, worksheet = _scoped(request, nis_code, worksheet_pk)
    return _member_page(request, scope, worksheet)


@login_required
@require_GET
def board_fragment(request, nis_code, worksheet_pk):
    scope, worksheet = _scoped(request, nis_code, worksheet_pk)
    context = worksheet_context(
        worksheet, Participant(user=request.user), base=_worksheet_url(worksheet)
    )
    return render(request, "methods/worksheet.html#board", scope.context(**context))


def add_contribution(request, worksheet, participant):
    """Shared by members and guests: the new row, or the form with its errors (None)."""
    form = contribution_form(worksheet, request.POST, section=request.POST.get("section"))
    if not form.is_valid():
        return None, form
    data = form.cleaned_data
    try:
        services.contribution_add(
            worksheet=worksheet,
            participant=participant,
            section=data["section"],
            text=data["text"],
            detail=data.get("detail") or "",
            sdg=data.get("sdg"),
            group=data.get("group"),
            parent=data.get("parent"),
            question=data.get("question"),
            action_areas=data.get("action_areas") or (),
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None, form
    return True, form


@login_required
@require_POST
def contribution_add(request, nis_code, worksheet_pk):
    scope, worksheet = _scoped(request, nis_code, worksheet_pk)
    if not can_contribute(Participant(user=request.user), worksheet):
        raise PermissionDenied
    done, form = add_contribution(request, worksheet, Participant(user=request.user))
    if not done:
        return _member_page(request, scope, worksheet, form=form, status=400)
    messages.success(request, _("Je bijdrage staat op het werkblad."))
    return redirect(_worksheet_url(worksheet))


@login_required
@require_POST
def contribution_remove(request, nis_code, worksheet_pk, contribution_pk):
    _scope, worksheet = _scoped(request, nis_code, worksheet_pk)
    contribution = selectors.contribution_of(worksheet, contribution_pk)
    try:
        services.contribution_remove(
            contribution=contribution, participant=Participant(user=request.user)
        )
    except ValidationError as error:
        return bad_request(request, " ".join(error.messages))
    messages.success(request, _("De bijdrage is verwijderd."))
    return redirect(_worksheet_url(worksheet))


@login_required
@require_http_methods(["GET", "POST"])
def contribution_edit(request, nis_code, worksheet_pk, contribution_pk):
    scope, worksheet = _scoped(request, nis_code, worksheet_pk)
    contribution = selectors.contribution_of(worksheet, contribution_pk)
    participant = Participant(user=request.user)
    if contribution.author_id != request.user.pk or not can_contribute(participant, worksheet):
        raise PermissionDenied
    kind = kind_of(worksheet)

    def save(form):
        services.contribution_edit(
            contribution=contribution,
            participant=participant,
            text=form.cleaned_data["text"],
            detail=form.cleaned_data.get("detail") or "",
            expected_version=form.cleaned_data["version"],
        )

    return versioned_edit(
        request,
        form_class=ContributionEditForm,
        form_kwargs={"kind": kind},
        initial=lambda: {
            "version": contribution.version,
            "text": contribution.text,
            "detail": contribution.detail,
        },
        save=save,
        success_url=f"{_worksheet_url(worksheet)}#idee-{contribution.pk}",
        success_message=_("Je bijdrage is aangepast."),
        template="methods/contribution_edit.html",
        context=scope.context(
            worksheet=worksheet,
            heading=_("Bijdrage aanpassen"),
            back_url=_worksheet_url(worksheet),
        ),
    )


@login_required
@require_POST
def vote(request, nis_code, worksheet_pk, contribution_pk):
    _scope, worksheet = _scoped(request, nis_code, worksheet_pk)
    contribution = selectors.contribution_of(worksheet, contribution_pk)
    try:
        services.vote_toggle(contribution=contribution, participant=Participant(user=request.user))
    except ValidationError as error:
        return bad_request(request, " ".join(error.messages))
    return redirect(f"{_worksheet_url(worksheet)}#idee-{contribution.pk}")


# --- the opsteller's side --------------------------------------------------------------------


def _managed(request, nis_code, worksheet_pk):
    """The worksheet, for the opsteller only (403 for the other roles, 404 elsewhere)."""
    _scope, worksheet = _scoped(request, nis_code, worksheet_pk)
    if not can_manage(request.user, worksheet):
        raise PermissionDenied
    return worksheet


def _refused(request, form=None, error: ValidationError | None = None):
    message = " ".join(error.messages) if error else first_error(form)
    return bad_request(request, message or _("Dit formulier is onvolledig."))


@login_required
@require_POST
def settings_save(request, nis_code, worksheet_pk):
    worksheet = _managed(request, nis_code, worksheet_pk)
    form = SettingsForm(request.POST, kind=kind_of(worksheet))
    if not form.is_valid():
        return _refused(request, form)
    try:
        services.worksheet_update_settings(
            worksheet=worksheet,
            open_to_members=form.cleaned_data["open_to_members"],
            phase=form.cleaned_data["phase"],
            round=form.cleaned_data["round"] or worksheet.round,
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
    except StaleVersionError as error:
        return bad_request(request, str(error), status=409)
    except ValidationError as error:
        return _refused(request, error=error)
    messages.success(request, _("De instellingen van het werkblad zijn bewaard."))
    return redirect(_worksheet_url(worksheet))


def _brainwriting_add(
    request, nis_code, worksheet_pk, *, form_class, service, message, anchor, kinds
):
    """A groups (trends) or criteria form of a brainwriting or GPS worksheet."""
    worksheet = _managed(request, nis_code, worksheet_pk)
    form = form_class(request.POST)
    if not form.is_valid() or kind_of(worksheet).key not in kinds:
        return _refused(request, form)
    try:
        service(worksheet=worksheet, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, error=error)
    messages.success(request, message)
    return redirect(f"{_worksheet_url(worksheet)}#{anchor}")


@login_required
@require_POST
def group_add(request, nis_code, worksheet_pk):
    return _brainwriting_add(
        request,
        nis_code,
        worksheet_pk,
        form_class=GroupForm,
        service=services.group_add,
        message=_("De groep is toegevoegd."),
        anchor="werkblad-bord",
        kinds=("brainwriting", "gps"),
    )


@login_required
@require_POST
def criterion_add(request, nis_code, worksheet_pk):
    return _brainwriting_add(
        request,
        nis_code,
        worksheet_pk,
        form_class=CriterionForm,
        service=services.criterion_add,
        message=_("Het criterium staat in het beslissingsrooster."),
        anchor="rooster",
        kinds=("brainwriting",),
    )


@login_required
@require_POST
def scores_save(request, nis_code, worksheet_pk, contribution_pk):
    worksheet = _managed(request, nis_code, worksheet_pk)
    contribution = selectors.contribution_of(worksheet, contribution_pk)
    criteria = list(worksheet.criteria.all())
    form = ScoreForm(request.POST, criteria=criteria, prefix=f"idee{contribution.pk}")
    if not form.is_valid():
        return _refused(request, form)
    try:
        for criterion in criteria:
            value = form.cleaned_data.get(f"c{criterion.pk}")
            if value is not None:
                services.score_set(
                    criterion=criterion, contribution=contribution, value=value, by=request.user
                )
    except ValidationError as error:
        return _refused(request, error=error)
    return redirect(f"{_worksheet_url(worksheet)}#rooster")


@login_required
@require_POST
def evaluation_save(request, nis_code, worksheet_pk):
    worksheet = _managed(request, nis_code, worksheet_pk)
    form = EvaluationForm(request.POST)
    if not form.is_valid() or kind_of(worksheet).key != "oeso-dac":
        return _refused(request, form)
    try:
        services.evaluation_save(
            worksheet=worksheet,
            criterion=form.cleaned_data["criterion"],
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
    except StaleVersionError as error:
        # The merged text the opsteller typed is shown back: a later save never loses it.
        return bad_request(request, str(error), status=409, kept_text=form.cleaned_data["text"])
    except ValidationError as error:
        return _refused(request, error=error)
    messages.success(request, _("De evaluatie is bewaard."))
    return redirect(f"{_worksheet_url(worksheet)}#evaluatie-{form.cleaned_data['criterion']}")


@login_required
@require_POST
def invitation_create(request, nis_code, worksheet_pk):
    worksheet = _managed(request, nis_code, worksheet_pk)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    try:
        invitation, token = services.invitation_create(
            worksheet=worksheet, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        return _refused(request, error=error)
    link = request.build_absolute_uri(reverse("methods:guest", args=[token]))
    # The key is shown this once (only its hash is stored): in a message on the next page,
    # which the messages framework keeps in a signed cookie, not in the database.
    messages.success(
        request,
        _(
            "De persoonlijke link voor %(name)s (geldig tot %(date)s). Kopieer hem nu: hij "
            "wordt maar één keer getoond. %(link)s"
        )
        % {
            "name": invitation.guest_name,
            "date": date_format(timezone.localtime(invitation.expires_at), "j F Y"),
            "link": link,
        },
    )
    return redirect(f"{_worksheet_url(worksheet)}#uitnodigingen")


@login_required
@require_POST
def invitation_revoke(request, nis_code, worksheet_pk, invitation_pk):
    worksheet = _managed(request, nis_code, worksheet_pk)
    invitation = selectors.invitation_of(worksheet, invitation_pk)
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, _("De uitnodiging is ingetrokken; de link werkt niet meer."))
    return redirect(f"{_worksheet_url(worksheet)}#uitnodigingen")


@login_required
@require_POST
def to_proposal(request, nis_code, worksheet_pk, contribution_pk):
    worksheet = _managed(request, nis_code, worksheet_pk)
    contribution = selectors.contribution_of(worksheet, contribution_pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    return _hand_over(
        request,
        worksheet,
        lambda: services.contribution_to_proposal(
            contribution=contribution, by=request.user, **form.cleaned_data
        ),
        _("Het memorandum heeft een nieuw eigen voorstel."),
        anchor="",
    )


@login_required
@require_POST
def to_swot(request, nis_code, worksheet_pk, contribution_pk):
    worksheet = _managed(request, nis_code, worksheet_pk)
    contribution = selectors.contribution_of(worksheet, contribution_pk)
    return _hand_over(
        request,
        worksheet,
        lambda: services.contribution_to_swot(contribution=contribution, by=request.user),
        _("Het element staat in de SWOT van de omgevingsanalyse."),
    )


# --- GPS project sheets ----------------------------------------------------------------------


@login_required
@require_POST
def project_sheet_start(request, nis_code, worksheet_pk, contribution_pk):
    _scope, worksheet = _scoped(request, nis_code, worksheet_pk)
    idea = selectors.contribution_of(worksheet, contribution_pk)
    try:
        sheet = services.project_sheet_start(idea=idea, participant=Participant(user=request.user))
    except ValidationError as error:
        return _refused(request, error=error)
    return redirect(reverse("methods:project_sheet", args=[nis_code, worksheet.pk, sheet.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def project_sheet_edit(request, nis_code, worksheet_pk, sheet_pk):
    scope, worksheet = _scoped(request, nis_code, worksheet_pk)
    sheet = selectors.project_sheet_of(worksheet, sheet_pk)
    participant = Participant(user=request.user)
    if not can_contribute(participant, worksheet):
        raise PermissionDenied

    def save(form):
        services.project_sheet_save(
            sheet=sheet,
            participant=participant,
            expected_version=form.cleaned_data["version"],
            **{k: v for k, v in form.cleaned_data.items() if k != "version"},
        )

    return versioned_edit(
        request,
        form_class=ProjectSheetForm,
        initial=lambda: {
            "version": sheet.version,
            "description": sheet.description,
            "advantages": sheet.advantages,
            "pitfalls": sheet.pitfalls,
            "needs": sheet.needs,
        },
        save=save,
        success_url=f"{_worksheet_url(worksheet)}#idee-{sheet.idea_id}",
        success_message=_("De projectfiche is bewaard."),
        template="methods/project_sheet.html",
        context=scope.context(
            worksheet=worksheet,
            sheet=sheet,
            heading=_("Projectfiche: %(idea)s") % {"idea": sheet.idea.text[:80]},
            back_url=_worksheet_url(worksheet),
        ),
    )


@login_required
@require_POST
def to_action(request, nis_code, worksheet_pk, contribution_pk):
    worksheet = _managed(request, nis_code, worksheet_pk)
    contribution = selectors.contribution_of(worksheet, contribution_pk)
    form = ActionForm(request.POST, worksheet=worksheet)
    if not form.is_valid():
        return _refused(request, form)
    return _hand_over(
        request,
        worksheet,
        lambda: services.contribution_to_action(
            contribution=contribution, action_plan=form.cleaned_data["action_plan"], by=request.user
        ),
        _("Het meerjarenplan heeft een nieuwe actie."),
        anchor="",
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def export_xlsx(request, nis_code, worksheet_pk):
    _scope, worksheet = _scoped(request, nis_code, worksheet_pk)
    content = spreadsheet.export(worksheet, Participant(user=request.user))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{spreadsheet.filename(worksheet)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- results into the omgevingsanalyse -------------------------------------------------------


def _hand_over(request, worksheet, call, message, anchor="beheer"):
    """Run a hand-over of a worksheet's result into a document (``call``, a service): a refusal
    is a message page, success a message back on the worksheet (at ``anchor``, if any)."""
    try:
        call()
    except ValidationError as error:
        return _refused(request, error=error)
    messages.success(request, message)
    return redirect(
        f"{_worksheet_url(worksheet)}#{anchor}" if anchor else _worksheet_url(worksheet)
    )


@login_required
@require_POST
def to_actor(request, nis_code, worksheet_pk, contribution_pk):
    worksheet = _managed(request, nis_code, worksheet_pk)
    contribution = selectors.contribution_of(worksheet, contribution_pk)
    form = ActorTransferForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    return _hand_over(
        request,
        worksheet,
        lambda: services.contribution_to_actor(
            contribution=contribution, by=request.user, **form.cleaned_data
        ),
        _("De actor staat in de omgevingsanalyse."),
    )


@login_required
@require_POST
def to_indicator(request, nis_code, worksheet_pk, contribution_pk):
    worksheet = _managed(request, nis_code, worksheet_pk)
    contribution = selectors.contribution_of(worksheet, contribution_pk)
    return _hand_over(
        request,
        worksheet,
        lambda: services.marker_to_indicator(contribution=contribution, by=request.user),
        _("De voortgangsmarker is een indicator van de omgevingsanalyse."),
    )


@login_required
@require_POST
def evaluation_to_analysis(request, nis_code, worksheet_pk):
    worksheet = _managed(request, nis_code, worksheet_pk)
    return _hand_over(
        request,
        worksheet,
        lambda: services.evaluation_to_analysis(worksheet=worksheet, by=request.user),
        _("De evaluatie is een sectie van de omgevingsanalyse."),
    )
