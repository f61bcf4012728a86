"""Backup and restore of the whole installation, as the README tells it: scripts/backup makes
a pg_dump archive (custom format) of a database filled by the demo and the library,
scripts/restore puts it into a new, empty database, and every table comes back with the same
rows (counted and digested) and every sequence where it was."""

import os
import subprocess

from psycopg import sql

from .conftest import BASE_DIR, connect, manage, run

BACKUP = str(BASE_DIR / "scripts" / "backup")
RESTORE = str(BASE_DIR / "scripts" / "restore")


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
