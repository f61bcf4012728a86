"""Drive a real LMB Planner server on a file-based SQLite database, as several people at once.

Shared by the tests in this folder and by ``bench/sqlite_concurrency.py``:

- ``SqliteServer`` builds a fresh ``make run``-style database (migrate, load_demo, load_library,
  with the project's own base settings) in a folder and serves it with ``manage.py runserver``;
- ``Browser`` is one browser tab: its own cookies, one HTTP connection per request, redirects
  are not followed so a test sees the 302;
- ``at_once`` runs actions in threads that start together behind a barrier;
- the scenarios (``login_at_once``, ``save_at_once``, ``move_up_at_once``) prepare each user's
  request first and then fire them all at the same moment.

Only the standard library: no ``requests`` in the project's dependencies.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LOGIN_PATH = "/account/aanmelden/"


def memorandum_path(nis_code: str) -> str:
    return f"/gemeente/{nis_code}/memorandum/"


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SqliteServer:
    """A fresh SQLite database in ``directory``, set up and served as ``make run`` does."""

    def __init__(self, directory: Path, *, settings: str = "lmbplanner.settings.base"):
        self.directory = Path(directory)
        self.database = self.directory / "db.sqlite3"
        self.log_path = self.directory / "runserver.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        # The environment of someone typing `make run`: none of the test settings' leftovers.
        inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        self.env = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "PYTHONUNBUFFERED": "1",
        }

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, timeout: float = 120) -> str:
        """Run a manage.py command against this database; its output, or an error with it."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def prepare(self) -> None:
        """What `make run` does before it serves: migrate and load the demo and the library."""
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("load_demo")
        self.manage("load_library", "fixtures/library.yaml")

    def connection_settings(self) -> dict:
        """What a connection with these settings reports: its PRAGMAs and transaction mode."""
        code = (
            "import json; from django.db import connection; c = connection.cursor(); "
            "p = lambda n: c.execute(f'PRAGMA {n}').fetchone()[0]; "
            "print(json.dumps({'journal_mode': p('journal_mode'), 'synchronous': p('synchronous'), "
            "'busy_timeout': p('busy_timeout'), 'foreign_keys': p('foreign_keys'), "
            "'transaction_mode': connection.transaction_mode, "
            "'atomic_requests': connection.settings_dict['ATOMIC_REQUESTS']}))"
        )
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])

    def start(self, timeout: float = 30) -> None:
        """Start runserver (threaded, no autoreload) and wait until it answers."""
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    f"127.0.0.1:{self.port}",
                    "--noreload",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if Browser(self.base_url, timeout=2).get(LOGIN_PATH).status == 200:
                    return
            except OSError:
                pass
            try:
                # The pause between two tries, which also notices a server that died.
                self.process.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"runserver stopped:\n{self.log()}")
        self.stop()
        raise RuntimeError(f"runserver did not answer within {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log(self, last: int = 60) -> str:
        """The last lines runserver wrote (tracebacks of 500s included)."""
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return ""
        return "\n".join(lines[-last:])

    def __enter__(self) -> SqliteServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --- one browser tab ---------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    submit_disabled: bool = False

    def value(self, name: str) -> str | None:
        return next((v for n, v in self.fields if n == name), None)

    def data(self, **changes: str) -> list[tuple[str, str]]:
        """The fields as a browser submits them, with some values replaced."""
        data = [(n, changes.get(n, v)) for n, v in self.fields]
        return data + [(n, v) for n, v in changes.items() if self.value(n) is None]


class _FormParser(HTMLParser):
    """The forms of a page with the values a browser would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(a.get("action") or "", (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                form.submit_disabled = form.submit_disabled or "disabled" in a
            elif name and (kind not in {"checkbox", "radio"} or "checked" in a):
                form.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            form.submit_disabled = form.submit_disabled or "disabled" in a
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((a.get("value") or "", "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # HTML drops the newline right after <textarea>.
            self._form.fields.append((name, text.removeprefix("\r\n").removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self._form.fields.extend((self._select, v) for v in chosen)
            self._select = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


class Browser:
    """One browser tab: its own cookie jar, a new connection per request, no redirects followed."""

    def __init__(self, base_url: str, *, cookies: dict[str, str] | None = None, timeout=60):
        host, _, port = base_url.removeprefix("http://").partition(":")
        self.base_url, self.host, self.port = base_url, host, int(port or 80)
        self.cookies = dict(cookies or {})
        self.timeout = timeout

    def tab(self) -> Browser:
        """Another tab of the same browser: the same session, from now on its own cookies."""
        return Browser(self.base_url, cookies=self.cookies, timeout=self.timeout)

    def request(self, method: str, path: str, data: Iterable | dict | None = None) -> Response:
        headers = {"Connection": "close", "Accept-Language": "nl-BE"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(list(data.items()) if isinstance(data, dict) else list(data))
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            start = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            seconds = time.perf_counter() - start
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(response.status, response.headers, text, seconds)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: Iterable | dict = ()) -> Response:
        """POST a form; without a CSRF token in the data, the one from the cookie goes along."""
        data = list(data.items()) if isinstance(data, dict) else list(data)
        if not any(name == "csrfmiddlewaretoken" for name, _ in data):
            data.append(("csrfmiddlewaretoken", self.cookies.get("csrftoken", "")))
        return self.request("POST", path, data)

    def form(self, path: str, having: str) -> Form:
        """The form on the page at ``path`` that has a field named ``having``."""
        page = self.get(path)
        if page.status != 200:
            raise AssertionError(f"GET {path}: {page.status}")
        for form in forms_of(page.body):
            if form.value(having) is not None:
                return form
        raise AssertionError(f"GET {path}: no form with a field {having!r}")

    def open_login(self) -> Form:
        return self.form(LOGIN_PATH, having="username")

    def submit_login(self, form: Form, email: str, password: str) -> Response:
        return self.post(form.action or LOGIN_PATH, form.data(username=email, password=password))

    def login(self, email: str, password: str) -> Response:
        response = self.submit_login(self.open_login(), email, password)
        if response.status != 302:
            raise AssertionError(f"log-in as {email}: {response.status}")
        return response

    def is_logged_in(self) -> bool:
        """The home page sends a member to their municipality, a stranger to the log-in page."""
        response = self.get("/")
        return response.status == 302 and response.location.startswith("/gemeente/")


# --- all at once -------------------------------------------------------------------------------


def at_once[T](actions: Sequence[Callable[[], T]], timeout: float = 120) -> list[T | Exception]:
    """Run every action in its own thread, all released at the same moment; the results (or
    the exception an action raised) in the order of the actions."""
    barrier = threading.Barrier(len(actions))
    results: list[T | Exception] = [TimeoutError("did not finish")] * len(actions)

    def run(index: int, action: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout)
            results[index] = action()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return results


def outcome(result: Response | Exception) -> str:
    """A result as a short label: the HTTP status, or the exception's name."""
    return str(result.status) if isinstance(result, Response) else type(result).__name__


# --- the scenarios -----------------------------------------------------------------------------


def login_at_once(
    base_url: str, emails: Sequence[str], password: str
) -> tuple[list[Browser], list[Response | Exception]]:
    """Every email logs in from its own browser, all pressing "Aanmelden" at the same moment."""
    browsers = [Browser(base_url) for _ in emails]
    forms = [browser.open_login() for browser in browsers]
    results = at_once(
        [
            lambda b=browser, f=form, e=email: b.submit_login(f, e, password)
            for browser, form, email in zip(browsers, forms, emails, strict=True)
        ]
    )
    return browsers, results


_MOVE = re.compile(r"/voorstel/(\d+)/verplaatsen/$")
_ADOPT = re.compile(r"/bibliotheek/(\d+)/overnemen/$")


def proposals(browser: Browser, nis_code: str) -> tuple[list[int], list[int]]:
    """The memorandum's proposals in page order, and those whose "Omhoog" button is enabled."""
    page = browser.get(memorandum_path(nis_code))
    if page.status != 200:
        raise AssertionError(f"memorandum page: {page.status}")
    every, movable = [], []
    for form in forms_of(page.body):
        match = _MOVE.search(form.action)
        if match and form.value("direction") == "up":
            every.append(int(match[1]))
            if not form.submit_disabled:
                movable.append(int(match[1]))
    return every, movable


def withdraw_from_review(browser: Browser, nis_code: str) -> None:
    """The demo memorandum is with the schepen (read-only): take it back, as the opsteller
    would with the review bar's "Indiening intrekken"."""
    page = browser.get(memorandum_path(nis_code))
    for form in forms_of(page.body):
        if form.value("action") == "withdraw":
            response = browser.post(form.action, form.data())
            if response.status != 302:
                raise AssertionError(f"withdraw {form.action}: {response.status}")


def ensure_movable_proposals(browser: Browser, nis_code: str, count: int) -> list[int]:
    """Adopt library proposals through the app until ``count`` of them can move up; those."""
    withdraw_from_review(browser, nis_code)
    for _ in range(5):
        _, movable = proposals(browser, nis_code)
        if len(movable) >= count:
            return movable
        library = browser.get(f"{memorandum_path(nis_code)}bibliotheek/")
        adoptable = [f for f in forms_of(library.body) if _ADOPT.search(f.action)]
        if not adoptable:
            break
        for form in adoptable[: count - len(movable)]:
            response = browser.post(form.action, form.data())
            if response.status != 302:
                raise AssertionError(f"adopt {form.action}: {response.status}")
    raise AssertionError(f"fewer than {count} proposals in the memorandum can move up")


def edit_path(nis_code: str, pk: int) -> str:
    return f"{memorandum_path(nis_code)}voorstel/{pk}/"


def save_at_once(
    browser: Browser, nis_code: str, pks: Sequence[int], text: Callable[[int], str]
) -> list[Response | Exception]:
    """Each proposal open in its own tab of one browser; all tabs press "Opslaan" at once."""
    tabs = [browser.tab() for _ in pks]
    forms = [
        tab.form(edit_path(nis_code, pk), having="version")
        for tab, pk in zip(tabs, pks, strict=True)
    ]
    return at_once(
        [
            lambda t=tab, pk=pk, f=form: t.post(edit_path(nis_code, pk), f.data(text=text(pk)))
            for tab, pk, form in zip(tabs, pks, forms, strict=True)
        ]
    )


def move_up_at_once(
    browser: Browser, nis_code: str, pks: Sequence[int]
) -> list[Response | Exception]:
    """Every proposal's "Omhoog" button pressed in its own tab, at the same moment."""
    tabs = [browser.tab() for _ in pks]
    paths = [f"{edit_path(nis_code, pk)}verplaatsen/" for pk in pks]
    return at_once(
        [
            lambda t=tab, p=path: t.post(p, {"direction": "up"})
            for tab, path in zip(tabs, paths, strict=True)
        ]
    )
