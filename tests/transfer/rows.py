"""What the tests compare: every row of a municipality, found the way the database itself
finds them (the rows deleting the municipality would delete, via ``Collector``) plus the
history rows of those objects, independently of how apps/core/transfer.py finds them."""

import re
from collections import defaultdict

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models.deletion import Collector

from apps.core.models import Municipality
from apps.core.transfer import EXCLUDED

PART_KEY = re.compile(r"^(?P<prefix>[a-z_]+)-(?P<id>\d+)$")
PART_MODELS = {"proposal": "beleidsvoorstellen.memorandumproposal"}
DOCUMENT_MODELS = {
    "memorandum": "beleidsvoorstellen.memorandum",
    "omgevingsanalyse": "omgevingsanalyse.analysis",
    "visie_missie": "omgevingsanalyse.visionmission",
    "meerjarenplan": "meerjarenplan.plan",
}
REVIEW_URL = re.compile(r"/review/(?P<kind>[a-z_-]+)/(?P<id>\d+)/")
THREAD_ANCHOR = re.compile(r"#thread-(?P<id>\d+)$")


def label(model) -> str:
    return model._meta.label_lower


def cascade(municipality) -> dict:
    """Model → primary keys of the rows that belong to ``municipality`` (on delete cascade)."""
    collector = Collector(using="default", origin=municipality)
    collector.collect([municipality])
    pks = defaultdict(set)
    for model, instances in collector.data.items():
        pks[model].update(obj.pk for obj in instances)
    for queryset in collector.fast_deletes:
        pks[queryset.model].update(queryset.values_list("pk", flat=True))
    pks.pop(Municipality, None)
    return {model: ids for model, ids in pks.items() if ids and label(model) not in EXCLUDED}


def history_model(model):
    history = getattr(model, "history", None)
    return getattr(history, "model", None)


def owned_rows(municipality, *, deleted: dict | None = None) -> dict[str, list[dict]]:
    """Label → rows (dicts of column values) of everything of ``municipality``; history rows
    in the order they were written, also those of the ``deleted`` ids ({label: ids})."""
    rows = {}
    for model, ids in cascade(municipality).items():
        rows[label(model)] = list(model._base_manager.filter(pk__in=ids).order_by("pk").values())
        tracked = history_model(model)
        if tracked is not None:
            every = ids | set((deleted or {}).get(label(model), ()))
            rows[label(tracked)] = list(
                tracked.objects.filter(id__in=every).order_by("history_date", "history_id").values()
            )
    return rows


def expected_after_import(rows, *, id_map, user_map, old_root, new_root) -> dict:
    """``rows`` as they must read after the import: every id replaced by its new one."""
    user_model = get_user_model()

    def new_id(target_label, old):
        return id_map[target_label][old]

    def part_key(key):
        match = PART_KEY.match(key or "")
        if not match:
            return key
        return f"{match['prefix']}-{new_id(PART_MODELS[match['prefix']], int(match['id']))}"

    def url(value):
        value = REVIEW_URL.sub(
            lambda m: (
                f"/review/{m['kind']}/"
                f"{new_id(DOCUMENT_MODELS[m['kind'].replace('-', '_')], int(m['id']))}/"
            ),
            value,
        )
        return THREAD_ANCHOR.sub(
            lambda m: f"#thread-{new_id('review.thread', int(m['id']))}", value
        )

    result = {}
    for model_label, model_rows in rows.items():
        model = apps.get_model(model_label)
        tracked = getattr(model, "instance_type", None)
        expected = []
        for row in model_rows:
            row = dict(row)
            for field in model._meta.concrete_fields:
                name, value = field.attname, row[field.attname]
                if field.primary_key:
                    if tracked is not None:
                        del row[name]  # a history row's own id is new, its order is kept
                    else:
                        row[name] = new_id(model_label, value)
                elif value is None:
                    continue
                elif field.is_relation:
                    target = field.related_model
                    if target is Municipality:
                        assert value == old_root
                        row[name] = new_root
                    elif target is user_model:
                        row[name] = user_map[value]
                    elif label(target) in id_map:
                        row[name] = new_id(label(target), value)
                elif tracked is not None and name == tracked._meta.pk.attname:
                    row[name] = new_id(label(tracked), value)
                elif name == "object_id" and "kind" in row:
                    row[name] = new_id(DOCUMENT_MODELS[row["kind"]], value)
                elif name == "object_id":  # a generic reference, by content type
                    target = ContentType.objects.get_for_id(row["content_type_id"]).model_class()
                    row[name] = new_id(label(target), value)
                elif name == "part_key":
                    row[name] = part_key(value)
                elif name == "snapshot":
                    row[name] = {part_key(k): v for k, v in value.items()}
                elif name == "url":
                    row[name] = url(value)
            expected.append(row)
        result[model_label] = expected
    return result


def without_history_ids(rows: dict) -> dict:
    result = {}
    for model_label, model_rows in rows.items():
        if getattr(apps.get_model(model_label), "instance_type", None) is not None:
            model_rows = [{k: v for k, v in row.items() if k != "history_id"} for row in model_rows]
        result[model_label] = model_rows
    return result
