"""A municipality's key figures per year, and what follows from them: the share of the budget
that goes to local global policy and the amount per inhabitant. Typed once (apps/core), read
by the omgevingsanalyse's indicators and the meerjarenplan's growth path alike."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from .editing import StaleVersionError
from .models import Municipality, YearFigures
from .permissions import can_edit

# The guide looks back to the previous plan period: six years before the current one.
YEARS_BACK = 7


@dataclass(frozen=True)
class YearFigure:
    year: int
    total_budget: Decimal | None
    lmb_budget: Decimal | None
    inhabitants: int | None
    version: int = 0
    typed_lmb_budget: Decimal | None = None  # as typed for this year, before a plan's amounts
    typed_inhabitants: int | None = None  # as typed for this year, before the fallback

    @property
    def lmb_share(self) -> Decimal | None:
        """Percentage of the total budget, two decimals."""
        if self.lmb_budget is None or not self.total_budget:
            return None
        share = self.lmb_budget * 100 / self.total_budget
        return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def per_inhabitant(self) -> Decimal | None:
        if self.lmb_budget is None or not self.inhabitants:
            return None
        return (self.lmb_budget / self.inhabitants).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


def figure_years(legislature) -> list[int]:
    """The years a municipality keeps figures for: the plan period and the years before it."""
    if legislature is None:
        return []
    return list(range(legislature.start_year - YEARS_BACK, legislature.end_year + 1))


def year_figures(
    municipality: Municipality,
    years: list[int],
    *,
    lmb_budgets: dict[int, Decimal] | None = None,
) -> list[YearFigure]:
    """One figure per year in ``years`` (one query). ``lmb_budgets`` overrides the typed LMB
    budget for the years a plan covers; a year without its own count of inhabitants takes the
    municipality's."""
    rows = {
        row.year: row
        for row in YearFigures.objects.filter(municipality=municipality, year__in=years)
    }
    lmb_budgets = lmb_budgets or {}
    result = []
    for year in years:
        row = rows.get(year)
        result.append(
            YearFigure(
                year=year,
                total_budget=row.total_budget if row else None,
                lmb_budget=lmb_budgets.get(year, row.lmb_budget if row else None),
                inhabitants=(row.inhabitants if row and row.inhabitants else None)
                or municipality.inhabitants
                or None,
                version=row.version if row else 0,
                typed_lmb_budget=row.lmb_budget if row else None,
                typed_inhabitants=row.inhabitants if row else None,
            )
        )
    return result


def year_figures_save(*, municipality: Municipality, rows: list[dict], by) -> None:
    """Store the typed figures of several years at once. Each row carries the version it was
    loaded with (0 for a year without figures yet); if any moved on, nothing is saved."""
    from django.core.exceptions import PermissionDenied

    if not can_edit(by, municipality):
        raise PermissionDenied
    with transaction.atomic():
        # One writer at a time per municipality, also for years that have no row yet.
        Municipality.objects.select_for_update().get(pk=municipality.pk)
        existing = {
            row.year: row
            for row in YearFigures.objects.filter(
                municipality=municipality, year__in=[r["year"] for r in rows]
            )
        }
        for data in rows:
            current = existing.get(data["year"])
            if (current.version if current else 0) != data["version"]:
                raise StaleVersionError(year_figures(municipality, sorted(r["year"] for r in rows)))
        for data in rows:
            values = {
                "total_budget": data["total_budget"],
                "lmb_budget": data["lmb_budget"],
                "inhabitants": data["inhabitants"],
            }
            current = existing.get(data["year"])
            if current is None:
                if any(value is not None for value in values.values()):
                    row = YearFigures(municipality=municipality, year=data["year"], **values)
                    row.updated_by = by
                    row.full_clean()
                    row.save()
                continue
            if all(getattr(current, name) == value for name, value in values.items()):
                continue
            for name, value in values.items():
                setattr(current, name, value)
            current.touch(by)
            current.full_clean()
            current.save()
