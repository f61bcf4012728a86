"""The printed meerjarenplan in the BBC layout, whole and each part alone, read back with pypdf:
the numbered hierarchy in order, the priority, the M1 table on a landscape page whose totals
equal the sum of the actions' amounts, the growth path with its 0.7 % line, and the overview
with the amounts."""

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from apps.core.models import Legislature, Role, SDGGoal, SDGTarget, YearFigures
from apps.core.numbers import format_amount
from apps.documents import registry
from apps.documents.pdf import render_pdf
from apps.documents.registry import document_for
from apps.meerjarenplan import services
from apps.meerjarenplan.models import BudgetLine
from apps.meerjarenplan.selectors import growth_path
from tests.factories import MembershipFactory

from .conftest import BUNDLED_FONTS, embedded_fonts, flat, pdf_pages

pytestmark = pytest.mark.django_db

KINDS = [
    "meerjarenplan",
    "meerjarenplan-strategisch",
    "meerjarenplan-m1",
    "meerjarenplan-overzicht",
]
EXP, INV, FIN = "exploitatie", "investeringen", "financiering"
OUT, IN = "uitgaven", "ontvangsten"
CODES = [
    "BD1",
    "AP1.1",
    "AC1.1.1",
    "AC1.1.2",
    "AP1.2",
    "AC1.2.1",
    "BD2",
    "AP2.1",
    "AC2.1.1",
    "AC2.1.2",
    "AP2.2",
]
M1_TITLE = "Schema M1: financieel doelstellingenplan"
OVERVIEW_TITLE = "Overzicht van alle beleidsdoelstellingen, actieplannen en acties met ramingen"


def _fresh(item):
    return type(item).objects.get(pk=item.pk)


def fill_plan(municipality, opsteller, *, actions_per_plan=(2, 1, 2)):
    """A plan as an opsteller builds it, through the services only: goal 1 with two action
    plans (one action prioritair), goal 2 with a plan with actions and a plan without actions
    that carries its own amounts; SDGs, a description, a service, milestones, distinct amounts
    in every kind, the core key figures and a growth path with a decrease in 2028."""
    plan = services.plan_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )
    years = plan.legislature.years
    goal1 = services.goal_create(
        plan=plan,
        title="Eerlijke handel in de gemeente",
        description="<p>Omschrijving van de eerste doelstelling.</p>",
        responsible_service="Dienst Internationale Samenwerking",
        sdg_goals=SDGGoal.objects.filter(number__in=[12, 17]),
        sdg_targets=SDGTarget.objects.filter(code="17.2"),
        by=opsteller,
    )
    goal2 = services.goal_create(plan=plan, title="Mondiaal burgerschap", by=opsteller)
    shape = [(goal1, "Fairtrade-aankoop", actions_per_plan[0]), (goal1, "Sensibilisering", 1)]
    shape += [(goal2, "Scholenwerking", actions_per_plan[2])]
    actions = []
    for goal, title, count in shape:
        action_plan = services.action_plan_create(goal=goal, title=title, by=opsteller)
        for a in range(1, count + 1):
            actions.append(
                services.action_create(
                    action_plan=action_plan,
                    title=f"{title}: actie {a}",
                    description=f"<p>Omschrijving van {title.lower()} actie {a}.</p>",
                    priority=(title == "Fairtrade-aankoop" and a == 2),
                    by=opsteller,
                )
            )
    own = services.action_plan_create(
        goal=goal2, title="Eigen ramingen zonder acties", by=opsteller
    )
    for n, action in enumerate(actions, start=1):
        amounts = {}
        for y, year in enumerate(years):
            amounts[(year, EXP, OUT)] = Decimal(f"{10000 * n + 1111 * y}.{n:02d}")
            amounts[(year, EXP, IN)] = Decimal(f"{500 * n + 7 * y}.25")
            if y % 2 == 0:
                amounts[(year, INV, OUT)] = Decimal(f"{3000 * n + 13 * y}.50")
            if y == 3:
                amounts[(year, FIN, OUT)] = Decimal(f"{700 * n}.75")
        action = _fresh(action)
        services.budget_set(
            item=action, amounts=amounts, expected_version=action.version, by=opsteller
        )
    own = _fresh(own)
    services.budget_set(
        item=own,
        amounts={(year, EXP, OUT): Decimal("2500.00") for year in years},
        expected_version=own.version,
        by=opsteller,
    )
    first = _fresh(actions[0])
    services.milestones_set(
        item=first,
        milestones=[("Aantal fairtrade-producten", Decimal("25"), years[-1])],
        expected_version=first.version,
        by=opsteller,
    )
    for y, year in enumerate(years):
        YearFigures.objects.create(
            municipality=municipality,
            year=year,
            total_budget=Decimal("30000000") if y != 2 else Decimal("90000000"),
            inhabitants=25000,
        )
    plan = _fresh(plan)
    return services.growth_path_set(
        plan=plan,
        shares={years[0]: Decimal("0.30"), years[-1]: Decimal("0.70")},
        expected_version=plan.version,
        by=opsteller,
    )


@pytest.fixture
def plan(municipality, opsteller):
    return fill_plan(municipality, opsteller)


def render(kind: str, plan) -> bytes:
    document = document_for(kind=kind, municipality=plan.municipality, object_id=plan.pk)
    return render_pdf(template_name=document.template_name, context=document.context)


@pytest.fixture(scope="function")
def pdfs(plan):
    return {kind: render(kind, plan) for kind in KINDS}


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (float(page.mediabox.width), float(page.mediabox.height))
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def codes_in(text: str) -> list[str]:
    return re.findall(r"\b(?:BD|AP|AC)\d+(?:\.\d+)*\b", text)


def dedupe(codes: list[str]) -> list[str]:
    seen, ordered = set(), []
    for code in codes:
        if code not in seen:
            seen.add(code)
            ordered.append(code)
    return ordered


def expected_total(year: int, kind: str, direction: str) -> Decimal:
    """The plan's total from the stored budget lines themselves, not from the selectors."""
    return BudgetLine.objects.filter(year=year, kind=kind, direction=direction).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0.00")


def test_the_meerjarenplan_registers_four_printables():
    for kind in KINDS:
        assert registry.is_registered(kind)
    assert registry.label_for("meerjarenplan") == "Meerjarenplan"


def test_whole_plan_cover_contents_and_parts_in_order(pdfs, plan, municipality):
    pages = pdf_pages(pdfs["meerjarenplan"])
    cover = flat(pages[0])
    assert municipality.name in cover and plan.title in cover
    assert "Planperiode 2026-2031" in cover
    assert "2, waarvan 1 prioritair" in cover
    total = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert f"pagina {number} van {total}" in text
    contents = flat(pages[1])
    for title in [
        "Strategische nota: lokaal mondiaal beleid",
        "BD1 Eerlijke handel in de gemeente",
        "BD2 Mondiaal burgerschap",
        M1_TITLE,
        "Groeipad naar 0,7 %",
        OVERVIEW_TITLE,
    ]:
        assert title in contents
    # The contents' page numbers point at the right pages.
    for line in pages[1].splitlines():
        match = re.match(r"^(.+?) ?\.{3,} ?(\d+)$", line.strip())
        if match and match.group(1).startswith(("Schema M1", "Groeipad")):
            assert match.group(1) in flat(pages[int(match.group(2)) - 1])
    body = flat("\n".join(pages[2:]))
    order = [
        body.index("Strategische nota: lokaal mondiaal beleid"),
        body.index(M1_TITLE),
        body.index("Groeipad naar 0,7 %"),
        body.index(OVERVIEW_TITLE),
    ]
    assert order == sorted(order)


def test_strategic_note_numbers_the_hierarchy_in_order(pdfs, plan):
    for kind in ("meerjarenplan", "meerjarenplan-strategisch"):
        pages = pdf_pages(pdfs[kind])
        if kind == "meerjarenplan":
            pages = pages[2:]  # after the cover and the contents
        body = flat("\n".join(pages))
        note = body[body.index("Strategische nota: lokaal mondiaal beleid") :]
        if M1_TITLE in note:
            note = note[: note.index(M1_TITLE)]
        assert codes_in(note) == CODES
        assert "AC1.1.2 Fairtrade-aankoop: actie 2" in note
        # The priority: the action, and its goal (derived); not the other goal.
        assert re.search(r"AC1\.1\.2 Fairtrade-aankoop: actie 2 Actie prioritair", note)
        assert re.search(r"BD1 Eerlijke handel in de gemeente Beleidsdoelstelling prioritair", note)
        assert re.search(r"BD2 Mondiaal burgerschap Beleidsdoelstelling (?!prioritair)", note)
        assert "Verantwoordelijke dienst: Dienst Internationale Samenwerking" in note
        assert "SDG 12" in note and "SDG 17 Partnerschap" in note
        assert "SDG-subdoelen: 17.2" in note
        # The target's Dutch title, not only its code.
        title = SDGTarget.objects.get(code="17.2").title_nl
        assert title and " ".join(title.split()[:4]) in note
        assert "Omschrijving van de eerste doelstelling." in note
        assert "Omschrijving van scholenwerking actie 2." in note
        assert re.search(r"Aantal fairtrade-producten 25 2031", note)


def test_m1_page_is_landscape_and_its_total_is_the_sum_of_the_actions(pdfs, plan):
    years = plan.legislature.years
    for kind in ("meerjarenplan", "meerjarenplan-m1"):
        pdf = pdfs[kind]
        pages = pdf_pages(pdf)
        sizes = page_sizes(pdf)
        m1_pages = [
            i
            for i, text in enumerate(pages)
            if "Saldo" in text and sizes[i][0] > sizes[i][1]  # landscape
        ]
        assert M1_TITLE in pages[m1_pages[0]]
        if kind == "meerjarenplan":
            assert len(m1_pages) == 1  # the test plan's M1 fits on one page
        text = flat("\n".join(pages[i] for i in m1_pages))
        total = text[text.rindex("Totaal") :]
        for kind_, direction in [(EXP, OUT), (EXP, IN), (INV, OUT), (FIN, OUT)]:
            for year in years:
                amount = expected_total(year, kind_, direction)
                assert format_amount(amount) in total, (kind_, direction, year)
        # The saldo of exploitatie in the first year, from the lines as well.
        saldo = expected_total(years[0], EXP, IN) - expected_total(years[0], EXP, OUT)
        assert format_amount(saldo) in total
        # The priority goal has its own block, the other goal is in "Overige".
        assert "BD1 Eerlijke handel in de gemeente prioritair" in text
        assert "Overige beleidsdoelstellingen" in text
        assert "BD2 Mondiaal burgerschap" not in text


def test_m1_amounts_are_in_the_belgian_euro_format(pdfs):
    text = flat("\n".join(pdf_pages(pdfs["meerjarenplan-m1"])))
    assert re.search(r"€ \d{1,3}(?:\.\d{3})+,\d{2}", text)
    assert not re.search(r"€ \d+,\d{3}\.\d{2}", text)  # no English grouping


def test_growth_path_chart_table_and_the_07_line(pdfs, plan):
    pages = pdf_pages(pdfs["meerjarenplan"])
    index = next(i for i, text in enumerate(pages) if "Groeipad per jaar" in text)
    text = flat(pages[index])
    assert "0,7 % (SDG 17.2)" in text  # the reference line's label, drawn in the chart
    assert "aandeel LMB in het budget" in text and "groeipad" in text  # the legend
    width, height = page_sizes(pdfs["meerjarenplan"])[index]
    assert height > width  # the growth path is on a portrait page
    # 2026: (EXP + INV uitgaven) / 30 miljoen; 2028 has a budget three times as big: a decrease.
    first = plan.legislature.years[0]
    lmb = expected_total(first, EXP, OUT) + expected_total(first, INV, OUT)
    assert format_amount(lmb) in text
    assert "0,30 %" in text and "0,70 %" in text
    warned = [row.year for row in growth_path(plan).warnings]
    assert 2028 in warned
    line = "Het aandeel daalt ten opzichte van het voorgaande jaar in: "
    assert line + " · ".join(str(year) for year in warned) + " Bron:" in text


def test_overview_lists_every_item_with_its_amounts(pdfs, plan):
    years = plan.legislature.years
    for kind in ("meerjarenplan", "meerjarenplan-overzicht"):
        pdf = pdfs[kind]
        pages = pdf_pages(pdf)
        sizes = page_sizes(pdf)
        first = next(
            i for i, text in enumerate(pages) if OVERVIEW_TITLE in flat(text) and "Raming" in text
        )
        overview_pages = list(range(first, len(pages)))
        assert all(sizes[i][0] > sizes[i][1] for i in overview_pages)  # landscape
        text = flat("\n".join(pages[first:]))
        assert dedupe(codes_in(text)) == CODES
        assert "Geen ramingen." not in text  # every item has amounts
        # An action's own amounts, and the plan without actions with its own lines.
        assert format_amount(Decimal("10000.01")) in text
        assert "AP2.2 Eigen ramingen zonder acties" in text
        assert format_amount(Decimal("15000.00")) in text  # 6 × 2.500
        grand = sum((expected_total(year, EXP, OUT) for year in years), Decimal("0.00"))
        assert format_amount(grand) in text[text.index("Totaal van het meerjarenplan") :]


def test_each_part_alone_holds_only_its_part(pdfs):
    strategic = flat("\n".join(pdf_pages(pdfs["meerjarenplan-strategisch"])))
    m1 = flat("\n".join(pdf_pages(pdfs["meerjarenplan-m1"])))
    overview = flat("\n".join(pdf_pages(pdfs["meerjarenplan-overzicht"])))
    for alone in (strategic, m1, overview):
        assert "Inhoud" not in alone
        assert "Groeipad naar 0,7 %" not in alone
    assert M1_TITLE not in strategic and OVERVIEW_TITLE not in strategic
    assert "€" not in strategic
    assert "Strategische nota" not in m1 and OVERVIEW_TITLE not in m1
    assert "Omschrijving van de eerste doelstelling." not in m1
    assert "AC1.1.1" not in m1  # M1 is per goal
    assert M1_TITLE not in overview and "Strategische nota" not in overview
    assert "Omschrijving van de eerste doelstelling." not in overview
    # M1 and the overview alone are landscape throughout; the strategic note is portrait.
    assert all(w > h for w, h in page_sizes(pdfs["meerjarenplan-m1"]))
    assert all(w > h for w, h in page_sizes(pdfs["meerjarenplan-overzicht"]))
    assert all(h > w for w, h in page_sizes(pdfs["meerjarenplan-strategisch"]))


def test_nothing_addressed_to_the_drafter_is_printed(pdfs):
    for pdf in pdfs.values():
        body = flat("\n".join(pdf_pages(pdf)))
        assert not re.search(r"\b(je|jouw|jij|u|uw)\b", body, re.IGNORECASE)


def test_only_the_bundled_fonts_are_embedded(pdfs):
    """The chart's SVG text too (print_svg sets it in the bundled font)."""
    assert embedded_fonts(pdfs["meerjarenplan"]) <= BUNDLED_FONTS
    for pdf in pdfs.values():
        assert embedded_fonts(pdf) <= BUNDLED_FONTS


def test_each_part_has_its_own_file_name(plan):
    names = {
        kind: document_for(kind=kind, municipality=plan.municipality, object_id=plan.pk).filename
        for kind in KINDS
    }
    assert names == {
        "meerjarenplan": "meerjarenplan-teststad-2026-2031.pdf",
        "meerjarenplan-strategisch": "meerjarenplan-teststad-2026-2031-strategische-nota.pdf",
        "meerjarenplan-m1": "meerjarenplan-teststad-2026-2031-m1.pdf",
        "meerjarenplan-overzicht": "meerjarenplan-teststad-2026-2031-overzicht-ramingen.pdf",
    }


@pytest.mark.parametrize("kind", KINDS)
def test_another_municipalitys_plan_is_never_printed(
    kind, client, opsteller, municipality, other_municipality
):
    foreign = fill_plan(
        other_municipality,
        MembershipFactory(municipality=other_municipality, role=Role.OPSTELLER).user,
        actions_per_plan=(1, 1, 1),
    )
    with pytest.raises(ObjectDoesNotExist):
        document_for(kind=kind, municipality=municipality, object_id=foreign.pk)
    client.force_login(opsteller)
    url = reverse("documents:document_pdf", args=[municipality.nis_code, kind, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_an_unknown_part_is_an_unknown_document(plan):
    with pytest.raises(registry.UnknownDocument):
        document_for(kind="meerjarenplan-m2", municipality=plan.municipality, object_id=plan.pk)


def test_the_pdf_page_of_ones_own_plan_opens(client, opsteller, plan, municipality):
    client.force_login(opsteller)
    for kind in KINDS:
        url = reverse("documents:document_pdf", args=[municipality.nis_code, kind, plan.pk])
        assert client.get(url).status_code == 200


def _queries_to_print(municipality, actions: int) -> int:
    opsteller = MembershipFactory(municipality=municipality, role=Role.OPSTELLER).user
    plan = fill_plan(municipality, opsteller, actions_per_plan=(actions, 1, actions))
    with CaptureQueriesContext(connection) as queries:
        render("meerjarenplan", plan)
    return len(queries)


def test_printing_runs_the_same_queries_for_a_small_and_a_large_plan(
    municipality, other_municipality
):
    assert _queries_to_print(municipality, 1) == _queries_to_print(other_municipality, 6)
