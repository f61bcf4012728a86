"""Web servers and render workers as separate processes on the test database (issue 11, point 8).

``Cluster`` starts gunicorn web servers and ``manage.py db_worker`` render workers on the
PostgreSQL database of the running test, with the test settings and the real render queue
(RENDER_QUEUE=database), and stops or kills them. The test itself writes its data in a
transactional test, so the processes see it, and reads the jobs back through the ORM.
Shared by the tests in this folder and by ``bench/render_fairness.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.sqlite.client import LOGIN_PATH, Browser, free_port

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def wait_until[T](probe: Callable[[], T], *, timeout: float, what: str, pause=0.05) -> T:
    """Poll ``probe`` until it returns something true, at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(pause)


def database_url() -> str:
    """The database the test runs on, as DATABASE_URL names it."""
    from django.db import connection

    s = connection.settings_dict
    user = s["USER"] or "postgres"
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Cluster:
    """Processes of the app on one database; each in its own process group, with its log."""

    def __init__(self, directory: Path, *, settings="lmbplanner.settings.test", **env: str):
        self.directory = Path(directory)
        inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        self.env = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": database_url(),
            "RENDER_QUEUE": "database",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.ports: dict[str, int] = {}

    def _start(self, name: str, args: list[str]) -> subprocess.Popen:
        with open(self.directory / f"{name}.log", "wb") as log:
            process = subprocess.Popen(
                args,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: a kill reaches gunicorn's workers too
            )
        self.processes[name] = process
        return process

    def start_web(self, name: str, timeout: float = 30) -> str:
        """A gunicorn server (one worker process, two threads); its base URL once it answers."""
        port = free_port()
        self.ports[name] = port
        process = self._start(
            name,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "lmbplanner.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "--timeout",
                "60",
            ],
        )
        url = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"{name} stopped:\n{self.log(name)}")
            try:
                return Browser(url, timeout=2).get(LOGIN_PATH).status == 200
            except OSError:
                return False

        wait_until(answers, timeout=timeout, what=f"{name} answers", pause=0.1)
        return url

    def start_worker(self, name: str) -> subprocess.Popen:
        """A render worker, polling the queue often so the tests need not wait long."""
        return self._start(
            name,
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--backend",
                "documents",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "--worker-id",
                name,
            ],
        )

    def pid(self, name: str) -> int:
        return self.processes[name].pid

    def kill(self, name: str) -> None:
        """SIGKILL, as the kernel's OOM killer or a pulled plug would: nothing gets to clean up."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def log(self, name: str, last: int = 40) -> str:
        path = self.directory / f"{name}.log"
        lines = path.read_text(errors="replace").splitlines() if path.exists() else []
        return "\n".join(lines[-last:])

    def logs(self) -> str:
        return "\n".join(f"--- {name}\n{self.log(name)}" for name in self.processes)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
