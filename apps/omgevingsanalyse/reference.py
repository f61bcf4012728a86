"""The structures an omgevingsanalyse can start from, kept in
``fixtures/omgevingsanalyse_structures.yaml``. Loading upserts each structure by key and
replaces its sections (no analysis points at them: starting copies them), so it can run any
number of times, from the data migration with historical models or from the app."""

from pathlib import Path

import yaml
from django.conf import settings

STRUCTURES_FILE = Path(settings.BASE_DIR) / "fixtures" / "omgevingsanalyse_structures.yaml"
STRUCTURE_FIELDS = ("name_nl", "name_en", "description_nl", "description_en", "with_swot", "order")


def structures_data(path: Path = STRUCTURES_FILE) -> list[dict]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["structures"])


def ensure_structures(apps=None) -> None:
    if apps is None:
        from django.apps import apps as current_apps

        apps = current_apps
    structure_model = apps.get_model("omgevingsanalyse", "Structure")
    section_model = apps.get_model("omgevingsanalyse", "StructureSection")
    goal_model = apps.get_model("core", "SDGGoal")
    goals = {goal.number: goal for goal in goal_model.objects.all()}
    for entry in structures_data():
        structure, _created = structure_model.objects.update_or_create(
            key=entry["key"], defaults={name: entry[name] for name in STRUCTURE_FIELDS}
        )
        structure.sections.all().delete()
        for order, spec in enumerate(entry["sections"], start=1):
            section = section_model.objects.create(
                structure=structure,
                title_nl=spec["title_nl"],
                title_en=spec["title_en"],
                guidance_nl=spec.get("guidance_nl", ""),
                guidance_en=spec.get("guidance_en", ""),
                order=order,
            )
            section.sdg_goals.set([goals[number] for number in spec.get("sdg_goals", [])])
