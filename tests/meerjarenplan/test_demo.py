"""Demodorp's demo plan: 3 goals, 6 action plans and 15 actions with budgets in every plan year,
five actions from the memorandum; loading twice changes nothing."""

import os

import pytest
from django.core.management import call_command

from apps.beleidsvoorstellen.models import Memorandum, MemorandumProposal
from apps.library.models import LibraryProposal
from apps.meerjarenplan.models import Action, ActionPlan, BudgetLine, Goal, Plan
from apps.meerjarenplan.selectors import growth_path, lmb_budgets, m1_table, plan_tree
from apps.meerjarenplan.selectors_memorandum import proposals_not_in_plan, where_proposals_landed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def registered():
    """The loader as ``MeerjarenplanConfig.ready`` registers it, for these tests only (other
    tests' ``load_demo`` keep the demo they were written for)."""
    from apps.core import demo as core_demo
    from apps.meerjarenplan.demo import load_demo_plan, register

    was_registered = load_demo_plan in core_demo._document_loaders
    register()
    yield
    if not was_registered:
        core_demo._document_loaders.remove(load_demo_plan)


def load_demo():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _counts():
    return (
        Plan.objects.count(),
        Goal.objects.count(),
        ActionPlan.objects.count(),
        Action.objects.count(),
        BudgetLine.objects.count(),
        Memorandum.objects.count(),
        MemorandumProposal.objects.count(),
        LibraryProposal.objects.count(),
    )


def test_the_demo_plan_loads_once_with_its_hierarchy_budgets_and_memorandum_links():
    assert not LibraryProposal.objects.exists()  # the demo loads the library it needs
    load_demo()
    plan = Plan.objects.get(municipality__nis_code="99001")
    assert (plan.goals.count(), plan.action_plans.count(), plan.actions.count()) == (3, 6, 15)
    memorandum = Memorandum.objects.get(municipality__nis_code="99001")
    assert memorandum.proposals.count() == 8
    assert {p.action_area.code for p in memorandum.proposals.all()} == {"BK", "BU", "SW"}
    landed = where_proposals_landed(memorandum)
    assert len(landed) == 5
    assert Action.objects.filter(plan=plan, proposals__isnull=False).count() == 5
    assert len(proposals_not_in_plan(plan)) == 3

    tree = plan_tree(plan)
    codes = [code for codes in landed.values() for code in codes]
    assert set(codes) <= set(tree.by_code())
    for node in tree.nodes():
        if node.level == "action":
            assert all(node.budget.lmb_budget(year) > 0 for year in tree.years), node.code
    budgets = lmb_budgets(plan)
    assert sorted(budgets) == list(range(2026, 2032))
    assert 50000 <= budgets[2026] <= 60000 and 115000 <= budgets[2031] <= 140000
    assert [budgets[y] for y in sorted(budgets)] == sorted(budgets.values())
    assert tree.budget.total("ontvangsten") > 0
    assert tree.budget.total("uitgaven", kinds=("investeringen",)) > 0
    assert [block.code for block in m1_table(plan, tree).goals] == ["BD1", "BD3"]
    path = growth_path(plan)
    assert all(row.target_share is not None for row in path.years)
    assert not path.warnings
    assert Action.objects.filter(plan=plan, milestones__isnull=False).distinct().count() >= 3

    before = _counts()
    load_demo()
    assert _counts() == before


def test_a_plan_changed_in_the_app_is_left_as_it_is():
    load_demo()
    action = Action.objects.get(
        plan__municipality__nis_code="99001", title__startswith="Een noodhulp"
    )
    action.delete()
    before = _counts()
    load_demo()
    assert _counts() == before


def test_the_demo_memorandum_has_worked_out_proposals_with_fill_ins_and_reasons():
    load_demo()
    staff = MemorandumProposal.objects.get(source__key="BK-G4")
    assert staff.reasons.count() == 2 and staff.priority == "hoog" and staff.justification
    ticked = list(staff.sub_options.filter(ticked=True).order_by("order"))
    assert [o.text for o in ticked] == [
        "De personeelsinzet voor lokaal mondiaal beleid wordt uitgebreid.",
        "Het budget voor lokaal mondiaal beleid groeit volgens een vast groeipad.",
    ]
    filled = {
        f.label: f.display_value for f in staff.fields.exclude(value="") if f.sub_option.ticked
    }
    assert filled["Gewenste personeelsinzet"] == "0,3 VTE"
    assert filled["Beoogd jaarbudget in 2031"] == "€ 45.000,00"
    worked_out = MemorandumProposal.objects.filter(reasons__isnull=False).distinct().count()
    assert worked_out == 4
