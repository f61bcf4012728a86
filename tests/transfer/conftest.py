"""Fixtures of the backup and transfer tests.

The in-process tests run in pytest-django's test database and load the demo there. The tests
of the scripts and commands run them as a user would, in subprocesses, against databases of
their own on the same server (unique names, dropped at the end)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def _server() -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": str(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or "",
    }


def url_of(name: str) -> str:
    server = _server()
    secret = f":{server['password']}" if server["password"] else ""
    return f"postgres://{server['user']}{secret}@{server['host']}:{server['port']}/{name}"


def connect(name: str = "postgres"):
    server = _server()
    return psycopg.connect(
        host=server["host"],
        port=server["port"],
        user=server["user"],
        password=server["password"] or None,
        dbname=name,
        autocommit=True,
    )


class Databases:
    """Databases made for one test session; every one is dropped at the end."""

    def __init__(self):
        self.names: list[str] = []

    def create(self, *, template: str | None = None) -> str:
        name = f"lmbtransfer_{uuid.uuid4().hex[:12]}"
        with connect() as conn:
            clause = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{clause}')
        self.names.append(name)
        return name

    def drop_all(self) -> None:
        with connect() as conn:
            for name in self.names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: list[str], database: str, *, check: bool = True) -> subprocess.CompletedProcess:
    """A command as the user types it, against ``database``."""
    env = {**os.environ, "DATABASE_URL": url_of(database), "PYTHONUNBUFFERED": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "lmbplanner.settings.test"
    result = subprocess.run(
        args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def manage(*args: str, database: str, check: bool = True) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], database, check=check)


@pytest.fixture(scope="session")
def databases():
    made = Databases()
    yield made
    made.drop_all()


@pytest.fixture(scope="session")
def filled_database(databases) -> str:
    """A database as `make run` leaves it: migrated, the demo and the library loaded."""
    name = databases.create()
    manage("migrate", "--noinput", "-v0", database=name)
    manage("load_demo", database=name)
    manage("load_library", "fixtures/library.yaml", database=name)
    return name


@pytest.fixture
def demo(db):
    """The demo in the test database: Demodorp with every document and a review round (the
    demo loads the library first)."""
    from apps.core.demo import load_demo
    from apps.core.models import Municipality

    load_demo()
    return Municipality.objects.get(nis_code="99001")
