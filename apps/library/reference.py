"""The library's own reference data, kept in ``fixtures/lmb_reference.yaml``: the seven reasons
for local global policy, the practice examples, the guiding questions for the vision and mission
and the omgevingsanalyse, the global figures and the indicators with their reference values.

``ensure_library_reference_data`` upserts every section by key and can run any number of times.
Data migrations call it with their historical models: a section whose model does not exist yet
at that point is skipped, and so are fields the model does not have yet; a later migration
loads them. With the current models (``apps=None``) an unknown field is an error, so a typo in
the file cannot go unnoticed.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings

REFERENCE_FILE = Path(settings.BASE_DIR) / "fixtures" / "lmb_reference.yaml"


@dataclass(frozen=True)
class Relation:
    """A field the file fills by naming other rows: ``model`` ("app.Model") looked up by
    ``by``."""

    model: str
    by: str


@dataclass(frozen=True)
class Section:
    name: str
    model: str
    foreign_keys: dict[str, Relation] = field(default_factory=dict)
    many_to_many: dict[str, Relation] = field(default_factory=dict)


# In loading order: a section comes after the sections it refers to.
SECTIONS = [
    Section("reasons", "library.Reason"),
    Section("practice_examples", "library.PracticeExample"),
    Section("guiding_questions", "library.GuidingQuestion"),
    Section(
        "global_figures",
        "library.GlobalFigure",
        many_to_many={"sdg_goals": Relation("core.SDGGoal", "number")},
    ),
    Section("indicator_definitions", "library.IndicatorDefinition"),
    Section(
        "indicator_references",
        "library.IndicatorReference",
        foreign_keys={"indicator": Relation("library.IndicatorDefinition", "key")},
    ),
]


class ReferenceDataError(ValueError):
    pass


def library_reference_data(path: Path = REFERENCE_FILE) -> dict[str, list[dict]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {section.name: list(data.get(section.name) or []) for section in SECTIONS}


def ensure_library_reference_data(apps=None) -> None:
    """Create or update every row of every section; ``apps`` is a migration's app registry, or
    None for the current models."""
    strict = apps is None
    if apps is None:
        from django.apps import apps as current_apps

        apps = current_apps
    data = library_reference_data()
    for section in SECTIONS:
        try:
            model = apps.get_model(section.model)
        except LookupError:
            if strict:
                raise
            continue  # a migration before the one that creates this model
        upsert_by_key(model, data[section.name], apps=apps, section=section, strict=strict)


def upsert_by_key(model, entries: list[dict], *, apps, section: Section, strict: bool) -> None:
    """Create or update one row per entry, found by its ``key``. Relations name their rows
    (an SDG by number, an indicator by key); the many-to-many ones are set to exactly the
    rows listed."""
    known = {f.name for f in (*model._meta.fields, *model._meta.many_to_many)}
    for entry in entries:
        values = dict(entry)
        key = values.pop("key")
        unknown = set(values) - known
        if unknown and strict:
            raise ReferenceDataError(f"{section.name} {key}: unknown fields {sorted(unknown)}")
        for name in unknown:
            del values[name]
        for name, relation in section.foreign_keys.items():
            if name in values:
                values[name] = _rows(apps, relation, [values[name]], section, key)[0]
        links = {
            name: _rows(apps, relation, values.pop(name) or [], section, key)
            for name, relation in section.many_to_many.items()
            if name in values
        }
        row, _ = model.objects.update_or_create(key=key, defaults=values)
        for name, rows in links.items():
            getattr(row, name).set(rows)


def _rows(apps, relation: Relation, refs: list, section: Section, key: str) -> list:
    found = {
        getattr(row, relation.by): row
        for row in apps.get_model(relation.model).objects.filter(**{f"{relation.by}__in": refs})
    }
    missing = [ref for ref in refs if ref not in found]
    if missing:
        raise ReferenceDataError(f"{section.name} {key}: no {relation.model} {missing}")
    return [found[ref] for ref in refs]
