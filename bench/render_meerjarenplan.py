"""Benchmark: render the meerjarenplan PDF (BBC layout) of a plan the size of the demo plan,
whole and each part alone.

    scripts/with-postgres .venv/bin/python bench/render_meerjarenplan.py [--runs 5]
    .venv/bin/python bench/render_meerjarenplan.py          # embedded SQLite, in memory

Builds a throwaway test database (Django's test database machinery, removed afterwards) and
fills one plan through the services: 3 goals, 6 action plans, 15 actions (two of them
prioritair), each with a description, a responsible service, SDGs, a milestone and amounts in
every year of the period, the municipality's key figures and a growth path. Prints the median
render time (data gathering + WeasyPrint), the page count and the PDF size of the whole plan
and of each part. It prints figures; it asserts nothing.
"""

import argparse
import io
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmbplanner.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

KINDS = [
    "meerjarenplan",
    "meerjarenplan-strategisch",
    "meerjarenplan-m1",
    "meerjarenplan-overzicht",
]
DESCRIPTION = (
    "<p>{title}: de gemeente werkt samen met het middenveld, de scholen en de partnergemeente. "
    "Ze volgt de voortgang jaarlijks op en rapporteert aan de gemeenteraad.</p>"
)


def build_plan(args):
    from apps.core.models import Legislature, Role, SDGGoal, YearFigures
    from apps.meerjarenplan import services
    from tests.factories import MembershipFactory, MunicipalityFactory

    municipality = MunicipalityFactory(name="Benchmarkegem", inhabitants=42000)
    by = MembershipFactory(municipality=municipality, role=Role.OPSTELLER).user
    plan = services.plan_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=by
    )
    years = plan.legislature.years
    sdgs = list(SDGGoal.objects.order_by("number"))
    count = 0
    for g in range(1, args.goals + 1):
        title = f"Beleidsdoelstelling {g}: mondiaal engagement in de gemeente"
        goal = services.goal_create(
            plan=plan,
            title=title,
            description=DESCRIPTION.format(title=title),
            responsible_service="Dienst Internationale Samenwerking",
            sdg_goals=[sdgs[g % len(sdgs)], sdgs[16]] if sdgs else [],
            by=by,
        )
        for p in range(1, args.plans_per_goal + 1):
            title = f"Actieplan {g}.{p}: samenwerking en sensibilisering"
            action_plan = services.action_plan_create(
                goal=goal, title=title, description=DESCRIPTION.format(title=title), by=by
            )
            for a in range(1, args.actions_per_plan + (1 if p == 1 else 0) + 1):
                count += 1
                if count > args.actions:
                    break
                title = f"Actie {g}.{p}.{a}: een concreet project met partners"
                action = services.action_create(
                    action_plan=action_plan,
                    title=title,
                    description=DESCRIPTION.format(title=title),
                    responsible_service="Dienst Cultuur en Onderwijs",
                    sdg_goals=[sdgs[(g + a) % len(sdgs)]] if sdgs else [],
                    priority=count in (2, 9),
                    by=by,
                )
                amounts = {}
                for y, year in enumerate(years):
                    amounts[(year, "exploitatie", "uitgaven")] = Decimal(
                        8000 + 900 * y + 37 * count
                    )
                    amounts[(year, "exploitatie", "ontvangsten")] = Decimal(1200 + 11 * count)
                    if y % 3 == 0:
                        amounts[(year, "investeringen", "uitgaven")] = Decimal(15000 + 100 * count)
                action = services.budget_set(
                    item=action, amounts=amounts, expected_version=action.version, by=by
                )
                services.milestones_set(
                    item=action,
                    milestones=[("Bereikte deelnemers", Decimal(100 * a), years[-1])],
                    expected_version=action.version,
                    by=by,
                )
    for y, year in enumerate(years):
        YearFigures.objects.create(
            municipality=municipality,
            year=year,
            total_budget=Decimal(60_000_000 + 1_000_000 * y),
            inhabitants=42000,
        )
    plan.refresh_from_db()
    shares = {year: Decimal("0.40") + Decimal("0.06") * y for y, year in enumerate(years)}
    return services.growth_path_set(plan=plan, shares=shares, expected_version=plan.version, by=by)


def measure(kind: str, plan, runs: int):
    from apps.documents.pdf import render_pdf
    from apps.documents.registry import document_for

    timings, pdf = [], b""
    for _ in range(runs + 1):  # the first run warms WeasyPrint and the font cache
        started = time.perf_counter()
        document = document_for(kind=kind, municipality=plan.municipality, object_id=plan.pk)
        pdf = render_pdf(template_name=document.template_name, context=document.context)
        timings.append(time.perf_counter() - started)
    return timings, pdf


def report(title: str, timings: list[float], pdf: bytes) -> None:
    from pypdf import PdfReader

    measured = timings[1:]
    print(title)
    print(f"  runs            {len(measured)} (+1 warm-up of {timings[0]:.2f} s)")
    print(f"  median render   {statistics.median(measured):.2f} s")
    print(f"  min / max       {min(measured):.2f} s / {max(measured):.2f} s")
    print(f"  pages           {len(PdfReader(io.BytesIO(pdf)).pages)}")
    print(f"  PDF size        {len(pdf) / 1024:.0f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--goals", type=int, default=3)
    parser.add_argument("--plans-per-goal", type=int, default=2)
    parser.add_argument("--actions-per-plan", type=int, default=2, help="the first plan one more")
    parser.add_argument("--actions", type=int, default=15, help="at most this many in all")
    parser.add_argument("--out", type=Path, help="also write the PDFs into this directory")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # Its own name: never the test database of a test run going on at the same time.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_lmb_mjp_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from apps.meerjarenplan.selectors import plan_tree

        plan = build_plan(args)
        nodes = list(plan_tree(plan).nodes())
        results = {kind: measure(kind, plan, args.runs) for kind in KINDS}
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for kind, (_timings, pdf) in results.items():
            (args.out / f"{kind}.pdf").write_bytes(pdf)
    levels = [node.level for node in nodes]
    print(f"database        {connection.vendor}")
    print(
        f"plan            {levels.count('goal')} goals, {levels.count('action_plan')} action "
        f"plans, {levels.count('action')} actions, amounts in every year"
    )
    for kind, (timings, pdf) in results.items():
        report(kind, timings, pdf)


if __name__ == "__main__":
    main()
