"""Benchmark: the embedded SQLite database of `make run`, used by a team at the same moment.

    .venv/bin/python bench/sqlite_concurrency.py [--logins 16] [--saves 10] [--rounds 1]
    .venv/bin/python bench/sqlite_concurrency.py --url http://127.0.0.1:8000   # a `make run`

Builds a fresh `make run`-style database in a temporary folder (migrate, load_demo,
load_library, the project's base settings, DATABASE_URL=sqlite:///…), serves it with
`manage.py runserver` (threaded) and fires requests that all start at the same moment:

- N log-ins, each from its own browser, the demo accounts in turn;
- N views of the memorandum page by those people;
- 10 proposal saves and 10 "Omhoog" clicks by the opsteller, each in its own tab.

Prints the connection's settings, and per scenario the status counts and the latency
p50/p95/max. It prints figures; it asserts nothing. The HTTP client and the server harness are
those of the tests (tests/sqlite/client.py).
"""

import argparse
import os
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmbplanner.settings.base")

import django

django.setup()

from apps.core.demo import DEMO_ACCOUNTS, DEMO_MUNICIPALITY, DEMO_PASSWORD  # noqa: E402
from apps.core.models import Role  # noqa: E402
from tests.sqlite.client import (  # noqa: E402
    Browser,
    Response,
    SqliteServer,
    at_once,
    ensure_movable_proposals,
    login_at_once,
    memorandum_path,
    move_up_at_once,
    outcome,
    proposals,
    save_at_once,
)

NIS = DEMO_MUNICIPALITY["nis_code"]
OPSTELLER = next(a[0] for a in DEMO_ACCOUNTS if a[3] == NIS and a[4] == Role.OPSTELLER)


def report(name: str, results: list) -> None:
    counts = Counter(outcome(result) for result in results)
    statuses = " ".join(f"{status}×{n}" for status, n in sorted(counts.items()))
    times = sorted(r.seconds for r in results if isinstance(r, Response))
    if len(times) > 1:
        p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
        figures = f"{statistics.median(times):7.2f} {p95:7.2f} {times[-1]:7.2f}"
    elif times:
        figures = f"{times[0]:7.2f} {times[0]:7.2f} {times[0]:7.2f}"
    else:
        figures = f"{'-':>7} {'-':>7} {'-':>7}"
    print(f"{name:<34} {len(results):>5}  {statuses:<22} {figures}", flush=True)


def hammer(base_url: str, logins: int, saves: int, rounds: int) -> None:
    print(f"{'scenario':<34} {'reqs':>5}  {'statuses':<22} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    opsteller = Browser(base_url)
    opsteller.login(OPSTELLER, DEMO_PASSWORD)
    pks = ensure_movable_proposals(opsteller, NIS, saves)[:saves]
    emails = [DEMO_ACCOUNTS[i % len(DEMO_ACCOUNTS)][0] for i in range(logins)]
    municipality = {a[0]: a[3] for a in DEMO_ACCOUNTS}
    for round_ in range(1, rounds + 1):
        browsers, results = login_at_once(base_url, emails, DEMO_PASSWORD)
        report(f"{logins} log-ins at once", results)
        results = at_once(
            [
                lambda b=browser, e=email: b.get(memorandum_path(municipality[e]))
                for browser, email in zip(browsers, emails, strict=True)
            ]
        )
        report(f"{logins} memorandum page views at once", results)
        results = save_at_once(opsteller, NIS, pks, text=lambda pk, r=round_: f"Ronde {r}: {pk}")
        report(f"{len(pks)} proposal saves at once", results)
        movable = proposals(opsteller, NIS)[1][:saves]
        results = move_up_at_once(opsteller, NIS, movable)
        report(f"{len(movable)} 'Omhoog' clicks at once", results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--logins", type=int, default=16, help="simultaneous log-ins")
    parser.add_argument("--saves", type=int, default=10, help="simultaneous proposal saves")
    parser.add_argument("--rounds", type=int, default=1, help="repeat every scenario")
    parser.add_argument(
        "--url",
        help="hammer a server that already runs with the demo data (e.g. `make run`: "
        "http://127.0.0.1:8000) instead of a fresh one; it adopts and edits proposals there",
    )
    args = parser.parse_args()
    if args.url:
        hammer(args.url.rstrip("/"), args.logins, args.saves, args.rounds)
        return
    with tempfile.TemporaryDirectory() as folder, SqliteServer(Path(folder)) as server:
        server.prepare()
        server.start()
        settings = server.connection_settings()
        print("SQLite under runserver:", " ".join(f"{k}={v}" for k, v in settings.items()))
        hammer(server.base_url, args.logins, args.saves, args.rounds)
        errors = server.log(last=100_000).count('" 500 ')
        print(f"500 responses in the runserver log: {errors}")


if __name__ == "__main__":
    main()
