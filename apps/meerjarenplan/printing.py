"""The printed meerjarenplan in the BBC layout, registered with apps/documents (see
``apps.documents.registry``): the whole plan, or one part of it alone.

- ``meerjarenplan``: cover, contents, the LMB part of the strategic note (the numbered
  hierarchy), the M1 table, the growth path towards 0.7 % and the overview with the amounts;
- ``meerjarenplan-strategisch``: the LMB part of the strategic note alone;
- ``meerjarenplan-m1``: the M1 "financieel doelstellingenplan" alone;
- ``meerjarenplan-overzicht``: the "overzicht van alle beleidsdoelstellingen, actieplannen en
  acties met ramingen" alone.

All print ``templates/documents/meerjarenplan.html``. Every code, amount and share comes from
the selectors (``plan_tree``, ``m1_table``, ``growth_path``): the PDF numbers and totals the
plan exactly as the page does. Nothing addressed to the drafter is in the context.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apps.core.charts import chart_rows, chart_svg
from apps.core.richtext import visible_text
from apps.documents.registry import PrintDocument, register

from .models import Plan
from .selectors import growth_path, m1_table, plan_for, plan_tree

KIND = "meerjarenplan"
STRATEGIC = "meerjarenplan-strategisch"
M1 = "meerjarenplan-m1"
OVERVIEW = "meerjarenplan-overzicht"

# Which parts each printable holds, in the printed order.
PARTS = {
    KIND: ("strategic", "m1", "growth", "overview"),
    STRATEGIC: ("strategic",),
    M1: ("m1",),
    OVERVIEW: ("overview",),
}


# --- loaders: inside the municipality only -------------------------------------------------


def plan_of(municipality, object_id: int) -> Plan:
    """The plan inside the municipality only: any other is Plan.DoesNotExist."""
    return Plan.objects.select_related("municipality", "legislature").get(
        municipality=municipality, pk=object_id
    )


def current_plan(municipality, legislature, user) -> Plan | None:
    return plan_for(municipality=municipality, legislature=legislature, user=user)


# --- builders ------------------------------------------------------------------------------


def _written(html: str | None) -> str:
    """The rich text when it holds any visible text, else "" (an empty editor leaves tags)."""
    return html if html and visible_text(html) else ""


def _last_changed(plan: Plan, tree) -> object:
    return max([plan.updated_at, *(node.item.updated_at for node in tree.nodes())])


def plan_print_data(plan: Plan, parts: tuple[str, ...]) -> dict:
    """What the print template gets: the parts it prints and their numbers, all from the
    selectors. The tree is built once and shared with the M1 table (no extra queries)."""
    tree = plan_tree(plan)
    nodes = list(tree.nodes())
    data = {
        "plan": plan,
        "municipality": plan.municipality,
        "legislature": plan.legislature,
        "document_title": plan.title,
        "parts": parts,
        "tree": tree,
        "years": tree.years,
        "introduction": _written(plan.introduction),
        "goal_count": len(tree.goals),
        "action_plan_count": sum(1 for node in nodes if node.level == "action_plan"),
        "action_count": sum(1 for node in nodes if node.level == "action"),
        "priority_goal_count": sum(1 for goal in tree.goals if goal.priority),
        "last_changed": _last_changed(plan, tree),
    }
    if "m1" in parts:
        data["m1"] = m1_table(plan, tree)
    if "growth" in parts:
        path = growth_path(plan)
        data["growth"] = path
        data["growth_svg"] = chart_svg(path.chart, ident="groeipad")
        data["growth_series"] = [series.label for series in path.chart.series]
        data["growth_chart_rows"] = chart_rows(path.chart)
    return data


def _filename(plan: Plan, suffix: str = "") -> str:
    parts = ["meerjarenplan", slugify(plan.municipality.name), str(plan.legislature)]
    return "-".join([*parts, *([suffix] if suffix else [])]) + ".pdf"


def _builder(kind: str, suffix: str):
    def build(plan: Plan) -> PrintDocument:
        data = plan_print_data(plan, PARTS[kind])
        data["single_part"] = kind != KIND
        data["short_cover"] = kind != KIND
        return PrintDocument(
            template_name="documents/meerjarenplan.html",
            context=data,
            filename=_filename(plan, suffix),
        )

    build.__name__ = f"build_{suffix or 'plan'}"
    return build


plan_document = _builder(KIND, "")
strategic_document = _builder(STRATEGIC, "strategische-nota")
m1_document = _builder(M1, "m1")
overview_document = _builder(OVERVIEW, "overzicht-ramingen")


# --- registration --------------------------------------------------------------------------


def _plan_url(plan: Plan, name: str = "meerjarenplan:plan") -> str:
    return reverse(name, args=[plan.municipality.nis_code])


def _title(plan: Plan) -> str:
    return f"{plan.title} — {plan.legislature}"


def register_printables() -> None:
    common = {"load": plan_of, "title": _title, "find": current_plan}
    register(
        KIND,
        label=_("Meerjarenplan"),
        description=_(
            "De PDF bevat een titelblad, een inhoudstafel met paginanummers, het LMB-deel van "
            "de strategische nota (beleidsdoelstellingen, actieplannen en acties met hun "
            "nummer, prioriteit, SDG's en omschrijving), het schema M1, het groeipad naar "
            "0,7 % en het overzicht van alle beleidsdoelstellingen, actieplannen en acties met "
            "ramingen."
        ),
        build=plan_document,
        page_url=_plan_url,
        book_order=40,
        **common,
    )
    register(
        STRATEGIC,
        label=_("Meerjarenplan: strategische nota (LMB-deel)"),
        description=_(
            "De PDF bevat de beleidsdoelstellingen, actieplannen en acties met hun nummer, "
            "prioriteit, verantwoordelijke dienst, SDG's, omschrijving en mijlpalen."
        ),
        build=strategic_document,
        page_url=_plan_url,
        **common,
    )
    register(
        M1,
        label=_("Meerjarenplan: schema M1"),
        description=_(
            "De PDF bevat het financieel doelstellingenplan (M1) van het LMB-deel: per jaar de "
            "prioritaire beleidsdoelstellingen, de overige beleidsdoelstellingen en het totaal."
        ),
        build=m1_document,
        page_url=lambda plan: _plan_url(plan, "meerjarenplan:m1"),
        **common,
    )
    register(
        OVERVIEW,
        label=_("Meerjarenplan: overzicht met ramingen"),
        description=_(
            "De PDF bevat het overzicht van alle beleidsdoelstellingen, actieplannen en acties "
            "met hun ramingen per jaar."
        ),
        build=overview_document,
        page_url=_plan_url,
        **common,
    )
