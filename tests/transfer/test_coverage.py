"""Every model with data of a municipality goes along: the tests walk every installed model,
so a model added later (a new document, a new part, a new many-to-many table) fails here when
the export does not carry it, instead of being left behind on the old installation."""

import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models

from apps.core.models import Municipality, MunicipalityOwnedQuerySet
from apps.core.transfer import EXCLUDED, import_municipality, read_file, transfer_plan

from .rows import cascade, history_model, label


def every_model():
    return [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]


def test_every_model_is_sorted_and_every_reference_has_a_natural_key():
    plan = transfer_plan()

    assert plan.problems == []
    owned = {p.label for p in plan.owned}
    user_owned = {p.label for p in plan.user_owned}
    for model in every_model():
        name = label(model)
        queryset = model._default_manager.get_queryset()
        if isinstance(queryset, MunicipalityOwnedQuerySet):
            assert name in owned or name in EXCLUDED, f"{name} is a municipality's, not exported"
        tracked = getattr(model, "instance_type", None)
        if tracked is not None and label(tracked) in owned:
            assert name in owned, f"the history of {label(tracked)} is not exported"
        fields = {f.name for f in model._meta.concrete_fields}
        if "object_id" in fields and name not in EXCLUDED:
            assert name in owned, f"{name} names documents by id but is not exported"
            # … and the id is rewired: a document kind of apps/review, or a content type.
            model_plan = plan.by_label[name]
            assert "kind" in fields or model_plan.generic, f"{name}.object_id is not rewired"
        relations = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
        if Municipality in relations:
            assert name in owned or name in EXCLUDED, name
        # Rows that go when their user goes are that user's: they travel with the account.
        users_rows = any(
            f.is_relation
            and f.related_model is get_user_model()
            and f.remote_field.on_delete is models.CASCADE
            for f in model._meta.concrete_fields
        )
        if users_rows:
            assert name in owned | user_owned | set(EXCLUDED), name
    # Reference rows are named by natural keys that exist on every installation.
    for name, fields in plan.references.items():
        assert fields, name
    # A model comes after every model it points to (or points to itself), so the ids are
    # known when it is read.
    seen = set()
    for model_plan in plan.owned:
        for f in model_plan.owned_fks:
            assert f.related_model is model_plan.model or label(f.related_model) in seen, (
                model_plan.label,
                f.name,
            )
        seen.add(model_plan.label)


def _file_ids(data) -> dict[str, set]:
    """Label → ids in the file: primary keys of live rows, the object ids of history rows."""
    ids = {}
    for section in data["models"]:
        model = apps.get_model(section["model"])
        tracked = getattr(model, "instance_type", None)
        column = tracked._meta.pk.attname if tracked is not None else model._meta.pk.attname
        index = section["fields"].index(column)
        ids[section["model"]] = {row[index] for row in section["rows"]}
    return ids


def _everything_of(municipality) -> dict[str, set]:
    """Label → ids of every row of ``municipality``, found by walking every installed model:
    the rows its deletion would take along, and the history rows of those."""
    found = {}
    for model, pks in cascade(municipality).items():
        found[label(model)] = set(pks)
        tracked = history_model(model)
        if tracked is not None:
            found[label(tracked)] = set(
                tracked.objects.filter(id__in=pks).values_list("id", flat=True)
            )
    return {name: ids for name, ids in found.items() if ids}


@pytest.mark.django_db
def test_the_file_holds_every_row_of_the_municipality_and_nothing_of_another(demo, tmp_path):
    # A second municipality with documents, comments, history and notifications of its own:
    # a copy of Demodorp under another NIS code, with other ids.
    first = tmp_path / "demodorp.json"
    call_command("export_municipality", "99001", str(first), verbosity=0)
    copy = read_file(first)
    copy["municipality"].update(nis_code="99003", name="Kopiedorp")
    imported = import_municipality(copy)
    kopiedorp = imported.municipality
    # New ids are taken in the order of the old ones: "oldest first" stays true.
    for name, mapping in imported.id_map.items():
        assert [mapping[pk] for pk in sorted(mapping)] == sorted(mapping.values()), name

    path = tmp_path / "again.json"
    call_command("export_municipality", "99001", str(path), verbosity=0)
    data = read_file(path)
    in_file = _file_ids(data)
    ours = _everything_of(demo)
    theirs = _everything_of(kopiedorp)

    # Every row of the municipality, in every model that has one (none is left behind) …
    for name, ids in ours.items():
        assert name in in_file, f"{name} has rows of the municipality but is not exported"
        assert ids <= in_file[name], name
    # … and nothing else: no row of another municipality, in any model.
    for name, ids in in_file.items():
        assert ids <= ours.get(name, set()), f"{name} holds rows that are not the municipality's"
        assert not ids & theirs.get(name, set()), name
    assert len(ours) > 40
    text = path.read_text()
    assert "Kopiedorp" not in text and "99003" not in text
    assert "andere@demo.lmbplanner.be" not in text  # Anderegem's opsteller only
    emails = {user["email"] for user in data["users"]}
    members = set(
        get_user_model()
        .objects.filter(memberships__municipality=demo)
        .values_list("email", flat=True)
    )
    assert members <= emails
    assert json.loads(text)["municipality"]["nis_code"] == "99001"
