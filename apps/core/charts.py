"""Charts drawn on the server as SVG: the same image on the page and in the PDF, readable
without colour (targets dashed, reference lines dotted and labelled) and always shown next to
a table with the same numbers (``chart_rows``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1B4F72", "#B9770E", "#196F3D", "#6C3483"]


@dataclass(frozen=True)
class Series:
    label: str
    points: dict[int, Decimal | None]
    dashed: bool = False  # targets and plans: dashed, so the kind shows without colour


@dataclass(frozen=True)
class Reference:
    label: str
    value: Decimal


@dataclass
class Chart:
    title: str
    years: list[int]
    unit: str = ""
    series: list[Series] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    decimals: int = 0


def _number(value, decimals: int) -> str:
    return formats.number_format(Decimal(value), decimal_pos=decimals, force_grouping=True)


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def chart_svg(chart: Chart, *, ident: str, width: int = 640, height: int = 260) -> SafeString:
    """The chart as an inline SVG element with a title and a description; ``ident`` makes
    their ids unique on a page with several charts."""
    ident = escape(ident)
    values = [float(v) for s in chart.series for v in s.points.values() if v is not None]
    values += [float(r.value) for r in chart.references]
    top = max(values, default=0) or 1
    step = _nice_step(top)
    top = math.ceil(top / step) * step
    left, right, upper, lower = 72, 16, 16, 56
    plot_w, plot_h = width - left - right, height - upper - lower
    years = chart.years or [0]
    slot = plot_w / max(len(years), 1)

    def x(year: int) -> float:
        return left + slot * (years.index(year) + 0.5)

    def y(value: float) -> float:
        return upper + plot_h * (1 - value / top)

    unit = f" ({chart.unit})" if chart.unit else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lmb-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(_description(chart))}</desc>',
        '<g font-size="11" fill="#333">',
    ]
    tick = 0.0
    while tick <= top + step / 2:
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">'
            f"{escape(_number(tick, chart.decimals if step < 1 else 0))}</text>"
        )
        tick += step
    for year in years:
        parts.append(
            f'<text x="{x(year):.1f}" y="{height - lower + 16}" text-anchor="middle">{year}</text>'
        )
    for reference in chart.references:
        ry = y(float(reference.value))
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ry:.1f}" y2="{ry:.1f}" '
            f'stroke="#7B241C" stroke-width="1.5" stroke-dasharray="2 3"/>'
            f'<text x="{width - right}" y="{ry - 4:.1f}" text-anchor="end" fill="#7B241C">'
            f"{escape(reference.label)}</text>"
        )
    legend_y = height - 12
    legend_x = left
    for index, series in enumerate(chart.series):
        colour = PALETTE[index % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if series.dashed else ""
        points = [(x(yr), y(float(v))) for yr, v in series.points.items() if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash}/>'
            )
        for px, py in points:
            marker = (
                f'<rect x="{px - 4:.1f}" y="{py - 4:.1f}" width="8" height="8" fill="white" '
                f'stroke="{colour}" stroke-width="2"/>'
                if series.dashed
                else f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"/>'
            )
            parts.append(marker)
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 24}" y1="{legend_y - 4}" '
            f'y2="{legend_y - 4}" stroke="{colour}" stroke-width="2.5"{dash}/>'
            f'<text x="{legend_x + 30}" y="{legend_y}">{escape(series.label)}{escape(unit)}</text>'
        )
        legend_x += 40 + 7 * len(series.label + unit)
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _description(chart: Chart) -> str:
    pieces = []
    for series in chart.series:
        known = [(yr, v) for yr, v in series.points.items() if v is not None]
        if known:
            first, last = known[0], known[-1]
            pieces.append(
                f"{series.label}: {_number(first[1], chart.decimals)} ({first[0]}) – "
                f"{_number(last[1], chart.decimals)} ({last[0]})"
            )
    pieces += [f"{r.label}: {_number(r.value, chart.decimals)}" for r in chart.references]
    return "; ".join(pieces)


def chart_rows(chart: Chart) -> list[dict]:
    """The chart's numbers as table rows (one per year), its accessible alternative."""
    return [
        {
            "year": year,
            "values": [
                _number(s.points[year], chart.decimals) if s.points.get(year) is not None else ""
                for s in chart.series
            ],
        }
        for year in chart.years
    ]
