"""Writes to the meerjarenplan. Every service re-checks that the user is the opsteller, owns its
transaction and refuses a stale version (optimistic locking) the way the memorandum and the
omgevingsanalyse do.

Order within a parent (goals in the plan, action plans in a goal, actions in an action plan)
is changed only under a lock of that parent row, so two quick clicks each start from the
order the other left; a move to another parent locks both parents, always in the same order
(by primary key), so two opposite moves cannot deadlock. Codes are not stored: they follow
from the order (see ``selectors.plan_tree``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.beleidsvoorstellen.models import MemorandumProposal
from apps.core.editing import delete_by, lock_version, require_editable
from apps.core.models import Legislature, Municipality, SDGGoal, SDGTarget
from apps.core.ordering import swap_with_neighbour, write_order
from apps.core.permissions import can_edit
from apps.core.richtext import rich_text, without_controls

from .models import (
    Action,
    ActionPlan,
    BudgetLine,
    Direction,
    Goal,
    GrowthTarget,
    Kind,
    Milestone,
    Numbering,
    Plan,
)

# Far above any real plan; keeps a runaway script from filling the database.
MAX_CHILDREN = 300
MAX_MILESTONES = 50

# Each level, the field that points to its parent and the parent's model.
PARENT = {Goal: ("plan", Plan), ActionPlan: ("goal", Goal), Action: ("action_plan", ActionPlan)}

Item = Goal | ActionPlan | Action
Cell = tuple[int, str, str]  # (year, kind, direction)


def _check(by, plan: Plan) -> None:
    if not can_edit(by, plan):
        raise PermissionDenied(_("Alleen de opsteller mag het meerjarenplan bewerken."))
    require_editable(plan)


def _lock(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)


def _children(model, parent_pk: int):
    field, _parent = PARENT[model]
    return model.objects.filter(**{f"{field}_id": parent_pk})


def _next_order(model, parent_pk: int) -> int:
    children = _children(model, parent_pk)
    if children.count() >= MAX_CHILDREN:
        raise ValidationError(
            _("Er kunnen hier niet meer dan %(max)d onderdelen zijn."),
            code="limit",
            params={"max": MAX_CHILDREN},
        )
    highest = children.aggregate(highest=Max("order"))["highest"]
    return 0 if highest is None else highest + 1


def _renumber(model, parent_pk: int) -> None:
    write_order(list(_children(model, parent_pk).order_by("order", "pk")))


def _plan_years(plan: Plan) -> list[int]:
    return plan.legislature.years


# --- the plan ------------------------------------------------------------------------------


def plan_get_or_create(*, municipality: Municipality, legislature: Legislature, by) -> Plan:
    _check(by, municipality)
    try:
        with transaction.atomic():
            plan, _created = Plan.objects.get_or_create(
                municipality=municipality, legislature=legislature, defaults={"updated_by": by}
            )
    except IntegrityError:
        # Two tabs starting the plan at once: the unique constraint decides, both get the plan.
        plan = Plan.objects.get(municipality=municipality, legislature=legislature)
    return plan


def plan_update(
    *,
    plan: Plan,
    title: str,
    introduction: str,
    numbering: str = Numbering.PREFIX,
    goal_prefix: str = "BD",
    plan_prefix: str = "AP",
    action_prefix: str = "AC",
    expected_version: int,
    by,
) -> Plan:
    """The plan's title, introduction and numbering style (prefixes, or the year style)."""
    _check(by, plan)
    with transaction.atomic():
        current = lock_version(Plan, plan.pk, expected_version)
        current.title = without_controls(title).strip()
        current.introduction = rich_text(introduction)
        current.numbering = numbering
        current.goal_prefix = goal_prefix.strip()
        current.plan_prefix = plan_prefix.strip()
        current.action_prefix = action_prefix.strip()
        current.touch(by)
        current.full_clean(validate_constraints=False)
        current.save()
    return current


# --- goals, action plans and actions -------------------------------------------------------


def _fill(item: Item, *, title: str, description: str, responsible_service: str) -> None:
    item.title = without_controls(title).strip()
    item.description = rich_text(description)
    item.responsible_service = without_controls(responsible_service).strip()


def _link(item: Item, *, sdg_goals, sdg_targets, proposals) -> None:
    """Set the item's SDGs and memorandum proposals; a proposal of another municipality's
    memorandum is refused."""
    proposals = list(proposals)
    ids = {proposal.pk for proposal in proposals}
    if ids:
        own = MemorandumProposal.objects.filter(
            pk__in=ids, memorandum__municipality_id=item.plan.municipality_id
        ).count()
        if own != len(ids):
            raise ValidationError(
                _("Dat beleidsvoorstel hoort niet bij het memorandum van deze gemeente."),
                code="proposal",
            )
    item.sdg_goals.set(sdg_goals)
    item.sdg_targets.set(sdg_targets)
    item.proposals.set(proposals)


def _create(model, parent, *, priority: bool, by, **fields) -> Item:
    links = {name: fields.pop(name) for name in ("sdg_goals", "sdg_targets", "proposals")}
    field, parent_model = PARENT[model]
    with transaction.atomic():
        locked = _lock(parent_model, parent.pk)
        if model is Action and locked.budget_lines.exists():
            raise ValidationError(
                _(
                    "Dit actieplan heeft eigen ramingen. Zet ze eerst op nul: bedragen staan op "
                    "de acties zodra een actieplan acties heeft."
                ),
                code="plan_has_amounts",
            )
        item = model(**{field: locked}, order=_next_order(model, locked.pk), updated_by=by)
        if model is not Goal:
            item.plan_id = locked.plan_id
        if model is not Goal:
            item.priority = priority
        _fill(item, **fields)
        item.full_clean(validate_constraints=False)
        item.save()
        _link(item, **links)
    return item


def goal_create(
    *,
    plan: Plan,
    title: str,
    description: str = "",
    responsible_service: str = "",
    sdg_goals: Iterable[SDGGoal] = (),
    sdg_targets: Iterable[SDGTarget] = (),
    proposals: Iterable[MemorandumProposal] = (),
    by,
) -> Goal:
    """A new beleidsdoelstelling at the end of the plan. Its priority is never typed: it
    follows from its action plans and actions."""
    _check(by, plan)
    return _create(
        Goal,
        plan,
        priority=False,
        by=by,
        title=title,
        description=description,
        responsible_service=responsible_service,
        sdg_goals=sdg_goals,
        sdg_targets=sdg_targets,
        proposals=proposals,
    )


def action_plan_create(
    *,
    goal: Goal,
    title: str,
    description: str = "",
    responsible_service: str = "",
    priority: bool = False,
    sdg_goals: Iterable[SDGGoal] = (),
    sdg_targets: Iterable[SDGTarget] = (),
    proposals: Iterable[MemorandumProposal] = (),
    by,
) -> ActionPlan:
    """A new actieplan at the end of the goal."""
    _check(by, goal.plan)
    return _create(
        ActionPlan,
        goal,
        priority=priority,
        by=by,
        title=title,
        description=description,
        responsible_service=responsible_service,
        sdg_goals=sdg_goals,
        sdg_targets=sdg_targets,
        proposals=proposals,
    )


def action_create(
    *,
    action_plan: ActionPlan,
    title: str,
    description: str = "",
    responsible_service: str = "",
    priority: bool = False,
    sdg_goals: Iterable[SDGGoal] = (),
    sdg_targets: Iterable[SDGTarget] = (),
    proposals: Iterable[MemorandumProposal] = (),
    by,
) -> Action:
    """A new actie at the end of the action plan; refused while the action plan carries its
    own amounts (they would be counted beside the actions')."""
    _check(by, action_plan.plan)
    return _create(
        Action,
        action_plan,
        priority=priority,
        by=by,
        title=title,
        description=description,
        responsible_service=responsible_service,
        sdg_goals=sdg_goals,
        sdg_targets=sdg_targets,
        proposals=proposals,
    )


def item_update(
    *,
    item: Item,
    title: str,
    description: str,
    responsible_service: str,
    sdg_goals: Iterable[SDGGoal],
    sdg_targets: Iterable[SDGTarget],
    proposals: Iterable[MemorandumProposal],
    priority: bool | None = None,
    expected_version: int,
    by,
) -> Item:
    """Change a goal, action plan or action. ``priority`` is for action plans and actions; a
    goal's priority is derived and cannot be set."""
    _check(by, item.plan)
    model = type(item)
    if model is Goal and priority:
        raise ValidationError(
            _("Een beleidsdoelstelling is prioritair zodra een actieplan of actie dat is."),
            code="derived",
        )
    with transaction.atomic():
        current = lock_version(model, item.pk, expected_version)
        _fill(
            current,
            title=title,
            description=description,
            responsible_service=responsible_service,
        )
        if model is not Goal and priority is not None:
            current.priority = priority
        current.touch(by)
        current.full_clean(validate_constraints=False)
        current.save()
        _link(current, sdg_goals=sdg_goals, sdg_targets=sdg_targets, proposals=proposals)
    return current


def item_delete(*, item: Item, by) -> None:
    """Delete the item with everything under it; the ones after it close the gap."""
    _check(by, item.plan)
    model = type(item)
    field, parent_model = PARENT[model]
    parent_pk = getattr(item, f"{field}_id")
    with transaction.atomic():
        _lock(parent_model, parent_pk)
        current = model.objects.select_for_update().filter(pk=item.pk).first()
        if current is None or getattr(current, f"{field}_id") != parent_pk:
            raise ValidationError(
                _("Dit onderdeel is intussen verplaatst of verwijderd."), code="gone"
            )
        if model is Goal:
            # Writers of actions lock their action plan: wait for them before collecting.
            list(ActionPlan.objects.select_for_update().filter(goal=current))
        delete_by([current], by)
        _renumber(model, parent_pk)


def item_move(*, item: Item, direction: str, by) -> None:
    """Swap the item with its neighbour up or down within its parent."""
    if direction not in {"up", "down"}:
        raise ValidationError(_("Kies omhoog of omlaag."), code="direction")
    _check(by, item.plan)
    model = type(item)
    field, parent_model = PARENT[model]
    with transaction.atomic():
        parent_pk = getattr(item, f"{field}_id")
        _lock(parent_model, parent_pk)
        siblings = list(_children(model, parent_pk).order_by("order", "pk"))
        ids = [sibling.pk for sibling in siblings]
        if item.pk not in ids:
            raise ValidationError(
                _("Dit onderdeel is intussen verplaatst of verwijderd."), code="gone"
            )
        moved = swap_with_neighbour(ids, item.pk, direction)
        if moved is None:
            raise ValidationError(
                _("“%(title)s” staat al bovenaan.")
                if direction == "up"
                else _("“%(title)s” staat al onderaan."),
                code="first" if direction == "up" else "last",
                params={"title": item.title},
            )
        by_pk = {sibling.pk: sibling for sibling in siblings}
        write_order([by_pk[pk] for pk in moved])


def _move_to(item: ActionPlan | Action, target: Goal | ActionPlan, by) -> None:
    model = type(item)
    field, parent_model = PARENT[model]
    _check(by, item.plan)
    if target.plan_id != item.plan_id:
        raise ValidationError(_("Dat onderdeel hoort niet bij dit meerjarenplan."), code="plan")
    source_pk = getattr(item, f"{field}_id")
    if source_pk == target.pk:
        return
    with transaction.atomic():
        locked = {pk: _lock(parent_model, pk) for pk in sorted({source_pk, target.pk})}
        current = model.objects.select_for_update().filter(pk=item.pk).first()
        if current is None or getattr(current, f"{field}_id") != source_pk:
            raise ValidationError(
                _("Dit onderdeel is intussen verplaatst of verwijderd."), code="gone"
            )
        if model is Action and locked[target.pk].budget_lines.exists():
            raise ValidationError(
                _(
                    "Dat actieplan heeft eigen ramingen. Zet ze eerst op nul: bedragen staan op "
                    "de acties zodra een actieplan acties heeft."
                ),
                code="plan_has_amounts",
            )
        setattr(current, field, locked[target.pk])
        current.order = _next_order(model, target.pk)
        current.save(update_fields=[field, "order", "updated_at"])
        _renumber(model, source_pk)


def action_move_to(*, action: Action, action_plan: ActionPlan, by) -> None:
    """Move the action to the end of another action plan of the same plan; the actions it
    leaves close the gap, so every code after it follows."""
    _move_to(action, action_plan, by)


def action_plan_move_to(*, action_plan: ActionPlan, goal: Goal, by) -> None:
    """Move the action plan (with its actions) to the end of another goal."""
    _move_to(action_plan, goal, by)


# --- amounts -------------------------------------------------------------------------------


def _cell_errors(plan: Plan, amounts: Mapping[Cell, Decimal | None]) -> list[ValidationError]:
    years = set(_plan_years(plan))
    errors = []
    for (year, kind, direction), amount in amounts.items():
        params = {"year": year, "kind": kind, "direction": direction}
        if year not in years:
            errors.append(
                ValidationError(
                    _("%(year)s valt buiten de planperiode."), code="year", params=params
                )
            )
        elif kind not in Kind.values or direction not in Direction.values:
            errors.append(
                ValidationError(
                    _("%(kind)s/%(direction)s is geen soort raming."), code="kind", params=params
                )
            )
        elif amount is None:
            continue
        elif isinstance(amount, bool) or not isinstance(amount, Decimal | int):
            # Never a float: 0.1 + 0.2 is not 0.3 in binary, and budgets must add up.
            errors.append(
                ValidationError(
                    _("%(year)s %(kind)s %(direction)s: geef het bedrag als Decimal."),
                    code="type",
                    params=params,
                )
            )
        elif not Decimal(amount).is_finite():
            errors.append(
                ValidationError(
                    _("%(year)s %(kind)s %(direction)s: dat is geen bedrag."),
                    code="invalid",
                    params=params,
                )
            )
        elif amount < 0:
            errors.append(
                ValidationError(
                    _("%(year)s %(kind)s %(direction)s: een bedrag kan niet negatief zijn."),
                    code="min_value",
                    params=params,
                )
            )
        elif Decimal(amount).as_tuple().exponent < -2 or abs(amount) >= Decimal(10) ** 13:
            errors.append(
                ValidationError(
                    _(
                        "%(year)s %(kind)s %(direction)s: hoogstens 13 cijfers voor en 2 na de "
                        "komma."
                    ),
                    code="max_digits",
                    params=params,
                )
            )
    return errors


def budget_set(
    *,
    item: Action | ActionPlan,
    amounts: Mapping[Cell, Decimal | None],
    expected_version: int,
    by,
) -> Action | ActionPlan:
    """Set the amounts of an action (or of an action plan without actions) per (year, kind,
    direction); None or zero clears a cell, cells not named stay as they are. Every cell is
    checked first: a year outside the plan period, a negative amount or a float refuses the
    whole call and nothing is written. The item's version moves on."""
    model = type(item)
    if model not in {Action, ActionPlan}:
        raise ValidationError(
            _("Bedragen staan op acties, of op een actieplan zonder acties."), code="level"
        )
    plan = item.plan
    _check(by, plan)
    errors = _cell_errors(plan, amounts)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = lock_version(model, item.pk, expected_version)
        if model is ActionPlan and current.actions.exists():
            raise ValidationError(
                _("Dit actieplan heeft acties: geef de bedragen op bij de acties."),
                code="plan_has_actions",
            )
        owner = {"action" if model is Action else "action_plan": current}
        existing = {
            (line.year, line.kind, line.direction): line
            for line in BudgetLine.objects.filter(**owner)
        }
        changed, created, gone = [], [], []
        for cell, amount in amounts.items():
            line = existing.get(cell)
            if amount is None or amount == 0:
                if line is not None:
                    gone.append(line.pk)
            elif line is None:
                year, kind, direction = cell
                created.append(
                    BudgetLine(
                        **owner, year=year, kind=kind, direction=direction, amount=Decimal(amount)
                    )
                )
            elif line.amount != amount:
                line.amount = Decimal(amount)
                changed.append(line)
        BudgetLine.objects.filter(pk__in=gone).delete()
        BudgetLine.objects.bulk_update(changed, ["amount"])
        BudgetLine.objects.bulk_create(created)
        current.touch(by)
        current.save()
    return current


# --- milestones and the growth path --------------------------------------------------------


def milestones_set(
    *,
    item: Item,
    milestones: Iterable[tuple[str, Decimal, int]],
    expected_version: int,
    by,
) -> Item:
    """Replace the item's milestones by ``milestones`` (indicator name, target value, year
    in the plan period)."""
    plan = item.plan
    _check(by, plan)
    years = set(_plan_years(plan))
    model = type(item)
    owner = {Goal: "goal", ActionPlan: "action_plan", Action: "action"}[model]
    rows, errors = [], []
    milestones = list(milestones)
    if len(milestones) > MAX_MILESTONES:
        raise ValidationError(
            _("Er kunnen niet meer dan %(max)d mijlpalen zijn."),
            code="limit",
            params={"max": MAX_MILESTONES},
        )
    for name, target_value, year in milestones:
        if year not in years:
            errors.append(
                ValidationError(
                    _("%(year)s valt buiten de planperiode."), code="year", params={"year": year}
                )
            )
            continue
        if isinstance(target_value, float):
            raise ValidationError(_("Geef de streefwaarde als Decimal."), code="type")
        row = Milestone(name=without_controls(name).strip(), target_value=target_value, year=year)
        try:
            row.full_clean(exclude=[owner], validate_constraints=False)
        except ValidationError as error:
            errors.append(error)
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = lock_version(model, item.pk, expected_version)
        Milestone.objects.filter(**{owner: current}).delete()
        for row in rows:
            setattr(row, owner, current)
        Milestone.objects.bulk_create(rows)
        current.touch(by)
        current.save()
    return current


def growth_path_set(
    *, plan: Plan, shares: Mapping[int, Decimal | None], expected_version: int, by
) -> Plan:
    """The growth path the opsteller sets: per year of the plan period, the share (in %) of
    the municipal budget LMB should reach; None clears a year. Years not named stay."""
    _check(by, plan)
    years = set(_plan_years(plan))
    errors = []
    for year, share in shares.items():
        params = {"year": year}
        if year not in years:
            errors.append(
                ValidationError(
                    _("%(year)s valt buiten de planperiode."), code="year", params=params
                )
            )
        elif share is not None and (
            isinstance(share, float) or not Decimal(share).is_finite() or not 0 <= share <= 100
        ):
            errors.append(
                ValidationError(
                    _("%(year)s: een aandeel ligt tussen 0 en 100 %%."), code="share", params=params
                )
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = lock_version(Plan, plan.pk, expected_version)
        for year, share in shares.items():
            if share is None:
                GrowthTarget.objects.filter(plan=current, year=year).delete()
                continue
            target = GrowthTarget(plan=current, year=year, share=Decimal(share))
            target.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
            GrowthTarget.objects.update_or_create(
                plan=current, year=year, defaults={"share": target.share}
            )
        current.touch(by)
        current.save()
    return current
