"""Rows kept in an order within their parent (proposals in a memorandum, sections in an
analysis): positions 0, 1, 2, … without gaps, unique per parent in the database.

Callers lock the parent row first (``select_for_update``) and read the rows under that lock,
so two quick clicks each start from the order the other left."""

from django.db.models import F


def write_order(rows: list) -> None:
    """Give ``rows`` (all children of one parent, read under its lock) the positions 0, 1, 2,
    … as listed. The database checks uniqueness row by row: moved rows first step aside to
    values above every current one, then take their places."""
    if not rows:
        return
    model = type(rows[0])
    offset = max(len(rows), *(row.order for row in rows)) + 1
    changed = [row for position, row in enumerate(rows) if row.order != position]
    if not changed:
        return
    model.objects.filter(pk__in=[row.pk for row in changed]).update(order=F("order") + offset)
    for position, row in enumerate(rows):
        row.order = position
    model.objects.bulk_update(changed, ["order"])


def swap_with_neighbour(
    ids: list[int], pk: int, direction: str, *, within: list[int] | None = None
):
    """The ids with ``pk`` swapped with its neighbour up or down (among ``within`` when given);
    None when it is already first or last there."""
    group = within if within is not None else ids
    index = group.index(pk)
    neighbour = index - 1 if direction == "up" else index + 1
    if neighbour < 0 or neighbour >= len(group):
        return None
    ids = list(ids)
    a, b = ids.index(pk), ids.index(group[neighbour])
    ids[a], ids[b] = ids[b], ids[a]
    return ids
