"""The structures a meerjarenplan can start from, kept as data in
``fixtures/meerjarenplan_structures.yaml``: the guide's four ways of placing local global policy
in a plan. No model holds them: starting copies a structure's skeleton into the plan, so the
file is read once (``AppConfig.ready()`` reads it at start, so a broken file stops the app
instead of a page) and kept in memory."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.models import in_english

STRUCTURES_FILE = Path(settings.BASE_DIR) / "fixtures" / "meerjarenplan_structures.yaml"
EMPTY = "leeg"  # starting without a structure: the plan only


@dataclass(frozen=True)
class Spec:
    """A goal, action plan or action of a structure's skeleton."""

    title_nl: str
    title_en: str
    sdg_goals: tuple[int, ...] = ()
    priority: bool = False
    children: tuple[Spec, ...] = ()

    @property
    def title(self) -> str:
        return self.title_en if in_english() else self.title_nl


@dataclass(frozen=True)
class Structure:
    key: str
    order: int
    example: str  # the municipalities of the guide that worked this way
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str
    goals: tuple[Spec, ...] = field(default=())

    @property
    def name(self) -> str:
        return self.name_en if in_english() else self.name_nl

    @property
    def description(self) -> str:
        return self.description_en if in_english() else self.description_nl

    @property
    def counts(self) -> tuple[int, int, int]:
        plans = [plan for goal in self.goals for plan in goal.children]
        return len(self.goals), len(plans), sum(len(plan.children) for plan in plans)

    @property
    def creates(self) -> str:
        """What starting from it creates, in words: "1 beleidsdoelstelling, 2 actieplannen …"."""
        goals, plans, actions = self.counts
        parts = [
            ngettext("%(n)d beleidsdoelstelling", "%(n)d beleidsdoelstellingen", goals)
            % {"n": goals},
            ngettext("%(n)d actieplan", "%(n)d actieplannen", plans) % {"n": plans},
        ]
        if actions:
            parts.append(ngettext("%(n)d actie", "%(n)d acties", actions) % {"n": actions})
        return _("%(first)s en %(last)s") % {
            "first": ", ".join(parts[:-1]),
            "last": parts[-1],
        }


def _spec(entry: dict, children_key: str | None, grandchildren_key: str | None = None) -> Spec:
    children = ()
    if children_key:
        children = tuple(_spec(child, grandchildren_key) for child in entry.get(children_key) or ())
    return Spec(
        title_nl=" ".join(entry["title_nl"].split()),
        title_en=" ".join(entry["title_en"].split()),
        sdg_goals=tuple(int(n) for n in entry.get("sdg_goals") or ()),
        priority=bool(entry.get("priority", False)),
        children=children,
    )


def load_structures(path: Path = STRUCTURES_FILE) -> list[Structure]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["structures"]
    structures = [
        Structure(
            key=entry["key"],
            order=int(entry["order"]),
            example=entry["example"],
            name_nl=entry["name_nl"],
            name_en=entry["name_en"],
            description_nl=" ".join(entry["description_nl"].split()),
            description_en=" ".join(entry["description_en"].split()),
            goals=tuple(_spec(goal, "action_plans", "actions") for goal in entry["goals"]),
        )
        for entry in data
    ]
    keys = [structure.key for structure in structures]
    if len(set(keys)) != len(keys) or EMPTY in keys:
        raise ValueError(f"{path}: structure keys must be unique and not {EMPTY!r}")
    return sorted(structures, key=lambda structure: structure.order)


@functools.cache
def structures() -> tuple[Structure, ...]:
    """The four structures, in their order."""
    return tuple(load_structures())


def structure(key: str) -> Structure | None:
    return next((s for s in structures() if s.key == key), None)
