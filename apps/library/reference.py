"""The library's own reference data: the seven reasons for local global policy and the
practice examples, kept in ``fixtures/lmb_reference.yaml``.

``ensure_library_reference_data`` upserts by key and can run any number of times; the data
migration calls it with the historical models so every database has these rows.
"""

from pathlib import Path

import yaml
from django.conf import settings

REFERENCE_FILE = Path(settings.BASE_DIR) / "fixtures" / "lmb_reference.yaml"


def library_reference_data(path: Path = REFERENCE_FILE) -> dict[str, list[dict]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        "reasons": list(data.get("reasons") or []),
        "practice_examples": list(data.get("practice_examples") or []),
    }


def ensure_library_reference_data(apps=None) -> None:
    """Create or update every reason and practice example; ``apps`` is a migration's app
    registry, or None for the current models."""
    if apps is None:
        from django.apps import apps as current_apps

        apps = current_apps
    reason_model = apps.get_model("library", "Reason")
    example_model = apps.get_model("library", "PracticeExample")
    data = library_reference_data()
    for reason in data["reasons"]:
        values = dict(reason)
        reason_model.objects.update_or_create(key=values.pop("key"), defaults=values)
    for example in data["practice_examples"]:
        values = dict(example)
        example_model.objects.update_or_create(key=values.pop("key"), defaults=values)
