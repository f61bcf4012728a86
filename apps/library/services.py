"""Loading and exporting the proposal library.

The library lives in a YAML (or JSON) file that beheerders edit; ``fixtures/library.yaml`` is the
shipped one and documents the format. Loading is two steps so nothing half-valid is ever written:
``library_parse`` checks the whole file against the reference data and returns specs, and
``library_import`` upserts them by key in one transaction. ``manage.py load_library`` and the
admin's import page both go through ``library_load``.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import yaml
from django.db import models, transaction
from django.db.models import F, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.models import ActionArea, AmbitionLevel, SDGGoal, SDGTarget
from apps.core.richtext import sanitise

from .models import LibraryProposal, LibrarySubOption

FIELDS = (
    "key",
    "action_area",
    "level",
    "title",
    "text",
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

EXPORT_HEADER = """\
# Bibliotheek van beleidsvoorstellen van LMB Planner, geëxporteerd uit het beheer.
# Het formaat staat beschreven bovenaan fixtures/library.yaml. Laad dit bestand opnieuw met
#   python manage.py load_library PAD
# of via Beheer → Bibliotheekvoorstellen → Importeren.
"""


class LibraryFileError(Exception):
    """The file cannot be loaded; ``messages`` says, in Dutch, what is wrong and where."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class ProposalSpec:
    key: str
    action_area: str
    level: str
    title: str
    text: str
    sub_options: tuple[str, ...] = ()
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


# --- reading -------------------------------------------------------------------------------


def library_read(*, content: str | bytes, filename: str) -> Any:
    """Decode a YAML or JSON file (chosen by extension) into plain data."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".yaml", ".yml", ".json"}:
        raise LibraryFileError(
            [
                _("Onbekend bestandstype '%(suffix)s': gebruik .yaml, .yml of .json.")
                % {"suffix": suffix or filename}
            ]
        )
    if isinstance(content, bytes):
        if len(content) > MAX_FILE_BYTES:
            raise LibraryFileError([_("Het bestand is groter dan 1 MB.")])
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise LibraryFileError(
                [
                    _("Het bestand is geen geldige UTF-8-tekst (byte %(pos)d).")
                    % {"pos": error.start}
                ]
            ) from error
    if suffix == ".json":
        try:
            return json.loads(content)
        except json.JSONDecodeError as error:
            raise LibraryFileError(
                [
                    _("Ongeldige JSON op regel %(line)d, kolom %(col)d: %(msg)s.")
                    % {"line": error.lineno, "col": error.colno, "msg": error.msg}
                ]
            ) from error
    try:
        return yaml.safe_load(content)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = (
            _(" op regel %(line)d, kolom %(col)d") % {"line": mark.line + 1, "col": mark.column + 1}
            if mark
            else ""
        )
        problem = getattr(error, "problem", None) or str(error)
        raise LibraryFileError(
            [_("Ongeldige YAML%(where)s: %(problem)s.") % {"where": where, "problem": problem}]
        ) from error


# --- validating ----------------------------------------------------------------------------


class _Checker:
    """Collects every problem in one entry, so the beheerder sees them all at once."""

    def __init__(self, entry: dict, label: str, errors: list[str]):
        self.entry = entry
        self.label = label
        self.errors = errors

    def fail(self, name: str, problem: str) -> None:
        self.errors.append(
            _("%(entry)s, veld '%(field)s': %(problem)s")
            % {"entry": self.label, "field": name, "problem": problem}
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
        return value

    def choice(self, name: str, choices: list[str], kind: str) -> str:
        value = self.text(name, required=True)
        if value and value not in choices:
            self.fail(
                name,
                _("onbekend %(kind)s '%(value)s'; kies uit %(choices)s.")
                % {"kind": kind, "value": value, "choices": ", ".join(choices)},
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
        return value


def _entry_label(position: int, entry: Any) -> str:
    key = entry.get("key") if isinstance(entry, dict) else None
    if isinstance(key, str) and key.strip():
        return _("Voorstel %(key)s (nr. %(position)d)") % {
            "key": key.strip(),
            "position": position,
        }
    return _("Voorstel nr. %(position)d") % {"position": position}


def _proposal_entries(data: Any) -> list:
    if isinstance(data, dict):
        unknown = sorted(f"'{name}'" for name in data if name != "proposals")
        if unknown:
            raise LibraryFileError(
                [
                    _("Onbekend veld bovenaan het bestand: %(fields)s. Alleen 'proposals' mag.")
                    % {"fields": ", ".join(unknown)}
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
    return data


def library_parse(*, data: Any) -> list[ProposalSpec]:
    """Check the whole decoded file and return one spec per proposal, or raise
    ``LibraryFileError`` listing every problem (entry and field named)."""
    entries = _proposal_entries(data)
    # In reference order (S, G, A), so the message lists the choices as the guide does.
    areas = list(ActionArea.objects.order_by("order").values_list("code", flat=True))
    levels = list(AmbitionLevel.objects.order_by("order").values_list("code", flat=True))
    goals = set(SDGGoal.objects.values_list("number", flat=True))
    targets = set(SDGTarget.objects.values_list("code", flat=True))
    errors: list[str] = []
    specs: list[ProposalSpec] = []
    seen: dict[str, int] = {}

    for position, entry in enumerate(entries, start=1):
        label = _entry_label(position, entry)
        if not isinstance(entry, dict):
            errors.append(_("%(entry)s: moet een verzameling velden zijn.") % {"entry": label})
            continue
        check = _Checker(entry, label, errors)
        for name in entry:
            if name not in FIELDS:
                check.fail(
                    str(name),
                    _("onbekend veld; toegestaan zijn %(fields)s.") % {"fields": ", ".join(FIELDS)},
                )

        key = check.text("key", required=True, max_length=MAX_KEY)
        if key and not KEY_PATTERN.match(key):
            check.fail("key", _("alleen letters, cijfers, '-' en '_' zijn toegestaan."))
        if key in seen:
            check.fail(
                "key",
                _("dubbele sleutel '%(key)s', ook gebruikt in voorstel nr. %(other)d.")
                % {"key": key, "other": seen[key]},
            )
        elif key:
            seen[key] = position

        area = check.choice("action_area", areas, _("actieterrein"))
        level = check.choice("level", levels, _("ambitieniveau"))

        title = check.text("title", required=True, max_length=MAX_TITLE)
        raw_text = check.text("text", required=True)
        text = sanitise(raw_text)
        if raw_text and not text:
            check.fail("text", _("blijft leeg na het opschonen van de HTML."))

        sub_options = []
        for index, option in enumerate(check.items("sub_options"), start=1):
            if not isinstance(option, str) or not option.strip():
                check.fail(
                    "sub_options",
                    _("suboptie %(index)d moet niet-lege tekst zijn.") % {"index": index},
                )
            else:
                sub_options.append(option.strip())

        sdg_goals = []
        for goal in check.items("sdg_goals"):
            if not isinstance(goal, int) or isinstance(goal, bool):
                check.fail("sdg_goals", _("'%(value)s' is geen SDG-nummer.") % {"value": goal})
            elif goal not in goals:
                check.fail("sdg_goals", _("SDG %(value)d bestaat niet (1-17).") % {"value": goal})
            else:
                sdg_goals.append(goal)

        sdg_targets = []
        for target in check.items("sdg_targets"):
            if isinstance(target, float):
                # YAML reads 17.2 as a number, and 16.10 would silently become 16.1.
                check.fail(
                    "sdg_targets",
                    _('schrijf subdoel %(value)s tussen aanhalingstekens, bv. "17.2".')
                    % {"value": target},
                )
            elif not isinstance(target, str):
                check.fail("sdg_targets", _("'%(value)s' is geen subdoelcode.") % {"value": target})
            elif target.strip() not in targets:
                check.fail(
                    "sdg_targets",
                    _("onbekend SDG-subdoel '%(value)s'.") % {"value": target},
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
                sdg_goals=tuple(sorted(set(sdg_goals))),
                sdg_targets=tuple(sorted(set(sdg_targets), key=_target_sort_key)),
                guide_reference=guide_reference,
                order=order or 0,
            )
        )
    if errors:
        raise LibraryFileError(errors)
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
        "sub_options": tuple(option.text for option in proposal.sub_options.all()),
        "sdg_goals": tuple(sorted(goal.number for goal in proposal.sdg_goals.all())),
        "sdg_targets": tuple(
            sorted((t.code for t in proposal.sdg_targets.all()), key=_target_sort_key)
        ),
        "guide_reference": proposal.guide_reference,
        "order": proposal.order,
    }


# A change to what the drafter adopts (the wording) gets a new version; metadata does not.
VERSIONED = {"title", "text", "sub_options"}


def _proposals_with_state():
    return LibraryProposal.objects.select_related("action_area", "level").prefetch_related(
        Prefetch("sub_options", queryset=LibrarySubOption.objects.order_by("order", "pk")),
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
            _write_relations(proposal, spec, goals, targets, sub_options="sub_options" in changed)

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
        # Sub-options have no identity of their own in the file: replace them as a list.
        proposal.sub_options.all().delete()
        LibrarySubOption.objects.bulk_create(
            LibrarySubOption(proposal=proposal, text=text, order=index)
            for index, text in enumerate(spec.sub_options, start=1)
        )


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
            entry[name] = list(value) if isinstance(value, tuple) else value
        proposals.append(entry)
    return {"proposals": proposals}


class _ExportDumper(yaml.SafeDumper):
    pass


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
