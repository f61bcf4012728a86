import xml.etree.ElementTree as ET
from decimal import Decimal

from django.utils import translation

from apps.core.charts import Chart, Reference, Series, chart_rows, chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def chart():
    return Chart(
        title="Budget <LMB>",
        years=[2023, 2024, 2025, 2026],
        unit="€",
        series=[
            Series("Werkelijk", {2023: Decimal(30000), 2024: Decimal(41000), 2025: None}),
            Series("Doel", {2025: Decimal(45000), 2026: Decimal(52000)}, dashed=True),
        ],
        references=[Reference("Mediaan gemeenten 2022", Decimal(40000))],
    )


def test_the_chart_is_valid_svg_with_a_title_and_a_description():
    with translation.override("nl-be"):
        svg = chart_svg(chart(), ident="budget")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Budget <LMB>"  # escaped in the markup
    desc = root.find(f"{SVG}desc").text
    assert "30.000 (2023)" in desc and "41.000 (2024)" in desc and "Mediaan gemeenten 2022" in desc
    assert root.get("aria-labelledby") == "budget-title budget-desc"


def test_targets_are_dashed_and_references_drawn_so_colour_is_not_needed():
    root = ET.fromstring(chart_svg(chart(), ident="c"))
    lines = root.findall(f".//{SVG}polyline")
    assert [line.get("stroke-dasharray") for line in lines] == [None, "6 4"]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Mediaan gemeenten 2022" in texts
    assert {"2023", "2024", "2025", "2026"} <= set(texts)


def test_the_y_axis_reaches_above_the_highest_value():
    root = ET.fromstring(chart_svg(chart(), ident="c"))
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    numbers = [int(t.replace(".", "").replace(",", "")) for t in ticks if t and t[0].isdigit()]
    assert max(numbers) >= 52000


def test_an_empty_chart_still_draws():
    root = ET.fromstring(chart_svg(Chart(title="Leeg", years=[2025]), ident="leeg"))
    assert root.find(f"{SVG}title").text == "Leeg"


def test_the_table_alternative_has_the_same_numbers():
    with translation.override("nl-be"):
        rows = chart_rows(chart())
    assert rows[1] == {"year": 2024, "values": ["41.000", ""]}
    assert rows[3] == {"year": 2026, "values": ["", "52.000"]}
