"""A worksheet prints as a PDF in the house layout (apps/documents registers it, like every
document). The print shows the worksheet as nobody in particular: while a self-evaluation is
still collecting, no individual answer is printed, only what was merged."""

from __future__ import annotations

import math

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apps.documents.registry import PrintDocument, register

from .models import Worksheet
from .permissions import Participant
from .selectors import board

KIND = "werkblad"


def worksheet_of(municipality, object_id: int) -> Worksheet:
    """Inside the municipality only: any other is Worksheet.DoesNotExist."""
    return Worksheet.objects.select_related("municipality", "legislature", "method").get(
        municipality=municipality, pk=object_id
    )


def sdg_wheel(rows: list[dict]) -> str:
    """The SDG circle as a wheel of 17 segments in the UN colours, each with its number and
    how many notes it got (server-rendered SVG: the PDF needs no script)."""
    centre, outer, inner = 150, 140, 48
    count = len(rows) or 1
    segments = []
    for index, row in enumerate(rows):
        start = 2 * math.pi * index / count - math.pi / 2
        end = 2 * math.pi * (index + 1) / count - math.pi / 2
        middle = (start + end) / 2

        def point(radius, angle):
            return centre + radius * math.cos(angle), centre + radius * math.sin(angle)

        (ax, ay), (bx, by) = point(outer, start), point(outer, end)
        (cx, cy), (dx, dy) = point(inner, end), point(inner, start)
        lx, ly = point((outer + inner) / 2, middle)
        notes = len(row["already"]) + len(row["difference"])
        goal = row["goal"]
        segments.append(
            (
                f"M{ax:.1f},{ay:.1f} A{outer},{outer} 0 0 1 {bx:.1f},{by:.1f} "
                f"L{cx:.1f},{cy:.1f} A{inner},{inner} 0 0 0 {dx:.1f},{dy:.1f} Z",
                goal.colour,
                f"{lx:.1f}",
                f"{ly:.1f}",
                goal.text_colour,
                goal.number,
                f" ({notes})" if notes else "",
            )
        )
    body = format_html_join(
        "",
        '<path d="{}" fill="{}" stroke="#fff" stroke-width="1"/>'
        '<text x="{}" y="{}" fill="{}" font-size="11" text-anchor="middle" '
        'dominant-baseline="middle">{}{}</text>',
        segments,
    )
    return format_html(
        '<svg class="sdg-wheel" viewBox="0 0 300 300" width="300" height="300" '
        'xmlns="http://www.w3.org/2000/svg" font-family="LMB Sans" role="img" '
        'aria-label="{}">{}</svg>',
        _("SDG-cirkel: het aantal bijdragen per SDG"),
        body,
    )


def spheres_diagram(spheres: list[dict]) -> str:
    """Outcome mapping as concentric spheres: control inside, then influence, then interest,
    the strategic partners beside them; each actor's name in its ring (SVG)."""
    rings = {"controle": 70, "invloed": 140, "interesse": 210}
    fills = {"controle": "#1d6b8f", "invloed": "#6aa7c4", "interesse": "#d4e6ef"}
    texts = {"controle": "#ffffff", "invloed": "#000000", "interesse": "#000000"}
    centre = 220
    circles = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#ffffff" stroke-width="2"/>',
        ((centre, centre, rings[key], fills[key]) for key in ("interesse", "invloed", "controle")),
    )
    labels = []
    inner = {"controle": 0, "invloed": 70, "interesse": 140}
    for sphere in spheres:
        key = sphere["key"]
        if key not in rings:
            continue
        labels.append((centre, centre - rings[key] + 14, texts[key], "700", sphere["label"]))
        actors = sphere["actors"][:6]
        for index, actor in enumerate(actors):
            # Spread the names over the ring's band, left to right, below its label.
            radius = (rings[key] + inner[key]) / 2
            angle = math.pi * (index + 1) / (len(actors) + 1)
            x = centre - radius * math.cos(angle)
            y = centre + radius * math.sin(angle) * 0.6 + 8
            labels.append((f"{x:.0f}", f"{y:.0f}", texts[key], "400", actor.text[:28]))
    partners = next((s for s in spheres if s["key"] == "partner"), None)
    if partners and partners["actors"]:
        labels.append((centre * 2 + 60, 30, "#000000", "700", partners["label"]))
        for index, actor in enumerate(partners["actors"][:10]):
            labels.append((centre * 2 + 60, 50 + 18 * index, "#000000", "400", actor.text[:28]))
    body = format_html_join(
        "",
        '<text x="{}" y="{}" fill="{}" font-size="10" font-weight="{}" '
        'text-anchor="middle">{}</text>',
        labels,
    )
    return format_html(
        '<svg class="spheres" viewBox="0 0 560 440" width="560" height="440" '
        'xmlns="http://www.w3.org/2000/svg" font-family="LMB Sans" role="img" '
        'aria-label="{}">{}{}</svg>',
        _("Outcome mapping: de actoren in de controle-, invloeds- en interessesfeer"),
        circles,
        body,
    )


TOC_LEVELS = ("impact", "outcome", "output", "activiteit")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _lines(text: str, chars: int) -> tuple[str, str, str]:
    """Two lines of at most ``chars`` characters, broken at a space; the rest shortened."""
    if len(text) <= chars:
        return text, "", ""
    cut = text.rfind(" ", 0, chars + 1)
    cut = cut if cut > 0 else chars
    return text[:cut], " ", _short(text[cut:].strip(), chars)


def toc_chain(roots: list) -> str:
    """The theory of change as a chain diagram: a row of boxes per level, impact on top and the
    activities at the bottom, each box linked to the one it contributes to, the assumption of
    that link written on it (SVG). The full texts are printed below the diagram."""
    rows: dict[str, list] = {level: [] for level in TOC_LEVELS}
    parent_of: dict[int, object] = {}

    def walk(node, parent) -> None:
        if node.section in rows:
            rows[node.section].append(node)
            if parent is not None:
                parent_of[node.pk] = parent
        for child in getattr(node, "child_list", []):
            walk(child, node)

    for root in roots:
        walk(root, None)
    width, box_h, gap = 640, 54, 56
    places: dict[int, tuple[float, float, float]] = {}
    boxes, links, labels, halos = [], [], [], []
    for depth, level in enumerate(TOC_LEVELS):
        nodes = rows[level][:8]  # a row holds eight boxes; the list below has them all
        if not nodes:
            continue
        box_w = min(200, (width - 10 * (len(nodes) + 1)) / len(nodes))
        for index, node in enumerate(nodes):
            x = 10 + index * (box_w + 10) + (width - len(nodes) * (box_w + 10) - 10) / 2
            y = 10 + depth * (box_h + gap)
            places[node.pk] = (x, y, box_w)
            boxes.append((f"{x:.0f}", f"{y:.0f}", f"{box_w:.0f}", box_h, f"toc-{level}"))
            chars = max(8, int(box_w / 4.8))
            labels.append((f"{x + box_w / 2:.0f}", f"{y + 15:.0f}", "700", level.capitalize(), ""))
            first, _space, rest = _lines(node.text, chars)
            for line, text in enumerate((first, rest)):
                if text:
                    labels.append(
                        (f"{x + box_w / 2:.0f}", f"{y + 29 + 12 * line:.0f}", "400", text, "")
                    )
    for pk, parent in parent_of.items():
        if pk not in places or parent.pk not in places:
            continue
        x, y, w = places[pk]
        px, py, pw = places[parent.pk]
        x1, y1, x2, y2 = x + w / 2, y, px + pw / 2, py + box_h
        links.append((f"{x1:.0f}", f"{y1:.0f}", f"{x2:.0f}", f"{y2:.0f}"))
        node = next(n for level in TOC_LEVELS for n in rows[level] if n.pk == pk)
        if node.detail:
            # On the link, just above the box it starts from: links that meet at one parent
            # start apart, so their assumptions do not overlap.
            text = _short(node.detail, int(w / 4.6))
            # A white band under the words, so the link's line does not cross them.
            halos.append(
                (f"{x1 - len(text) * 2.3:.0f}", f"{y1 - 16:.0f}", f"{len(text) * 4.6:.0f}")
            )
            labels.append((f"{x1:.0f}", f"{y1 - 7:.0f}", "400", text, "italic"))
    height = 10 + len(TOC_LEVELS) * (box_h + gap) - gap + 10
    return format_html(
        '<svg class="toc-chain" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="LMB Sans" role="img" aria-label="{label}">'
        '<defs><marker id="toc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#4a5b68"/></marker>'
        "</defs>{links}{halos}{boxes}{labels}</svg>",
        w=width,
        h=height,
        label=_("Veranderingstheorie: van activiteiten via outputs en outcomes naar de impact"),
        links=format_html_join(
            "",
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4a5b68" stroke-width="1.5" '
            'marker-end="url(#toc-arrow)"/>',
            links,
        ),
        halos=format_html_join(
            "", '<rect x="{}" y="{}" width="{}" height="12" fill="#ffffff"/>', halos
        ),
        boxes=format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" rx="4" class="{}" fill="#eef3f6" '
            'stroke="#1d4f6e" stroke-width="1"/>',
            boxes,
        ),
        labels=format_html_join(
            "",
            '<text x="{}" y="{}" font-size="9" font-weight="{}" text-anchor="middle" '
            'fill="#1b1b1b" font-style="{}">{}</text>',
            (
                (x, y, weight, "italic" if style else "normal", text)
                for x, y, weight, text, style in labels
            ),
        ),
    )


def worksheet_document(worksheet: Worksheet) -> PrintDocument:
    data = board(worksheet, Participant())
    return PrintDocument(
        template_name="methods/print.html",
        context={
            "municipality": worksheet.municipality,
            "legislature": worksheet.legislature,
            "worksheet": worksheet,
            "method": worksheet.method,
            "board": data,
            "kind": data.kind,
            "document_title": worksheet.title,
            "short_cover": True,
            "sdg_wheel": sdg_wheel(data.extra["goals"]) if data.kind.key == "sdg-cirkel" else "",
            "toc_chain": (
                toc_chain(data.extra["roots"]) if data.kind.key == "veranderingstheorie" else ""
            ),
            "spheres_diagram": (
                spheres_diagram(data.extra["spheres"]) if data.kind.key == "outcome-mapping" else ""
            ),
            "last_changed": max(
                [worksheet.updated_at, *(c.created_at for c in data.contributions)]
            ),
        },
        filename=f"werkblad-{slugify(worksheet.title)[:60] or worksheet.pk}.pdf",
    )


def register_printables() -> None:
    register(
        KIND,
        label=_("Werkblad"),
        description=_(
            "De PDF bevat het werkblad met de bijdragen, geordend zoals de werkvorm ze schikt."
        ),
        load=worksheet_of,
        build=worksheet_document,
        title=lambda worksheet: f"{worksheet.method.name}: {worksheet.title}",
        page_url=lambda worksheet: reverse(
            "methods:worksheet", args=[worksheet.municipality.nis_code, worksheet.pk]
        ),
    )
