"""Tests that run what an administrator runs, between databases of their own on the test
server (one database filled by the demo and the library is shared, so they live in one file).

Backup and restore of the whole installation, as the README tells it: scripts/backup makes a
pg_dump archive (custom format), scripts/restore puts it into a new, empty database, and every
table comes back with the same rows (counted and digested) and every sequence where it was.

The two transfer commands between two installations: export_municipality on the old one,
import_municipality on another one that has other municipalities and some of the same
accounts; the municipality read back from the new installation is the one that was written,
row for row (ids aside: the in-process tests check their rewiring)."""

import json
import os
import re
import subprocess

from django.apps import apps
from psycopg import sql

from .conftest import BASE_DIR, connect, manage, run

BACKUP = str(BASE_DIR / "scripts" / "backup")
RESTORE = str(BASE_DIR / "scripts" / "restore")
DIGITS = re.compile(r"\d+")
DELETE_DEMODORP = (
    "from apps.core.models import Municipality; "
    "from apps.accounts.models import User; "
    "Municipality.objects.get(nis_code='99001').delete(); "
    "User.objects.get(email='schepen@demo.lmbplanner.be').delete()"
)


def table_digests(database: str) -> dict[str, tuple[int, str]]:
    """Per table: the number of rows and an MD5 of all rows, each as text, in sorted order."""
    with connect(database) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        digests = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM public.{} t"
            ).format(sql.Identifier(table))
            count, digest = conn.execute(query).fetchone()
            digests[table] = (count, digest)
        return digests


def sequences(database: str) -> dict[str, int | None]:
    with connect(database) as conn:
        return dict(conn.execute("SELECT sequencename, last_value FROM pg_sequences").fetchall())


def test_a_restored_backup_has_every_row_of_every_table(filled_database, databases, tmp_path):
    archive = tmp_path / "lmbplanner.dump"

    made = run([BACKUP, str(archive)], filled_database)
    assert "backup:" in made.stdout and archive.stat().st_size > 0
    assert (tmp_path / "lmbplanner.dump.counts").read_text().count("\n") > 50

    target = databases.create()
    restored = run([RESTORE, str(archive)], target)
    assert "the rows of every table match" in restored.stdout

    before, after = table_digests(filled_database), table_digests(target)
    assert after == before
    # The comparison compared something: the demo's documents, review and history are there.
    for table in (
        "core_municipality",
        "accounts_user",
        "beleidsvoorstellen_memorandumproposal",
        "beleidsvoorstellen_historicalmemorandumproposal",
        "review_transition",
        "review_comment",
        "library_libraryproposal",
        "meerjarenplan_action",
        "django_migrations",
    ):
        assert before[table][0] > 0, table
    assert sequences(target) == sequences(filled_database)
    # The restored database is one the app takes as it is: no migration left to run.
    manage("migrate", "--check", database=target)


def test_restore_refuses_a_database_that_is_not_empty(filled_database, tmp_path):
    archive = tmp_path / "lmbplanner.dump"
    run([BACKUP, str(archive)], filled_database)
    before = table_digests(filled_database)

    refused = run([RESTORE, str(archive)], filled_database, check=False)

    assert refused.returncode == 1
    assert "the database is not empty" in refused.stderr
    assert table_digests(filled_database) == before


def test_restore_refuses_a_file_that_is_not_a_backup(databases, tmp_path):
    target = databases.create()
    not_a_backup = tmp_path / "notes.dump"
    not_a_backup.write_text("dit is geen backup\n")

    refused = run([RESTORE, str(not_a_backup)], target, check=False)

    assert refused.returncode == 1
    assert "is not a backup" in refused.stderr
    assert table_digests(target) == {}


def test_backup_refuses_a_database_url_that_is_not_postgresql(tmp_path):
    env = {**os.environ, "DATABASE_URL": "sqlite:///var/db.sqlite3"}
    refused = subprocess.run(
        [BACKUP, str(tmp_path / "x.dump")], env=env, capture_output=True, text=True, check=False
    )
    assert refused.returncode == 2
    assert "PostgreSQL only" in refused.stderr
    assert not (tmp_path / "x.dump").exists()


# --- moving a municipality between two installations ---------------------------------------


def _canonical(value, ids_inside: bool) -> str:
    """``value`` as text; with ``ids_inside`` every number in a text is '#', and an object's
    keys are sorted after that (PostgreSQL's jsonb orders keys by length first)."""

    def walk(item):
        if isinstance(item, dict):
            return sorted([walk(key), walk(val)] for key, val in item.items())
        if isinstance(item, list):
            return [walk(each) for each in item]
        if isinstance(item, str) and ids_inside:
            return DIGITS.sub("#", item)
        return item

    return json.dumps(walk(value), ensure_ascii=False)


def without_ids(data: dict) -> dict[str, list[str]]:
    """Per model, its rows without primary keys, foreign keys and ids inside values, sorted."""
    result = {}
    for section in data["models"]:
        model = apps.get_model(section["model"])
        tracked = getattr(model, "instance_type", None)
        drop = {f.attname for f in model._meta.concrete_fields if f.primary_key or f.is_relation}
        drop |= {"object_id"} | ({tracked._meta.pk.attname} if tracked else set())
        keep = [i for i, name in enumerate(section["fields"]) if name not in drop]
        ids_inside = bool({"part_key", "snapshot", "url"} & set(section["fields"]))
        rows = [_canonical([row[i] for i in keep], ids_inside) for row in section["rows"]]
        result[section["model"]] = sorted(rows)
    return result


def test_export_and_import_between_two_installations(filled_database, databases, tmp_path):
    written = tmp_path / "demodorp.json"
    out = manage("export_municipality", "99001", str(written), database=filled_database)
    assert "Gemeente 99001 geschreven" in out.stdout

    # The other installation: Anderegem and the demo accounts, but not Demodorp nor the schepen.
    target = databases.create(template=filled_database)
    manage("shell", "-c", DELETE_DEMODORP, database=target)

    out = manage("import_municipality", str(written), database=target)
    assert "Gemeente Demodorp (99001) geïmporteerd" in out.stdout
    assert "1 accounts aangemaakt, 3 bestaande accounts gekoppeld" in out.stdout

    again = manage("import_municipality", str(written), database=target, check=False)
    assert again.returncode == 1
    assert "bestaat al in deze installatie" in again.stderr

    read_back = tmp_path / "read-back.json"
    manage("export_municipality", "99001", str(read_back), database=target)
    before, after = json.loads(written.read_text()), json.loads(read_back.read_text())
    assert after["municipality"] == before["municipality"]
    assert without_ids(after) == without_ids(before)
    assert sum(len(rows) for rows in without_ids(before).values()) > 400
    users = {u["email"]: u for u in before["users"]}
    for user in after["users"]:
        assert user["password"] == users[user["email"]]["password"], user["email"]
    assert {u["email"] for u in after["users"]} == set(users)
