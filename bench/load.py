"""Load benchmark: the main pages under 20 concurrent users, with every municipality on board.

    scripts/with-postgres .venv/bin/python bench/load.py [--municipalities 300] [--users 20]
        [--rounds 8] [--duration 120] [--think 2] [--pages dashboard,memorandum,library] [--fresh]

On the PostgreSQL server of DATABASE_URL (its database name is replaced by --database,
default ``lmb_bench``, created when missing; --fresh drops it first) it migrates, runs
``generate_demo_scale`` (which adds only what is missing), collects the static files and starts
gunicorn with two workers under the production settings (DEBUG off, on 127.0.0.1, plain HTTP).
It logs in the users (opsteller, schepen and lezer of the big municipalities: a memorandum of
every library proposal, a plan of 150 actions), lets them all read the pages at once, in
rounds, each user on one connection that is reopened when gunicorn closes it, and prints per
page the median and 95th percentile response time, the ratio of that 95th percentile to the
bare view's (``/gezond/``: no database, no template, measured in the same run so it carries
the same queueing), and the size of the HTML. The first round warms the workers and is not
counted. Like a person, a user reads a page before asking for the next: a random pause of 0 to
2 x --think seconds (default 2; 0 hammers the server, and then every page, the bare one too,
only measures the queue in front of the two workers). --pages picks the pages besides the bare
one (default: all five). Bounded: at most --rounds rounds and --duration seconds of
measuring. gunicorn is always stopped at the end. It prints figures; it asserts nothing (it
exits 1 when a page answers anything but 200).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
PASSWORD = "lmb-demo-2026"  # noqa: S105 - the published demo password generate_demo_scale gives every account
FIRST_NIS = 98001
BIG_EVERY = 10
ROLES = ("opsteller", "schepen", "lezer")
PAGES = {
    "bare (/gezond/)": "/gezond/",
    "dashboard": "/gemeente/{nis}/",
    "memorandum": "/gemeente/{nis}/memorandum/",
    "library": "/gemeente/{nis}/memorandum/bibliotheek/",
    "meerjarenplan": "/gemeente/{nis}/meerjarenplan/",
    "omgevingsanalyse": "/gemeente/{nis}/omgevingsanalyse/",
}
BARE = "bare (/gezond/)"


def database_url(name: str) -> tuple[str, str]:
    """(URL of the bench database, URL of the server's maintenance database)."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/load.py needs PostgreSQL: run it through scripts/with-postgres.")
    return (
        urlunsplit(parts._replace(path=f"/{name}")),
        urlunsplit(parts._replace(path="/postgres")),
    )


def prepare_database(name: str, fresh: bool) -> str:
    import psycopg

    url, maintenance = database_url(name)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return url


def run(command: list[str], env: dict) -> None:
    print("$", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own commands


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(db_url: str) -> dict:
    """The production settings as a deployment would give them, on 127.0.0.1 over HTTP."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lmbplanner.settings.production",
        "DATABASE_URL": db_url,
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_HOST": "127.0.0.1",  # never reached: nobody asks for a password reset here
        "SECURE_SSL_REDIRECT": "0",  # no TLS proxy in front of it on this machine
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "LOG_LEVEL": "ERROR",
    }


class Client:
    """One user: one keep-alive connection (reopened whenever gunicorn closes it) and the
    session cookie."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, cookies: bool = True):
        headers = {"Host": "127.0.0.1", "Connection": "keep-alive"}
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the idle connection between two requests: open a new one.
                self.conn.close()
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, data

    def login(self, email: str) -> None:
        status, page = self.request("GET", "/account/aanmelden/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"login page answered {status}")
        form = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": email,
            "password": PASSWORD,
        }
        status, _ = self.request("POST", "/account/aanmelden/", urlencode(form))
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"log-in of {email} answered {status}")


def users_to_log_in(municipalities: int, count: int) -> list[tuple[str, str]]:
    """(email, NIS code): the big municipalities first, a different role in each, so opsteller
    (forms and all), schepen and lezer pages are all in the mix."""
    big = [FIRST_NIS + i for i in range(0, municipalities, BIG_EVERY)]
    others = [FIRST_NIS + i for i in range(municipalities) if i % BIG_EVERY]
    towns = big + others
    chosen = []
    for n in range(count):
        nis = towns[n % len(towns)]
        role = ROLES[(n + n // len(towns)) % len(ROLES)]
        chosen.append((f"{role}@{nis}.schaal.lmbplanner.be", f"{nis:05d}"))
    return chosen


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def workers_cpu(master: int) -> float:
    """Seconds of CPU the gunicorn workers (the master's children) used so far (Linux /proc).
    Unlike a response time it hardly depends on what else runs on the machine."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended meanwhile
        if int(fields[1]) == master:  # fields[1] is the parent's pid; 11 and 12 utime, stime
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def alone(client: Client, nis: str, pages: dict, master: int, times: int = 15) -> dict:
    """Per page, for one user on an otherwise idle server: the median response time and the
    workers' CPU per request (the page's own cost; the database's CPU is not counted)."""
    figures = {}
    for name, path in pages.items():
        client.request("GET", path.format(nis=nis), cookies=name != BARE)  # warms the worker
        elapsed = []
        cpu = workers_cpu(master)
        for _ in range(times):
            began = time.perf_counter()
            client.request("GET", path.format(nis=nis), cookies=name != BARE)
            elapsed.append(time.perf_counter() - began)
        figures[name] = (percentile(elapsed, 50), (workers_cpu(master) - cpu) / times)
    return figures


def load(
    port: int, master: int, users: list, pages: dict, rounds: int, duration: float, think: float
):
    clients = []
    for email, nis in users:
        client = Client(port)
        client.login(email)
        clients.append((client, nis))
    single = alone(*clients[0], pages, master)
    results: dict[str, list[tuple[float, int, int]]] = {page: [] for page in pages}
    lock = threading.Lock()
    start = threading.Barrier(len(clients))
    deadline = [0.0]

    def user(index: int, client: Client, nis: str) -> None:
        names = list(pages)
        pause = random.Random(index)
        # Each user starts at another page, so every page is asked for all the time.
        names = names[index % len(names) :] + names[: index % len(names)]
        for name in names:  # warm-up round: not counted
            client.request("GET", pages[name].format(nis=nis), cookies=name != BARE)
        if start.wait() == 0:
            deadline[0] = time.monotonic() + duration
        start.wait()
        for _round in range(rounds):
            for name in names:
                if time.monotonic() > deadline[0]:
                    return
                began = time.perf_counter()
                status, body = client.request(
                    "GET", pages[name].format(nis=nis), cookies=name != BARE
                )
                elapsed = time.perf_counter() - began
                with lock:
                    results[name].append((elapsed, status, len(body)))
                time.sleep(pause.uniform(0, 2 * think))

    threads = [
        threading.Thread(target=user, args=(i, client, nis), daemon=True)
        for i, (client, nis) in enumerate(clients)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 120)
    return results, single, time.monotonic() - began


def report(results, single: dict, seconds: float) -> bool:
    bare = percentile([r[0] for r in results[BARE]], 95) if results[BARE] else float("nan")
    print()
    print(
        f"{'page':<20}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p95/bare':>10}{'HTML KB':>9}"
        f"{'alone ms':>10}{'CPU ms':>8}"
    )
    ok = True
    for name, rows in results.items():
        if not rows:
            print(f"{name:<20}{0:>9}")
            continue
        times = [r[0] for r in rows]
        failed = sum(1 for r in rows if r[1] != 200)
        ok = ok and not failed
        p95 = percentile(times, 95)
        size = max(r[2] for r in rows) / 1024
        line = (
            f"{name:<20}{len(rows):>9}{percentile(times, 50) * 1000:>9.0f}{p95 * 1000:>9.0f}"
            f"{p95 / bare:>9.1f}x{size:>9.1f}{single[name][0] * 1000:>10.1f}"
            f"{single[name][1] * 1000:>8.0f}"
        )
        print(line + (f"   {failed} answers not 200!" if failed else ""))
    total = sum(len(rows) for rows in results.values())
    print(f"\n{total} requests in {seconds:.1f} s ({total / seconds:.1f}/s)")
    print("alone: median of 15 requests by one user before the others start (no queueing);")
    print("CPU: the gunicorn workers' CPU per request in those 15 (10 ms clock ticks)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=300)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=8, help="rounds of all pages per user")
    parser.add_argument("--duration", type=float, default=120, help="seconds of measuring, at most")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=2, help="mean pause between requests (s)")
    parser.add_argument(
        "--pages", default=",".join(name for name in PAGES if name != BARE), help="comma-separated"
    )
    parser.add_argument("--database", default="lmb_bench")
    parser.add_argument("--fresh", action="store_true", help="drop the bench database first")
    args = parser.parse_args()
    pages = {BARE: PAGES[BARE]}
    for name in args.pages.split(","):
        if name.strip() not in PAGES:
            parser.error(f"unknown page {name!r}: choose from {', '.join(PAGES)}")
        pages[name.strip()] = PAGES[name.strip()]

    db_url = prepare_database(args.database, args.fresh)
    dev_env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": ""}
    dev_env.pop("DJANGO_SETTINGS_MODULE")
    manage = [PYTHON, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"], dev_env)
    run([*manage, "generate_demo_scale", "--municipalities", str(args.municipalities)], dev_env)
    env = production_env(db_url)
    run([*manage, "collectstatic", "--noinput", "-v0"], env)

    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "lmbplanner.wsgi:application",
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    print("$", " ".join(command), flush=True)
    # Its own process group: stopping it stops the workers too.
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    try:
        ready = time.monotonic() + 60
        while True:
            try:
                if Client(port).request("GET", "/gezond/")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > ready:
                print("gunicorn did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        users = users_to_log_in(args.municipalities, args.users)
        print(
            f"\n{args.users} users ({len({nis for _e, nis in users})} municipalities), "
            f"{args.workers} gunicorn workers, {args.municipalities} municipalities in the "
            f"database, think time 0-{2 * args.think:g} s; load before: {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        results, single, seconds = load(
            port, server.pid, users, pages, args.rounds, args.duration, args.think
        )
        ok = report(results, single, seconds)
        # Other work on the machine slows every page alike: say how busy it was.
        print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        return 0 if ok else 1
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


if __name__ == "__main__":
    sys.exit(main())
