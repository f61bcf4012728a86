"""Benchmark: render Demodorp's plan book (visie & missie, omgevingsanalyse, memorandum,
meerjarenplan) as PDF and as Word.

    scripts/with-postgres .venv/bin/python bench/render_book.py [--runs 3]
    .venv/bin/python bench/render_book.py          # embedded SQLite, in memory

Builds a throwaway test database (Django's test database machinery, removed afterwards) and
loads the demo data (``load_demo``: Demodorp with all four documents filled). Prints the median
time of the whole job's work per output (data gathering, the parts' HTML, WeasyPrint or the
Word converter), the PDF's page count and both sizes. It prints figures; it asserts nothing.
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

MAX_RUNS = 10  # bounded: the machine is shared


def measure(make, runs: int) -> tuple[list[float], bytes]:
    timings, data = [], b""
    for _ in range(runs + 1):  # the first run warms WeasyPrint, the font cache, the templates
        started = time.perf_counter()
        data = make()
        timings.append(time.perf_counter() - started)
    return timings, data


def report(title: str, timings: list[float], data: bytes, pages: int | None = None) -> None:
    measured = timings[1:]
    print(title)
    print(f"  runs            {len(measured)} (+1 warm-up of {timings[0]:.2f} s)")
    print(f"  median          {statistics.median(measured):.2f} s")
    print(f"  min / max       {min(measured):.2f} s / {max(measured):.2f} s")
    if pages is not None:
        print(f"  pages           {pages}")
    print(f"  size            {len(data) / 1024:.0f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help=f"at most {MAX_RUNS}")
    parser.add_argument("--out", type=Path, help="also write the book's PDF and DOCX here")
    args = parser.parse_args()
    runs = max(1, min(args.runs, MAX_RUNS))

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # Its own name: never the test database of a test run going on at the same time.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_lmb_book_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from django.conf import settings
        from django.utils import translation
        from pypdf import PdfReader

        from apps.core.demo import DEMO_MUNICIPALITY, load_demo
        from apps.core.models import Legislature, Municipality
        from apps.documents.book import KEY
        from apps.documents.pdf import render_pdf
        from apps.documents.registry import document_for
        from apps.documents.word import render_docx

        load_demo()
        municipality = Municipality.objects.get(nis_code=DEMO_MUNICIPALITY["nis_code"])
        legislature = Legislature.objects.current()

        def document():
            return document_for(kind=KEY, municipality=municipality, object_id=legislature.pk)

        def pdf():
            book = document()
            return render_pdf(template_name=book.template_name, context=book.context)

        with translation.override(settings.LANGUAGE_CODE):
            parts = [part["key"] for part in document().context["parts"]]
            pdf_timings, pdf_bytes = measure(pdf, runs)
            docx_timings, docx_bytes = measure(lambda: render_docx(document()), runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "planboek.pdf").write_bytes(pdf_bytes)
        (args.out / "planboek.docx").write_bytes(docx_bytes)
    print(f"database        {connection.vendor}")
    print(f"book parts      {', '.join(parts)}")
    report("plan book, PDF", pdf_timings, pdf_bytes, len(PdfReader(io.BytesIO(pdf_bytes)).pages))
    report("plan book, Word (DOCX)", docx_timings, docx_bytes)


if __name__ == "__main__":
    main()
