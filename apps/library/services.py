"""Loading and exporting the proposal library.

The library lives in a YAML (or JSON) file that beheerders edit; ``fixtures/library.yaml`` is the
shipped one and documents the format. Loading is two steps so nothing half-valid is ever written:
``library_parse`` checks the whole file against the reference data and returns specs, and
``library_import`` upserts them by key in one transaction. ``manage.py load_library`` and the
admin's import page both go through ``library_load``.

Reading and checking a file costs little whatever it holds: besides the size cap, the reader
refuses YAML aliases (a few hundred bytes of nested aliases expand to gigabytes), deep nesting,
more values than a library needs and over-long numbers, and repeated keys are errors, never
"the last one wins". Every message quotes at most ``QUOTE_MAX`` characters of a value from the
file, and a file reports at most ``MAX_MESSAGES`` problems. The only exception that leaves
``library_read`` and ``library_parse`` is ``LibraryFileError``.
"""

import json
import math
import re
import reprlib
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import yaml
from django.db import models, transaction
from django.db.models import F, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.core.models import ActionArea, AmbitionLevel, SDGGoal, SDGTarget
from apps.core.richtext import MAX_DEPTH as RICH_TEXT_MAX_DEPTH
from apps.core.richtext import nesting_depth, sanitise

from .models import FieldKind, LibraryField, LibraryProposal, LibrarySubOption

FIELDS = (
    "key",
    "action_area",
    "level",
    "title",
    "text",
    "fields",
    "sub_options",
    "sdg_goals",
    "sdg_targets",
    "guide_reference",
    "order",
)
REQUIRED = ("key", "action_area", "level", "title", "text")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
MAX_KEY = LibraryProposal._meta.get_field("key").max_length
MAX_TITLE = LibraryProposal._meta.get_field("title").max_length
MAX_REFERENCE = LibraryProposal._meta.get_field("guide_reference").max_length
MAX_ORDER = 32767  # PositiveSmallIntegerField
MAX_FILE_BYTES = 1024 * 1024

# What one file may hold, so that reading and checking it stays cheap. The format nests four
# levels deep and the shipped library of 32 proposals has 752 YAML values; the pure-Python YAML
# reader costs some 40 µs and 600 bytes per value, so 20,000 values take about a second and
# 12 MB (a 1 MB file of nothing but values would take 15 seconds and 300 MB).
MAX_DEPTH = 20  # lists and mappings inside each other
MAX_YAML_VALUES = 20_000  # every scalar, list and mapping in a YAML file
MAX_PROPOSALS = 500
MAX_ITEMS = 100  # sub-options, SDG goals or SDG targets of one proposal
MAX_FIELDS = 10  # fill-in fields of one proposal or one sub-option
FIELD_KEYS = ("label", "type", "placeholder", "help")
SUB_OPTION_KEYS = ("text", "fields")
MAX_LABEL = LibraryField._meta.get_field("label").max_length
MAX_PLACEHOLDER = LibraryField._meta.get_field("placeholder").max_length
MAX_HELP = LibraryField._meta.get_field("help").max_length
MAX_NUMBER_LENGTH = 100  # characters of one integer; int() of 4,300+ digits raises
# The HTML cleaner takes time quadratic in how deep elements nest (200,000 nested <ul> take
# minutes), so a text nesting deeper than this is refused before it is cleaned.
MAX_HTML_DEPTH = RICH_TEXT_MAX_DEPTH
MAX_MESSAGES = 50
QUOTE_MAX = 80  # characters of a value from the file that a message shows

EXPORT_HEADER = """\
# Bibliotheek van beleidsvoorstellen van LMB Planner, geëxporteerd uit het beheer.
# Het formaat staat beschreven bovenaan fixtures/library.yaml. Laad dit bestand opnieuw met
#   python manage.py load_library PAD
# of via Beheer → Bibliotheekvoorstellen → Importeren.
"""


class LibraryFileError(Exception):
    """The file cannot be loaded; ``messages`` says, in Dutch, what is wrong and where.

    At most ``MAX_MESSAGES`` messages are kept; ``total`` is how many problems there were in all,
    and the last message says how many more there are."""

    def __init__(self, messages: list[str], *, total: int | None = None):
        kept = list(messages)[:MAX_MESSAGES]
        more = max(len(messages) if total is None else total, len(kept)) - len(kept)
        if more:
            kept.append(
                ngettext("… en nog %(count)d fout.", "… en nog %(count)d fouten.", more)
                % {"count": more}
            )
        super().__init__("\n".join(kept))
        self.messages = kept


class _Errors:
    """Collects the problems of a file: the first ``MAX_MESSAGES`` in full, the rest counted."""

    def __init__(self):
        self.messages: list[str] = []
        self.total = 0

    @property
    def full(self) -> bool:
        return len(self.messages) >= MAX_MESSAGES

    def append(self, message: str) -> None:
        self.total += 1
        if not self.full:
            self.messages.append(message)

    def __bool__(self) -> bool:
        return self.total > 0

    def error(self) -> LibraryFileError:
        return LibraryFileError(self.messages, total=self.total)


@dataclass(frozen=True)
class FieldSpec:
    """A fill-in field as the file gives it."""

    label: str
    kind: str
    placeholder: str = ""
    help: str = ""

    def as_entry(self) -> dict:
        entry = {"label": self.label, "type": self.kind}
        if self.placeholder:
            entry["placeholder"] = self.placeholder
        if self.help:
            entry["help"] = self.help
        return entry


@dataclass(frozen=True)
class SubOptionSpec:
    """A sub-option: its text, and the fill-in fields printed with it when it is ticked."""

    text: str
    fields: tuple[FieldSpec, ...] = ()

    def as_entry(self):
        """A plain string when there are no fields, as in the files written before them."""
        if not self.fields:
            return self.text
        return {"text": self.text, "fields": [f.as_entry() for f in self.fields]}


@dataclass(frozen=True)
class ProposalSpec:
    key: str
    action_area: str
    level: str
    title: str
    text: str
    sub_options: tuple[SubOptionSpec, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    sdg_goals: tuple[int, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    guide_reference: str = ""
    order: int = 0


class Action(models.TextChoices):
    CREATED = "created", gettext_lazy("aangemaakt")
    UPDATED = "updated", gettext_lazy("bijgewerkt")
    DEACTIVATED = "deactivated", gettext_lazy("gedeactiveerd")
    UNCHANGED = "unchanged", gettext_lazy("ongewijzigd")


@dataclass(frozen=True)
class ImportRow:
    key: str
    title: str
    action: Action
    changed: tuple[str, ...] = ()
    new_version: bool = False


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    dry_run: bool = False

    def add(self, key, title, action, changed=(), new_version=False) -> None:
        self.rows.append(ImportRow(key, title, action, tuple(changed), new_version))

    def keys(self, action: Action) -> list[str]:
        return [row.key for row in self.rows if row.action == action]

    @property
    def counts(self) -> dict[str, int]:
        return {action.value: len(self.keys(action)) for action in Action}

    def summary(self) -> str:
        counts = self.counts
        return (
            _(
                "aangemaakt: %(created)d, bijgewerkt: %(updated)d, "
                "gedeactiveerd: %(deactivated)d, ongewijzigd: %(unchanged)d"
            )
            % counts
        )


# --- quoting values in messages ------------------------------------------------------------


def _shorten(text: str, limit: int = QUOTE_MAX) -> str:
    """``text`` as a message may show it: control characters escaped, at most ``limit``
    characters, and '…' where it was cut."""
    pieces, length = [], 0
    for char in text:
        piece = char if char.isprintable() else repr(char)[1:-1]
        if length + len(piece) > limit:
            pieces.append("…")
            break
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces)


def _number(value: int) -> str:
    # str() of an int of more than 4,300 digits raises, and nobody reads 80 digits anyway.
    if value.bit_length() <= 256:
        return str(value)
    digits = int((value.bit_length() - 1) * math.log10(2))
    return _("een getal van meer dan %(digits)d cijfers") % {"digits": digits}


class _QuoteRepr(reprlib.Repr):
    """Python's repr, bounded: a few items of a list or mapping, short strings and numbers."""

    def repr_str(self, value, level):
        return "'" + _shorten(value) + "'"

    def repr_int(self, value, level):
        return _number(value)

    def repr__Mapping(self, value, level):
        return self.repr_dict(value, level)


_QUOTE = _QuoteRepr(
    maxlevel=2,
    maxtuple=4,
    maxlist=4,
    maxset=4,
    maxfrozenset=4,
    maxdict=4,
    maxother=QUOTE_MAX,
)


def _quote(value: Any) -> str:
    """A value from the file as a message shows it: quoted when it is text, at most about
    ``QUOTE_MAX`` characters, with '…' where it was cut."""
    text = _QUOTE.repr(value)
    return text if len(text) <= QUOTE_MAX + 3 else text[:QUOTE_MAX] + "…"


def _bare(value: Any) -> str:
    """Like ``_quote``, without the quotes around text: for messages that put them there."""
    return _shorten(value) if isinstance(value, str) else _quote(value)


# --- reading -------------------------------------------------------------------------------


class _Mapping(dict):
    """A mapping read from the file that remembers the keys it repeats: a plain dict keeps only
    the last value, and the beheerder would never learn that the first one was dropped."""

    def __init__(self):
        super().__init__()
        self.repeated: dict[Any, int | None] = {}  # key → line of its second occurrence (YAML)


def _again_on(line: int | None) -> str:
    return _(" (opnieuw op regel %(line)d)") % {"line": line} if line else ""


def _too_deep(line: int) -> LibraryFileError:
    return LibraryFileError(
        [
            _(
                "Het bestand is op regel %(line)d te diep genest: meer dan %(max)d niveaus van "
                "lijsten en verzamelingen in elkaar. Een bibliotheekbestand heeft er hooguit vier "
                "nodig."
            )
            % {"line": line, "max": MAX_DEPTH}
        ]
    )


def _too_long_number(line: int | None) -> LibraryFileError:
    where = _(" op regel %(line)d") % {"line": line} if line else ""
    return LibraryFileError(
        [
            _(
                "Het bestand bevat%(where)s een getal van meer dan %(max)d tekens; geen enkel "
                "veld van een voorstel heeft zo'n getal nodig."
            )
            % {"where": where, "max": MAX_NUMBER_LENGTH}
        ]
    )


def _line(mark) -> int:
    return mark.line + 1 if mark else 0


class _LibraryLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader, refusing what a library file never needs and what makes reading it
    costly, before it costs anything:

    - aliases (``*name``): a few hundred bytes of nested aliases become gigabytes once
      constructed, so they are refused while composing, before anything is expanded;
    - nesting deeper than ``MAX_DEPTH`` (the composer recurses) and more than
      ``MAX_YAML_VALUES`` values;
    - merge keys (``<<``), integers longer than ``MAX_NUMBER_LENGTH`` and values Python cannot
      build (such as the date 2025-02-30).

    Mappings come out as ``_Mapping``, which remembers repeated keys.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._values = 0

    def fetch_flow_collection_start(self, token_class):
        # The scanner reads up to 1,024 characters of '[[[[…' ahead of the composer (each could
        # start a key), at a cost that grows with the square of the nesting: refuse it here.
        if self.flow_level >= MAX_DEPTH:
            raise _too_deep(self.line + 1)
        super().fetch_flow_collection_start(token_class)

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = _line(event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            raise LibraryFileError(
                [
                    _(
                        "Het bestand gebruikt op regel %(line)d een YAML-verwijzing (een anker "
                        "met & en een alias met *); die zijn niet toegestaan in een "
                        "bibliotheekbestand. Schrijf de waarde telkens voluit."
                    )
                    % {"line": line}
                ]
            )
        self._values += 1
        if self._values > MAX_YAML_VALUES:
            raise LibraryFileError(
                [
                    _(
                        "Het bestand bevat meer dan %(max)d afzonderlijke waarden (de grens ligt "
                        "op regel %(line)d); een bibliotheek heeft er veel minder nodig. "
                        "Controleer of dit het juiste bestand is."
                    )
                    % {"max": MAX_YAML_VALUES, "line": line}
                ]
            )
        nested = isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent)
        if nested:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _too_deep(line)
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self._depth -= 1

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as error:
            value = node.value if isinstance(node, yaml.ScalarNode) else ""
            raise LibraryFileError(
                [
                    _(
                        "De waarde %(value)s op regel %(line)d kan niet gelezen worden; zet ze "
                        "tussen aanhalingstekens als ze tekst is."
                    )
                    % {"value": _quote(value), "line": _line(node.start_mark)}
                ]
            ) from error

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            for key_node, _value in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise LibraryFileError(
                        [
                            _(
                                "Het bestand gebruikt op regel %(line)d een YAML-samenvoeging "
                                "('<<'); die is niet toegestaan in een bibliotheekbestand. "
                                "Schrijf de velden voluit."
                            )
                            % {"line": _line(key_node.start_mark)}
                        ]
                    )
        return super().construct_mapping(node, deep=deep)

    def construct_library_map(self, node):
        data = _Mapping()
        yield data
        data.update(self.construct_mapping(node))
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node)  # built above already: this is a lookup
            if key in seen:
                data.repeated.setdefault(key, _line(key_node.start_mark))
            seen.add(key)

    def construct_library_int(self, node):
        if isinstance(node.value, str) and len(node.value) > MAX_NUMBER_LENGTH:
            raise _too_long_number(_line(node.start_mark))
        return self.construct_yaml_int(node)


_LibraryLoader.add_constructor("tag:yaml.org,2002:map", _LibraryLoader.construct_library_map)
_LibraryLoader.add_constructor("tag:yaml.org,2002:int", _LibraryLoader.construct_library_int)


def _read_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_LibraryLoader)  # noqa: S506 — a SafeLoader, stricter
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = (
            _(" op regel %(line)d, kolom %(col)d") % {"line": mark.line + 1, "col": mark.column + 1}
            if mark
            else ""
        )
        problem = _shorten(getattr(error, "problem", None) or str(error), 2 * QUOTE_MAX)
        raise LibraryFileError(
            [_("Ongeldige YAML%(where)s: %(problem)s.") % {"where": where, "problem": problem}]
        ) from error


# A JSON string (the closing quote optional, so an unterminated one runs to the end) or a bracket.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


def _check_json_depth(text: str) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` before ``json.loads`` recurses into it."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(text.count("\n", 0, match.start()) + 1)
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)


def _json_object(pairs: list[tuple[str, Any]]) -> _Mapping:
    mapping = _Mapping()
    for key, value in pairs:
        if key in mapping:
            mapping.repeated.setdefault(key, None)
        mapping[key] = value
    return mapping


def _json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_LENGTH:
        raise _too_long_number(None)
    return int(text)


def _read_json(text: str) -> Any:
    _check_json_depth(text)
    try:
        return json.loads(text, object_pairs_hook=_json_object, parse_int=_json_int)
    except json.JSONDecodeError as error:
        raise LibraryFileError(
            [
                _("Ongeldige JSON op regel %(line)d, kolom %(col)d: %(msg)s.")
                % {"line": error.lineno, "col": error.colno, "msg": error.msg}
            ]
        ) from error


def _too_big() -> LibraryFileError:
    return LibraryFileError([_("Het bestand is groter dan 1 MB.")])


def library_read(*, content: str | bytes, filename: str) -> Any:
    """Decode a YAML or JSON file (chosen by extension) into plain data."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".yaml", ".yml", ".json"}:
        raise LibraryFileError(
            [
                _("Onbekend bestandstype '%(suffix)s': gebruik .yaml, .yml of .json.")
                % {"suffix": _bare(suffix or filename)}
            ]
        )
    if isinstance(content, bytes):
        if len(content) > MAX_FILE_BYTES:
            raise _too_big()
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise LibraryFileError(
                [
                    _("Het bestand is geen geldige UTF-8-tekst (byte %(pos)d).")
                    % {"pos": error.start}
                ]
            ) from error
    # The admin's confirmation passes the previewed text: the same cap holds for it.
    elif len(content) > MAX_FILE_BYTES or (
        len(content.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES
    ):
        raise _too_big()
    if suffix == ".json":
        return _read_json(content)
    return _read_yaml(content)


# --- validating ----------------------------------------------------------------------------

# Characters PostgreSQL cannot store (NUL), that cannot be written out as UTF-8 (lone
# surrogates, which JSON's \ud800 and YAML's "\ud800" escapes produce) or that only break
# layouts (other C0 controls, as the rich-text editor also drops them).
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


class _Checker:
    """Collects every problem in one entry, so the beheerder sees them all at once."""

    def __init__(self, entry: dict, label: str, errors: _Errors):
        self.entry = entry
        self.label = label
        self.errors = errors

    def fail(self, name: Any, problem: str) -> None:
        if self.errors.full:  # counted only: no need to quote the value
            self.errors.total += 1
            return
        self.errors.append(
            _("%(entry)s, veld '%(field)s': %(problem)s")
            % {"entry": self.label, "field": _bare(name), "problem": problem}
        )

    def text(self, name: str, *, required: bool, max_length: int | None = None) -> str:
        value = self.entry.get(name)
        if value is None:
            if required:
                self.fail(name, _("ontbreekt."))
            return ""
        if not isinstance(value, str):
            self.fail(name, _("moet tekst zijn."))
            return ""
        value = value.strip()
        if required and not value:
            self.fail(name, _("mag niet leeg zijn."))
        elif max_length and len(value) > max_length:
            self.fail(
                name,
                _("is %(length)d tekens lang; maximaal %(max)d.")
                % {"length": len(value), "max": max_length},
            )
        if bad := _BAD_CHAR.search(value):
            self.fail(
                name,
                _("bevat een ongeldig teken (U+%(code)04X) op positie %(position)d; verwijder het.")
                % {"code": ord(bad.group()), "position": bad.start() + 1},
            )
            return ""
        return value

    def choice(self, name: str, choices: list[str], kind: str) -> str:
        value = self.text(name, required=True)
        if value and value not in choices:
            self.fail(
                name,
                _("onbekend %(kind)s '%(value)s'; kies uit %(choices)s.")
                % {"kind": kind, "value": _bare(value), "choices": ", ".join(choices)},
            )
        return value

    def integer(self, name: str, *, minimum: int, maximum: int) -> int | None:
        value = self.entry.get(name)
        # bool is an int in Python, but "order: true" is a mistake, not a 1.
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(name, _("moet een geheel getal zijn."))
            return None
        if not minimum <= value <= maximum:
            self.fail(
                name,
                _("moet tussen %(min)d en %(max)d liggen.") % {"min": minimum, "max": maximum},
            )
            return None
        return value

    def items(self, name: str) -> list:
        value = self.entry.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(name, _("moet een lijst zijn."))
            return []
        if len(value) > MAX_ITEMS:
            self.fail(
                name,
                _("bevat %(count)d elementen; maximaal %(max)d.")
                % {"count": len(value), "max": MAX_ITEMS},
            )
            return []
        return value


def _entry_label(position: int, entry: Any) -> str:
    key = entry.get("key") if isinstance(entry, dict) else None
    if isinstance(key, str) and key.strip():
        return _("Voorstel %(key)s (nr. %(position)d)") % {
            "key": _shorten(key.strip()),
            "position": position,
        }
    return _("Voorstel nr. %(position)d") % {"position": position}


def _proposal_entries(data: Any) -> list:
    if isinstance(data, dict):
        repeated = getattr(data, "repeated", {})
        if repeated:
            raise LibraryFileError(
                [
                    _(
                        "Het veld '%(field)s' staat meer dan één keer bovenaan het "
                        "bestand%(again)s; laat er één staan."
                    )
                    % {"field": _bare(name), "again": _again_on(line)}
                    for name, line in repeated.items()
                ]
            )
        unknown = [name for name in data if name != "proposals"]
        if unknown:
            shown = ", ".join(_quote(name) for name in unknown[:10])
            raise LibraryFileError(
                [
                    _("Onbekend veld bovenaan het bestand: %(fields)s. Alleen 'proposals' mag.")
                    % {"fields": shown + (", …" if len(unknown) > 10 else "")}
                ]
            )
        data = data.get("proposals")
    if not isinstance(data, list):
        raise LibraryFileError(
            [_("Het bestand moet een lijst 'proposals' met voorstellen bevatten.")]
        )
    if not data:
        raise LibraryFileError(
            [_("Het bestand bevat geen voorstellen; laden zou alles deactiveren.")]
        )
    if len(data) > MAX_PROPOSALS:
        raise LibraryFileError(
            [
                _(
                    "Het bestand bevat %(count)d voorstellen; een bibliotheek heeft er hoogstens "
                    "%(max)d."
                )
                % {"count": len(data), "max": MAX_PROPOSALS}
            ]
        )
    return data


def _fill_in_fields(check: _Checker, value: Any, where: str) -> tuple[FieldSpec, ...]:
    """The fill-in fields of a proposal or of one sub-option (``where`` names which, for the
    messages); every problem is reported, none raises."""
    if value is None:
        return ()
    if not isinstance(value, list):
        check.fail("fields", _("%(where)s: moet een lijst zijn.") % {"where": where})
        return ()
    if len(value) > MAX_FIELDS:
        check.fail(
            "fields",
            _("%(where)s: %(count)d velden; hoogstens %(max)d.")
            % {"where": where, "count": len(value), "max": MAX_FIELDS},
        )
        return ()
    kinds = list(FieldKind.values)
    specs = []
    for index, item in enumerate(value, start=1):
        label = _("%(where)s, veld %(index)d") % {"where": where, "index": index}
        if not isinstance(item, dict):
            check.fail(
                "fields", _("%(where)s: moet velden label en type hebben.") % {"where": label}
            )
            continue
        inner = _Checker(item, f"{check.label}, {label}", check.errors)
        for name in item:
            if name not in FIELD_KEYS:
                inner.fail(
                    name,
                    _("onbekend veld; toegestaan zijn %(fields)s.")
                    % {"fields": ", ".join(FIELD_KEYS)},
                )
        text = inner.text("label", required=True, max_length=MAX_LABEL)
        kind = inner.choice("type", kinds, _("veldtype"))
        placeholder = inner.text("placeholder", required=False, max_length=MAX_PLACEHOLDER)
        help_text = inner.text("help", required=False, max_length=MAX_HELP)
        specs.append(FieldSpec(text, kind, placeholder, help_text))
    return tuple(specs)


def _sub_option(check: _Checker, option: dict, index: int) -> SubOptionSpec:
    where = _("suboptie %(index)d") % {"index": index}
    inner = _Checker(option, f"{check.label}, {where}", check.errors)
    for name in option:
        if name not in SUB_OPTION_KEYS:
            inner.fail(
                name,
                _("onbekend veld; toegestaan zijn %(fields)s.")
                % {"fields": ", ".join(SUB_OPTION_KEYS)},
            )
    text = inner.text("text", required=True)
    fields = _fill_in_fields(inner, option.get("fields"), where)
    return SubOptionSpec(text, fields)


def library_parse(*, data: Any) -> list[ProposalSpec]:
    """Check the whole decoded file and return one spec per proposal, or raise
    ``LibraryFileError`` listing every problem (entry and field named)."""
    entries = _proposal_entries(data)
    # In reference order (S, G, A), so the message lists the choices as the guide does.
    areas = list(ActionArea.objects.order_by("order").values_list("code", flat=True))
    levels = list(AmbitionLevel.objects.order_by("order").values_list("code", flat=True))
    goals = set(SDGGoal.objects.values_list("number", flat=True))
    targets = set(SDGTarget.objects.values_list("code", flat=True))
    errors = _Errors()
    specs: list[ProposalSpec] = []
    seen: dict[str, int] = {}

    for position, entry in enumerate(entries, start=1):
        label = _entry_label(position, entry)
        if not isinstance(entry, dict):
            errors.append(_("%(entry)s: moet een verzameling velden zijn.") % {"entry": label})
            continue
        check = _Checker(entry, label, errors)
        for name, line in getattr(entry, "repeated", {}).items():
            check.fail(
                name,
                _("komt meer dan één keer voor in dit voorstel%(again)s; laat er één staan.")
                % {"again": _again_on(line)},
            )
        unknown_field = _("onbekend veld; toegestaan zijn %(fields)s.") % {
            "fields": ", ".join(FIELDS)
        }
        for name in entry:
            if name not in FIELDS:
                check.fail(name, unknown_field)

        key = check.text("key", required=True, max_length=MAX_KEY)
        if key and not KEY_PATTERN.match(key):
            check.fail("key", _("alleen letters, cijfers, '-' en '_' zijn toegestaan."))
        if key in seen:
            check.fail(
                "key",
                _("dubbele sleutel '%(key)s', ook gebruikt in voorstel nr. %(other)d.")
                % {"key": _bare(key), "other": seen[key]},
            )
        elif key:
            seen[key] = position

        area = check.choice("action_area", areas, _("actieterrein"))
        level = check.choice("level", levels, _("ambitieniveau"))

        title = check.text("title", required=True, max_length=MAX_TITLE)
        raw_text = check.text("text", required=True)
        if raw_text and nesting_depth(raw_text) > MAX_HTML_DEPTH:
            check.fail(
                "text",
                _(
                    "de opmaak (HTML) is te diep genest: meer dan %(max)d elementen in elkaar. "
                    "Sluit elke tag die u opent."
                )
                % {"max": MAX_HTML_DEPTH},
            )
            text = ""
        else:
            text = sanitise(raw_text)
            if raw_text and not text:
                check.fail("text", _("blijft leeg na het opschonen van de HTML."))

        fields = _fill_in_fields(check, entry.get("fields"), _("invulvelden"))
        sub_options = []
        for index, option in enumerate(check.items("sub_options"), start=1):
            if isinstance(option, dict):
                sub_options.append(_sub_option(check, option, index))
            elif not isinstance(option, str) or not option.strip():
                check.fail(
                    "sub_options",
                    _("suboptie %(index)d moet niet-lege tekst zijn.") % {"index": index},
                )
            elif bad := _BAD_CHAR.search(option):
                check.fail(
                    "sub_options",
                    _("suboptie %(index)d bevat een ongeldig teken (U+%(code)04X); verwijder het.")
                    % {"index": index, "code": ord(bad.group())},
                )
            else:
                sub_options.append(SubOptionSpec(option.strip()))

        sdg_goals = []
        for goal in check.items("sdg_goals"):
            # A number of more than 64 bits is no SDG either, and %d of 4,300+ digits raises.
            if not isinstance(goal, int) or isinstance(goal, bool) or goal.bit_length() > 64:
                check.fail(
                    "sdg_goals", _("'%(value)s' is geen SDG-nummer.") % {"value": _bare(goal)}
                )
            elif goal not in goals:
                check.fail("sdg_goals", _("SDG %(value)d bestaat niet (1-17).") % {"value": goal})
            else:
                sdg_goals.append(goal)

        sdg_targets = []
        for target in check.items("sdg_targets"):
            if isinstance(target, float) and math.isfinite(target):
                # YAML reads 17.2 as a number, and 16.10 would silently become 16.1.
                check.fail(
                    "sdg_targets",
                    _('schrijf subdoel %(value)s tussen aanhalingstekens, bv. "17.2".')
                    % {"value": _bare(target)},
                )
            elif not isinstance(target, str):
                check.fail(
                    "sdg_targets", _("'%(value)s' is geen subdoelcode.") % {"value": _bare(target)}
                )
            elif target.strip() not in targets:
                check.fail(
                    "sdg_targets",
                    _("onbekend SDG-subdoel '%(value)s'.") % {"value": _bare(target)},
                )
            else:
                sdg_targets.append(target.strip())

        guide_reference = check.text("guide_reference", required=False, max_length=MAX_REFERENCE)
        order = check.integer("order", minimum=0, maximum=MAX_ORDER) if "order" in entry else 0

        specs.append(
            ProposalSpec(
                key=key,
                action_area=area,
                level=level,
                title=title,
                text=text,
                sub_options=tuple(sub_options),
                fields=fields,
                sdg_goals=tuple(sorted(set(sdg_goals))),
                sdg_targets=tuple(sorted(set(sdg_targets), key=_target_sort_key)),
                guide_reference=guide_reference,
                order=order or 0,
            )
        )
    if errors:
        raise errors.error()
    return specs


def _target_sort_key(code: str) -> tuple[int, int, str]:
    goal, _dot, suffix = code.partition(".")
    return (int(goal), int(suffix) if suffix.isdigit() else 100, suffix)


# --- importing -----------------------------------------------------------------------------


def _current_state(proposal: LibraryProposal) -> dict[str, Any]:
    return {
        "action_area": proposal.action_area.code,
        "level": proposal.level.code,
        "title": proposal.title,
        "text": proposal.text,
        "fields": tuple(_field_spec(f) for f in proposal.fields.all() if f.sub_option_id is None),
        "sub_options": tuple(
            SubOptionSpec(
                option.text,
                tuple(
                    _field_spec(f) for f in proposal.fields.all() if f.sub_option_id == option.pk
                ),
            )
            for option in proposal.sub_options.all()
        ),
        "sdg_goals": tuple(sorted(goal.number for goal in proposal.sdg_goals.all())),
        "sdg_targets": tuple(
            sorted((t.code for t in proposal.sdg_targets.all()), key=_target_sort_key)
        ),
        "guide_reference": proposal.guide_reference,
        "order": proposal.order,
    }


def _field_spec(field: LibraryField) -> FieldSpec:
    return FieldSpec(field.label, field.kind, field.placeholder, field.help)


# A change to what the drafter adopts (the wording) gets a new version; metadata does not.
VERSIONED = {"title", "text", "fields", "sub_options"}


def _proposals_with_state():
    return LibraryProposal.objects.select_related("action_area", "level").prefetch_related(
        Prefetch("sub_options", queryset=LibrarySubOption.objects.order_by("order", "pk")),
        Prefetch("fields", queryset=LibraryField.objects.order_by("order", "pk")),
        "sdg_goals",
        "sdg_targets",
    )


def library_import(*, specs: list[ProposalSpec], dry_run: bool = False) -> ImportResult:
    """Upsert ``specs`` by key; deactivate (never delete) what the file no longer holds.

    With ``dry_run`` nothing is written, and the result says what would happen."""
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        existing = {p.key: p for p in _proposals_with_state().select_for_update(of=("self",))}
        areas = {a.code: a for a in ActionArea.objects.all()}
        levels = {level.code: level for level in AmbitionLevel.objects.all()}
        goals = {g.number: g for g in SDGGoal.objects.all()}
        targets = {t.code: t for t in SDGTarget.objects.all()}

        for spec in specs:
            proposal = existing.get(spec.key)
            wanted = {name: getattr(spec, name) for name in FIELDS if name != "key"}
            if proposal is None:
                result.add(spec.key, spec.title, Action.CREATED)
                if not dry_run:
                    proposal = LibraryProposal.objects.create(
                        key=spec.key,
                        action_area=areas[spec.action_area],
                        level=levels[spec.level],
                        title=spec.title,
                        text=spec.text,
                        guide_reference=spec.guide_reference,
                        order=spec.order,
                    )
                    _write_relations(proposal, spec, goals, targets, sub_options=True)
                continue

            current = _current_state(proposal)
            changed = [name for name, value in wanted.items() if current[name] != value]
            if not proposal.is_active:
                changed.append("is_active")
            if not changed:
                result.add(spec.key, spec.title, Action.UNCHANGED)
                continue
            bump = bool(VERSIONED.intersection(changed))
            result.add(spec.key, spec.title, Action.UPDATED, tuple(changed), bump)
            if dry_run:
                continue
            proposal.action_area = areas[spec.action_area]
            proposal.level = levels[spec.level]
            proposal.title = spec.title
            proposal.text = spec.text
            proposal.guide_reference = spec.guide_reference
            proposal.order = spec.order
            proposal.is_active = True
            if bump:
                proposal.version = F("version") + 1
            proposal.save()
            _write_relations(
                proposal,
                spec,
                goals,
                targets,
                sub_options=bool({"sub_options", "fields"}.intersection(changed)),
            )

        in_file = {spec.key for spec in specs}
        for key, proposal in existing.items():
            if key not in in_file and proposal.is_active:
                result.add(key, proposal.title, Action.DEACTIVATED, ("is_active",))
                if not dry_run:
                    proposal.is_active = False
                    proposal.save(update_fields=["is_active", "updated_at"])
    return result


def _write_relations(proposal, spec, goals, targets, *, sub_options: bool) -> None:
    proposal.sdg_goals.set([goals[number] for number in spec.sdg_goals])
    proposal.sdg_targets.set([targets[code] for code in spec.sdg_targets])
    if sub_options:
        _write_sub_options(proposal, spec)


def _write_sub_options(proposal: LibraryProposal, spec: ProposalSpec) -> None:
    """Sub-options and fields have no identity of their own in the file, only a place: the
    n-th sub-option (or field) of the file updates the n-th one in the table, so what
    municipalities adopted from it stays linked to it; extra ones are added, missing ones
    removed."""
    existing = list(proposal.sub_options.order_by("order", "pk"))
    for index, option_spec in enumerate(spec.sub_options, start=1):
        if index <= len(existing):
            option = existing[index - 1]
            if (option.text, option.order) != (option_spec.text, index):
                option.text, option.order = option_spec.text, index
                option.save(update_fields=["text", "order"])
        else:
            option = LibrarySubOption.objects.create(
                proposal=proposal, text=option_spec.text, order=index
            )
    for option in existing[len(spec.sub_options) :]:
        option.delete()
    options = list(proposal.sub_options.order_by("order", "pk"))
    rows = [(None, f) for f in spec.fields]
    for option, option_spec in zip(options, spec.sub_options, strict=True):
        rows += [(option, f) for f in option_spec.fields]
    fields = list(proposal.fields.order_by("order", "pk"))
    for order, (option, spec_field) in enumerate(rows, start=1):
        values = {
            "sub_option": option,
            "kind": spec_field.kind,
            "label": spec_field.label,
            "placeholder": spec_field.placeholder,
            "help": spec_field.help,
            "order": order,
        }
        if order <= len(fields):
            field = fields[order - 1]
            for name, value in values.items():
                setattr(field, name, value)
            field.save()
        else:
            LibraryField.objects.create(proposal=proposal, **values)
    for field in fields[len(rows) :]:
        field.delete()


def library_load(*, content: str | bytes, filename: str, dry_run: bool = False) -> ImportResult:
    """Read, check and import one file: the whole path the command and the admin share."""
    specs = library_parse(data=library_read(content=content, filename=filename))
    return library_import(specs=specs, dry_run=dry_run)


# --- exporting -----------------------------------------------------------------------------


def library_export() -> dict:
    """The active library in the file format; loading it back changes nothing."""
    proposals = []
    for proposal in _proposals_with_state().filter(is_active=True):
        state = _current_state(proposal)
        entry: dict[str, Any] = {"key": proposal.key}
        for name in FIELDS[1:]:
            value = state[name]
            if name in {"fields", "sub_options"}:
                if value:  # an empty list says nothing: left out, as in the shipped file
                    entry[name] = [item.as_entry() for item in value]
                continue
            entry[name] = list(value) if isinstance(value, tuple) else value
        proposals.append(entry)
    return {"proposals": proposals}


class _ExportDumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        # The import refuses aliases: the export never writes one, even for a shared list.
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ExportDumper.add_representer(str, _represent_str)


def library_export_yaml() -> str:
    body = yaml.dump(
        library_export(),
        Dumper=_ExportDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return EXPORT_HEADER + body
