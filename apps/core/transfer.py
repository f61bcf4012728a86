"""Moving one municipality to another installation: ``manage.py export_municipality`` writes
everything that belongs to it into one JSON file, ``manage.py import_municipality`` reads that
file into another installation, in one transaction.

Nothing here names a document app. What belongs to a municipality is found from the models
themselves (``transfer_plan``), so a model added later is carried without a change here:

- **owned** models: every model with a foreign key to ``Municipality`` or to another owned
  model (documents, their parts, the many-to-many tables between them, review states,
  transitions, comments, notifications, memberships, key figures), and the history tables of
  django-simple-history, whose foreign keys are kept (without constraint) in the same way. A
  row is exported when one of its foreign keys points into the exported rows; every other
  foreign key of a live row must point there too, or the export stops (the file never holds a
  row of another municipality);
- **users**: every account that is a member or is named by an exported row (author, editor,
  ``history_user`` …), by e-mail address. On import an existing account with that address is
  linked, never duplicated; a new one gets the password hash of the file. Staff and superuser
  flags, groups and permissions stay behind: they are the installation's business;
- **user-owned** models (a foreign key to the user, none to a municipality, such as the
  notification settings) go along for accounts the import creates;
- **reference** models (SDGs, action areas, legislatures, the library …) that exported rows
  point to are written as natural keys: a unique field (``code``, ``number``, ``key``,
  ``start_year``), else a unique constraint, else the row's foreign keys and ``order`` (the
  library's sub-options and fill-in fields, as the library loader matches them). The import
  refuses when the target lacks one of them;
- ``EXCLUDED``: models left out on purpose, with the reason.

Primary keys are never carried: the import takes new ones from the target's sequences (in the
same order, so "oldest first" stays true) and rewires every foreign key, the ``id`` of history
rows, and the ids written inside values: a review's or comment thread's ``kind``/``object_id``
(the document registry of apps/review), a comment's ``part_key`` ("proposal-12"), the part keys
of a submission's ``snapshot`` and the links of notifications.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Membership, Municipality

FORMAT = "lmbplanner-gemeente"
FORMAT_VERSION = 1

# Bounds of a file to import, so reading it costs what a municipality needs and no more. The
# demo municipality makes a file of about 0.5 MB; approved versions carry their PDF (base64).
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_NUMBER_LENGTH = 100  # characters of one integer
MAX_MESSAGES = 20

# Owned or user-related models that are not carried, and why.
EXCLUDED = {
    "documents.renderjob": "PDF-opdrachten: een PDF wordt op de nieuwe installatie opnieuw gemaakt",
    "admin.logentry": "het beheerlogboek noemt objecten bij hun nummer in deze installatie",
    "accounts.user_groups": "groepen zijn een zaak van de installatie",
    "accounts.user_user_permissions": "rechten zijn een zaak van de installatie",
}
# Fields of the user model that are never carried (the target decides who is staff).
USER_FIELDS_LEFT_OUT = {"is_staff", "is_superuser"}

PART_KEY = re.compile(r"^(?P<prefix>[a-z_]+)-(?P<id>\d{1,18})$")


class TransferError(Exception):
    """The export or import cannot be done; ``messages`` says why, in Dutch. Nothing was
    written."""

    def __init__(self, messages: list[str] | str):
        messages = [messages] if isinstance(messages, str) else list(messages)
        more = len(messages) - MAX_MESSAGES
        kept = messages[:MAX_MESSAGES]
        if more > 0:
            kept.append(_("… en nog %(count)d.") % {"count": more})
        super().__init__("\n".join(kept))
        self.messages = kept


# --- the plan: which model is what -----------------------------------------------------------


@dataclass
class ModelPlan:
    model: type[models.Model]
    label: str
    fields: list  # concrete, stored fields, the primary key first
    root_fks: list = field(default_factory=list)  # to Municipality
    owned_fks: list = field(default_factory=list)  # to owned models
    user_fks: list = field(default_factory=list)
    reference_fks: list = field(default_factory=list)
    history_of: type[models.Model] | None = None  # the tracked model of a history table
    # Generic references: (content type column, object id column), the object being a row
    # of an owned model (a contribution handed to a document as a proposal, say).
    generic: list = field(default_factory=list)

    @property
    def is_history(self) -> bool:
        return self.history_of is not None

    def field(self, name: str):
        return next(f for f in self.fields if f.attname == name)


@dataclass
class TransferPlan:
    owned: list[ModelPlan]  # in dependency order: a model after the models it points to
    user_owned: list[ModelPlan]
    references: dict[str, list[str]]  # label → natural-key fields
    excluded: dict[str, str]
    problems: list[str]

    @property
    def by_label(self) -> dict[str, ModelPlan]:
        return {p.label: p for p in self.owned + self.user_owned}

    def check(self) -> None:
        if self.problems:
            raise TransferError(self.problems)


def _label(model) -> str:
    return model._meta.label_lower


def _stored_fields(model) -> list:
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    pk = model._meta.pk
    return [pk] + [f for f in fields if f is not pk]


def _history_of(model):
    tracked = getattr(model, "instance_type", None)
    return tracked if isinstance(tracked, type) and issubclass(tracked, models.Model) else None


def _natural_key_fields(model) -> list[str] | None:
    """The fields that name a reference row on any installation, or None."""
    meta = model._meta
    for f in meta.concrete_fields:
        if f.unique and not f.primary_key and not f.is_relation:
            return [f.name]
    for f in meta.concrete_fields:
        if f.unique and not f.primary_key:
            return [f.name]
    for constraint in meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
            and not constraint.expressions
        ):
            return list(constraint.fields)
    if meta.unique_together:
        return list(meta.unique_together[0])
    names = {f.name for f in meta.concrete_fields}
    if "order" in names:
        # A place within its parent (library sub-options and fill-in fields).
        return [f.name for f in meta.concrete_fields if f.is_relation] + ["order"]
    return None


def _generic_references(model) -> list[tuple[str, str]]:
    """The (content type, object id) column pairs of ``model``: its GenericForeignKeys, or by
    Django's convention a foreign key to ContentType beside an ``object_id``."""
    from django.contrib.contenttypes.fields import GenericForeignKey
    from django.contrib.contenttypes.models import ContentType

    meta = model._meta
    pairs = [
        (meta.get_field(g.ct_field).attname, meta.get_field(g.fk_field).attname)
        for g in meta.private_fields
        if isinstance(g, GenericForeignKey)
    ]
    names = {f.attname for f in meta.concrete_fields}
    if not pairs and "object_id" in names:
        pairs = [
            (f.attname, "object_id")
            for f in meta.concrete_fields
            if f.is_relation and f.related_model is ContentType
        ][:1]
    return pairs


def _generic_target(content_type_id):
    """The model a content type names, or None (a model removed since)."""
    from django.contrib.contenttypes.models import ContentType

    try:
        return ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None


@cache
def transfer_plan() -> TransferPlan:
    """Sort every installed model into owned, user-owned, reference, excluded or unrelated."""
    user_model = get_user_model()
    every = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]
    excluded = dict(EXCLUDED)

    # Owned: a foreign key to Municipality or to an owned model (to a fixed point).
    owned: set = set()
    changed = True
    while changed:
        changed = False
        for model in every:
            if model in owned or model is Municipality or _label(model) in excluded:
                continue
            targets = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
            if Municipality in targets or targets & owned:
                owned.add(model)
                changed = True

    user_owned = {
        model
        for model in every
        if model not in owned
        and model is not user_model
        and _label(model) not in excluded
        and any(
            f.is_relation
            and f.related_model is user_model
            and f.remote_field.on_delete is models.CASCADE
            for f in model._meta.concrete_fields
        )
    }

    problems: list[str] = []
    references: dict[str, list[str]] = {}

    def need_reference(model) -> None:
        label = _label(model)
        if label in references:
            return
        names = _natural_key_fields(model)
        if names is None:
            problems.append(
                _(
                    "Het model %(model)s heeft geen natuurlijke sleutel (een uniek veld, een "
                    "unieke combinatie of een volgorde): gegevens die ernaar verwijzen kunnen "
                    "niet verhuizen."
                )
                % {"model": label}
            )
            references[label] = []
            return
        references[label] = names
        for name in names:
            f = model._meta.get_field(name)
            if f.is_relation:
                need_reference(f.related_model)

    def plan_of(model) -> ModelPlan:
        plan = ModelPlan(model, _label(model), _stored_fields(model), history_of=_history_of(model))
        if model._meta.pk.is_relation:
            problems.append(
                _(
                    "Het model %(model)s heeft een relatie als primaire sleutel; dat kan niet "
                    "verhuizen."
                )
                % {"model": plan.label}
            )
        for f in plan.fields:
            if not f.is_relation:
                continue
            target = f.related_model
            if target is Municipality:
                plan.root_fks.append(f)
            elif target in owned:
                plan.owned_fks.append(f)
            elif target is user_model:
                plan.user_fks.append(f)
            elif _label(target) in excluded:
                problems.append(
                    _("%(model)s.%(field)s verwijst naar %(target)s, dat niet meeverhuist.")
                    % {"model": plan.label, "field": f.name, "target": _label(target)}
                )
            else:
                plan.reference_fks.append(f)
                need_reference(target)
        plan.generic = _generic_references(model)
        return plan

    plans = {model: plan_of(model) for model in owned | user_owned}

    # Dependency order over the foreign keys between owned models; a history table comes
    # right after the model it tracks, so the ids of deleted rows are known to what follows.
    history_tables = {p.history_of: m for m, p in plans.items() if p.is_history}
    order: list = []
    state: dict = {}

    def visit(model, trail) -> None:
        if state.get(model) == "done":
            return
        if state.get(model) == "busy":
            problems.append(
                _("Kringverwijzing tussen modellen: %(trail)s.")
                % {"trail": " → ".join(_label(m) for m in [*trail, model])}
            )
            return
        state[model] = "busy"
        plan = plans[model]
        tracked = plan.history_of
        for f in plan.owned_fks:
            target = f.related_model
            if target is model:
                continue  # a row pointing to another row of its table (replies, sub-items)
            visit(target, [*trail, model])
            if target in history_tables and history_tables[target] is not model:
                visit(history_tables[target], [*trail, model])
        if tracked is not None and tracked in plans:
            visit(tracked, [*trail, model])
        state[model] = "done"
        order.append(model)

    for model in sorted(owned, key=_label):
        visit(model, [])
    return TransferPlan(
        owned=[plans[m] for m in order],
        user_owned=[plans[m] for m in sorted(user_owned, key=_label)],
        references=references,
        excluded=excluded,
        problems=problems,
    )


# --- values in the file ----------------------------------------------------------------------


def _dump_value(f, value):
    if value is None:
        return None
    if isinstance(f, models.BinaryField):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(f, models.JSONField):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _load_value(f, value):
    if value is None or isinstance(f, models.JSONField):
        return value
    if isinstance(f, models.BinaryField):
        return base64.b64decode(value.encode("ascii"), validate=True)
    return f.to_python(value)


def _canon(value) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


class _ReferenceKeys:
    """Natural keys of reference rows, computed per model for all its rows (reference tables
    are small) and cached."""

    def __init__(self, plan: TransferPlan):
        self.plan = plan
        self._by_pk: dict[str, dict] = {}

    def by_pk(self, label: str) -> dict:
        if label not in self._by_pk:
            model = apps.get_model(label)
            names = self.plan.references[label]
            fields = [model._meta.get_field(n) for n in names]
            keys = {}
            rows = model._base_manager.values_list("pk", *[f.attname for f in fields])
            for pk, *values in rows:
                key = []
                for f, value in zip(fields, values, strict=True):
                    if f.is_relation and value is not None:
                        value = self.by_pk(_label(f.related_model)).get(value)
                    key.append(_dump_value(f, value))
                keys[pk] = key
            self._by_pk[label] = keys
        return self._by_pk[label]

    def by_key(self, label: str) -> dict[str, Any]:
        """Canonical natural key → pk; a key two rows share is left out (ambiguous)."""
        index: dict[str, Any] = {}
        seen: set[str] = set()
        for pk, key in self.by_pk(label).items():
            canon = _canon(key)
            if canon in seen:
                index.pop(canon, None)
            else:
                index[canon] = pk
                seen.add(canon)
        return index


# --- export ----------------------------------------------------------------------------------


def _document_models() -> dict[str, type[models.Model]]:
    """The reviewable documents by ``kind`` (apps/review's registry), when that app is there."""
    try:
        from apps.review import registry
    except ImportError:  # pragma: no cover - the review app is always installed here
        return {}
    return {r.key: r.model for r in registry.all_reviewables()}


def _part_prefixes(municipality) -> dict[str, str]:
    """``proposal`` → the proposal model, …: learnt from the parts of the municipality's
    documents, so a comment's part key can be rewired to the new ids."""
    from apps.review import registry

    prefixes: dict[str, str] = {}
    for reviewable in registry.all_reviewables():
        documents = reviewable.model._base_manager.filter(municipality=municipality)
        for document in documents:
            for part in reviewable.parts(document):
                match = PART_KEY.match(part.key)
                if match:
                    prefixes.setdefault(match["prefix"], _label(part.model))
    return prefixes


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def export_municipality(nis_code: str) -> dict:
    """Everything of the municipality with NIS code ``nis_code``, as the file's data."""
    plan = transfer_plan()
    plan.check()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table, even while people keep working.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return _export(plan, nis_code)


def _export(plan: TransferPlan, nis_code: str) -> dict:
    municipality = Municipality.objects.filter(nis_code=nis_code).first()
    if municipality is None:
        raise TransferError(
            _("Er is geen gemeente met NIS-code %(nis)s in deze installatie.") % {"nis": nis_code}
        )
    user_model = get_user_model()
    ids: dict[type, set] = defaultdict(set)  # owned model → ids of its exported (or past) rows
    rows_of: dict[str, list] = {}
    users: set = set()
    references: dict[str, set] = defaultdict(set)
    problems: list[str] = []
    owned_models = {mp.model for mp in plan.owned}

    for mp in plan.owned:
        query = models.Q(pk__in=[])
        for f in mp.root_fks:
            query |= models.Q(**{f.attname: municipality.pk})
        for f in mp.owned_fks:
            query |= models.Q(**{f"{f.attname}__in": list(ids[f.related_model])})
        attnames = [f.attname for f in mp.fields]
        rows = list(mp.model._base_manager.filter(query).order_by("pk").values_list(*attnames))
        if not mp.is_history:
            # A row may point to another row of its own table (pk first in ``attnames``).
            ids[mp.model].update(row[0] for row in rows)
        exported = []
        for row in rows:
            values = dict(zip(attnames, row, strict=True))
            for f in mp.root_fks + mp.owned_fks:
                value = values[f.attname]
                inside = (
                    value is None
                    or (f in mp.root_fks and value == municipality.pk)
                    or (f in mp.owned_fks and value in ids[f.related_model])
                )
                if inside:
                    continue
                if mp.is_history:
                    # A history row may name a row that is gone, or (never in practice) one
                    # elsewhere: the file keeps no id of a row it does not hold.
                    values[f.attname] = None
                    continue
                problems.append(
                    _(
                        "%(model)s %(pk)s verwijst via %(field)s naar gegevens van een andere "
                        "gemeente; de export is gestopt."
                    )
                    % {"model": mp.label, "pk": values[mp.fields[0].attname], "field": f.name}
                )
            for content_type, _object in mp.generic:
                target = _generic_target(values[content_type])
                if target is not None and target in owned_models:
                    continue
                problems.append(
                    _(
                        "%(model)s %(pk)s verwijst naar %(target)s, dat niet met de gemeente "
                        "meeverhuist; de export is gestopt."
                    )
                    % {
                        "model": mp.label,
                        "pk": values[mp.fields[0].attname],
                        "target": _label(target) if target else values[content_type],
                    }
                )
            for f in mp.user_fks:
                if values[f.attname] is not None:
                    users.add(values[f.attname])
            for f in mp.reference_fks:
                if values[f.attname] is not None:
                    references[_label(f.related_model)].add(values[f.attname])
            exported.append(values)
        pk_name = mp.fields[0].attname
        if mp.is_history:
            tracked_pk = mp.history_of._meta.pk.attname
            ids[mp.history_of].update(v[tracked_pk] for v in exported)
        else:
            ids[mp.model].update(v[pk_name] for v in exported)
        rows_of[mp.label] = exported
    if problems:
        raise TransferError(problems)

    members = set(
        Membership.objects.filter(municipality=municipality).values_list("user_id", flat=True)
    )
    users |= members
    user_rows = []
    user_fields = [
        f
        for f in user_model._meta.concrete_fields
        if not f.is_relation and not f.primary_key and f.name not in USER_FIELDS_LEFT_OUT
    ]
    for user in user_model._base_manager.filter(pk__in=users).order_by("pk"):
        entry = {f.attname: _dump_value(f, getattr(user, f.attname)) for f in user_fields}
        entry["pk"] = user.pk
        entry["member"] = user.pk in members
        if not entry["member"]:
            # Named by the history only: the import makes an account without log-in, so the
            # file need not carry a password hash for it.
            entry.pop("password", None)
        user_rows.append(entry)
    known_users = {u["pk"] for u in user_rows}

    sections = []
    for mp in plan.owned:
        sections.append(_section(mp, rows_of[mp.label]))
    for mp in plan.user_owned:
        query = models.Q(pk__in=[])
        for f in mp.user_fks:
            if f.remote_field.on_delete is models.CASCADE:
                query |= models.Q(**{f"{f.attname}__in": list(known_users)})
        attnames = [f.attname for f in mp.fields]
        rows = [
            dict(zip(attnames, row, strict=True))
            for row in mp.model._base_manager.filter(query).order_by("pk").values_list(*attnames)
        ]
        for values in rows:
            for f in mp.user_fks:
                if values[f.attname] not in known_users:
                    values[f.attname] = None
            for f in mp.reference_fks:
                if values[f.attname] is not None:
                    references[_label(f.related_model)].add(values[f.attname])
        sections.append(_section(mp, rows))

    keys = _ReferenceKeys(plan)
    reference_section = {}
    for label, pks in sorted(references.items()):
        by_pk = keys.by_pk(label)
        reference_section[label] = {str(pk): by_pk[pk] for pk in sorted(pks) if pk in by_pk}

    documents = _document_models()
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "migrations": _migrations(),
        "municipality": {
            f.attname: _dump_value(f, getattr(municipality, f.attname))
            for f in Municipality._meta.concrete_fields
            if not f.primary_key
        },
        "municipality_pk": municipality.pk,
        "documents": {kind: _label(model) for kind, model in sorted(documents.items())},
        "part_prefixes": _part_prefixes(municipality) if documents else {},
        "users": user_rows,
        "references": reference_section,
        "models": sections,
    }


def _section(mp: ModelPlan, rows: list[dict]) -> dict:
    return {
        "model": mp.label,
        "fields": [f.attname for f in mp.fields],
        "rows": [[_dump_value(f, values[f.attname]) for f in mp.fields] for values in rows],
    }


def write_export(nis_code: str, path: str | Path) -> dict[str, int]:
    """Write the municipality's file; returns the number of rows per model."""
    data = export_municipality(nis_code)
    target = Path(path)
    temporary = target.with_name(target.name + ".tmp")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    return {s["model"]: len(s["rows"]) for s in data["models"] if s["rows"]}


# --- reading a file --------------------------------------------------------------------------


def _check_depth(text: str) -> None:
    """Refuse deep nesting before ``json.loads`` recurses into it: the library file's check
    (``MAX_DEPTH`` 20 levels; this format needs eight), with this file's message."""
    from apps.library.services import MAX_DEPTH, LibraryFileError, _check_json_depth

    try:
        _check_json_depth(text)
    except LibraryFileError as error:
        raise TransferError(
            _(
                "Het bestand is te diep genest (meer dan %(max)d niveaus); een gemeentebestand "
                "van LMB Planner heeft er acht."
            )
            % {"max": MAX_DEPTH}
        ) from error


def _bounded_int(text: str) -> int:
    if len(text) > MAX_NUMBER_LENGTH:
        raise TransferError(
            _("Het bestand bevat een getal van meer dan %(max)d cijfers.")
            % {"max": MAX_NUMBER_LENGTH}
        )
    return int(text)


def _no_constant(name: str):
    raise TransferError(_("Het bestand bevat %(name)s; dat is geen geldige JSON.") % {"name": name})


def read_file(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> dict:
    """The data of an export file, read within the bounds; ``TransferError`` otherwise."""
    try:
        with Path(path).open("rb") as handle:
            content = handle.read(max_bytes + 1)
    except OSError as error:
        raise TransferError(
            _("Kan %(path)s niet lezen: %(error)s") % {"path": path, "error": error.strerror}
        ) from error
    return parse(content, max_bytes=max_bytes)


def parse(content: bytes, *, max_bytes: int = MAX_FILE_BYTES) -> dict:
    if len(content) > max_bytes:
        raise TransferError(
            _("Het bestand is groter dan %(max)d MB; een gemeente past daar ruim in.")
            % {"max": max_bytes // (1024 * 1024)}
        )
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TransferError(_("Het bestand is geen UTF-8-tekst.")) from error
    _check_depth(text)
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise TransferError(
            _("Ongeldige JSON op regel %(line)d, kolom %(col)d: %(msg)s.")
            % {"line": error.lineno, "col": error.colno, "msg": error.msg}
        ) from error
    _check_shape(data)
    return data


def _check_shape(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferError(
            _("Dit is geen gemeentebestand van LMB Planner (maak het met export_municipality).")
        )
    if data.get("version") != FORMAT_VERSION:
        raise TransferError(
            _(
                "Dit bestand heeft formaatversie %(version)s; deze installatie leest versie "
                "%(ours)d."
            )
            % {"version": str(data.get("version"))[:20], "ours": FORMAT_VERSION}
        )
    expected = {
        "municipality": dict,
        "municipality_pk": int,
        "documents": dict,
        "part_prefixes": dict,
        "users": list,
        "references": dict,
        "models": list,
    }
    wrong = [name for name, kind in expected.items() if not isinstance(data.get(name), kind)]
    for user in data.get("users") or []:
        if not (
            isinstance(user, dict)
            and isinstance(user.get("email"), str)
            and isinstance(user.get("pk"), int)
        ):
            wrong.append("users")
            break
    for section in data.get("models") or []:
        if not (
            isinstance(section, dict)
            and isinstance(section.get("model"), str)
            and isinstance(section.get("fields"), list)
            and all(isinstance(name, str) for name in section["fields"])
            and isinstance(section.get("rows"), list)
            and all(
                isinstance(row, list) and len(row) == len(section["fields"])
                for row in section["rows"]
            )
        ):
            wrong.append("models")
            break
    for keys in (data.get("references") or {}).values():
        if not isinstance(keys, dict):
            wrong.append("references")
            break
    if not isinstance((data.get("municipality") or {}).get("nis_code"), str):
        wrong.append("municipality")
    if wrong:
        raise TransferError(
            _("Het bestand is beschadigd of onvolledig (%(parts)s).")
            % {"parts": ", ".join(sorted(set(wrong)))}
        )


# --- import ----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    municipality: Municipality
    counts: dict[str, int]
    users_created: list[str]
    users_linked: list[str]
    id_map: dict[str, dict]  # model label → {old pk: new pk}
    user_map: dict[int, int]


class _Importer:
    def __init__(self, data: dict, plan: TransferPlan):
        self.data = data
        self.plan = plan
        self.problems: list[str] = []
        self.missing: dict[str, set[str]] = defaultdict(set)
        self.documents: dict[str, str] = {
            str(k): str(v) for k, v in data["documents"].items() if isinstance(v, str)
        }
        self.prefixes: dict[str, str] = {
            str(k): str(v) for k, v in data["part_prefixes"].items() if isinstance(v, str)
        }
        self.old_ids: dict[str, set] = defaultdict(set)
        self.id_map: dict[str, dict] = {}
        self._urls: dict[str, tuple | None] = {}

    # -- rows ----------------------------------------------------------------------------

    def sections(self) -> list[tuple[ModelPlan, list[dict]]]:
        by_label = self.plan.by_label
        given = {}
        for section in self.data["models"]:
            label = section["model"]
            mp = by_label.get(label)
            if mp is None:
                self.problems.append(
                    _(
                        "Het bestand bevat gegevens van %(model)s, dat deze installatie niet "
                        "kent of niet meeverhuist; werk deze installatie eerst bij."
                    )
                    % {"model": label[:80]}
                )
                continue
            known = {f.attname: f for f in mp.fields}
            unknown = [name for name in section["fields"] if name not in known]
            if unknown:
                self.problems.append(
                    _(
                        "Het bestand bevat velden van %(model)s die deze installatie niet kent: "
                        "%(fields)s."
                    )
                    % {"model": label, "fields": ", ".join(n[:40] for n in unknown[:5])}
                )
                continue
            rows = []
            for index, row in enumerate(section["rows"], start=1):
                values = {}
                try:
                    for name, value in zip(section["fields"], row, strict=True):
                        values[name] = _load_value(known[name], value)
                except Exception:  # any bad value is one message
                    self.problems.append(
                        _("Rij %(row)d van %(model)s bevat een ongeldige waarde (%(field)s).")
                        % {"row": index, "model": label, "field": name}
                    )
                    continue
                for f in mp.fields:
                    if f.attname not in values:
                        values[f.attname] = f.get_default()
                rows.append(values)
            given[label] = rows
        return [
            (mp, given[mp.label])
            for mp in self.plan.owned + self.plan.user_owned
            if mp.label in given
        ]

    # -- ids written inside values ---------------------------------------------------------

    def _prefix_model(self, prefix: str) -> str | None:
        if prefix in self.prefixes:
            return self.prefixes[prefix]
        for mp in self.plan.owned:
            if not mp.is_history and mp.model._meta.model_name == prefix:
                return mp.label
        return None

    def _part(self, key):
        match = PART_KEY.match(key) if isinstance(key, str) else None
        if not match:
            return None
        label = self._prefix_model(match["prefix"])
        return (label, match["prefix"], int(match["id"])) if label else None

    def _url(self, url):
        """(document label, old object id, path kwargs, view name, fragment part) or None."""
        if not isinstance(url, str):
            return None
        if url not in self._urls:
            found = None
            parts = urlsplit(url)
            try:
                match = resolve(parts.path)
            except (Resolver404, ValueError):
                match = None
            if match is not None:
                kwargs = dict(match.kwargs)
                label = self.documents.get(str(kwargs.get("kind")))
                found = (label, kwargs, match.view_name, self._part(parts.fragment), parts)
            self._urls[url] = found
        return self._urls[url]

    def _generic_label(self, content_type_id) -> str | None:
        key = self.data["references"].get("contenttypes.contenttype", {}).get(str(content_type_id))
        if not (isinstance(key, list) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            return None
        label = f"{key[0]}.{key[1]}"
        return label if label in {p.label for p in self.plan.owned} else None

    def note_embedded(self, mp: ModelPlan, values: dict) -> None:
        names = {f.attname for f in mp.fields}
        for content_type, object_id in mp.generic:
            if values[content_type] is None or values[object_id] is None:
                continue
            label = self._generic_label(values[content_type])
            if label is None:
                self.problems.append(
                    _("%(model)s verwijst naar iets dat niet met de gemeente meeverhuist.")
                    % {"model": mp.label}
                )
                continue
            self.old_ids[label].add(values[object_id])
        if "object_id" in names and "kind" in names:
            label = self.documents.get(values["kind"])
            if label is None:
                self.problems.append(
                    _("%(model)s noemt een onbekend soort document: %(kind)s.")
                    % {"model": mp.label, "kind": str(values["kind"])[:40]}
                )
            else:
                self.old_ids[label].add(values["object_id"])
        if "part_key" in names:
            part = self._part(values["part_key"])
            if part:
                self.old_ids[part[0]].add(part[2])
        if "snapshot" in names and isinstance(values["snapshot"], dict):
            for key in values["snapshot"]:
                part = self._part(key)
                if part:
                    self.old_ids[part[0]].add(part[2])
        if "url" in names:
            found = self._url(values["url"])
            if found:
                label, kwargs, _view, fragment, _parts = found
                if label and isinstance(kwargs.get("object_id"), int):
                    self.old_ids[label].add(kwargs["object_id"])
                if fragment:
                    self.old_ids[fragment[0]].add(fragment[2])

    def _new_part_key(self, key):
        part = self._part(key)
        if not part:
            return key
        return f"{part[1]}-{self.id_map[part[0]][part[2]]}"

    def rewrite_embedded(self, mp: ModelPlan, values: dict, old: dict) -> None:
        names = {f.attname for f in mp.fields}
        for content_type, object_id in mp.generic:
            if old[content_type] is not None and values[object_id] is not None:
                label = self._generic_label(old[content_type])
                values[object_id] = self.id_map[label][values[object_id]]
        if "object_id" in names and "kind" in names:
            label = self.documents[values["kind"]]
            values["object_id"] = self.id_map[label][values["object_id"]]
        if "part_key" in names:
            values["part_key"] = self._new_part_key(values["part_key"])
        if "snapshot" in names and isinstance(values["snapshot"], dict):
            values["snapshot"] = {
                self._new_part_key(key): value for key, value in values["snapshot"].items()
            }
        if "url" in names:
            values["url"] = self._new_url(values["url"])

    def _new_url(self, url):
        found = self._url(url)
        if not found:
            return url
        label, kwargs, view, fragment, parts = found
        kwargs = dict(kwargs)
        if label and isinstance(kwargs.get("object_id"), int):
            kwargs["object_id"] = self.id_map[label][kwargs["object_id"]]
        try:
            path = reverse(view, kwargs=kwargs)
        except NoReverseMatch:
            return url
        new_fragment = self._new_part_key(parts.fragment) if fragment else parts.fragment
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, new_fragment))

    # -- new ids ---------------------------------------------------------------------------

    def allocate(self, model, old: set) -> dict:
        """New primary keys from the target's sequence for ``old``, in the same order."""
        pk = model._meta.pk
        if not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
            return {value: value for value in old}
        if not old:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(model._meta.db_table), pk.column, len(old)],
            )
            new = sorted(row[0] for row in cursor.fetchall())
        return dict(zip(sorted(old), new, strict=True))

    # -- the whole import ------------------------------------------------------------------

    def run(self) -> ImportResult:
        data = self.data
        nis_code = data["municipality"]["nis_code"]
        if Municipality.objects.filter(nis_code=nis_code).exists():
            raise TransferError(
                _(
                    "Gemeente met NIS-code %(nis)s bestaat al in deze installatie. Verwijder ze "
                    "eerst of importeer in een andere installatie."
                )
                % {"nis": nis_code[:10]}
            )
        owned = {p.label for p in self.plan.owned}
        for kind, label in [*self.documents.items(), *self.prefixes.items()]:
            if label not in owned:
                self.problems.append(
                    _("Het bestand noemt %(kind)s (%(model)s), dat deze installatie niet kent.")
                    % {"kind": kind[:40], "model": label[:80]}
                )
        sections = self.sections()
        if self.problems:
            raise TransferError(self.problems)

        for mp, rows in sections:
            if mp in self.plan.user_owned:
                continue
            pk_name = mp.fields[0].attname
            for values in rows:
                if mp.is_history:
                    self.old_ids[mp.history_of._meta.label_lower].add(
                        values[mp.history_of._meta.pk.attname]
                    )
                else:
                    self.old_ids[mp.label].add(values[pk_name])
                self.note_embedded(mp, values)
        if self.problems:
            raise TransferError(self.problems)
        for label, old in self.old_ids.items():
            self.id_map[label] = self.allocate(apps.get_model(label), old)

        references = self.references()
        user_map, created, linked = self.users()
        created_old = {old for old, new in user_map.items() if new in created.values()}
        municipality = self.municipality()
        counts: dict[str, int] = {}
        inserts = []
        old_root = data["municipality_pk"]
        for mp, rows in sections:
            if mp in self.plan.user_owned:
                rows = [
                    v
                    for v in rows
                    if all(
                        v[f.attname] in created_old
                        for f in mp.user_fks
                        if f.remote_field.on_delete is models.CASCADE
                    )
                ]
            if mp.is_history:
                history_ids = self.allocate(mp.model, {v[mp.fields[0].attname] for v in rows})
            objects = []
            for index, values in enumerate(rows, start=1):
                old = {content_type: values[content_type] for content_type, _id in mp.generic}
                self.rewrite(mp, values, index, old_root, municipality, references, user_map)
                pk_name = mp.fields[0].attname
                if mp.is_history:
                    values[pk_name] = history_ids[values[pk_name]]
                    tracked = mp.history_of._meta
                    values[tracked.pk.attname] = self.id_map[tracked.label_lower][
                        values[tracked.pk.attname]
                    ]
                elif mp in self.plan.owned:
                    values[pk_name] = self.id_map[mp.label][values[pk_name]]
                else:
                    values[pk_name] = None
                if mp in self.plan.owned:
                    self.rewrite_embedded(mp, values, old)
                objects.append(values)
            inserts.append((mp, objects))
            counts[mp.label] = len(objects)
        if self.missing:
            raise TransferError(self._missing_message())
        if self.problems:
            raise TransferError(self.problems)
        for mp, objects in inserts:
            self.insert(mp, objects)
        return ImportResult(
            municipality=municipality,
            counts=counts,
            users_created=sorted(created),
            users_linked=sorted(linked),
            id_map=self.id_map,
            user_map=user_map,
        )

    def rewrite(self, mp, values, index, old_root, municipality, references, user_map) -> None:
        history = mp.is_history
        for f in mp.root_fks:
            if values[f.attname] is None:
                continue
            values[f.attname] = municipality.pk if values[f.attname] == old_root else None
        for f in mp.owned_fks:
            old = values[f.attname]
            if old is None:
                continue
            new = self.id_map.get(_label(f.related_model), {}).get(old)
            if new is None and not history:
                self.problems.append(
                    _(
                        "Rij %(row)d van %(model)s verwijst via %(field)s naar een rij die niet "
                        "in het bestand staat."
                    )
                    % {"row": index, "model": mp.label, "field": f.name}
                )
            values[f.attname] = new
        for f in mp.user_fks:
            old = values[f.attname]
            if old is None:
                continue
            new = user_map.get(old)
            if new is None and not f.null:
                self.problems.append(
                    _(
                        "Rij %(row)d van %(model)s noemt een gebruiker die niet in het bestand "
                        "staat."
                    )
                    % {"row": index, "model": mp.label}
                )
            values[f.attname] = new
        for f in mp.reference_fks:
            old = values[f.attname]
            if old is None:
                continue
            label = _label(f.related_model)
            new = references.get(label, {}).get(old)
            if new is None:
                if history:
                    values[f.attname] = None
                    continue
                key = self.data["references"].get(label, {}).get(str(old))
                self.missing[label].add(_canon(key) if key is not None else f"#{old}")
            values[f.attname] = new

    def _missing_message(self) -> list[str]:
        lines = [
            _(
                "Deze installatie mist referentiegegevens die de gemeente gebruikt. "
                "Laad eerst dezelfde referentiegegevens en bibliotheek als op de "
                "oude installatie (manage.py load_reference_data en manage.py load_library)."
            )
        ]
        for label, keys in sorted(self.missing.items()):
            name = apps.get_model(label)._meta.verbose_name
            shown = ", ".join(sorted(keys)[:10])
            more = len(keys) - 10
            lines.append(
                f"- {name}: {shown}"
                + (_(" en nog %(count)d") % {"count": more} if more > 0 else "")
            )
        return lines

    def references(self) -> dict[str, dict]:
        keys = _ReferenceKeys(self.plan)
        result = {}
        for label, by_old in self.data["references"].items():
            if label not in self.plan.references:
                self.problems.append(
                    _("Het bestand verwijst naar %(model)s, dat deze installatie niet kent.")
                    % {"model": label[:80]}
                )
                continue
            index = keys.by_key(label)
            result[label] = {}
            for old, key in by_old.items():
                if not old.isdigit():
                    continue
                new = index.get(_canon(key))
                if new is not None:
                    result[label][int(old)] = new
        if self.problems:
            raise TransferError(self.problems)
        return result

    def users(self) -> tuple[dict[int, int], dict[str, int], dict[str, int]]:
        user_model = get_user_model()
        fields = {
            f.attname: f
            for f in user_model._meta.concrete_fields
            if not f.is_relation and not f.primary_key and f.name not in USER_FIELDS_LEFT_OUT
        }
        user_map, created, linked = {}, {}, {}
        for entry in self.data["users"]:
            email = user_model.objects.normalize_email(entry["email"]).lower()
            existing = user_model._base_manager.filter(email__iexact=email).first()
            if existing is not None:
                user_map[entry["pk"]] = existing.pk
                linked[email] = existing.pk
                continue
            values = {}
            try:
                for name, f in fields.items():
                    if name in entry:
                        values[name] = _load_value(f, entry[name])
            except Exception as error:  # a bad value is one message
                raise TransferError(
                    _("Het account %(email)s in het bestand is ongeldig.") % {"email": email[:100]}
                ) from error
            values["email"] = email
            if not entry.get("member"):
                # Named in the history only: the name is kept, logging in is not.
                values["is_active"] = False
                values["password"] = make_password(None)
            user = user_model(**values)
            user.save()
            user_map[entry["pk"]] = user.pk
            created[email] = user.pk
        return user_map, created, linked

    def municipality(self) -> Municipality:
        values = {}
        for f in Municipality._meta.concrete_fields:
            if not f.primary_key and f.attname in self.data["municipality"]:
                values[f.attname] = _load_value(f, self.data["municipality"][f.attname])
        municipality = Municipality(**values)
        municipality.full_clean()
        municipality.save()
        return municipality

    def insert(self, mp: ModelPlan, rows: list[dict]) -> None:
        if not rows:
            return
        model = mp.model
        fields = mp.fields if rows[0][mp.fields[0].attname] is not None else mp.fields[1:]
        batch = max(1, 20_000 // len(fields))
        for start in range(0, len(rows), batch):
            objects = []
            for values in rows[start : start + batch]:
                obj = model.__new__(model)
                obj.__dict__.update(values)
                objects.append(obj)
            # raw: the values of the file as they are (no auto_now, no signals, so no new
            # history rows: the history comes from the file).
            model._base_manager._insert(objects, fields=fields, raw=True, using=connection.alias)


def import_municipality(data: dict) -> ImportResult:
    """Create the municipality of ``data`` (from ``read_file``) with everything it holds, in
    one transaction: on any refusal nothing is written."""
    plan = transfer_plan()
    plan.check()
    if connection.vendor != "postgresql":
        raise TransferError(
            _("Een gemeente importeren kan alleen in een installatie op PostgreSQL.")
        )
    try:
        with transaction.atomic():
            return _Importer(data, plan).run()
    except ValidationError as error:
        raise TransferError(
            [
                _("De gemeente in het bestand is ongeldig: %(error)s") % {"error": m}
                for m in error.messages
            ]
        ) from error
    except IntegrityError as error:
        raise TransferError(
            _("De gegevens passen niet in deze installatie (%(error)s).")
            % {"error": str(error).splitlines()[0][:200]}
        ) from error
    except DatabaseError as error:
        raise TransferError(
            _("De database weigerde de import (%(error)s).")
            % {"error": str(error).splitlines()[0][:200]}
        ) from error
