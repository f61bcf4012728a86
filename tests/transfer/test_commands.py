"""The two commands as a user runs them, between two databases: export_municipality on the
old installation, import_municipality on another one that has other municipalities and
some of the same accounts; the municipality read back from the new installation is the one
that was written, row for row (ids aside: the in-process tests check their rewiring)."""

import json
import re

from django.apps import apps

from .conftest import manage

DIGITS = re.compile(r"\d+")
DELETE_DEMODORP = (
    "from apps.core.models import Municipality; "
    "from apps.accounts.models import User; "
    "Municipality.objects.get(nis_code='99001').delete(); "
    "User.objects.get(email='schepen@demo.lmbplanner.be').delete()"
)


def _canonical(value, ids_inside: bool) -> str:
    """``value`` as text; with ``ids_inside`` every number in a text is '#', and an object's
    keys are sorted after that (PostgreSQL's jsonb orders keys by length first)."""

    def walk(item):
        if isinstance(item, dict):
            return sorted([walk(key), walk(val)] for key, val in item.items())
        if isinstance(item, list):
            return [walk(each) for each in item]
        if isinstance(item, str) and ids_inside:
            return DIGITS.sub("#", item)
        return item

    return json.dumps(walk(value), ensure_ascii=False)


def without_ids(data: dict) -> dict[str, list[str]]:
    """Per model, its rows without primary keys, foreign keys and ids inside values, sorted."""
    result = {}
    for section in data["models"]:
        model = apps.get_model(section["model"])
        tracked = getattr(model, "instance_type", None)
        drop = {f.attname for f in model._meta.concrete_fields if f.primary_key or f.is_relation}
        drop |= {"object_id"} | ({tracked._meta.pk.attname} if tracked else set())
        keep = [i for i, name in enumerate(section["fields"]) if name not in drop]
        ids_inside = bool({"part_key", "snapshot", "url"} & set(section["fields"]))
        rows = [_canonical([row[i] for i in keep], ids_inside) for row in section["rows"]]
        result[section["model"]] = sorted(rows)
    return result


def test_export_and_import_between_two_installations(filled_database, databases, tmp_path):
    written = tmp_path / "demodorp.json"
    out = manage("export_municipality", "99001", str(written), database=filled_database)
    assert "Gemeente 99001 geschreven" in out.stdout

    # The other installation: Anderegem and the demo accounts, but not Demodorp nor the schepen.
    target = databases.create(template=filled_database)
    manage("shell", "-c", DELETE_DEMODORP, database=target)

    out = manage("import_municipality", str(written), database=target)
    assert "Gemeente Demodorp (99001) geïmporteerd" in out.stdout
    assert "1 accounts aangemaakt, 3 bestaande accounts gekoppeld" in out.stdout

    again = manage("import_municipality", str(written), database=target, check=False)
    assert again.returncode == 1
    assert "bestaat al in deze installatie" in again.stderr

    read_back = tmp_path / "read-back.json"
    manage("export_municipality", "99001", str(read_back), database=target)
    before, after = json.loads(written.read_text()), json.loads(read_back.read_text())
    assert after["municipality"] == before["municipality"]
    assert without_ids(after) == without_ids(before)
    assert sum(len(rows) for rows in without_ids(before).values()) > 400
    users = {u["email"]: u for u in before["users"]}
    for user in after["users"]:
        assert user["password"] == users[user["email"]]["password"], user["email"]
    assert {u["email"] for u in after["users"]} == set(users)
