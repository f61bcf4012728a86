"""The methods of the guide, kept in ``fixtures/methods.yaml`` and upserted by key, any number
of times (the pattern of apps/library/reference.py). A data migration calls it with its
historical models; fields the model does not have at that point are skipped there, but are an
error with the current models, so a typo in the file cannot go unnoticed."""

from pathlib import Path

import yaml
from django.conf import settings

METHODS_FILE = Path(settings.BASE_DIR) / "fixtures" / "methods.yaml"


class MethodsFileError(ValueError):
    pass


def method_entries(path: Path = METHODS_FILE) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("methods") or [])


def ensure_methods(apps=None) -> None:
    strict = apps is None
    if apps is None:
        from django.apps import apps as current_apps

        apps = current_apps
    model = apps.get_model("methods", "Method")
    known = {f.name for f in model._meta.fields}
    for entry in method_entries():
        values = dict(entry)
        key = values.pop("key")
        unknown = set(values) - known
        if unknown and strict:
            raise MethodsFileError(f"method {key}: unknown fields {sorted(unknown)}")
        for name in unknown:
            del values[name]
        model.objects.update_or_create(key=key, defaults=values)
