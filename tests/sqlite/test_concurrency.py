"""The embedded SQLite database of `make run` serves a whole team at once (issue 6).

The suite itself runs on PostgreSQL, so these tests build a `make run`-style SQLite database
with the project's base settings in a temporary folder, serve it with runserver in a
subprocess and log in, save and reorder through HTTP, many requests at the same moment. None
of them uses the ``db`` fixture.
"""

from collections import Counter

import pytest

from apps.core.demo import DEMO_ACCOUNTS, DEMO_MUNICIPALITY, DEMO_PASSWORD
from apps.core.models import Role

from .client import (
    Browser,
    Response,
    SqliteServer,
    edit_path,
    ensure_movable_proposals,
    login_at_once,
    move_up_at_once,
    outcome,
    proposals,
    save_at_once,
)

pytestmark = pytest.mark.sqlite

NIS = DEMO_MUNICIPALITY["nis_code"]
OPSTELLER = next(a[0] for a in DEMO_ACCOUNTS if a[3] == NIS and a[4] == Role.OPSTELLER)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with SqliteServer(tmp_path_factory.mktemp("sqlite")) as server:
        server.prepare()
        server.start()
        yield server


@pytest.fixture(scope="module")
def opsteller(server):
    """The demo opsteller, logged in, with at least ten proposals that can move up."""
    browser = Browser(server.base_url)
    browser.login(OPSTELLER, DEMO_PASSWORD)
    ensure_movable_proposals(browser, NIS, 10)
    return browser


def statuses(results) -> Counter:
    return Counter(outcome(result) for result in results)


def test_sqlite_connection_is_set_up_for_concurrent_requests(server):
    settings = server.connection_settings()

    assert settings == {
        "journal_mode": "wal",
        "synchronous": 1,  # NORMAL: safe with WAL, no fsync on every commit
        "busy_timeout": 30_000,
        "foreign_keys": 1,
        "transaction_mode": "IMMEDIATE",
        "atomic_requests": True,
    }


def test_sixteen_people_log_in_at_the_same_moment(server):
    emails = [DEMO_ACCOUNTS[i % len(DEMO_ACCOUNTS)][0] for i in range(16)]
    browsers, results = login_at_once(server.base_url, emails, DEMO_PASSWORD)

    assert statuses(results) == {"302": 16}, server.log()
    assert all(result.location == "/" for result in results)
    assert all(browser.is_logged_in() for browser in browsers)


def test_ten_proposals_saved_at_the_same_moment(server, opsteller):
    every, _ = proposals(opsteller, NIS)
    pks = every[:10]

    results = save_at_once(opsteller, NIS, pks, text=lambda pk: f"Tegelijk opgeslagen: {pk}.")

    assert statuses(results) == {"302": 10}, server.log()
    for pk, result in zip(pks, results, strict=True):
        assert isinstance(result, Response)
        assert result.location.endswith(f"#voorstel-{pk}")
        form = opsteller.form(edit_path(NIS, pk), having="version")
        assert form.value("text") == f"Tegelijk opgeslagen: {pk}."


def test_ten_proposals_moved_up_at_the_same_moment(server, opsteller):
    before, movable = proposals(opsteller, NIS)

    results = move_up_at_once(opsteller, NIS, movable[:10])

    assert statuses(results) == {"302": 10}, server.log()
    after, _ = proposals(opsteller, NIS)
    assert sorted(after) == sorted(before)
