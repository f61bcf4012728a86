"""Benchmark: the PDF of an unchanged document comes from the cache, not from a new render.

    scripts/with-postgres .venv/bin/python bench/pdf_cache.py [--proposals 10] [--runs 5]
    .venv/bin/python bench/pdf_cache.py          # embedded SQLite, in memory

Builds a throwaway test database (Django's test database machinery, removed afterwards) with one
memorandum and its opsteller, and drives the app through Django's test client (no network):

- first click: the PDF button's POST, the render (run at once in the request's on_commit, as a
  worker would run it) and the download of the PDF;
- second click, nothing changed: the POST finds the finished job by the document's content hash
  (the print HTML is made again and hashed: no render) and the download serves its PDF;
- the second request for the unchanged PDF itself: the download link that the PDF page offers
  ("PDF downloaden (ongewijzigd sinds ...)").

The last two are timed over --runs requests. Prints the times, whether they stay under 0.1 s,
and the machine's load average (the figures depend on it). It prints figures; it asserts
nothing.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmbplanner.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)

BUDGET = 0.1  # seconds: the second click's goal
IMMEDIATE = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}


def download(client, path: str) -> bytes:
    response = client.get(path)
    if response.status_code != 200 or not response.content.startswith(b"%PDF"):
        raise SystemExit(f"no PDF at {path}: {response.status_code}")
    return response.content


def click(client, url: str) -> tuple[float, bytes, str]:
    """The PDF button and the download it leads to: seconds, the PDF, the download's path."""
    started = time.perf_counter()
    location = client.post(url)["Location"]
    path = f"{location.split('?')[0]}download/"
    pdf = download(client, path)
    return time.perf_counter() - started, pdf, path


def timed_download(client, path: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    pdf = download(client, path)
    return time.perf_counter() - started, pdf


def figures(seconds: list[float]) -> str:
    median = statistics.median(seconds)
    verdict = "yes" if median < BUDGET else "NO"
    return f"median {median:.3f} s (under {BUDGET} s: {verdict}), max {max(seconds):.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from django.test import Client
    from render_memorandum import build_memorandum

    from apps.core.models import Role
    from tests.factories import MembershipFactory

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_lmb_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        # The render runs in the request (after its commit) instead of in a worker process, so
        # the first click's time is the whole render.
        with override_settings(TASKS={"default": IMMEDIATE, "documents": IMMEDIATE}):
            memorandum = build_memorandum(args.proposals)
            user = MembershipFactory(municipality=memorandum.municipality, role=Role.OPSTELLER).user
            client = Client()
            client.force_login(user)
            url = f"/gemeente/{memorandum.municipality.nis_code}/pdf/memorandum/{memorandum.pk}/"
            first, pdf, first_path = click(client, url)
            clicks, downloads, same = [], [], True
            for _ in range(args.runs):
                seconds, again, path = click(client, url)
                clicks.append(seconds)
                same = same and again == pdf and path == first_path
                seconds, again = timed_download(client, first_path)
                downloads.append(seconds)
                same = same and again == pdf
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    print(f"database          {connection.vendor}")
    print(f"proposals         {args.proposals}")
    print(f"PDF               {len(pdf) / 1024:.0f} KiB")
    print(f"load average      {os.getloadavg()[0]:.1f} (1 min, {os.cpu_count()} CPUs)")
    print(f"first click       {first:.3f} s (render + download)")
    print(f"unchanged click   {figures(clicks)}")
    print("                  (the POST: print HTML hashed, the finished job found; + download)")
    print(f"unchanged PDF     {figures(downloads)}")
    print("                  (the request for the PDF: the page's download link)")
    print(f"runs              {args.runs}; the same PDF every time, no new job: {same}")


if __name__ == "__main__":
    main()
