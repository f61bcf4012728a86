"""Benchmark: render the memorandum PDF of a municipality with 30 proposals.

    scripts/with-postgres .venv/bin/python bench/render_memorandum.py [--runs 5] [--proposals 30]
    .venv/bin/python bench/render_memorandum.py          # embedded SQLite, in memory

Builds a throwaway test database (Django's test database machinery, removed afterwards), fills
it with one memorandum, and prints the median render time (data gathering + WeasyPrint), the
page count and the PDF size. It prints figures; it asserts nothing.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmbplanner.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

PARAGRAPH = (
    "<p>De gemeente verankert lokaal mondiaal beleid in haar meerjarenplan en maakt daarvoor "
    "tijd, mensen en middelen vrij. Ze werkt samen met de mondiale adviesraad, scholen, "
    "verenigingen en bedrijven, en volgt de resultaten jaarlijks op in de aanpassing van het "
    "meerjarenplan.</p>"
)


def build_memorandum(proposals: int):
    from apps.beleidsvoorstellen.models import (
        Memorandum,
        MemorandumProposal,
        MemorandumSubOption,
    )
    from apps.core.models import (
        ActionArea,
        AmbitionLevel,
        Legislature,
        Municipality,
        Province,
        SDGGoal,
    )
    from apps.library.models import Reason

    municipality = Municipality.objects.create(
        name="Benchmarkegem", nis_code="99999", province=Province.ANTWERPEN, inhabitants=42000
    )
    legislature = Legislature.objects.current()
    memorandum = Memorandum.objects.create(
        municipality=municipality, legislature=legislature, introduction=PARAGRAPH * 3
    )
    areas, levels = list(ActionArea.objects.all()), list(AmbitionLevel.objects.all())
    goals = list(SDGGoal.objects.all())
    reason = Reason.objects.create(
        key="bench", name_nl="Concreet engagement voor de SDG's", name_en="SDGs", order=99
    )
    for i in range(proposals):
        proposal = MemorandumProposal.objects.create(
            memorandum=memorandum,
            action_area=areas[i % len(areas)],
            level=levels[(i // 3) % len(levels)],
            title=f"Beleidsvoorstel {i + 1}: duurzame en eerlijke keuzes in de eigen werking",
            text=PARAGRAPH * 2 + "<ul><li>eerste stap</li><li>tweede stap</li></ul>",
            justification=PARAGRAPH,
            order=i,
        )
        proposal.sdg_goals.set([goals[16], goals[i % 16]])
        proposal.reasons.set([reason])
        for n in range(3):
            MemorandumSubOption.objects.create(
                proposal=proposal, text=f"Invulling {n + 1}", ticked=n < 2, order=n
            )
    return memorandum


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--proposals", type=int, default=30)
    parser.add_argument("--out", type=Path, help="also write the PDF here, to look at it")
    args = parser.parse_args()

    from pypdf import PdfReader

    from apps.beleidsvoorstellen.printing import memorandum_document
    from apps.documents.pdf import render_pdf

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # Its own name: never the test database of a test run going on at the same time.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_lmb_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        memorandum = build_memorandum(args.proposals)
        timings, pdf = [], b""
        for _ in range(args.runs + 1):  # the first run warms WeasyPrint and the font cache
            started = time.perf_counter()
            document = memorandum_document(memorandum)
            pdf = render_pdf(template_name=document.template_name, context=document.context)
            timings.append(time.perf_counter() - started)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    if args.out:
        args.out.write_bytes(pdf)
    measured = timings[1:]
    print(f"database        {connection.vendor}")
    print(f"proposals       {args.proposals}")
    print(f"runs            {len(measured)} (+1 warm-up of {timings[0]:.2f} s)")
    print(f"median render   {statistics.median(measured):.2f} s")
    print(f"min / max       {min(measured):.2f} s / {max(measured):.2f} s")
    print(f"pages           {pages}")
    print(f"PDF size        {len(pdf) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
