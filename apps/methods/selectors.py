"""Reads for the methods pages. The worksheet's board is a fixed number of queries whatever the
number of contributions: the contributions in one query (with their author, SDG, group and
vote count), the viewer's votes in one, the groups, criteria, scores and transfers in one each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.shortcuts import get_object_or_404

from apps.core.models import ActionArea, SDGGoal

from .kinds import OECD_CRITERIA, TOC_LEVELS, Kind, kind_of
from .models import Contribution, Invitation, Method, Phase, Worksheet
from .permissions import Participant, can_manage


def methods_with_worksheets(municipality, legislature):
    """Every method, each with the municipality's worksheets of the legislature (two queries)."""
    methods = list(Method.objects.all())
    by_method = defaultdict(list)
    if legislature is not None:
        for worksheet in Worksheet.objects.filter(
            municipality=municipality, legislature=legislature
        ).order_by("-created_at", "-pk"):
            by_method[worksheet.method_id].append(worksheet)
    for method in methods:
        method.worksheet_list = by_method[method.pk]
    return methods


def method_by_key(key: str) -> Method:
    return get_object_or_404(Method, key=key)


def worksheet_for_municipality(municipality, pk: int) -> Worksheet:
    """Another municipality's worksheet is a 404."""
    return get_object_or_404(
        Worksheet.objects.select_related("method", "municipality", "legislature"),
        municipality=municipality,
        pk=pk,
    )


def contribution_of(worksheet, pk: int) -> Contribution:
    return get_object_or_404(
        Contribution.objects.select_related("worksheet__municipality", "worksheet__method"),
        worksheet=worksheet,
        pk=pk,
    )


def project_sheet_of(worksheet, pk: int):
    from .models import ProjectSheet

    return get_object_or_404(
        ProjectSheet.objects.select_related("idea"), idea__worksheet=worksheet, pk=pk
    )


def origin_of(obj):
    """Where a document's object came from: (worksheet, contribution or None) of its
    transfer, or None. For the document apps' pages ("from worksheet ..."), one query."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Transfer

    transfer = (
        Transfer.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        .select_related("worksheet__municipality", "contribution__worksheet__municipality")
        .first()
    )
    if transfer is None:
        return None
    if transfer.contribution is not None:
        return transfer.contribution.worksheet, transfer.contribution
    return transfer.worksheet, None


def _scoped_transfers(municipality):
    """Transfers of the municipality's own worksheets (a merged result or a contribution),
    with the worksheet and its method in the same query. The content type is matched by a
    join on its app label and model, not by ContentType's cache, so the page's query count
    does not depend on what the cache happened to hold."""
    from django.db.models import Q

    from .models import Transfer

    return Transfer.objects.filter(
        Q(worksheet__municipality=municipality)
        | Q(contribution__worksheet__municipality=municipality)
    ).select_related(
        "content_type",
        "worksheet__method",
        "worksheet__municipality",
        "contribution__worksheet__method",
        "contribution__worksheet__municipality",
    )


def _origins(transfers) -> dict:
    """{(model label, object pk): worksheet}; the worksheet of a contribution's transfer is
    the contribution's own."""
    result = {}
    for transfer in transfers:
        worksheet = (
            transfer.contribution.worksheet if transfer.contribution_id else transfer.worksheet
        )
        label = f"{transfer.content_type.app_label}.{transfer.content_type.model}"
        result[(label, transfer.object_id)] = worksheet
    return result


def origin_key(obj) -> tuple[str, int]:
    return (obj._meta.label_lower, obj.pk)


def origins_for(objects, *, municipality) -> dict:
    """Where each of these document objects came from: {origin_key(obj): worksheet (with its
    method and municipality)} for those handed over from one of the municipality's worksheets;
    one query for any number of objects (of any number of models)."""
    from django.db.models import Q

    pks = defaultdict(set)
    for obj in objects:
        pks[(obj._meta.app_label, obj._meta.model_name)].add(obj.pk)
    if not pks:
        return {}
    which = Q()
    for (app_label, model), ids in pks.items():
        which |= Q(content_type__app_label=app_label, content_type__model=model, object_id__in=ids)
    return _origins(_scoped_transfers(municipality).filter(which))


def origins_into(municipality, *labels: str) -> dict:
    """The same for every object of these models ("app_label.model") that came from one of the
    municipality's worksheets: for a page whose items sit in a tree, one query without
    collecting them first. Only the municipality's worksheets' transfers, so a bounded set."""
    from django.db.models import Q

    which = Q(pk__in=[])
    for label in labels:
        app_label, _dot, model = label.lower().partition(".")
        which |= Q(content_type__app_label=app_label, content_type__model=model)
    return _origins(_scoped_transfers(municipality).filter(which))


def invitation_of(worksheet, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("worksheet__municipality"), worksheet=worksheet, pk=pk
    )


def invitation_by_hash(digest: str) -> Invitation:
    """A usable invitation; a revoked or expired one is a 404 like one that never existed."""
    return get_object_or_404(
        Invitation.objects.usable().select_related(
            "worksheet__method", "worksheet__municipality", "worksheet__legislature"
        ),
        token_hash=digest,
    )


@dataclass
class Board:
    """What a worksheet page draws, computed once for the page and for its polled fragment."""

    worksheet: Worksheet
    kind: Kind
    participant: Participant
    contributions: list
    hidden_count: int = 0  # answers of others not shown yet (self-evaluation, collecting)
    my_votes: set = field(default_factory=set)
    groups: list = field(default_factory=list)
    by_section: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    @property
    def manager(self) -> bool:
        return not self.participant.is_guest and can_manage(self.participant.user, self.worksheet)


def board(worksheet: Worksheet, participant: Participant) -> Board:
    kind = kind_of(worksheet)
    rows = (
        Contribution.objects.filter(worksheet=worksheet)
        .select_related("author", "sdg", "group")
        .annotate(vote_count=Count("votes", distinct=True))
        .annotate(transfer_count=Count("transfers", distinct=True))
        .order_by("created_at", "pk")
    )
    if kind.uses_areas:
        rows = rows.prefetch_related("action_areas")
    contributions = list(rows)
    hidden = 0
    if kind.private_while_collecting and worksheet.phase == Phase.COLLECT:
        mine = [c for c in contributions if _is_mine(c, participant)]
        hidden = len(contributions) - len(mine)
        contributions = mine
    result = Board(
        worksheet=worksheet,
        kind=kind,
        participant=participant,
        contributions=contributions,
        hidden_count=hidden,
    )
    manager = result.manager
    by_section = defaultdict(list)
    for contribution in contributions:
        contribution.mine = _is_mine(contribution, participant)
        contribution.section_name = kind.section_label(contribution.section)
        # Own rows, or any as the opsteller; never once a document took it over.
        contribution.removable = (contribution.mine or manager) and not contribution.transfer_count
        by_section[contribution.section].append(contribution)
    result.by_section = dict(by_section)
    builder = _BUILDERS.get(kind.key)
    if builder:
        builder(result)
    return result


def _is_mine(contribution, participant: Participant) -> bool:
    if participant.is_guest:
        return contribution.invitation_id == participant.invitation.pk
    # Nobody's (a print): author_id is never None for a member's note, so no match.
    return contribution.author_id is not None and contribution.author_id == getattr(
        participant.user, "pk", None
    )


def _sheets(result: Board) -> None:
    """The groups' (or trends') sheets with their ideas, votes and top three."""
    from .models import Vote

    worksheet = result.worksheet
    groups = list(worksheet.groups.all())
    who = (
        {"invitation": result.participant.invitation}
        if result.participant.is_guest
        else {"voter": result.participant.user}
    )
    if result.participant.is_guest or result.participant.user is not None:
        result.my_votes = set(
            Vote.objects.filter(contribution__worksheet=worksheet, **who).values_list(
                "contribution_id", flat=True
            )
        )
    ideas = defaultdict(list)
    for contribution in result.contributions:
        ideas[contribution.group_id].append(contribution)
    count = len(groups)
    for index, group in enumerate(groups):
        group.idea_list = ideas[group.pk]
        ranked = sorted(group.idea_list, key=lambda c: (-c.vote_count, c.created_at, c.pk))
        group.top_three = [c for c in ranked if c.vote_count > 0][:3]
        # In round r, this group writes on the sheet r-1 places further (clockwise).
        group.writes_on = groups[(index + worksheet.round - 1) % count] if count else None
    result.groups = groups
    result.extra["rounds"] = count


def _brainwriting(result: Board) -> None:
    _sheets(result)
    worksheet = result.worksheet
    criteria = list(worksheet.criteria.all())
    if criteria:
        from .models import Score

        scores = {
            (s.contribution_id, s.criterion_id): s.value
            for s in Score.objects.filter(criterion__worksheet=worksheet)
        }
        grid = []
        for contribution in result.contributions:
            values = [scores.get((contribution.pk, c.pk)) for c in criteria]
            fails = any(
                c.kind == "eis" and v is not None and v == 0
                for c, v in zip(criteria, values, strict=True)
            )
            total = sum(
                c.weight * (v or 0)
                for c, v in zip(criteria, values, strict=True)
                if c.kind == "wens"
            )
            grid.append(
                {
                    "idea": contribution,
                    "cells": list(zip(criteria, values, strict=True)),
                    "fails": fails,
                    "total": 0 if fails else total,
                }
            )
        grid.sort(key=lambda row: (row["fails"], -row["total"], row["idea"].pk))
        result.extra["criteria"] = criteria
        result.extra["grid"] = grid


def _gps(result: Board) -> None:
    """Trends with their short- and long-term ideas, the board's top ideas by votes, and
    the project sheets of those that were written out."""
    from .models import ProjectSheet

    _sheets(result)
    for group in result.groups:
        group.short = [c for c in group.idea_list if c.section == "kort"]
        group.long = [c for c in group.idea_list if c.section == "lang"]
    sheets = {
        sheet.idea_id: sheet
        for sheet in ProjectSheet.objects.filter(idea__worksheet=result.worksheet)
    }
    for contribution in result.contributions:
        contribution.sheet = sheets.get(contribution.pk)
    voted = [c for c in result.contributions if c.vote_count > 0]
    voted.sort(key=lambda c: (-c.vote_count, c.created_at, c.pk))
    result.extra["top"] = voted[:GPS_TOP]


GPS_TOP = 5


def _initiatives(result: Board) -> None:
    """The map: per colour (running well, new, not yet) a row, per action area a column; an
    initiative serving two areas stands in both."""
    areas = list(ActionArea.objects.all())
    rows = []
    for key, label in result.kind.sections:
        notes = result.by_section.get(key, [])
        cells = [
            [c for c in notes if any(a.pk == area.pk for a in c.action_areas.all())]
            for area in areas
        ]
        without = [c for c in notes if not c.action_areas.all()]
        rows.append({"key": key, "label": label, "cells": cells, "without": without})
    result.extra["areas"] = areas
    result.extra["rows"] = rows


def _outcome_mapping(result: Board) -> None:
    """Actors per sphere, each with the wished change and its progress markers."""
    from .kinds import OM_ACTORS, OM_MARKERS

    markers = defaultdict(list)
    for contribution in result.contributions:
        if contribution.parent_id:
            markers[contribution.parent_id].append(contribution)
    spheres = []
    for key, label in OM_ACTORS:
        actors = result.by_section.get(key, [])
        for actor in actors:
            actor.marker_rows = [
                (marker_label, [m for m in markers[actor.pk] if m.section == marker_key])
                for marker_key, marker_label in OM_MARKERS
            ]
        spheres.append({"key": key, "label": label, "actors": actors})
    result.extra["spheres"] = spheres


def _swot(result: Board) -> None:
    """The workshop's notes per quadrant and, for members, the analysis's SWOT as it stands
    (read through the omgevingsanalyse's own selectors: one SWOT, shown where it lives)."""
    from apps.omgevingsanalyse import selectors as analysis_selectors

    result.extra["quadrants"] = [
        (key, label, result.by_section.get(key, [])) for key, label in result.kind.sections
    ]
    if result.participant.is_guest:
        return
    worksheet = result.worksheet
    analysis = analysis_selectors.analysis_for(
        municipality=worksheet.municipality, legislature=worksheet.legislature
    )
    result.extra["analysis"] = analysis
    if analysis is not None:
        result.extra["analysis_swot"] = analysis_selectors.swot_quadrants(analysis)


def _start_stop(result: Board) -> None:
    result.extra["columns"] = [
        (key, label, result.by_section.get(key, [])) for key, label in result.kind.sections
    ]


def _sdg_circle(result: Board) -> None:
    goals = list(SDGGoal.objects.all())
    per_goal = defaultdict(lambda: defaultdict(list))
    for contribution in result.contributions:
        per_goal[contribution.sdg_id][contribution.section].append(contribution)
    result.extra["goals"] = [
        {
            "goal": goal,
            "already": per_goal[goal.pk]["al"],
            "difference": per_goal[goal.pk]["verschil"],
        }
        for goal in goals
    ]


def _theory_of_change(result: Board) -> None:
    """The chain as a tree: each impact with its outcomes, each outcome with its outputs..."""
    children = defaultdict(list)
    for contribution in result.contributions:
        children[contribution.parent_id].append(contribution)
    for contribution in result.contributions:
        contribution.child_list = children[contribution.pk]
    result.extra["roots"] = [c for c in children[None] if c.section == "impact"]
    result.extra["levels"] = TOC_LEVELS
    # What a new element may hang under: the elements of the level above.
    result.extra["parents"] = [c for c in result.contributions if c.section != "activiteit"]


def _oecd(result: Board) -> None:
    answers = defaultdict(list)
    for contribution in result.contributions:
        answers[(contribution.section, contribution.question)].append(contribution)
    evaluations = {e.criterion: e for e in result.worksheet.evaluations.all()}
    result.extra["criteria"] = [
        {
            "key": key,
            "label": label,
            "questions": [
                {"index": index, "text": text, "answers": answers[(key, index)]}
                for index, text in enumerate(questions)
            ],
            "evaluation": evaluations.get(key),
        }
        for key, label, questions in OECD_CRITERIA
    ]


_BUILDERS = {
    "brainwriting": _brainwriting,
    "swot": _swot,
    "gps": _gps,
    "initiatieven": _initiatives,
    "outcome-mapping": _outcome_mapping,
    "sdg-cirkel": _sdg_circle,
    "start-stop-verder": _start_stop,
    "veranderingstheorie": _theory_of_change,
    "oeso-dac": _oecd,
}
