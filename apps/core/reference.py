"""Reference data of the guide: the 17 SDGs with their 169 targets, the three action areas and
the three ambition levels.

``ensure_reference_data`` upserts everything and can run any number of times; the data migration
calls it with the historical models, ``manage.py load_reference_data`` with the current ones.
The SDG titles are the UN's (A/RES/71/313) as collected by open-sdg/sdg-translations (MIT);
the Dutch target titles (``data/sdg_targets_nl.yml``) are short summaries written for this project.
"""

import re
from pathlib import Path

import yaml

SDG_DIR = Path(__file__).resolve().parent / "data" / "sdg"
TARGETS_NL_FILE = SDG_DIR.parent / "sdg_targets_nl.yml"

# Dutch short names as used in Flanders, and the official UN colours.
GOALS_NL = {
    1: ("Geen armoede", "#E5243B"),
    2: ("Geen honger", "#DDA63A"),
    3: ("Goede gezondheid en welzijn", "#4C9F38"),
    4: ("Kwaliteitsonderwijs", "#C5192D"),
    5: ("Gendergelijkheid", "#FF3A21"),
    6: ("Schoon water en sanitair", "#26BDE2"),
    7: ("Betaalbare en duurzame energie", "#FCC30B"),
    8: ("Waardig werk en economische groei", "#A21942"),
    9: ("Industrie, innovatie en infrastructuur", "#FD6925"),
    10: ("Ongelijkheid verminderen", "#DD1367"),
    11: ("Duurzame steden en gemeenschappen", "#FD9D24"),
    12: ("Verantwoorde consumptie en productie", "#BF8B2E"),
    13: ("Klimaatactie", "#3F7E44"),
    14: ("Leven in het water", "#0A97D9"),
    15: ("Leven op het land", "#56C02B"),
    16: ("Vrede, justitie en sterke publieke diensten", "#00689D"),
    17: ("Partnerschap om doelstellingen te bereiken", "#19486A"),
}


def pillar_for(number: int) -> str:
    """The five P's: People 1-5, Planet 6 and 12-15, Prosperity 7-11, Peace 16, Partnership 17."""
    if number <= 5:
        return "people"
    if number == 6 or 12 <= number <= 15:
        return "planet"
    if 7 <= number <= 11:
        return "prosperity"
    if number == 16:
        return "peace"
    return "partnership"


# Written for this project, after the three actieterreinen of the VVSG guide.
ACTION_AREAS = [
    {
        "code": "BK",
        "order": 1,
        "name_nl": "Mondiale beleidskeuzes",
        "name_en": "Global policy choices",
        "description_nl": (
            "Wat het gemeentebestuur zelf beslist en doet, afgetoetst aan de gevolgen elders in "
            "de wereld: van aankopen en investeringen tot de plaats van mondiaal beleid in de "
            "eigen organisatie."
        ),
        "description_en": (
            "What the local government itself decides and does, weighed against its effects "
            "elsewhere in the world: from purchasing and investment to the place of global "
            "policy in its own organisation."
        ),
    },
    {
        "code": "BU",
        "order": 2,
        "name_nl": "Mondiaal burgerschap",
        "name_en": "Global citizenship",
        "description_nl": (
            "Inwoners, verenigingen, scholen en bedrijven helpen om wereldburger te zijn: weten "
            "hoe de wereld samenhangt, daar een houding bij vinden en er in het dagelijks leven "
            "naar handelen."
        ),
        "description_en": (
            "Helping residents, associations, schools and businesses act as world citizens: "
            "understanding how the world is connected, taking a stance on it and acting on it "
            "in daily life."
        ),
    },
    {
        "code": "SW",
        "order": 3,
        "name_nl": "Mondiale samenwerking",
        "name_en": "Global cooperation",
        "description_nl": (
            "Samenwerken over grenzen heen: met partnergemeenten in het Zuiden, ngo's, "
            "vierdepijlerorganisaties, diaspora, scholen en netwerken in Europa en daarbuiten."
        ),
        "description_en": (
            "Working together across borders: with partner municipalities in the South, NGOs, "
            "fourth-pillar organisations, diaspora, schools and networks in Europe and beyond."
        ),
    },
]

AMBITION_LEVELS = [
    {
        "code": "S",
        "order": 1,
        "name_nl": "Starten",
        "name_en": "Getting started",
        "description_nl": (
            "Voor een gemeente die de eerste stappen zet: de basis leggen met engagementen, "
            "mensen en middelen die een begin mogelijk maken."
        ),
        "description_en": (
            "For a municipality taking its first steps: laying a foundation of commitments, "
            "people and means that make a start possible."
        ),
    },
    {
        "code": "G",
        "order": 2,
        "name_nl": "Goed bezig",
        "name_en": "Well under way",
        "description_nl": (
            "Voor een gemeente die al werkt rond mondiaal beleid en dat wil verankeren en "
            "verbreden over diensten en beleidsdomeinen heen."
        ),
        "description_en": (
            "For a municipality already working on global policy that wants to anchor it and "
            "widen it across services and policy areas."
        ),
    },
    {
        "code": "A",
        "order": 3,
        "name_nl": "Veel ambitie",
        "name_en": "High ambition",
        "description_nl": (
            "Voor een gemeente die mondiaal beleid strategisch wil maken: een eigen visie, "
            "structurele middelen en nieuwe partnerschappen. Niveaus mogen gemengd worden."
        ),
        "description_en": (
            "For a municipality that wants global policy to be strategic: its own vision, "
            "structural means and new partnerships. Levels may be mixed."
        ),
    },
]

TARGET_KEY = re.compile(r"^(\d+)-([0-9a-z]+)-title$")


def _clean(text: str) -> str:
    return " ".join(str(text).split())


def sdg_goals() -> list[dict]:
    raw = yaml.safe_load((SDG_DIR / "global_goals_en.yml").read_text(encoding="utf-8"))
    goals = []
    for number, (name_nl, colour) in GOALS_NL.items():
        goals.append(
            {
                "number": number,
                "name_nl": name_nl,
                "name_en": _clean(raw[f"{number}-short"]),
                "title_un": _clean(raw[f"{number}-title"]),
                "colour": colour,
                "pillar": pillar_for(number),
            }
        )
    return goals


def sdg_target_titles_nl() -> dict[str, str]:
    """Target code ("1.1" … "17.19") → Dutch title. The codes must be the UN's, every one of
    them: a target without a Dutch title, or a title without a target, is an error in the file."""
    raw = yaml.safe_load(TARGETS_NL_FILE.read_text(encoding="utf-8"))
    titles = {str(code): _clean(title) for code, title in raw.items()}
    un_codes = {f"{m.group(1)}.{m.group(2)}" for m in map(TARGET_KEY.match, _un_targets()) if m}
    if missing := sorted(un_codes - titles.keys()):
        raise ValueError(f"{TARGETS_NL_FILE.name}: no Dutch title for {', '.join(missing)}")
    if extra := sorted(titles.keys() - un_codes):
        raise ValueError(f"{TARGETS_NL_FILE.name}: unknown target {', '.join(extra)}")
    if empty := [code for code, title in titles.items() if not title]:
        raise ValueError(f"{TARGETS_NL_FILE.name}: empty title for {', '.join(empty)}")
    return titles


def _un_targets() -> dict:
    return yaml.safe_load((SDG_DIR / "global_targets_en.yml").read_text(encoding="utf-8"))


def sdg_targets() -> list[dict]:
    raw = _un_targets()
    titles_nl = sdg_target_titles_nl()
    targets = []
    for key, title in raw.items():
        match = TARGET_KEY.match(key)
        if not match:
            continue
        goal, suffix = int(match.group(1)), match.group(2)
        # Numbered targets come before the lettered means of implementation (17.1 … 17.19).
        order = int(suffix) if suffix.isdigit() else 100 + ord(suffix) - ord("a")
        code = f"{goal}.{suffix}"
        targets.append(
            {
                "goal": goal,
                "code": code,
                "title_en": _clean(title),
                "title_nl": titles_nl[code],
                "order": order,
            }
        )
    targets.sort(key=lambda t: (t["goal"], t["order"]))
    return targets


def ensure_reference_data(apps=None) -> None:
    """Create or update every reference row; safe to run again. ``apps`` is a migration's
    app registry, or None for the current models."""
    if apps is None:
        from django.apps import apps as current_apps

        apps = current_apps
    goal_model = apps.get_model("core", "SDGGoal")
    target_model = apps.get_model("core", "SDGTarget")
    area_model = apps.get_model("core", "ActionArea")
    level_model = apps.get_model("core", "AmbitionLevel")
    legislature_model = apps.get_model("core", "Legislature")

    goals = {}
    for goal in sdg_goals():
        number = goal.pop("number")
        goals[number], _ = goal_model.objects.update_or_create(number=number, defaults=goal)
    for target in sdg_targets():
        code = target.pop("code")
        target["goal"] = goals[target["goal"]]
        title_nl = target.pop("title_nl")
        target_model.objects.update_or_create(
            code=code, defaults=target, create_defaults={**target, "title_nl": title_nl}
        )
    fill_target_titles_nl(apps)
    for area in ACTION_AREAS:
        area_model.objects.update_or_create(code=area["code"], defaults=area)
    for level in AMBITION_LEVELS:
        level_model.objects.update_or_create(code=level["code"], defaults=level)
    if not legislature_model.objects.filter(is_current=True).exists():
        legislature_model.objects.update_or_create(
            start_year=2026, defaults={"end_year": 2031, "is_current": True}
        )


def fill_target_titles_nl(apps=None) -> int:
    """Give every SDG target that has no Dutch title yet the one of ``sdg_targets_nl.yml``; a
    title an administrator wrote is kept. Returns how many targets got one. Used by
    ``ensure_reference_data`` and by the migration that brings them to existing databases."""
    if apps is None:
        from django.apps import apps as current_apps

        apps = current_apps
    target_model = apps.get_model("core", "SDGTarget")
    titles = sdg_target_titles_nl()
    empty = [t for t in target_model.objects.filter(title_nl="") if t.code in titles]
    for target in empty:
        target.title_nl = titles[target.code]
    target_model.objects.bulk_update(empty, ["title_nl"])
    return len(empty)
