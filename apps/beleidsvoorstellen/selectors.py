"""Reads for the memorandum: every function runs a fixed number of queries, however many
proposals the memorandum holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.shortcuts import get_object_or_404

from apps.core.models import ActionArea, AmbitionLevel, Legislature, Municipality, SDGGoal
from apps.core.richtext import sanitise
from apps.library.models import LibraryField, LibraryProposal, LibrarySubOption, Reason

from .models import Memorandum, MemorandumField, MemorandumProposal, MemorandumSubOption


def memorandum_for(
    *, municipality: Municipality, legislature: Legislature | None, user=None
) -> Memorandum | None:
    """The municipality's memorandum for the legislature, or None if not started yet.

    With ``user``, through the user's scope; without, the caller has scoped the municipality
    (as ``apps.core.selectors.municipality_for_user`` does)."""
    if legislature is None:
        return None
    queryset = Memorandum.objects.all() if user is None else Memorandum.objects.for_user(user)
    return (
        queryset.filter(municipality=municipality, legislature=legislature)
        .select_related("municipality", "legislature", "updated_by")
        .first()
    )


def proposal_for_user(*, user, municipality: Municipality, pk: int) -> MemorandumProposal:
    """One proposal, through the user's scope: another municipality's proposal is a 404."""
    queryset = (
        MemorandumProposal.objects.for_user(user)
        .filter(memorandum__municipality=municipality)
        .select_related(
            "memorandum__municipality", "memorandum__legislature", "action_area", "level", "source"
        )
        .prefetch_related(
            "reasons",
            "sdg_goals",
            Prefetch("sub_options", queryset=MemorandumSubOption.objects.order_by("order", "pk")),
            Prefetch("fields", queryset=MemorandumField.objects.order_by("order", "pk")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def _proposals(memorandum: Memorandum) -> QuerySet[MemorandumProposal]:
    return (
        MemorandumProposal.objects.filter(memorandum=memorandum)
        .select_related("action_area", "level", "source")
        .prefetch_related(
            "sdg_goals",
            "reasons",
            Prefetch(
                "sub_options",
                queryset=MemorandumSubOption.objects.filter(ticked=True).order_by("order", "pk"),
                to_attr="ticked_sub_options",
            ),
            Prefetch(
                "fields",
                queryset=MemorandumField.objects.exclude(value="").order_by("order", "pk"),
                to_attr="filled_fields",
            ),
        )
        .order_by("action_area__order", "order", "pk")
    )


@dataclass
class Coverage:
    """How the proposals spread over action areas × ambition levels, and the SDGs touched."""

    levels: list[AmbitionLevel]
    rows: list[dict]
    sdgs: list[SDGGoal]
    total: int
    sdgs_untouched: list[SDGGoal] = field(default_factory=list)


def _place_filled_fields(proposal: MemorandumProposal) -> None:
    """What is printed of the fill-in fields: ``proposal.own_fields`` (of the proposal itself)
    and ``option.filled_fields`` of each ticked sub-option; a field of a sub-option that is
    not ticked is not printed, nor is an empty one."""
    filled = getattr(proposal, "filled_fields", [])
    proposal.own_fields = [f for f in filled if f.sub_option_id is None]
    for option in getattr(proposal, "ticked_sub_options", []):
        option.filled_fields = [f for f in filled if f.sub_option_id == option.pk]


def _group(
    proposals: list[MemorandumProposal], areas: list[ActionArea], levels: list[AmbitionLevel]
) -> tuple[list[dict], Coverage]:
    by_area: dict[int, list[MemorandumProposal]] = {area.pk: [] for area in areas}
    for proposal in proposals:
        by_area.setdefault(proposal.action_area_id, []).append(proposal)

    groups, rows = [], []
    touched: dict[int, SDGGoal] = {}
    for proposal in proposals:
        _place_filled_fields(proposal)
    for area in areas:
        area_proposals = by_area.get(area.pk, [])
        # The areas that hold proposals are numbered 1, 2, 3 without gaps, on the page as in
        # the PDF, so "voorstel 2.1" is the same proposal wherever the college reads it.
        area_number = len(groups) + 1
        for position, proposal in enumerate(area_proposals, start=1):
            proposal.number = f"{area_number}.{position}"
            for goal in proposal.sdg_goals.all():
                touched[goal.number] = goal
        if area_proposals:
            groups.append({"area": area, "number": area_number, "proposals": area_proposals})
        counts = {level.pk: 0 for level in levels}
        for proposal in area_proposals:
            counts[proposal.level_id] = counts.get(proposal.level_id, 0) + 1
        rows.append(
            {
                "area": area,
                "counts": [counts[level.pk] for level in levels],
                "total": len(area_proposals),
            }
        )
    coverage = Coverage(
        levels=levels,
        rows=rows,
        sdgs=[touched[number] for number in sorted(touched)],
        total=len(proposals),
    )
    return groups, coverage


def memorandum_print_data(*, memorandum: Memorandum) -> dict:
    """Everything the printed memorandum shows, for apps/documents.

    ``groups`` lists the action areas that hold proposals, in their order; each proposal has a
    ``number`` ("1.2": area, position), prefetched ``level``, ``sdg_goals``, ``reasons`` and
    ``ticked_sub_options``. Six queries, whatever the number of proposals.
    """
    areas = list(ActionArea.objects.order_by("order"))
    levels = list(AmbitionLevel.objects.order_by("order"))
    groups, coverage = _group(list(_proposals(memorandum)), areas, levels)
    all_goals = list(SDGGoal.objects.order_by("number"))
    touched = {goal.number for goal in coverage.sdgs}
    coverage.sdgs_untouched = [goal for goal in all_goals if goal.number not in touched]
    return {
        "municipality": memorandum.municipality,
        "legislature": memorandum.legislature,
        "memorandum": memorandum,
        "introduction": memorandum.introduction,
        "groups": groups,
        "coverage": coverage,
    }


def memorandum_page_data(*, memorandum: Memorandum) -> dict:
    """The memorandum page: the print data plus the hints only the web page shows."""
    data = memorandum_print_data(memorandum=memorandum)
    proposals = [p for group in data["groups"] for p in group["proposals"]]
    data["library_changed_count"] = sum(1 for p in proposals if p.library_changed)
    return data


def display_order(*, memorandum: Memorandum) -> list[tuple[int, int]]:
    """(proposal id, action area id) in the order the page shows them; one query."""
    return list(
        MemorandumProposal.objects.filter(memorandum=memorandum)
        .order_by("action_area__order", "order", "pk")
        .values_list("pk", "action_area_id")
    )


@dataclass
class LibraryFilters:
    action_area: ActionArea | None = None
    level: AmbitionLevel | None = None
    sdg: SDGGoal | None = None
    q: str = ""


# Leading and trailing punctuation is not part of a word someone searches for ('"fair",'); what
# sits inside a word stays ("11.11.11", "SDG-toets").
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


def _plain_html(expression):
    """The text without its tags, so a search for "strong" or "li" does not find every proposal.

    PostgreSQL only; SQLite has no regexp_replace and searches the text as stored."""
    if connection.vendor == "postgresql":
        return Func(expression, Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace")
    return expression


def _joined(queryset: QuerySet, field: str):
    """The related rows' ``field``, one per line, as a subquery of the proposal's row: it keeps
    the library page at a fixed number of queries, and a proposal appears once however many of
    its rows match."""
    return Subquery(
        queryset.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(joined=StringAgg(field, Value("\n")))
        .values("joined")[:1],
        output_field=TextField(),
    )


def search_document():
    """Everything a library search looks in, as one text per proposal: the title, the text,
    the sub-options and the labels of the fill-in fields. A new searchable field is one more
    part here."""
    parts = [
        F("title"),
        _plain_html(F("text")),
        _joined(LibrarySubOption.objects.all(), "text"),
        _joined(LibraryField.objects.all(), "label"),
    ]
    separated = []
    for part in parts:
        separated += [Coalesce(part, Value(""), output_field=TextField()), Value("\n")]
    return Concat(*separated[:-1], output_field=TextField())


def _search_terms(q: str) -> tuple[list[str], list[str]]:
    """The words to find as they are typed, and those to leave out ("-fair")."""
    wanted, unwanted = [], []
    for word in q.split():
        excluded = word.startswith("-") and len(word) > 1
        term = _EDGE_PUNCTUATION.sub("", word)
        if term and term.lower() != "or":
            (unwanted if excluded else wanted).append(term)
    return wanted, unwanted


def _search(queryset: QuerySet[LibraryProposal], q: str) -> QuerySet[LibraryProposal]:
    """Proposals whose title, text or sub-options match ``q``.

    Every word typed is found inside a word too: "fair" finds FairTradeGemeente, "diaspora"
    diasporaverenigingen. On PostgreSQL a match of the Dutch full-text search counts as well, so
    "duurzaam" also finds "duurzame", and a quoted phrase, "or" and "-word" work as in a web
    search. SQLite (``make run``) has the word-inside-a-word search only."""
    queryset = queryset.alias(search_document=search_document())
    wanted, unwanted = _search_terms(q)
    inside = Q()
    for term in wanted:
        inside &= Q(search_document__icontains=term)
    for term in unwanted:
        inside &= ~Q(search_document__icontains=term)
    # Only punctuation, say: nothing to look for, so nothing found.
    matches = inside if wanted else Q(pk__in=[])
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("search_document", config="dutch")
        query = SearchQuery(q, config="dutch", search_type="websearch")
        queryset = queryset.alias(search=vector)
        matches |= Q(search=query)
    return queryset.filter(matches)


def library_browse(*, memorandum: Memorandum | None, filters: LibraryFilters) -> dict:
    """The active library proposals matching the filters, with which ones are adopted."""
    queryset = (
        LibraryProposal.objects.active()
        .select_related("action_area", "level")
        .prefetch_related(
            Prefetch("sdg_goals", queryset=SDGGoal.objects.order_by("number")),
            Prefetch("sub_options", queryset=LibrarySubOption.objects.order_by("order", "pk")),
            Prefetch("fields", queryset=LibraryField.objects.order_by("order", "pk")),
        )
    )
    if filters.action_area is not None:
        queryset = queryset.filter(action_area=filters.action_area)
    if filters.level is not None:
        queryset = queryset.filter(level=filters.level)
    if filters.sdg is not None:
        queryset = queryset.filter(sdg_goals=filters.sdg)
    if filters.q:
        queryset = _search(queryset, filters.q)
    proposals = list(queryset.order_by("action_area__order", "level__order", "order", "key"))
    adopted: dict[int, int] = {}
    if memorandum is not None:
        adopted = dict(
            MemorandumProposal.objects.filter(
                memorandum=memorandum, source__isnull=False
            ).values_list("source_id", "pk")
        )
    for proposal in proposals:
        proposal.adopted_as = adopted.get(proposal.pk)
        # The loader sanitises too; this keeps the page safe whatever reached the table.
        proposal.safe_text = sanitise(proposal.text)
        # What adopting asks to fill in, each label once (two sub-options may ask the same).
        proposal.fill_in_labels = list(dict.fromkeys(f.label for f in proposal.fields.all()))
    return {"proposals": proposals, "adopted_count": len(adopted)}


def filter_choices() -> dict:
    return {
        "action_areas": list(ActionArea.objects.order_by("order")),
        "levels": list(AmbitionLevel.objects.order_by("order")),
        "sdg_goals": list(SDGGoal.objects.order_by("number")),
    }


def reasons() -> QuerySet[Reason]:
    return Reason.objects.order_by("order")
