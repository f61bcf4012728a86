"""Every write on a worksheet: each service checks the permission again, validates before it
writes (a refused request writes nothing) and runs in one transaction.

Contributions are inserts, never updates of a shared row, so several people writing at once
cannot overwrite each other; the worksheet's settings (phase, round, open to members) use the
optimistic lock of apps.core.editing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.editing import lock_version
from apps.core.models import Legislature, Municipality, SDGGoal
from apps.core.permissions import can_edit

from .kinds import check_contribution, kind_of
from .models import (
    BrainwritingGroup,
    Contribution,
    Criterion,
    Evaluation,
    Invitation,
    Method,
    ProjectSheet,
    Score,
    Transfer,
    Vote,
    Worksheet,
)
from .permissions import Participant, can_contribute, can_manage, may_remove

MAX_CONTRIBUTIONS = 1000  # per worksheet: far above a workshop, a stop for a runaway script
MAX_GROUPS = 12
GPS_TRENDS = 5  # chosen beforehand; the free field comes with the worksheet
MAX_CRITERIA = 20
MAX_INVITATIONS = 100
MAX_INVITATION_DAYS = 90


def _require_manager(by, worksheet) -> None:
    if not can_manage(by, worksheet):
        raise PermissionDenied(_("Alleen de opsteller beheert dit werkblad."))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# --- worksheets ------------------------------------------------------------------------------


def worksheet_create(
    *,
    municipality: Municipality,
    legislature: Legislature,
    method: Method,
    title: str,
    question: str = "",
    document_kind: str = "",
    by,
) -> Worksheet:
    if not can_edit(by, municipality):
        raise PermissionDenied(_("Alleen de opsteller opent een werkblad."))
    if kind_of_method(method) is None:
        raise ValidationError(_("Voor deze werkvorm is er nog geen werkblad."))
    worksheet = Worksheet(
        municipality=municipality,
        legislature=legislature,
        method=method,
        title=title.strip(),
        question=question.strip(),
        document_kind=document_kind,
        updated_by=by,
    )
    worksheet.full_clean()
    with transaction.atomic():
        worksheet.save()
        if method.key == "gps":
            # The sixth field of the board is not a trend: ideas that fit none of them.
            BrainwritingGroup.objects.create(
                worksheet=worksheet,
                order=GPS_TRENDS + 1,
                name=_("Vrij veld"),
                question=_("Ideeën die bij geen van de gekozen trends horen"),
            )
    return worksheet


def kind_of_method(method: Method):
    from .kinds import KINDS

    return KINDS.get(method.key)


def worksheet_update_settings(
    *,
    worksheet: Worksheet,
    open_to_members: bool,
    phase: str,
    round: int,
    expected_version: int,
    by,
) -> Worksheet:
    _require_manager(by, worksheet)
    kind = kind_of(worksheet)
    if phase not in kind.phases:
        raise ValidationError({"phase": _("Deze fase bestaat niet voor dit werkblad.")})
    with transaction.atomic():
        current = lock_version(Worksheet, worksheet.pk, expected_version)
        current.open_to_members = open_to_members
        current.phase = phase
        current.round = round
        current.touch(by)
        current.full_clean()
        current.save()
    return current


def group_add(*, worksheet: Worksheet, name: str, question: str, by) -> BrainwritingGroup:
    _require_manager(by, worksheet)
    with transaction.atomic():
        Worksheet.objects.select_for_update().get(pk=worksheet.pk)
        count = worksheet.groups.count()
        if worksheet.method.key == "brainwriting" and not question.strip():
            raise ValidationError({"question": _("Geef de groep een vraag.")})
        if worksheet.method.key == "gps":
            trends = worksheet.groups.exclude(order=GPS_TRENDS + 1).count()
            if trends >= GPS_TRENDS:
                raise ValidationError(
                    _("Een GPS-brainstorm heeft %(max)d trends en een vrij veld.")
                    % {"max": GPS_TRENDS}
                )
            order = trends + 1
        elif count >= MAX_GROUPS:
            raise ValidationError(
                _("Een werkblad heeft hoogstens %(max)d groepen.") % {"max": MAX_GROUPS}
            )
        else:
            order = count + 1
        group = BrainwritingGroup(
            worksheet=worksheet, order=order, name=name.strip(), question=question.strip()
        )
        group.full_clean()
        group.save()
    return group


# --- contributions ---------------------------------------------------------------------------


def contribution_add(
    *,
    worksheet: Worksheet,
    participant: Participant,
    section: str,
    text: str,
    detail: str = "",
    sdg: SDGGoal | None = None,
    group: BrainwritingGroup | None = None,
    parent: Contribution | None = None,
    question: int | None = None,
    action_areas=(),
) -> Contribution:
    if not can_contribute(participant, worksheet):
        raise PermissionDenied(_("Je kan niets toevoegen aan dit werkblad."))
    if worksheet.phase == "afgesloten":
        raise ValidationError(_("Dit werkblad is afgesloten."))
    kind = kind_of(worksheet)
    check_contribution(
        kind,
        worksheet,
        section=section,
        text=text.strip(),
        sdg=sdg,
        group=group,
        parent=parent,
        question=question,
        action_areas=action_areas,
    )
    contribution = Contribution(
        worksheet=worksheet,
        author=None if participant.is_guest else participant.user,
        invitation=participant.invitation,
        guest_name=participant.invitation.guest_name if participant.is_guest else "",
        section=section,
        text=text.strip(),
        detail=detail.strip() if kind.detail_label else "",
        sdg=sdg if kind.uses_sdg else None,
        group=group if kind.uses_group else None,
        round=worksheet.round if kind.uses_group else None,
        parent=parent,
        question=question if kind.uses_question else None,
    )
    contribution.full_clean(validate_constraints=False)
    if Contribution.objects.filter(worksheet=worksheet).count() >= MAX_CONTRIBUTIONS:
        raise ValidationError(
            _("Dit werkblad heeft al %(max)d bijdragen.") % {"max": MAX_CONTRIBUTIONS}
        )
    with transaction.atomic():
        contribution.save()
        if action_areas:
            contribution.action_areas.set(action_areas)
    return contribution


def contribution_edit(
    *,
    contribution: Contribution,
    participant: Participant,
    text: str,
    detail: str = "",
    expected_version: int,
) -> Contribution:
    """Its author corrects a note (text and detail only: where it stands is the structure);
    a save from a stale form is refused (StaleVersionError), so nobody overwrites a change
    unseen."""
    worksheet = contribution.worksheet
    own = (
        contribution.invitation_id == participant.invitation.pk
        if participant.is_guest
        else contribution.author_id is not None and contribution.author_id == participant.user.pk
    )
    if not own or not can_contribute(participant, worksheet):
        raise PermissionDenied(_("Je kan alleen je eigen bijdragen aanpassen."))
    if worksheet.phase == "afgesloten":
        raise ValidationError(_("Dit werkblad is afgesloten."))
    if contribution.transfers.exists():
        raise ValidationError(_("Deze bijdrage is al overgenomen in een document."))
    kind = kind_of(worksheet)
    text = text.strip()
    if kind.max_text and len(text) > kind.max_text:
        raise ValidationError({"text": _("Hoogstens %(max)d tekens.") % {"max": kind.max_text}})
    with transaction.atomic():
        current = lock_version(Contribution, contribution.pk, expected_version)
        current.text = text
        current.detail = detail.strip() if kind.detail_label else ""
        current.version += 1
        current.full_clean(validate_constraints=False)
        current.save(update_fields=["text", "detail", "version"])
    return current


def contribution_remove(*, contribution: Contribution, participant: Participant) -> None:
    if not may_remove(participant, contribution):
        raise PermissionDenied(_("Je kan alleen je eigen bijdragen verwijderen."))
    if contribution.transfers.exists():
        raise ValidationError(_("Deze bijdrage is al overgenomen in een document."))
    with transaction.atomic():
        Contribution.objects.filter(pk=contribution.pk).delete()


def vote_toggle(*, contribution: Contribution, participant: Participant) -> bool:
    """Vote for a brainwriting idea, or take the vote back; True when the vote now stands."""
    worksheet = contribution.worksheet
    if not can_contribute(participant, worksheet):
        raise PermissionDenied(_("Je kan niet stemmen op dit werkblad."))
    if contribution.group_id is None:
        raise ValidationError(_("Op deze bijdrage kan je niet stemmen."))
    who = (
        {"invitation": participant.invitation}
        if participant.is_guest
        else {"voter": participant.user}
    )
    with transaction.atomic():
        deleted, _rows = Vote.objects.filter(contribution=contribution, **who).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                Vote.objects.create(contribution=contribution, **who)
        except IntegrityError:  # the same person voted twice at the same moment
            pass
    return True


# --- GPS project sheets ----------------------------------------------------------------------


def _require_member_contributor(participant: Participant, worksheet) -> None:
    if participant.is_guest or not can_contribute(participant, worksheet):
        raise PermissionDenied(_("Je kan deze projectfiche niet bewerken."))


def project_sheet_start(*, idea: Contribution, participant: Participant) -> ProjectSheet:
    """The (empty) project sheet of a GPS idea; the existing one when someone was first."""
    _require_member_contributor(participant, idea.worksheet)
    if idea.worksheet.method.key != "gps":
        raise ValidationError(_("Alleen een idee van een GPS-brainstorm krijgt een projectfiche."))
    with transaction.atomic():
        sheet, _created = ProjectSheet.objects.get_or_create(
            idea=idea, defaults={"updated_by": participant.user}
        )
    return sheet


def project_sheet_save(
    *, sheet: ProjectSheet, participant: Participant, expected_version: int, **texts
) -> ProjectSheet:
    _require_member_contributor(participant, sheet.idea.worksheet)
    with transaction.atomic():
        current = lock_version(ProjectSheet, sheet.pk, expected_version)
        for name in ("description", "advantages", "pitfalls", "needs"):
            setattr(current, name, texts.get(name, "").strip())
        current.touch(participant.user)
        current.full_clean()
        current.save()
    return current


# --- decision grid ---------------------------------------------------------------------------


def criterion_add(*, worksheet: Worksheet, kind: str, text: str, weight: int, by) -> Criterion:
    _require_manager(by, worksheet)
    criterion = Criterion(worksheet=worksheet, kind=kind, text=text.strip(), weight=weight)
    criterion.full_clean()
    with transaction.atomic():
        Worksheet.objects.select_for_update().get(pk=worksheet.pk)
        if worksheet.criteria.count() >= MAX_CRITERIA:
            raise ValidationError(
                _("Een beslissingsrooster heeft hoogstens %(max)d criteria.")
                % {"max": MAX_CRITERIA}
            )
        criterion.save()
    return criterion


def score_set(*, criterion: Criterion, contribution: Contribution, value: int, by) -> Score:
    _require_manager(by, criterion.worksheet)
    if contribution.worksheet_id != criterion.worksheet_id or contribution.group_id is None:
        raise ValidationError(_("Dit idee hoort niet bij dit werkblad."))
    maximum = 1 if criterion.kind == "eis" else 3
    if not 0 <= value <= maximum:
        raise ValidationError(_("Een score ligt tussen 0 en %(max)d.") % {"max": maximum})
    with transaction.atomic():
        score, _created = Score.objects.update_or_create(
            criterion=criterion, contribution=contribution, defaults={"value": value}
        )
    return score


# --- OECD-DAC: the merged evaluation ---------------------------------------------------------


def evaluation_save(
    *, worksheet: Worksheet, criterion: str, text: str, expected_version: int, by
) -> Evaluation:
    """The opsteller's merged text for one criterion; ``expected_version`` 0 for a first save."""
    _require_manager(by, worksheet)
    if criterion not in kind_of(worksheet).section_keys:
        raise ValidationError(_("Dit criterium bestaat niet."))
    with transaction.atomic():
        if expected_version == 0:
            evaluation, created = Evaluation.objects.get_or_create(
                worksheet=worksheet, criterion=criterion, defaults={"updated_by": by}
            )
            if not created:
                from apps.core.editing import StaleVersionError

                raise StaleVersionError(evaluation)
        else:
            evaluation = lock_version(
                Evaluation,
                Evaluation.objects.get(worksheet=worksheet, criterion=criterion).pk,
                expected_version,
            )
            evaluation.touch(by)
        evaluation.text = text.strip()
        evaluation.full_clean(validate_constraints=False)
        evaluation.save()
    return evaluation


# --- invitations -----------------------------------------------------------------------------


def invitation_create(
    *, worksheet: Worksheet, guest_name: str, days: int, by
) -> tuple[Invitation, str]:
    """A new invitation and its token, which is shown once and never stored."""
    _require_manager(by, worksheet)
    if not 1 <= days <= MAX_INVITATION_DAYS:
        raise ValidationError(
            _("Een uitnodiging geldt 1 tot %(max)d dagen.") % {"max": MAX_INVITATION_DAYS}
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        worksheet=worksheet,
        guest_name=guest_name.strip(),
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=by,
    )
    invitation.full_clean()
    with transaction.atomic():
        Worksheet.objects.select_for_update().get(pk=worksheet.pk)
        if worksheet.invitations.count() >= MAX_INVITATIONS:
            raise ValidationError(
                _("Een werkblad heeft hoogstens %(max)d uitnodigingen.") % {"max": MAX_INVITATIONS}
            )
        invitation.save()
    return invitation, token


def invitation_revoke(*, invitation: Invitation, by) -> None:
    _require_manager(by, invitation.worksheet)
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


# --- results into documents ------------------------------------------------------------------


def _worked_out_text(contribution: Contribution) -> str:
    """The note's text, its detail (an assumption, a reason) and a GPS project sheet."""
    text = contribution.text
    if contribution.detail:
        text = f"{text}\n\n{contribution.detail}"
    sheet = ProjectSheet.objects.filter(idea=contribution).first()
    if sheet is not None:
        text = "\n\n".join([text, *(f"{label}: {value}" for label, value in sheet.parts)])
    return text


def contribution_to_action(*, contribution: Contribution, action_plan, by):
    """An idea or a theory-of-change activity becomes an action of the meerjarenplan, under
    an action plan of the worksheet's own municipality and legislature."""
    from apps.meerjarenplan import services as plan_services

    worksheet = contribution.worksheet
    _require_manager(by, worksheet)
    if (worksheet.method.key, contribution.section) not in PROPOSAL_SOURCES:
        raise ValidationError(_("Alleen ideeën en activiteiten worden een actie."))
    plan = action_plan.plan
    if (plan.municipality_id, plan.legislature_id) != (
        worksheet.municipality_id,
        worksheet.legislature_id,
    ):
        raise ValidationError(_("Kies een actieplan van het meerjarenplan van deze gemeente."))
    _once(contribution)
    with transaction.atomic():
        action = plan_services.action_create(
            action_plan=action_plan,
            title=" ".join(contribution.text.split())[:200],
            description=_worked_out_text(contribution),
            by=by,
        )
        _transfer(contribution, action, by)
    return action


def _analysis_of(worksheet):
    from apps.omgevingsanalyse import selectors as analysis_selectors

    analysis = analysis_selectors.analysis_for(
        municipality=worksheet.municipality, legislature=worksheet.legislature
    )
    if analysis is None:
        raise ValidationError(
            _("Start eerst de omgevingsanalyse; daarna kan dit werkblad haar aanvullen.")
        )
    return analysis


def _once(contribution: Contribution) -> None:
    if contribution.transfers.exists():
        raise ValidationError(_("Deze bijdrage is al overgenomen."))


def contribution_to_swot(*, contribution: Contribution, by):
    """A SWOT note becomes an item of the omgevingsanalyse's SWOT (its own service, so its
    checks hold: the opsteller, an analysis that is not under review)."""
    from apps.omgevingsanalyse import services as analysis_services

    worksheet = contribution.worksheet
    _require_manager(by, worksheet)
    if worksheet.method.key != "swot":
        raise ValidationError(_("Alleen een SWOT-werkblad vult de SWOT aan."))
    _once(contribution)
    analysis = _analysis_of(worksheet)
    with transaction.atomic():
        item = analysis_services.swot_item_save(
            analysis=analysis,
            item=None,
            quadrant=contribution.section,
            text=" ".join(contribution.text.split()),
            sdg=None,
            action_area=None,
            by=by,
        )
        _transfer(contribution, item, by)
    return item


ACTOR_SOURCES = {
    ("initiatieven", "loopt"),
    ("initiatieven", "nieuw"),
    ("initiatieven", "nog_niet"),
    ("outcome-mapping", "controle"),
    ("outcome-mapping", "invloed"),
    ("outcome-mapping", "interesse"),
    ("outcome-mapping", "partner"),
}
MARKER_SECTIONS = {"verwacht", "graag", "ideaal"}


def contribution_to_actor(*, contribution: Contribution, kind: str, sphere: str, state: str, by):
    """An initiative with its actors, or an outcome-mapping actor, becomes an actor of the
    omgevingsanalyse (its actors and map); what the note does not say (the kind of actor, a
    sphere for an initiative, a state for an outcome-mapping actor) the opsteller chooses."""
    from apps.omgevingsanalyse import services as analysis_services

    worksheet = contribution.worksheet
    _require_manager(by, worksheet)
    if (worksheet.method.key, contribution.section) not in ACTOR_SOURCES:
        raise ValidationError(_("Alleen initiatieven en actoren worden een actor."))
    _once(contribution)
    analysis = _analysis_of(worksheet)
    if worksheet.method.key == "initiatieven":
        name = contribution.detail or contribution.text
        notes = contribution.text if contribution.detail else ""
        areas = list(contribution.action_areas.all())
    else:
        name, notes, areas = contribution.text, contribution.detail, []
    with transaction.atomic():
        actor = analysis_services.actor_save(
            analysis=analysis,
            actor=None,
            name=" ".join(name.split())[:200],
            kind=kind,
            sphere=sphere,
            state=state,
            action_areas=areas,
            notes=notes,
            by=by,
        )
        _transfer(contribution, actor, by)
    return actor


def marker_to_indicator(*, contribution: Contribution, by):
    """A progress marker becomes an indicator of the omgevingsanalyse, named after its actor,
    to follow up in the years of the plan."""
    from apps.omgevingsanalyse import services as analysis_services

    worksheet = contribution.worksheet
    _require_manager(by, worksheet)
    if worksheet.method.key != "outcome-mapping" or contribution.section not in MARKER_SECTIONS:
        raise ValidationError(_("Alleen een voortgangsmarker wordt een indicator."))
    _once(contribution)
    analysis = _analysis_of(worksheet)
    actor = contribution.parent
    with transaction.atomic():
        indicator = analysis_services.indicator_create(
            analysis=analysis,
            name=" ".join(f"{actor.text}: {contribution.text}".split())[:120],
            unit=_("mijlpaal"),
            note=str(kind_of(worksheet).section_label(contribution.section)),
            by=by,
        )
        _transfer(contribution, indicator, by)
    return indicator


def evaluation_to_analysis(*, worksheet: Worksheet, by):
    """The merged OECD-DAC evaluation becomes a section of the omgevingsanalyse: a heading
    and the merged text per criterion."""
    from django.utils.html import escape, linebreaks

    from apps.omgevingsanalyse import services as analysis_services

    from .kinds import OECD_CRITERIA

    _require_manager(by, worksheet)
    if worksheet.method.key != "oeso-dac":
        raise ValidationError(_("Alleen een zelfevaluatie wordt een sectie."))
    if Transfer.objects.filter(worksheet=worksheet).exists():
        raise ValidationError(_("Deze evaluatie staat al in de omgevingsanalyse."))
    merged = {e.criterion: e.text for e in worksheet.evaluations.all() if e.text}
    if not merged:
        raise ValidationError(_("Vat eerst per criterium de antwoorden samen."))
    analysis = _analysis_of(worksheet)
    html = "".join(
        f"<h3>{escape(label)}</h3>{linebreaks(escape(merged[key]))}"
        for key, label, _questions in OECD_CRITERIA
        if key in merged
    )
    with transaction.atomic():
        section = analysis_services.section_create(
            analysis=analysis,
            title=(_("Zelfevaluatie: %(title)s") % {"title": worksheet.title})[:200],
            text=html,
            by=by,
        )
        Transfer.objects.create(
            worksheet=worksheet,
            content_type=ContentType.objects.get_for_model(section),
            object_id=section.pk,
            created_by=by,
        )
    return section


def _transfer(contribution: Contribution, obj, by) -> Transfer:
    return Transfer.objects.create(
        contribution=contribution,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        created_by=by,
    )


# What may become an own proposal of the memorandum: (method, section).
PROPOSAL_SOURCES = {
    ("brainwriting", "idee"),
    ("gps", "kort"),
    ("gps", "lang"),
    ("veranderingstheorie", "activiteit"),
}


def contribution_to_proposal(*, contribution: Contribution, action_area, level, by):
    """A brainwriting idea or a theory-of-change activity becomes an own proposal of the
    memorandum; the transfer keeps the way back to the worksheet."""
    from apps.beleidsvoorstellen import services as memorandum_services

    worksheet = contribution.worksheet
    _require_manager(by, worksheet)
    if (worksheet.method.key, contribution.section) not in PROPOSAL_SOURCES:
        raise ValidationError(_("Alleen ideeën en activiteiten worden een voorstel."))
    if contribution.transfers.exists():
        raise ValidationError(_("Deze bijdrage is al een voorstel."))
    with transaction.atomic():
        memorandum = memorandum_services.memorandum_get_or_create(
            municipality=worksheet.municipality, legislature=worksheet.legislature, by=by
        )
        text = _worked_out_text(contribution)
        proposal = memorandum_services.proposal_create_own(
            memorandum=memorandum,
            action_area=action_area,
            level=level,
            title=" ".join(contribution.text.split())[:200],
            text=text,
            justification=_("Uit het werkblad '%(title)s'.") % {"title": worksheet.title},
            by=by,
        )
        _transfer(contribution, proposal, by)
    return proposal
