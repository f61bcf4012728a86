"""Fuzz every URL pattern and every form field: no response may be a 500.

How it works
------------
* ``ROUTES`` walks the root resolver (``get_resolver()``) recursively through every include:
  every pattern of the app and of ``i18n/``, the admin site's own pages (index, log-in, log-out,
  password change, autocomplete, catch-all...) and the admin pages of the models of our own apps
  (``apps.*``), the library import and export included. Nothing is listed by hand.
* Each pattern becomes a format string (``/gemeente/%(nis_code)s/memorandum/``), filled in with
  real values: the municipality's NIS code, two proposals, two library proposals, the render
  job, the admin object, a password reset link (``valid_values``). A parameter this file does
  not know takes the URLs the app's own pages link to (``Fuzzer.crawl``), else a placeholder
  the converter accepts (with a warning). The real URL must resolve back to its pattern.
* Per pattern (one test each, parametrised by the pattern's name):
  - GET as every role (opsteller, schepen, lezer, anonymous; beheerder and anonymous in the
    admin), and with htmx's header;
  - the path with each parameter replaced by fuzz values, percent-encoded as a browser does
    and, where that changes the meaning (NUL, %00, RTL...), raw;
  - the query string fuzzed: all names at once (the page's form fields and ``QUERY_NAMES``),
    and one at a time the names the page itself puts in a query string (its GET forms, the
    links to itself: search, filters, sorting);
  - the forms that post to the pattern (parsed with html.parser from its page, or found on the
    other pages: the log-out button, the language switch, the move buttons), POSTed: as loaded,
    by the other roles, every field set to each fuzz value at once, one field at a time set to
    fuzz values with the others as loaded (so the value reaches the service), and one field at a
    time left out; the form the answer shows next is fuzzed too (the library import preview);
  - POST-only endpoints (405 to GET) also with ``version``, ``direction``, ``next``,
    ``action`` and ids, fuzzed and left out.
* Every request runs in a savepoint that is rolled back afterwards, so each fuzzed POST meets
  the data as loaded (the version in the form stays current, a delete does not hide the object
  from the next request). Before the rollback, PostgreSQL's write counters tell whether a
  refused POST (anything but a redirect) wrote to a table of our apps, which fails the test, as
  does a proposal text that reads as empty. After the run the memorandum and its proposals must
  read as before.
* The PDF views render for real (synchronously, see conftest.py) once in the module, and get
  two POSTs at most.
* How much is sent is a ``Plan``: the default fits the suite's time budget; ``LMB_FUZZ=full``
  sends every value to every field, path and role (several minutes).
* Failures are collected, not raised: one run lists every 500 with method, pattern, role, URL,
  field, value, exception, the line of our code that raised it and the frames below the view
  (``LMB_FUZZ_TRACE=1``: all frames). What is worth a look but not a failure (a GET that wrote
  rows, a pattern fuzzed with placeholder values only) comes out as a warning.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import traceback
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import quote as admin_quote
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize

from apps.beleidsvoorstellen.models import MemorandumProposal
from apps.core.models import Membership, Municipality
from apps.library.models import LibraryProposal

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)

# --- fuzz values -----------------------------------------------------------------------------

LONG = "x" * 100_000
SCRIPT = "<script>alert(1)</script>"
NUL = "a\x00b"
HUGE = "99999999999999999999999999"
FUZZ = [
    "\x00",
    NUL,
    "\x01\x02\x1b\x7f",
    "\u202eevil\u202c",
    "\ufeff",
    SCRIPT,
    HUGE,
    "-99999999999999999999",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "",
    "   ",
    LONG,
    "😀",
    "9" * 5000,  # int() refuses more than 4300 digits
]
# One field at a time (the other fields as loaded, so the value reaches the service): a NUL
# byte first (PostgreSQL refuses it in text), then these in turn.
SHARP = [
    HUGE,
    "-1",
    "1.5",
    SCRIPT,
    LONG,
    "\u202eevil\u202c",
    "",
    "NaN",
    "\x01\x02\x1b\x7f",
    "9" * 5000,
    "1e309",
    "-99999999999999999999",
]
PATH_FUZZ = [
    "\x00",
    NUL,
    "\x01\x1f\x7f",
    "\u202e",
    "\u202eevil\u202c",
    "y" * 5000,
    "../",
    "..",
    "%00",
    "%",
    "😀",
    " ",
    "99999999999999999999999",
    "9223372036854775808",
    "-1",
    "1.5",
    "0",
    "1e309",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "12345678-1234-1234-1234-1234567\x00abcd",
]
# Sent raw as well as percent-encoded: the values whose meaning changes with the encoding.
PATH_RAW = ["\x00", "%00", "%", "\u202e", "../", "😀"]
# A path parameter shared by many patterns (nis_code) gets all of PATH_FUZZ in the first of
# them (by name); the others get these, which still reach each view when a converter lets
# them through.
PATH_FUZZ_SHARED = ["\x00", "%00", "y" * 5000, "99999999999999999999999"]
# Query parameters tried on every page, besides the names the page's forms and links use.
QUERY_NAMES = ["version", "direction", "next", "q", "page", "o", "p", "e", "_changelist_filters"]
QUERY_NAMES_ADMIN = ["term", "app_label", "model_name", "field_name", "_to_field", "_popup"]
# Fields posted to POST-only endpoints, besides those of the forms that post there.
POST_NAMES = ["version", "direction", "next", "action", "id", "pk", "ids"]
CSRF_FIELD = "csrfmiddlewaretoken"
# All at once on a pattern's second real URL (the first got all of FUZZ).
SECOND_URL_VALUES = ("\x00", HUGE, LONG)
# Above this many characters in one request, a long value is cut to share the budget.
MAX_REQUEST_CHARS = 400_000


@dataclass(frozen=True)
class Plan:
    """How much to send: the default fits the suite's time budget (about a minute for the
    module); LMB_FUZZ=full sends everything to every field and path as every role."""

    other_roles_values: tuple  # all-at-once values for the roles that do not edit
    path_values: tuple  # for the editing role
    path_values_others: tuple  # for the other signed-in roles
    query_values: tuple  # all-at-once query strings, editing role
    query_per_name: int  # one-at-a-time values per query name (form and link names only)
    post_values: tuple  # all-at-once form values
    post_per_field: int  # one-at-a-time values per form field (NUL first, then SHARP in turn)
    post_missing: bool  # each field left out once


FULL = Plan(
    other_roles_values=tuple(FUZZ),
    path_values=tuple(PATH_FUZZ),
    path_values_others=tuple(PATH_FUZZ),
    query_values=tuple(FUZZ),
    query_per_name=len(SHARP) + 1,
    post_values=tuple(FUZZ),
    post_per_field=len(SHARP) + 1,
    post_missing=True,
)
APP = Plan(
    other_roles_values=("\x00",),
    path_values=tuple(PATH_FUZZ),
    path_values_others=("\x00",),
    query_values=("\x00", "\u202eevil\u202c", HUGE, "1.5", "9" * 5000),
    query_per_name=3,
    post_values=tuple(FUZZ),
    post_per_field=2,
    post_missing=True,
)
# The admin pages are Django's own code around our models and forms: fewer values, and one at
# a time only the fields that hold choices and ids (selects, autocompletes, hidden ids), where a
# bad value reaches a query; the text fields get one POST with odd but valid text instead.
ADMIN = Plan(
    other_roles_values=(),
    path_values=("\x00", "99999999999999999999999", "1.5"),
    path_values_others=(),
    query_values=("\x00", HUGE),
    query_per_name=1,
    post_values=("\x00", LONG),
    post_per_field=1,
    post_missing=False,
)


def bad_uploads() -> list[SimpleUploadedFile]:
    """Fresh each time: the test client reads an upload when it sends it."""
    return [
        SimpleUploadedFile("bad.yaml", b"\x00\xff\xfe key: [unclosed", "application/yaml"),
        SimpleUploadedFile("bad.json", b'{"proposals": [{"key": null, "order": -1}]}'),
        SimpleUploadedFile(
            "\u202eevil.yaml", b"proposals:\n  - key: 99999999999999999999999999\n    text: 1e309\n"
        ),
        SimpleUploadedFile("empty.yaml", b""),
        SimpleUploadedFile("big.yaml", b"# " + b"x" * (1024 * 1024 + 10)),
    ]


def good_upload() -> SimpleUploadedFile:
    """A file the library import accepts: the library as it stands."""
    from apps.library.services import library_export_yaml

    return SimpleUploadedFile("library.yaml", library_export_yaml().encode(), "application/yaml")


# --- the URL patterns ------------------------------------------------------------------------

OUR_APPS = {c.label for c in django_apps.get_app_configs() if c.name.startswith("apps.")}
ADMIN_MODELS = {f"{m._meta.app_label}/{m._meta.model_name}/": m for m in admin.site._registry}
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str  # "beleidsvoorstellen:proposal_edit"; unnamed ones get a readable name
    fmt: str  # "/gemeente/%(nis_code)s/memorandum/voorstel/%(pk)s/"
    route: str  # as ResolverMatch.route spells it
    params: tuple[str, ...]
    regexes: tuple[str, ...]  # what each parameter's converter matches
    namespaces: tuple[str, ...]
    url_name: str | None
    model: type | None  # the admin model, for the ModelAdmin pages
    callback: object

    @property
    def is_admin(self) -> bool:
        return "admin" in self.namespaces

    @property
    def renders_pdf(self) -> bool:
        return getattr(self.callback, "__module__", "") == "apps.documents.views"


def _format(pattern) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The pattern's format string, its parameters, and the regex each must match."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        fmt = _PARAM.sub(lambda m: f"%({m['name']})s", route.replace("%", "%%"))
        names = tuple(m["name"] for m in _PARAM.finditer(route))
        return fmt, names, tuple(pattern.converters[n].regex for n in names)
    if isinstance(pattern, RegexPattern):
        fmt, names = normalize(str(pattern))[0]
        return fmt, tuple(names), tuple("[^/]+" for _ in names)
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix, (), ()
    raise TypeError(f"unknown URL pattern type {type(pattern)!r}")


def _join(route: str, part: str) -> str:
    """As URLResolver._join_route: the ^ of every part after the first goes."""
    return route + part.removeprefix("^") if route else part


def _walk(resolver, fmt="/", route="", params=(), regexes=(), namespaces=(), model=None):
    for entry in resolver.url_patterns:
        part, names, patterns = _format(entry.pattern)
        joined = _join(route, str(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            inner_model = model
            if namespaces == ("admin",) and model is None:
                inner_model = ADMIN_MODELS.get(str(entry.pattern))
            yield from _walk(
                entry,
                fmt + part,
                joined,
                (*params, *names),
                (*regexes, *patterns),
                inner,
                inner_model,
            )
            continue
        if entry.name:
            name = ":".join((*namespaces, entry.name))
        else:
            where = f"{model._meta.label_lower}:" if model else ""
            name = ":".join((*namespaces, f"{where}unnamed:{entry.pattern}"))
        yield Route(
            name=name,
            fmt=fmt + part,
            route=joined,
            params=(*params, *names),
            regexes=(*regexes, *patterns),
            namespaces=namespaces,
            url_name=entry.name,
            model=model,
            callback=entry.callback,
        )


def _enumerate() -> dict[str, Route]:
    routes = {}
    for route in _walk(get_resolver()):
        if route.model is not None and route.model._meta.app_label not in OUR_APPS:
            continue  # admin pages of Django's own models (groups)
        name, n = route.name, 2
        while name in routes:
            name, n = f"{route.name}#{n}", n + 1
        routes[name] = route
    return routes


ROUTES = _enumerate()


def _param_owners() -> dict[str, str]:
    """For each path parameter name, the first pattern (by name) that has it."""
    owners = {}
    for name in sorted(ROUTES):
        for param in ROUTES[name].params:
            owners.setdefault(param, name)
    return owners


PARAM_OWNERS = _param_owners()
ROUTE_NAMES = {(r.namespaces, r.url_name, r.route): name for name, r in ROUTES.items()}


def test_the_enumeration_finds_every_kind_of_pattern():
    names = set(ROUTES)
    assert {"core:home", "beleidsvoorstellen:proposal_edit", "documents:job_download"} <= names
    assert {"admin:index", "admin:login", "admin:logout", "set_language"} <= names
    assert {"admin:library_libraryproposal_import", "admin:library_libraryproposal_export"} <= (
        names
    )
    assert "admin:core_municipality_change" in names
    assert not any(name.startswith("admin:auth_group") for name in names)
    assert len(ROUTES) > 60


def route_key(path: str):
    """The pattern a path resolves to, as (namespaces, url_name, route); None if it does not."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return (tuple(match.namespaces), match.url_name, match.route)


# --- real values for path parameters ---------------------------------------------------------


def _admin_object(model, world):
    preferred = {
        "accounts.user": lambda: world.users["lezer"],
        "core.municipality": lambda: world.municipality,
        "core.membership": lambda: Membership.objects.get(user=world.users["lezer"]),
        "library.libraryproposal": lambda: world.library_adopted,
        "library.practiceexample": lambda: world.practice_example,
        "documents.renderjob": lambda: world.job,
    }
    label = model._meta.label_lower
    if label in preferred:
        return preferred[label]()
    return model._default_manager.order_by("pk").first()  # None: no row to open


# The worksheet (by method) and the note whose ids a methods page takes; others: brainwriting.
METHOD_ROUTES = {
    "project_sheet_start": ("gps", "gps"),
    "project_sheet": ("gps", "gps"),
    "to_actor": ("outcome-mapping", "outcome-mapping"),
    "to_indicator": ("outcome-mapping", "outcome-marker"),
    "evaluation_save": ("oeso-dac", None),
    "evaluation_to_analysis": ("oeso-dac", None),
}


def _methods_values(route: Route, param: str, world) -> list[str] | None:
    methods = world.methods
    sheet, note = METHOD_ROUTES.get(route.name.split(":", 1)[1], ("brainwriting", "brainwriting"))
    if param == "worksheet_pk":
        return [str(methods["sheets"][sheet].pk)]
    if param == "contribution_pk":
        return [str(methods["notes"][note or "brainwriting"].pk)]
    if param == "sheet_pk":
        return [str(methods["project_sheet"].pk)]
    if param == "key":
        return [methods["key"]]
    return None


def valid_values(route: Route, param: str, world) -> list[str] | None:
    if param == "nis_code":
        return [world.municipality.nis_code]
    if route.name.startswith("methods:") and world.methods:
        values = _methods_values(route, param, world)
        if values is not None:
            return values
    if param == "level":  # the meerjarenplan's kinds of item
        return ["doelstelling", "actieplan", "actie"]
    if param in ("pk", "question_pk", "proposal_pk") and route.name.startswith(
        ("omgevingsanalyse:", "meerjarenplan:")
    ):
        return None  # the analysis's pages link their sections, parts and questions
    if param == "pk":
        return [str(world.adopted.pk), str(world.own.pk)]
    if param == "library_pk":
        return [str(world.library_fresh.pk), str(world.library_adopted.pk)]
    if param == "job_id":
        return [str(world.job.pk)]
    if route.name.startswith("review:") and param in ("kind", "object_id"):
        # The memorandum (a concept with comment threads) and the approved visie & missie.
        from apps.omgevingsanalyse.models import VisionMission

        vision = VisionMission.objects.get(municipality=world.municipality)
        if param == "kind":
            return ["memorandum", "visie_missie"]
        return [str(world.memorandum.pk), str(vision.pk)]
    if param in ("object_id", "id") and route.model is not None:
        obj = _admin_object(route.model, world)
        return [admin_quote(obj.pk)] if obj is not None else None
    if param == "object_id":  # the admin's view-on-site: /r/<content_type_id>/<object_id>/
        return [str(world.municipality.pk)]
    if param == "content_type_id":
        return [str(ContentType.objects.get_for_model(Municipality).pk)]
    if param == "app_label":
        return ["core"]
    if param in ("uidb64", "token"):
        # A real password reset link for the lezer. The token hangs on last_login, which the
        # log-ins of this test changed: made now, from the row as it is.
        user = get_user_model().objects.get(pk=world.users["lezer"].pk)
        if param == "uidb64":
            return [urlsafe_base64_encode(force_bytes(user.pk))]
        return [default_token_generator.make_token(user)]
    if param == "url":  # the admin's catch-all
        return ["bestaat-niet/"]
    return None  # unknown here: the real URL comes from a link on the app's pages


def _placeholder(regex: str) -> str:
    """A value the converter accepts, for a parameter with no real value."""
    for candidate in ("1", "00001", "12345", "x", "00000000-0000-0000-0000-000000000001"):
        if re.fullmatch(regex, candidate):
            return candidate
    return "1"


# --- forms -----------------------------------------------------------------------------------


@dataclass
class Control:
    tag: str
    type: str
    name: str
    value: str | None = None
    checked: bool = False
    disabled: bool = False
    multiple: bool = False
    options: list = field(default_factory=list)  # [value, selected, text]

    @property
    def is_submit(self) -> bool:
        return (self.tag == "input" and self.type in ("submit", "image")) or (
            self.tag == "button" and self.type == "submit"
        )


@dataclass
class Form:
    method: str
    action: str | None
    controls: list[Control] = field(default_factory=list)
    target: str = ""  # the path it posts to

    def names(self) -> list[str]:
        return list(dict.fromkeys(c.name for c in self.controls if c.name))

    def file_names(self) -> set[str]:
        return {c.name for c in self.controls if c.tag == "input" and c.type == "file"}

    def choice_names(self) -> set[str]:
        """Fields that hold a choice or an id: selects, and hidden inputs other than the
        CSRF token and the formset counters."""
        return {
            c.name
            for c in self.controls
            if c.name
            and (c.tag == "select" or (c.tag == "input" and c.type == "hidden"))
            and c.name != CSRF_FIELD
            and not _MANAGEMENT.search(c.name)
        }

    def button_names(self) -> set[str]:
        """Submit buttons, and the CSRF token (the test client does not check it)."""
        return {c.name for c in self.controls if c.is_submit} | {CSRF_FIELD}

    def submits(self) -> list[Control]:
        return [c for c in self.controls if c.is_submit and c.name and not c.disabled]

    def baseline(self, submit: Control | None = None) -> dict[str, list]:
        """What a browser sends when the user clicks ``submit`` (the first button by default)."""
        data = defaultdict(list)
        submits = self.submits()
        submit = submit or (submits[0] if submits else None)
        for c in self.controls:
            if not c.name or c.disabled:
                continue
            if c.is_submit:
                if c is submit:
                    data[c.name].append(c.value or "")
            elif c.tag == "input" and c.type in ("checkbox", "radio"):
                if c.checked:
                    data[c.name].append("on" if c.value is None else c.value)
            elif c.tag == "input" and c.type in ("file", "reset", "button"):
                continue
            elif c.tag == "select":
                chosen = [o[0] if o[0] is not None else o[2] for o in c.options if o[1]]
                if not chosen and not c.multiple and c.options:
                    first = c.options[0]
                    chosen = [first[0] if first[0] is not None else first[2]]
                data[c.name].extend(chosen)
            elif c.tag == "button":
                continue
            else:
                data[c.name].append(c.value or "")
        return dict(data)


class PageParser(HTMLParser):
    """The forms of a page, with their controls, and the hrefs of its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.hrefs: list[str] = []
        self._form = self._select = self._textarea = self._option = None

    def handle_starttag(self, tag, attrs):
        a = {k: ("" if v is None else v) for k, v in attrs}
        if tag == "form":
            self._form = Form(method=a.get("method", "get").lower(), action=a.get("action"))
            self.forms.append(self._form)
        elif tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if self._form is None:
            return
        name, disabled = a.get("name", ""), "disabled" in a
        if tag == "input":
            self._form.controls.append(
                Control(
                    "input",
                    a.get("type", "text").lower(),
                    name,
                    a.get("value"),
                    checked="checked" in a,
                    disabled=disabled,
                )
            )
        elif tag == "button":
            self._form.controls.append(
                Control("button", a.get("type", "submit").lower(), name, a.get("value"))
            )
        elif tag == "select":
            self._select = Control("select", "select", name, multiple="multiple" in a)
            self._select.disabled = disabled
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select.options.append(self._option)
        elif tag == "textarea":
            self._textarea = Control("textarea", "textarea", name, "", disabled=disabled)
            self._form.controls.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline right after <textarea>.
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None:
            self._option[2] += data.strip()


def parse_page(response, page_path: str) -> tuple[list[Form], set[str], list[str]]:
    """The page's forms (each with the path it posts to), the query parameter names of the
    links that stay on the page, and the paths of all its links."""
    if "html" not in response.get("Content-Type", ""):
        return [], set(), []
    parser = PageParser()
    parser.feed(response.content.decode(response.charset or "utf-8", "replace"))
    for form in parser.forms:
        form.target = urljoin(page_path, form.action or "")
    here = urlsplit(page_path).path
    params, paths = set(), []
    for href in parser.hrefs:
        url = urlsplit(urljoin(page_path, href))
        if url.scheme or url.netloc:
            continue  # another site
        paths.append(url.path)
        if url.path == here:
            params.update(name for name, _ in parse_qsl(url.query, keep_blank_values=True))
    return parser.forms, params, paths


# --- the data check --------------------------------------------------------------------------


def _our_tables() -> list[str]:
    tables = []
    for model in django_apps.get_models(include_auto_created=True):
        if model._meta.app_label in OUR_APPS and model._meta.managed and not model._meta.proxy:
            tables.append(model._meta.db_table)
    return sorted(set(tables))


TABLES = _our_tables()
EMPTY_TEXT = r"^(\s|&nbsp;|<[^>]*>)*$"


def empty_texts() -> int:
    """How many proposals (memorandum and library) have a text that reads as empty."""
    return sum(
        model.objects.filter(text__regex=EMPTY_TEXT).count()
        for model in (MemorandumProposal, LibraryProposal)
    )


def write_counts() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table of our apps
    (PostgreSQL's own counters: cheap enough to read around every POST)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE relname = ANY(%s)",
            [TABLES],
        )
        return dict(cursor.fetchall())


PROPOSAL_TABLES = {MemorandumProposal._meta.db_table, LibraryProposal._meta.db_table}


# --- the fuzzer ------------------------------------------------------------------------------


def short(value, limit: int = 60) -> str:
    if isinstance(value, SimpleUploadedFile):
        return f"<upload {value.name!r}, {value.size} bytes>"
    if isinstance(value, list):
        return "[" + ", ".join(short(v, limit) for v in value) + "]"
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 20]}…' (len {len(value)})" if isinstance(value, str) else text[:limit]


_PLUMBING = re.compile(
    r"django/(core/handlers|utils/decorators|views/decorators|contrib/auth/decorators)|"
    r"contextlib|axes/middleware"
)


# Frames that only pass the call on: the template engine, the query compiler, the driver.
_NOISE = re.compile(
    r"^django/(template/(base|loader_tags|defaulttags|backends/django|library)|test/utils"
    r"|db/models/(sql/|lookups|query)|db/backends/|forms/(utils|boundfield))|^psycopg/"
)


def _frame(f) -> str:
    name = f.filename
    name = name[len(str(BASE_DIR)) + 1 :] if name.startswith(str(BASE_DIR)) else name
    name = re.sub(r".*/site-packages/", "", name)
    name = re.sub(r".*/lib/python3[.0-9]*/", "", name)
    return f"{name}:{f.lineno} in {f.name}: {(f.line or '').strip()}"


def _where(tb) -> tuple[str, str, list[str]]:
    """The innermost frame of our own code, the innermost frame overall, and the frames from
    the view down (without the request plumbing)."""
    frames = traceback.extract_tb(tb)
    ours = [
        f
        for f in frames
        if f.filename.startswith(str(BASE_DIR))
        and "/.venv/" not in f.filename
        and "/tests/" not in f.filename
    ]
    trail = [_frame(f) for f in frames if not _PLUMBING.search(f.filename)]
    if os.environ.get("LMB_FUZZ_TRACE"):
        return (_frame(ours[-1]) if ours else "", _frame(frames[-1]), trail)
    # Down from the view, without the frames that only pass the call on; the innermost last.
    shown = [t for t in trail if not _NOISE.search(t)][-8:]
    if trail and trail[-1] not in shown:
        shown.append(trail[-1])
    return (
        _frame(ours[-1]) if ours else "(no frame of our code)",
        _frame(frames[-1]) if frames else "",
        shown,
    )


@dataclass
class Failure:
    method: str
    route: str
    role: str
    url: str
    field: str
    value: object
    status: int | None
    problem: str  # exception type: message, or what went wrong
    where: str = ""
    innermost: str = ""
    trail: list = field(default_factory=list)

    def signature(self) -> tuple:
        return (self.method, self.route, self.field, self.problem.split(":")[0], self.where)

    def line(self) -> str:
        return (
            f"{self.method.upper()} {self.route} [{self.role}] {short(self.url, 90)} "
            f"field={self.field or '-'} value={short(self.value)} -> {self.status} "
            f"{self.problem}"
        )


class Fuzzer:
    def __init__(self, route: Route, world, capture_on_commit):
        self.route = route
        self.world = world
        self.capture_on_commit = capture_on_commit
        self.failures: list[Failure] = []
        self.requests = 0
        self.pdf_posts = 0
        self.clients: dict[str, Client] = {}
        self.cookies: dict[str, str] = {}
        self.fuzzed: set = set()  # (pattern, field) already fuzzed one at a time
        self.counts: dict | None = None  # write_counts() after the last checked request
        self.notes: set[str] = set()  # not failures: reported as warnings
        if route.is_admin:
            self.roles = ("beheerder", "anonymous")
            self.plan = ADMIN
        else:
            self.roles = ("opsteller", "schepen", "lezer", "anonymous")
            self.plan = APP
        if os.environ.get("LMB_FUZZ") == "full":
            self.plan = FULL
        self.editor = self.roles[0]
        for role in self.roles:
            self.client(role)  # log in first: it writes last_login
        self.empty = empty_texts()

    # -- requests --

    def client(self, role: str) -> Client:
        """The role's client, logged in again when a request logged it out or cycled its
        session (log-out, a password change)."""
        client = self.clients.get(role)
        if client is None:
            client = self.clients[role] = Client(raise_request_exception=False)
        user = self.world.users[role]
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        if user is not None and (cookie is None or cookie.value != self.cookies.get(role)):
            client.force_login(user)
            self.counts = None
            self.cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return client

    def send(
        self,
        method: str,
        role: str,
        path: str,
        data=None,
        *,
        field: str = "",
        value=None,
        follow: bool = False,
        headers=None,
        check_data: bool | None = None,
        keep: bool = False,
        record: bool = True,
    ):
        """One request in a savepoint, rolled back afterwards (kept with ``keep``: the GET that
        loads a form, as a password reset link sets up the session for its form). Without
        ``record``, the answer is not judged (another pattern's page, judged in its own test)."""
        if method == "post" and self.route.renders_pdf:
            if self.pdf_posts >= 2:
                return None
            self.pdf_posts += 1
        client = self.client(role)
        if check_data is None:
            check_data = method == "post"
        before = None
        if check_data and record:
            # The counters only grow: the last request's "after" is this one's "before".
            before = self.counts if self.counts is not None else write_counts()
        self.counts = None
        sid = transaction.savepoint_create()
        response = None
        try:
            if self.route.renders_pdf and method == "post" and "rendered" not in self.world.cache:
                # The one real render of the module: the job runs in the on_commit callback.
                self.world.cache["rendered"] = self.route.name
                with self.capture_on_commit(execute=True):
                    response = client.post(path, data or {}, follow=follow, headers=headers)
            elif method == "post":
                response = client.post(path, data or {}, follow=follow, headers=headers)
            else:
                response = client.get(path, data or {}, follow=follow, headers=headers)
        except Exception as error:
            if record:
                self.fail(method, role, path, field, value, None, sys.exc_info(), error)
        finally:
            self.requests += 1
            wrote = []
            if response is not None and record:
                wrote = self.judge(method, role, path, field, value, response, before)
            if keep and response is not None and response.status_code < 500:
                transaction.savepoint_commit(sid)
                if wrote:  # the page set up its row, as it would for a user: the new start
                    self.empty = empty_texts()
            else:
                transaction.savepoint_rollback(sid)
                transaction.set_rollback(False)
        return response

    def judge(self, method, role, path, field, value, response, before) -> list[str]:
        """Record a 500, a refused POST that wrote rows, an emptied proposal text. Returns the
        tables of our apps the request wrote to."""
        status = response.status_code
        if status >= 500:
            exc_info = getattr(response, "exc_info", None)
            error = exc_info[1] if exc_info else None
            self.fail(method, role, path, field, value, status, exc_info, error)
            return []
        if before is None:
            return []
        after = self.counts = write_counts()
        changed = [t for t in TABLES if after.get(t, 0) > before.get(t, 0)]
        if PROPOSAL_TABLES.intersection(changed) and empty_texts() > self.empty:
            self.failures.append(
                Failure(
                    method, self.route.name, role, path, field, value, status,
                    "a proposal's text reads as empty after this request",
                )
            )  # fmt: skip
        if changed and method == "get":
            # Not a failure here (a page may set up its row on first view), but worth a look.
            self.notes.add(f"GET {self.route.name} as {role} wrote rows in {', '.join(changed)}")
        redirected = 300 <= status < 400 or bool(getattr(response, "redirect_chain", None))
        if changed and method == "post" and not redirected:
            self.failures.append(
                Failure(
                    method, self.route.name, role, path, field, value, status,
                    f"refused (status {status}) but it wrote rows in {', '.join(changed)}",
                )
            )  # fmt: skip
        return changed

    def fail(self, method, role, path, field, value, status, exc_info, error):
        where, innermost, trail = "", "", []
        if exc_info and exc_info[2] is not None:
            where, innermost, trail = _where(exc_info[2])
        if error is not None:
            problem = f"{type(error).__module__}.{type(error).__qualname__}: {str(error)[:200]}"
        else:
            problem = "500 without an exception"
        if status is None:
            problem = f"raised out of the test client: {problem}"
        self.failures.append(
            Failure(method, self.route.name, role, path, field, value, status, problem, where,
                    innermost, trail)
        )  # fmt: skip

    # -- values --

    def one_at_a_time(self, index: int, count: int) -> list[str]:
        """``count`` values for the field at ``index``: a NUL byte first, then SHARP in turn, so
        that the fields of a form share out all of SHARP."""
        if count <= 0:
            return []
        rest = [SHARP[(index * (count - 1) + k) % len(SHARP)] for k in range(count - 1)]
        return list(dict.fromkeys([NUL, *rest]))

    @staticmethod
    def all_at_once(names, value) -> dict:
        if isinstance(value, str) and len(value) * max(len(names), 1) > MAX_REQUEST_CHARS:
            value = value[: max(MAX_REQUEST_CHARS // max(len(names), 1), 1000)]
        return dict.fromkeys(names, value)

    # -- the plan --

    def valid_urls(self) -> list[tuple[dict, str]]:
        """The pattern filled in with real values; for a parameter this file does not know,
        the URLs the app's own pages link to (at most two)."""
        options = [valid_values(self.route, p, self.world) for p in self.route.params]
        if any(o is None for o in options):
            found = self.crawl()["links"].get(self.route.name, [])[:2]
            if found:
                return found
            unknown = [p for p, o in zip(self.route.params, options, strict=True) if not o]
            self.notes.add(
                f"{self.route.name}: no real value for {', '.join(unknown)} and no page links "
                "here, so only placeholder values were fuzzed: add real ones to valid_values() "
                "in tests/fuzz/test_fuzz.py (or data in its conftest.py)"
            )
            options = [
                o or [_placeholder(regex)]
                for o, regex in zip(options, self.route.regexes, strict=True)
            ]
        urls = []
        for combo in itertools.product(*options):
            kwargs = dict(zip(self.route.params, combo, strict=True))
            urls.append((kwargs, self.route.fmt % kwargs))
        return urls

    def run(self) -> None:
        urls = self.valid_urls()
        for _, path in urls:
            key = route_key(path)
            if key is None or key[2] != self.route.route:
                self.failures.append(
                    Failure(
                        "get", self.route.name, "-", path, "", None, None,
                        f"the real URL resolves to {key}, not to {self.route.route!r}: "
                        "the enumeration builds it wrong",
                    )
                )  # fmt: skip
                return
        get_allowed = True
        for i, (_, path) in enumerate(urls):
            get_allowed = self.fuzz_page(path, first=i == 0) and get_allowed
        self.fuzz_path(urls[0][0], get_allowed)
        self.check_texts_kept()

    def check_texts_kept(self) -> None:
        """After the whole run, the memorandum and its proposals read as before: no fuzzed
        request (refused, or rolled back after it was judged) left its mark."""
        memorandum = type(self.world.memorandum).objects.get(pk=self.world.memorandum.pk)
        rows = [(self.world.memorandum, memorandum, ("introduction", "version"))]
        for proposal in (self.world.adopted, self.world.adopted_plain, self.world.own):
            now = MemorandumProposal.objects.get(pk=proposal.pk)
            rows.append((proposal, now, ("title", "text", "justification", "version")))
        for before, now, fields in rows:
            for name in fields:
                if getattr(before, name) != getattr(now, name):
                    self.failures.append(
                        Failure(
                            "-", self.route.name, "-", "", name, getattr(now, name), None,
                            f"after the run, {before._meta.model_name} {before.pk} has another "
                            f"{name} than before ({short(getattr(before, name))})",
                        )
                    )  # fmt: skip

    def fuzz_page(self, path: str, first: bool = True) -> bool:
        """GET as every role, fuzz the query string and the forms that post to the pattern.
        Returns whether the pattern answers GET (False: POST-only). The pattern's second real
        URL (another proposal) gets the query string fuzzed once, and only its new fields one
        at a time."""
        key = route_key(path)
        # The forms come from the first role that sees them on the page (the opsteller; the
        # anonymous visitor for the log-in page). That GET follows redirects and is kept: a
        # password reset link sets up the session its form needs.
        statuses, mine, links, form_role = {}, [], set(), None
        for role in self.roles:
            if form_role is not None:
                response = self.send("get", role, path, check_data=True)
                statuses[role] = getattr(response, "status_code", None)
                continue
            page = self.send("get", role, path, follow=True, keep=True, check_data=True)
            if page is None:
                continue
            chain = page.redirect_chain
            statuses[role] = chain[0][1] if chain else page.status_code
            final = page.wsgi_request.get_full_path()
            if page.status_code == 200 and route_key(final) == key:
                forms, links, _ = parse_page(page, final)
                mine = [f for f in forms if route_key(f.target) == key]
                if mine:
                    form_role = role
        if not self.route.is_admin and first:
            self.send("get", self.editor, path, headers={"HX-Request": "true"})
        get_allowed = statuses.get(self.editor) != 405

        # The query string: every name at once, and one at a time the names the page itself
        # puts in a query string (its GET forms and its links: search, filters, sorting).
        own = set(links)
        for form in mine:
            if form.method == "get":
                own |= set(form.names())
        names = set(own) | set(QUERY_NAMES) | {n for f in mine for n in f.names()}
        if self.route.is_admin:
            names |= set(QUERY_NAMES_ADMIN)
        if first or self.plan is FULL:
            self.fuzz_query(path, sorted(names), sorted(own))

        posted = [(form_role, f) for f in mine if f.method == "post"]
        if not get_allowed:
            self.fuzz_post_only(path, self.forms_elsewhere(key), first)
        elif not posted:
            # A page without a form of its own that posts here (the language switch, the
            # log-out button): the forms on the other pages.
            posted = self.forms_elsewhere(key)
        for role, form in posted:
            self.fuzz_form(form, role, first=first)
        return get_allowed

    def fuzz_query(self, path: str, names: list[str], own: list[str]) -> None:
        values = self.plan.query_values
        if self.route.is_admin and not own and self.plan is not FULL:
            values = values[:1]  # an admin page without search or filters
        for value in values:
            self.send("get", self.editor, path, self.all_at_once(names, value), field="<all>",
                      value=value)  # fmt: skip
        for role in self.roles[1:]:
            if self.world.users[role] is None and self.plan is not FULL:
                continue  # the log-in page answers whatever the query string
            for value in self.plan.other_roles_values:
                self.send("get", role, path, self.all_at_once(names, value), field="<all>",
                          value=value)  # fmt: skip
        for i, name in enumerate(own):
            values = self.one_at_a_time(i, self.plan.query_per_name)
            if self.plan.query_per_name > 1:
                values = list(dict.fromkeys([*values, LONG]))  # the search box, the filters
            for value in values:
                self.send("get", self.editor, path, {name: value}, field=name, value=value)

    def fuzz_path(self, kwargs: dict, get_allowed: bool) -> None:
        method = "get" if get_allowed else "post"
        for param in self.route.params:
            for role in self.roles:
                values = self.plan.path_values if role == self.editor else ()
                shared = PARAM_OWNERS[param] != self.route.name and self.plan is not FULL
                if role == self.editor and shared:
                    values = [v for v in values if v in PATH_FUZZ_SHARED] or values
                if role != self.editor and self.world.users[role] is not None:
                    values = self.plan.path_values_others
                for value in values:
                    variants = [quote(value)]
                    if role == self.editor and (value in PATH_RAW or self.plan is FULL):
                        variants.append(value)
                    for variant in variants:
                        path = self.route.fmt % {**kwargs, param: variant}
                        self.send(method, role, path, field=f"path:{param}", value=variant)

    def fuzz_form(self, form: Form, role: str, depth: int = 0, first: bool = True) -> None:
        base = form.baseline()
        files = form.file_names()
        if files:
            base.update({name: [good_upload()] for name in files})
        target = form.target
        names = form.names()
        textareas = {c.name for c in form.controls if c.tag == "textarea"}

        loaded = self.send("post", role, target, _fresh(base), field="<as loaded>")
        for submit in form.submits()[1:] if not self.route.is_admin else []:
            self.send("post", role, target, _fresh(form.baseline(submit)),
                      field=f"<button {submit.name}={submit.value}>")  # fmt: skip
        for other in self.roles:
            if other == role:
                continue
            self.send("post", other, target, _fresh(base), field="<as loaded>")
            if self.world.users[other] is None and self.plan is not FULL:
                continue
            for value in self.plan.other_roles_values:
                self.send("post", other, target, self.all_at_once(names, value), field="<all>",
                          value=value)  # fmt: skip

        values = self.plan.post_values
        if self.plan is not FULL and not [n for n in names if n not in form.button_names()]:
            values = values[:3]  # nothing to fill in (a delete or log-out button)
        if self.plan is not FULL and not first:
            values = SECOND_URL_VALUES  # the same form on the pattern's second URL
        for value in values:
            data = self.all_at_once([*names, *POST_NAMES], value)
            data.update({name: bad_uploads()[0] for name in files})
            if self.plan is not FULL:
                # A huge TOTAL_FORMS makes Django build and render 2,000 inline rows (a second
                # a request): the management fields get fuzzed one at a time instead.
                data.update({n: base.get(n, []) for n in names if _MANAGEMENT.search(n)})
            self.send("post", role, target, data, field="<all>", value=value)
        if self.route.is_admin and self.route.name.endswith("_add") and self.plan is not FULL:
            return  # the change page fuzzes the same form field by field
        singles = [n for n in _one_per_inline(names) if n != CSRF_FIELD]
        if self.route.is_admin and self.plan is not FULL:
            singles = [n for n in singles if n in form.choice_names()]
            odd = {
                c.name: f"{SCRIPT}\u202e{c.value or ''}\u202c"
                for c in form.controls
                if c.name and (c.tag == "textarea" or (c.tag == "input" and c.type == "text"))
            }
            if odd:
                self.send("post", role, target, {**_fresh(base), **odd}, field="<odd text>",
                          value=SCRIPT)  # fmt: skip
        if self.plan is not FULL:
            singles = [n for n in singles if (route_key(target), n) not in self.fuzzed]
        self.fuzzed |= {(route_key(target), n) for n in singles}
        for i, name in enumerate(singles):
            if name in files:
                for upload in bad_uploads():
                    self.send("post", role, target, {**_fresh(base), name: upload},
                              field=name, value=upload)  # fmt: skip
                continue
            values = self.one_at_a_time(i, self.plan.post_per_field)
            if name in textareas and self.plan.post_per_field > 1:
                # Rich text: a script alone is cleaned away; the text must not end up empty.
                values = list(dict.fromkeys([*values, SCRIPT]))
            for value in values:
                self.send("post", role, target, {**_fresh(base), name: value},
                          field=name, value=value)  # fmt: skip
            if self.plan.post_missing:
                missing = {k: v for k, v in _fresh(base).items() if k != name}
                self.send("post", role, target, missing, field=f"{name} (missing)")

        # The form the answer shows next, if it is another one (the import preview).
        if depth == 0 and loaded is not None and loaded.status_code == 200:
            forms, _, _ = parse_page(loaded, loaded.wsgi_request.get_full_path())
            for nxt in forms:
                same = nxt.method == "post" and route_key(nxt.target) == route_key(target)
                if same and set(nxt.names()) - set(names):
                    self.fuzz_form(nxt, role, depth=1)

    def fuzz_post_only(self, path: str, elsewhere: list, first: bool = True) -> None:
        """POST-only endpoints: the fields the forms elsewhere post here, and POST_NAMES."""
        base: dict[str, list] = {}
        form_names: list[str] = []
        for _, form in elsewhere:
            base = {**form.baseline(), **base}
            form_names += form.names()
        names = list(dict.fromkeys([*form_names, *POST_NAMES]))
        self.send("post", self.editor, path, {}, field="<all missing>")
        if base:
            self.send("post", self.editor, path, _fresh(base), field="<as loaded>")
        for role in self.roles[1:]:
            self.send("post", role, path, _fresh(base), field="<as loaded>")
        values = self.plan.post_values if first or self.plan is FULL else SECOND_URL_VALUES
        for value in values:
            self.send("post", self.editor, path, self.all_at_once(names, value), field="<all>",
                      value=value)  # fmt: skip
        singles = [n for n in names if n != CSRF_FIELD]
        if self.plan is not FULL:
            singles = [n for n in singles if (route_key(path), n) not in self.fuzzed]
        self.fuzzed |= {(route_key(path), n) for n in singles}
        for i, name in enumerate(singles):
            for value in self.one_at_a_time(i, self.plan.post_per_field):
                self.send("post", self.editor, path, {**_fresh(base), name: value}, field=name,
                          value=value)  # fmt: skip
            if name in base and self.plan.post_missing:
                missing = {k: v for k, v in _fresh(base).items() if k != name}
                self.send("post", self.editor, path, missing, field=f"{name} (missing)")

    def forms_elsewhere(self, key) -> list[tuple[str, Form]]:
        """The forms on the other pages that post to this pattern, with the role that saw
        them; one per role and set of field names."""
        found, seen = [], set()
        for role, form in self.all_forms():
            if route_key(form.target) != key:
                continue
            sig = (role, tuple(form.names()))
            if sig not in seen:
                seen.add(sig)
                found.append((role, form))
        return found

    def all_forms(self) -> list[tuple[str, Form]]:
        return self.crawl()["forms"]

    def crawl(self) -> dict:
        """Every page the app shows (as opsteller and anonymous; the admin site's own pages as
        beheerder), and one page more for each pattern those link to: their POST forms, and
        per pattern the real URLs that link to it. Once for the module: the data is the same
        for all tests."""
        cache = self.world.cache
        if "crawl" in cache:
            return cache["crawl"]
        forms, links, queue, seen = [], defaultdict(list), [], set()
        for route in ROUTES.values():
            if route.model is not None:
                continue
            options = [valid_values(route, p, self.world) for p in route.params]
            if any(o is None for o in options):
                continue
            path = route.fmt % {p: o[0] for p, o in zip(route.params, options, strict=True)}
            roles = ("beheerder",) if route.is_admin else ("opsteller", "anonymous")
            queue += [(role, path, 0) for role in roles]
        while queue:
            role, path, depth = queue.pop(0)
            if (role, path) in seen:
                continue
            seen.add((role, path))
            page = self.send("get", role, path, follow=True, record=False)
            if page is None or page.status_code != 200:
                continue
            found, _, hrefs = parse_page(page, page.wsgi_request.get_full_path())
            forms += [(role, f) for f in found if f.method == "post"]
            for target in [*hrefs, *(f.target for f in found)]:
                name = ROUTE_NAMES.get(route_key(target))
                if name is None:
                    continue
                try:
                    match = resolve(urlsplit(target).path)
                except Resolver404:
                    continue
                kwargs = {k: str(v) for k, v in match.kwargs.items()}
                if (kwargs, urlsplit(target).path) not in links[name]:
                    links[name].append((kwargs, urlsplit(target).path))
                if depth == 0 and len(links[name]) == 1 and not ROUTES[name].is_admin:
                    queue.append((role, urlsplit(target).path, 1))
        cache["crawl"] = {"forms": forms, "links": dict(links)}
        return cache["crawl"]

    # -- the report --

    def report(self) -> str:
        groups = defaultdict(list)
        for failure in self.failures:
            groups[failure.signature()].append(failure)
        lines = [f"{len(self.failures)} failures, {len(groups)} distinct, "
                 f"in {self.requests} requests to {self.route.name}:"]  # fmt: skip
        for (method, route, fld, _, where), items in groups.items():
            first = items[0]
            values = ", ".join(dict.fromkeys(short(f.value, 40) for f in items))
            roles = ",".join(dict.fromkeys(f.role for f in items))
            lines += [
                f"* {method.upper()} {route} field={fld or '-'} [{roles}] x{len(items)}: "
                f"{first.problem}",
                f"    our code: {where}" if where else "",
                f"    values:   {values}",
                f"    e.g.:     {first.line()}",
                *(f"      | {frame}" for frame in first.trail),
            ]
        return "\n".join(line for line in lines if line)


_INLINE = re.compile(r"^(.+)-(\d+)-(.+)$")
_MANAGEMENT = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")


def _one_per_inline(names: list[str]) -> list[str]:
    """The fields of an admin inline repeat per row (memberships-0-user, memberships-1-user...):
    one at a time, only the first row's get fuzzed (the same code handles every row)."""
    seen, out = set(), []
    for name in names:
        match = _INLINE.match(name)
        key = f"{match[1]}-N-{match[3]}" if match else name
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _fresh(data: dict) -> dict:
    """A copy whose uploads can be read again."""
    out = {}
    for key, values in data.items():
        out[key] = [
            SimpleUploadedFile(v.name, _content(v), v.content_type)
            if isinstance(v, SimpleUploadedFile)
            else v
            for v in (values if isinstance(values, list) else [values])
        ]
    return out


def _content(upload: SimpleUploadedFile) -> bytes:
    upload.seek(0)
    return upload.read()


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_url_answers_500(name, world, django_capture_on_commit_callbacks):
    fuzzer = Fuzzer(ROUTES[name], world, django_capture_on_commit_callbacks)
    fuzzer.run()
    for note in sorted(fuzzer.notes):
        warnings.warn(note, stacklevel=1)
    assert not fuzzer.failures, fuzzer.report()
