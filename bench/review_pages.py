"""Benchmark: the review pages of a memorandum with 3, 30 and 300 comment threads.

    scripts/with-postgres .venv/bin/python bench/review_pages.py [--runs 5]
    .venv/bin/python bench/review_pages.py          # embedded SQLite, in memory

Builds a throwaway test database, a memorandum of 30 proposals that was submitted, commented
on, sent back, amended and submitted again, and prints per page (the schepen's review page,
the comments page, the activity timeline, the memorandum itself) the number of queries and
the median response time for each number of threads. It prints figures; it asserts nothing.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmbplanner.settings.base")

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

THREADS = (3, 30, 300)
TEXT = "<p>De gemeente koopt duurzaam en eerlijk aan, en volgt dat jaarlijks op.</p>"


def build(threads: int):
    from django.contrib.auth import get_user_model

    from apps.beleidsvoorstellen.models import Memorandum, MemorandumProposal
    from apps.beleidsvoorstellen.services import proposal_update
    from apps.core.models import (
        ActionArea,
        AmbitionLevel,
        Legislature,
        Membership,
        Municipality,
        Province,
        Role,
    )
    from apps.review import services

    users = get_user_model().objects
    municipality = Municipality.objects.create(
        name=f"Reviewegem {threads}",
        nis_code=f"9{threads:04d}",
        province=Province.ANTWERPEN,
        inhabitants=30000,
    )
    opsteller = users.create_user(f"opsteller{threads}@bench.be", "x", first_name="Olga")
    schepen = users.create_user(f"schepen{threads}@bench.be", "x", first_name="Stijn")
    Membership.objects.create(user=opsteller, municipality=municipality, role=Role.OPSTELLER)
    Membership.objects.create(user=schepen, municipality=municipality, role=Role.SCHEPEN)
    memorandum = Memorandum.objects.create(
        municipality=municipality, legislature=Legislature.objects.current(), updated_by=opsteller
    )
    areas, levels = list(ActionArea.objects.all()), list(AmbitionLevel.objects.all())
    proposals = [
        MemorandumProposal.objects.create(
            memorandum=memorandum,
            action_area=areas[n % len(areas)],
            level=levels[n % len(levels)],
            title=f"Voorstel {n}",
            text=TEXT,
            order=n,
            updated_by=opsteller,
        )
        for n in range(30)
    ]
    services.transition(document=memorandum, action="submit", by=opsteller)
    for n in range(threads):
        thread = services.thread_start(
            document=memorandum,
            part_key=f"proposal-{proposals[n % 30].pk}",
            quote="duurzaam en eerlijk",
            text=f"Vraag {n} aan @opsteller{threads}",
            by=schepen,
        )
        services.comment_reply(thread=thread, text="Antwoord", by=opsteller)
    services.transition(document=memorandum, action="send_back", message="Bedrag", by=schepen)
    services.transition(document=memorandum, action="reopen", by=opsteller)
    first = proposals[0]
    first.refresh_from_db()
    proposal_update(
        proposal=first,
        title=first.title,
        text=TEXT + "<p>Met 2.500 euro per jaar.</p>",
        justification="",
        reasons=[],
        priority=first.priority,
        ticked_sub_option_ids=[],
        expected_version=first.version,
        by=opsteller,
    )
    services.transition(document=memorandum, action="submit", by=opsteller)
    return municipality, memorandum, schepen


def measure(client, path: str, runs: int) -> tuple[int, float]:
    client.get(path)  # warm
    # The query log is a bounded deque: building the data filled it, so counting from a full
    # log would say 0.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        timings.append(time.perf_counter() - started)
    return len(queries), statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client
    from django.urls import reverse

    # As Django's test client does in tests: one connection for the whole run, so the query
    # log of a request is not lost when the request ends.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_lmb_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    rows = []
    try:
        for threads in THREADS:
            municipality, memorandum, schepen = build(threads)
            client = Client()
            client.force_login(schepen)
            args_ = [municipality.nis_code, "memorandum", memorandum.pk]
            pages = {
                "review page": reverse("review:review", args=args_),
                "comments": reverse("review:comments", args=args_),
                "timeline": reverse("review:timeline", args=args_),
                "memorandum": reverse("beleidsvoorstellen:memorandum", args=args_[:1]),
            }
            for name, path in pages.items():
                count, ms = measure(client, path, args.runs)
                rows.append((name, threads, count, ms))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    print(f"database: {connection.vendor}; median of {args.runs} requests as the schepen")
    print(f"{'page':<14}{'threads':>8}{'queries':>9}{'ms':>9}")
    for name, threads, count, ms in sorted(rows):
        print(f"{name:<14}{threads:>8}{count:>9}{ms:>9.1f}")


if __name__ == "__main__":
    main()
