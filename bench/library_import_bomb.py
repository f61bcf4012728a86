"""Benchmark: a 'billion laughs' YAML file offered to ``manage.py load_library``.

    scripts/with-postgres .venv/bin/python bench/library_import_bomb.py
    DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python bench/library_import_bomb.py

Writes a library file of some 600 bytes whose nine levels of nested YAML aliases (each ten times
the one before) expand to 10^9 strings, runs ``manage.py load_library`` on it in a subprocess,
and prints the wall time, the peak memory (RSS) of that subprocess, its exit code and the first
lines of its message. The issue's acceptance: refused in under 2 seconds with under 150 MB peak
memory. For comparison it then does the same with a tiny file the command refuses at once (the
cost of starting Django). It prints figures; it asserts nothing.

The command runs against a throwaway database with the reference data (Django's test database
machinery, under its own name, removed afterwards), so that a file the reader let through would
really be checked. The file can never load (its only proposal is invalid), and the subprocess is
held to 2 GB of address space and 60 seconds of CPU, so that a broken refusal cannot take the
machine down: it then shows as a MemoryError and a peak near 2 GB.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmbplanner.settings.base")
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from tests.library.conftest import billion_laughs  # noqa: E402 - the same file the tests load

LIMIT_BYTES = 2 * 1024**3
LIMIT_CPU_SECONDS = 60


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (LIMIT_CPU_SECONDS, LIMIT_CPU_SECONDS))


def run_load_library(path: Path, env: dict[str, str]) -> dict:
    """Run the command once; return wall time, the child's own peak RSS, exit code, output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 — our own interpreter and manage.py
            [sys.executable, str(ROOT / "manage.py"), "load_library", str(path)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
            preexec_fn=_limit_child,  # no threads here, so preexec_fn is safe
        )
        # wait4 gives this child's own resource usage; RUSAGE_CHILDREN would be the maximum
        # over every child waited for so far.
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output = (err.read() + out.read()).decode("utf-8", "replace")
    return {
        "children_max_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "seconds": elapsed,
        "peak_rss_mib": usage.ru_maxrss / 1024,  # KiB on Linux
        "exit_code": process.returncode,
        "lines": [line for line in output.splitlines() if line.strip()][:2],
    }


def report(title: str, size: int, figures: dict) -> None:
    print(title)
    print(f"  file size        {size} bytes")
    print(f"  wall time        {figures['seconds']:.2f} s")
    print(f"  peak RSS         {figures['peak_rss_mib']:.1f} MiB")
    print(f"  RUSAGE_CHILDREN  {figures['children_max_rss_mib']:.1f} MiB (largest child so far)")
    print(f"  exit code        {figures['exit_code']}")
    for line in figures["lines"]:
        print(f"  message          {line[:160]}")


def _database_url(folder: str) -> str:
    """DATABASE_URL for the subprocess: the throwaway database about to be created."""
    url = urlsplit(os.environ["DATABASE_URL"])
    if connection.vendor == "sqlite":
        name = str(Path(folder) / "bench.sqlite3")  # a file: the child cannot see :memory:
        connection.settings_dict.setdefault("TEST", {})["NAME"] = name
        return f"sqlite:///{name}"
    # Its own name: never the test database of a test run going on at the same time.
    name = f"bench_lmb_bomb_{os.getpid()}"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    return urlunsplit(url._replace(path=f"/{name}"))


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    with tempfile.TemporaryDirectory(prefix="lmb-bomb-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lmbplanner.settings.base",
            "DATABASE_URL": _database_url(folder),
            "PYTHONPATH": str(ROOT),
        }
        setup_test_environment()
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        connection.close()  # the child has the database to itself
        try:
            bomb = Path(folder) / "bibliotheek.yaml"
            bomb.write_text(billion_laughs(), encoding="utf-8")
            size = bomb.stat().st_size
            figures = run_load_library(bomb, env)

            baseline = Path(folder) / "leeg.yaml"
            baseline.write_text("proposals: []\n", encoding="utf-8")
            baseline_figures = run_load_library(baseline, env)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

    print(f"database           {connection.vendor}")
    report("billion laughs (9 levels x 10 aliases)", size, figures)
    refused = figures["exit_code"] != 0 and figures["lines"][:1] != []
    refused = refused and figures["lines"][0].startswith("CommandError:")
    verdict = refused and figures["seconds"] < 2 and figures["peak_rss_mib"] < 150
    print(f"  acceptance       {'met' if verdict else 'NOT met'} (refused, < 2 s, < 150 MB)")
    report("baseline: an empty library, refused at once", 14, baseline_figures)


if __name__ == "__main__":
    main()
