"""Benchmark: the render queue's fairness, 30 PDFs of 10 municipalities on 2 worker processes.

    scripts/with-postgres .venv/bin/python bench/render_fairness.py [--busy 12] [--others 9]
        [--each 2] [--workers 2] [--proposals 2] [--timeout 300]

Builds a throwaway PostgreSQL test database (removed afterwards) with one busy municipality
that asks for --busy PDFs first (one memorandum per legislature), then --others municipalities
that ask for --each PDFs each, right after it: 12 + 9 x 2 = 30 jobs by default, all queued at
once through services.render_job_start (as the PDF button does). Starts --workers
`manage.py db_worker` processes (tests/multiprocess/processes.py) and waits for the queue to
empty, at most --timeout seconds.

Prints per municipality the waiting time of its jobs (queued -> started, counted from the moment
the workers start since the jobs were queued before; its first job, p50 and max), the render
time, and the whole run's wall time. Without the queue's fairness, the others would wait for all
of the busy municipality's renders; with it, each municipality's first PDF starts within about
one round of renders. It prints figures; it asserts nothing.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmbplanner.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402


def queue_jobs(args) -> list:
    """The municipalities with their opstellers and memoranda; every PDF asked for at once."""
    from apps.beleidsvoorstellen.models import Memorandum
    from apps.core.models import Legislature, Role
    from apps.documents.services import render_job_start
    from tests.documents.conftest import fill_memorandum
    from tests.factories import MembershipFactory, MunicipalityFactory

    legislatures = [
        Legislature.objects.get_or_create(
            start_year=1900 + 6 * n, defaults={"end_year": 1905 + 6 * n}
        )[0]
        for n in range(max(args.busy, args.each))
    ]
    plan = [("Drukgem (busy)", args.busy)] + [
        (f"Gemeente {n + 1:02d}", args.each) for n in range(args.others)
    ]
    names = []
    for name, count in plan:
        membership = MembershipFactory(
            municipality=MunicipalityFactory(name=name), role=Role.OPSTELLER
        )
        for legislature in legislatures[:count]:
            memorandum = Memorandum.objects.create(
                municipality=membership.municipality, legislature=legislature
            )
            fill_memorandum(memorandum, args.proposals)
            render_job_start(
                municipality=membership.municipality,
                kind="memorandum",
                object_id=memorandum.pk,
                by=membership.user,
            )
        names.append(name)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", type=int, default=12)
    parser.add_argument("--others", type=int, default=9)
    parser.add_argument("--each", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--proposals", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: run it with scripts/with-postgres")

    from django.conf import settings
    from django.utils import timezone

    from apps.documents.models import JobStatus, RenderJob
    from tests.multiprocess.processes import Cluster, wait_until

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_lmb_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with tempfile.TemporaryDirectory() as logs:
            names = queue_jobs(args)
            queued = RenderJob.objects.filter(status=JobStatus.QUEUED).count()
            # The waits count from here: the jobs were queued while the data was being built.
            opened = timezone.now()
            started = time.perf_counter()
            with Cluster(Path(logs), settings="lmbplanner.settings.base") as cluster:
                for n in range(args.workers):
                    cluster.start_worker(f"worker{n + 1}")
                wait_until(
                    lambda: not RenderJob.objects.pending().exists(),
                    timeout=args.timeout,
                    what=f"the queue empties\n{cluster.logs()}",
                    pause=0.2,
                )
            wall = time.perf_counter() - started
        jobs = list(RenderJob.objects.without_pdf().select_related("municipality"))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    waits, renders = defaultdict(list), []
    statuses = defaultdict(int)
    for job in jobs:
        statuses[job.status] += 1
        since = max(job.created_at, opened)
        waits[job.municipality.name].append((job.started_at - since).total_seconds())
        renders.append((job.finished_at - job.started_at).total_seconds())
    print(f"jobs              {queued} queued at once, {dict(statuses)}")
    print(
        f"workers           {args.workers}; at most {settings.RENDER_LIMIT_PER_MUNICIPALITY} "
        "render at a time per municipality"
    )
    print(f"render            p50 {statistics.median(renders):.2f} s, max {max(renders):.2f} s")
    print(f"wall time         {wall:.1f} s (workers started after the queue was filled)")
    print(f"load average      {os.getloadavg()[0]:.1f} (1 min, {os.cpu_count()} CPUs)")
    print(f"{'municipality':<18}{'jobs':>5}{'first':>9}{'wait p50':>10}{'wait max':>10}")
    for name in names:
        seconds = sorted(waits[name])
        print(
            f"{name:<18}{len(seconds):>5}{seconds[0]:>8.1f}s{statistics.median(seconds):>9.1f}s"
            f"{seconds[-1]:>9.1f}s"
        )


if __name__ == "__main__":
    main()
