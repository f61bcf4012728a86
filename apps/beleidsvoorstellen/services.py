"""Writes to the memorandum. Every service re-checks the permission, owns its transaction and
validates the rows it saves; a refused write leaves nothing half-saved."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.core.editing import delete_by, lock_version, require_editable
from apps.core.models import ActionArea, AmbitionLevel, Legislature, Municipality, SDGGoal
from apps.core.ordering import swap_with_neighbour, write_order
from apps.core.permissions import can_edit
from apps.core.richtext import rich_text, sanitise
from apps.library.models import LibraryProposal, Reason

from .models import (
    Memorandum,
    MemorandumField,
    MemorandumProposal,
    MemorandumSubOption,
    Priority,
)


def _check(by, obj) -> None:
    if not can_edit(by, obj):
        raise PermissionDenied(_("Alleen de opsteller mag het memorandum bewerken."))
    # A proposal belongs to its memorandum: under review neither changes.
    require_editable(getattr(obj, "memorandum", obj))


def _lock_memorandum(memorandum: Memorandum) -> Memorandum:
    """Lock the memorandum row for this transaction. Every write that changes which proposals
    there are or their order takes this lock first, so such writes happen one after the other
    and each sees the order the previous one left (on SQLite, IMMEDIATE transactions do the
    same)."""
    return Memorandum.objects.select_for_update().get(pk=memorandum.pk)


def _next_order(memorandum: Memorandum) -> int:
    highest = memorandum.proposals.aggregate(highest=Max("order"))["highest"]
    return 0 if highest is None else highest + 1


def memorandum_get_or_create(
    *, municipality: Municipality, legislature: Legislature, by
) -> Memorandum:
    _check(by, municipality)
    with transaction.atomic():
        memorandum, created = Memorandum.objects.get_or_create(
            municipality=municipality, legislature=legislature, defaults={"updated_by": by}
        )
        if created:
            memorandum.full_clean()
    return memorandum


def memorandum_update_introduction(
    *, memorandum: Memorandum, introduction: str, expected_version: int, by
) -> Memorandum:
    _check(by, memorandum)
    with transaction.atomic():
        current = lock_version(Memorandum, memorandum.pk, expected_version)
        current.introduction = rich_text(introduction)
        current.touch(by)
        current.full_clean()
        current.save()
    return current


def proposal_adopt(
    *, memorandum: Memorandum, library_proposal: LibraryProposal, by
) -> MemorandumProposal:
    """Copy a library proposal into the memorandum, with a snapshot to compare with later."""
    _check(by, memorandum)
    try:
        with transaction.atomic():
            _lock_memorandum(memorandum)
            if memorandum.proposals.filter(source=library_proposal).exists():
                raise ValidationError(_("Dit voorstel staat al in het memorandum."), code="adopted")
            proposal = MemorandumProposal(
                memorandum=memorandum,
                source=library_proposal,
                source_version=library_proposal.version,
                source_title=library_proposal.title,
                source_text=library_proposal.text,
                action_area_id=library_proposal.action_area_id,
                level_id=library_proposal.level_id,
                title=library_proposal.title,
                text=sanitise(library_proposal.text),
                order=_next_order(memorandum),
                updated_by=by,
            )
            proposal.full_clean(validate_constraints=False)
            proposal.save()
            proposal.sdg_goals.set(library_proposal.sdg_goals.all())
            proposal.sdg_targets.set(library_proposal.sdg_targets.all())
            _copy_choices(proposal, library_proposal)
    except IntegrityError as error:
        # Two tabs adopting at once: the unique constraint decides, the message stays the same.
        raise ValidationError(
            _("Dit voorstel staat al in het memorandum."), code="adopted"
        ) from error
    return proposal


def _copy_field(proposal, library_field, sub_option) -> MemorandumField:
    return MemorandumField(
        proposal=proposal,
        sub_option=sub_option,
        source=library_field,
        kind=library_field.kind,
        label=library_field.label,
        placeholder=library_field.placeholder,
        help=library_field.help,
        order=library_field.order,
    )


def _copy_choices(proposal: MemorandumProposal, library_proposal: LibraryProposal) -> None:
    """The sub-options and the fill-in fields, unticked and empty: the library's
    suggestions are shown as placeholders, never as a value that would be printed."""
    options = MemorandumSubOption.objects.bulk_create(
        MemorandumSubOption(proposal=proposal, text=o.text, order=o.order, source=o)
        for o in library_proposal.sub_options.order_by("order", "pk")
    )
    by_source = {option.source_id: option for option in options}
    MemorandumField.objects.bulk_create(
        _copy_field(proposal, f, by_source.get(f.sub_option_id))
        for f in library_proposal.fields.order_by("order", "pk")
    )


def proposal_create_own(
    *,
    memorandum: Memorandum,
    action_area: ActionArea,
    level: AmbitionLevel,
    title: str,
    text: str,
    justification: str = "",
    reasons: Iterable[Reason] = (),
    priority: str = Priority.NORMAAL,
    sdg_goals: Iterable[SDGGoal] = (),
    by,
) -> MemorandumProposal:
    _check(by, memorandum)
    with transaction.atomic():
        _lock_memorandum(memorandum)
        proposal = MemorandumProposal(
            memorandum=memorandum,
            action_area=action_area,
            level=level,
            title=title.strip(),
            text=rich_text(text),
            justification=rich_text(justification),
            priority=priority,
            order=_next_order(memorandum),
            updated_by=by,
        )
        proposal.full_clean()
        proposal.save()
        proposal.reasons.set(reasons)
        proposal.sdg_goals.set(sdg_goals)
    return proposal


def proposal_update(
    *,
    proposal: MemorandumProposal,
    title: str,
    text: str,
    justification: str,
    reasons: Iterable[Reason],
    priority: str,
    ticked_sub_option_ids: Iterable[int],
    expected_version: int,
    sdg_goals: Iterable[SDGGoal] | None = None,
    field_values: dict[int, str] | None = None,
    by,
) -> MemorandumProposal:
    """``field_values`` maps fill-in field ids to the stored value (apps.library.fillin);
    ids of another proposal are ignored, and a field not named keeps its value."""
    _check(by, proposal.memorandum)
    with transaction.atomic():
        current = lock_version(MemorandumProposal, proposal.pk, expected_version)
        current.title = title.strip()
        current.text = rich_text(text)
        current.justification = rich_text(justification)
        current.priority = priority
        current.touch(by)
        current.full_clean()
        current.save()
        current.reasons.set(reasons)
        if sdg_goals is not None:
            current.sdg_goals.set(sdg_goals)
        ticked = {int(pk) for pk in ticked_sub_option_ids}
        current.sub_options.filter(pk__in=ticked).update(ticked=True)
        current.sub_options.exclude(pk__in=ticked).update(ticked=False)
        if field_values:
            fields = current.fields.filter(pk__in=list(field_values))
            for field in fields:
                field.value = field_values[field.pk]
            MemorandumField.objects.bulk_update(fields, ["value"])
    return current


def proposal_delete(*, proposal: MemorandumProposal, by) -> None:
    """Delete the proposal; the ones after it close the gap."""
    _check(by, proposal.memorandum)
    with transaction.atomic():
        memorandum = _lock_memorandum(proposal.memorandum)
        delete_by([proposal], by)
        write_order(list(memorandum.proposals.order_by("order", "pk")))


def proposals_reorder(*, memorandum: Memorandum, ordered_ids: list[int], by) -> None:
    """Store the order of all the memorandum's proposals; any other list is refused."""
    _check(by, memorandum)
    with transaction.atomic():
        _lock_memorandum(memorandum)
        _reorder_locked(memorandum, ordered_ids)


def _reorder_locked(memorandum: Memorandum, ordered_ids: list[int]) -> None:
    proposals = {p.pk: p for p in MemorandumProposal.objects.filter(memorandum=memorandum)}
    if len(ordered_ids) != len(proposals) or set(ordered_ids) != set(proposals):
        raise ValidationError(
            _("De volgorde is intussen veranderd; laad de pagina opnieuw."), code="stale_order"
        )
    write_order([proposals[pk] for pk in ordered_ids])


class Direction:
    UP = "up"
    DOWN = "down"


def proposal_move(*, proposal: MemorandumProposal, direction: str, by) -> None:
    """Swap the proposal with its neighbour within its action area (numbering is per area).

    The order is read after the memorandum is locked, so two quick clicks (or two tabs) each
    move from the order the other one left; a move that cannot be made says why."""
    from .selectors import display_order

    if direction not in {Direction.UP, Direction.DOWN}:
        raise ValidationError(_("Kies omhoog of omlaag."), code="direction")
    _check(by, proposal.memorandum)
    with transaction.atomic():
        memorandum = _lock_memorandum(proposal.memorandum)
        order = display_order(memorandum=memorandum)
        ids = [pk for pk, _area in order]
        if proposal.pk not in ids:
            raise ValidationError(
                _("Dit voorstel is intussen uit het memorandum verwijderd."), code="gone"
            )
        area_id = dict(order)[proposal.pk]
        same_area = [pk for pk, area in order if area == area_id]
        ids = swap_with_neighbour(ids, proposal.pk, direction, within=same_area)
        if ids is None:
            code = "first" if direction == Direction.UP else "last"
            message = (
                _("“%(title)s” staat al bovenaan zijn actieterrein.")
                if code == "first"
                else _("“%(title)s” staat al onderaan zijn actieterrein.")
            )
            raise ValidationError(message % {"title": proposal.title}, code=code)
        _reorder_locked(memorandum, ids)


def proposal_accept_library_change(
    *, proposal: MemorandumProposal, replace_text: bool, expected_version: int, by
) -> MemorandumProposal:
    """Acknowledge a changed library entry: take over its new title and text, or keep the own
    text. Either way the snapshot moves to the library's current version."""
    _check(by, proposal.memorandum)
    with transaction.atomic():
        current = lock_version(MemorandumProposal, proposal.pk, expected_version)
        source = current.source
        if source is None:
            raise ValidationError(_("Dit voorstel komt niet (meer) uit de bibliotheek."))
        if replace_text:
            current.title = source.title
            current.text = sanitise(source.text)
            existing = {o.source_id: o for o in current.sub_options.all() if o.source_id}
            for option in source.sub_options.order_by("order", "pk"):
                mine = existing.get(option.pk)
                if mine is None:
                    MemorandumSubOption.objects.create(
                        proposal=current, text=option.text, order=option.order, source=option
                    )
                elif mine.text != option.text:
                    mine.text = option.text
                    mine.save(update_fields=["text"])
            _sync_fields(current, source)
        current.source_version = source.version
        current.source_title = source.title
        current.source_text = source.text
        current.touch(by)
        current.full_clean()
        current.save()
    return current


def _sync_fields(proposal: MemorandumProposal, source: LibraryProposal) -> None:
    """Take over the library's fill-in fields: new ones are added, changed labels and
    suggestions follow, and every value the opsteller filled in stays."""
    options = {o.source_id: o for o in proposal.sub_options.all() if o.source_id}
    mine = {f.source_id: f for f in proposal.fields.all() if f.source_id}
    for library_field in source.fields.order_by("order", "pk"):
        field = mine.get(library_field.pk)
        if field is None:
            _copy_field(proposal, library_field, options.get(library_field.sub_option_id)).save()
            continue
        field.kind = library_field.kind
        field.label = library_field.label
        field.placeholder = library_field.placeholder
        field.help = library_field.help
        field.order = library_field.order
        field.save()
