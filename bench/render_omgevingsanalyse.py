"""Benchmark: render the omgevingsanalyse PDF of a filled analysis, and one section alone.

    scripts/with-postgres .venv/bin/python bench/render_omgevingsanalyse.py [--runs 5]
    .venv/bin/python bench/render_omgevingsanalyse.py          # embedded SQLite, in memory

Builds a throwaway test database (Django's test database machinery, removed afterwards) and
fills one analysis through the services, as the tests do (tests/documents/conftest.py
fill_analysis): the five P's plus extra sections, several paragraphs each, cited global
figures, visie & missie, the guide's indicators with values and key figures, SWOT items and
actors. Prints the median render time (data gathering + WeasyPrint), the page count and the
PDF size of the whole analysis and of one section. It prints figures; it asserts nothing.
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


def build_analysis(args):
    from apps.core.models import Role
    from apps.omgevingsanalyse import services
    from tests.documents.conftest import GUIDANCE_FREE_TEXT, fill_analysis
    from tests.factories import MembershipFactory, MunicipalityFactory

    municipality = MunicipalityFactory(name="Benchmarkegem", inhabitants=42000)
    opsteller = MembershipFactory(municipality=municipality, role=Role.OPSTELLER).user
    analysis = fill_analysis(
        municipality,
        opsteller,
        paragraphs=args.paragraphs,
        swot_per_quadrant=args.swot,
        actors=args.actors,
        figures=args.figures,
    )
    for n in range(args.extra_sections):
        title = f"Eigen sectie {n + 1}: trends in de wereld en in de gemeente"
        services.section_create(
            analysis=analysis,
            title=title,
            text=GUIDANCE_FREE_TEXT.format(name=municipality.name, title=title) * args.paragraphs,
            by=opsteller,
        )
    return analysis


def measure(kind: str, obj, runs: int):
    from apps.documents.pdf import render_pdf
    from apps.documents.registry import document_for

    municipality = obj.municipality if kind == "omgevingsanalyse" else obj.analysis.municipality
    timings, pdf = [], b""
    for _ in range(runs + 1):  # the first run warms WeasyPrint and the font cache
        started = time.perf_counter()
        document = document_for(kind=kind, municipality=municipality, object_id=obj.pk)
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
    parser.add_argument("--extra-sections", type=int, default=5, help="beyond the five P's")
    parser.add_argument("--paragraphs", type=int, default=4, help="per section")
    parser.add_argument("--figures", type=int, default=4, help="cited in the first section")
    parser.add_argument("--swot", type=int, default=4, help="items per quadrant")
    parser.add_argument("--actors", type=int, default=12)
    parser.add_argument("--out", type=Path, help="also write the whole PDF here, to look at it")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # Its own name: never the test database of a test run going on at the same time.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_lmb_oa_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        analysis = build_analysis(args)
        sections = analysis.sections.count()
        whole = measure("omgevingsanalyse", analysis, args.runs)
        section = measure(
            "omgevingsanalyse-sectie", analysis.sections.order_by("order").first(), args.runs
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    if args.out:
        args.out.write_bytes(whole[1])
    print(f"database        {connection.vendor}")
    print(f"sections        {sections} ({args.paragraphs} paragraphs each)")
    print(f"figures cited   {args.figures}; SWOT items {4 * args.swot}; actors {args.actors}")
    report("whole analysis", *whole)
    report("one section", *section)


if __name__ == "__main__":
    main()
