import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from apps.library.models import LibraryProposal

SHIPPED = Path(settings.BASE_DIR) / "fixtures" / "library.yaml"


class _NoAliases(yaml.SafeDumper):
    """Writes a list that two entries share out in full: the loader refuses YAML aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def dump_yaml(data) -> str:
    return yaml.dump(data, Dumper=_NoAliases, allow_unicode=True)


def billion_laughs() -> str:
    """A library file of some 600 bytes with nine levels of nested YAML aliases, each ten times
    the one before: 10^9 times 'lol' once expanded (the old reader's message built it in full)."""
    lines = [
        "proposals:",
        "  - key: BOM-1",
        "    action_area: BK",
        "    level: S",
        "    title: Lachsalvo",
        "    text: <p>Een miljard keer gelachen.</p>",
        "    l1: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]",
    ]
    previous = "a"
    for number, anchor in enumerate("bcdefgh", start=2):
        lines.append(f"    l{number}: &{anchor} [" + ", ".join([f"*{previous}"] * 10) + "]")
        previous = anchor
    lines.append("    sdg_goals: [" + ", ".join([f"*{previous}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def shipped_data() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def entry(data: dict, key: str) -> dict:
    return next(p for p in data["proposals"] if p["key"] == key)


def library_state() -> list[tuple]:
    """Everything the loader may write, to compare before and after."""
    return [
        (
            p.key,
            p.action_area.code,
            p.level.code,
            p.title,
            p.text,
            p.guide_reference,
            p.order,
            p.is_active,
            p.version,
            p.updated_at,
            tuple(s.text for s in p.sub_options.order_by("order")),
            tuple(sorted(g.number for g in p.sdg_goals.all())),
            tuple(sorted(t.code for t in p.sdg_targets.all())),
        )
        for p in LibraryProposal.objects.order_by("key")
    ]


@pytest.fixture
def write_file(tmp_path):
    """Write data (or raw text) to a file and return its path."""

    def write(data, name: str = "library.yaml") -> Path:
        path = tmp_path / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        elif name.endswith(".json"):
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(dump_yaml(data), encoding="utf-8")
        return path

    return write


def load(path, *args) -> str:
    out = StringIO()
    call_command("load_library", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def shipped_library(db):
    load(SHIPPED)
    return LibraryProposal.objects.all()
