"""Dutch titles of the 169 SDG targets (issue 10, point 8): shipped in
apps/core/data/sdg_targets_nl.yml, loaded with the reference data, shown in the Dutch interface;
the English interface keeps the UN's English titles."""

import html
import importlib
import re

import pytest
import yaml
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from apps.core import reference
from apps.core.models import Legislature, SDGTarget
from apps.meerjarenplan import services as plan_services

pytestmark = pytest.mark.django_db

UN_TARGETS = settings.BASE_DIR.parent / "shared" / "data" / "sdg" / "global_targets_en.yml"
ADDRESSED = re.compile(r"\b(je|jij|jou|jouw|jullie|u|uw)\b", re.IGNORECASE)


def un_codes(path) -> list[str]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        f"{m.group(1)}.{m.group(2)}" for m in map(reference.TARGET_KEY.match, raw) if m is not None
    ]


def shipped_titles() -> dict:
    return yaml.safe_load(reference.TARGETS_NL_FILE.read_text(encoding="utf-8"))


def test_every_target_has_a_dutch_title_after_loading():
    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SDGTarget.objects.count() == 169
    assert not SDGTarget.objects.filter(title_nl="").exists()
    assert all(t.title_nl.strip() for t in SDGTarget.objects.all())
    assert SDGTarget.objects.get(code="1.1").title_nl.startswith("Extreme armoede overal")
    assert "0,7 %" in SDGTarget.objects.get(code="17.2").title_nl


def test_the_codes_are_exactly_the_un_targets():
    expected = un_codes(reference.SDG_DIR / "global_targets_en.yml")
    assert len(expected) == 169
    if UN_TARGETS.exists():  # the shared UN list the project's copy was taken from
        assert un_codes(UN_TARGETS) == expected
    titles = shipped_titles()
    # Every key is a quoted string: "1.10" read as a number would collide with "1.1".
    assert all(isinstance(code, str) for code in titles)
    assert sorted(titles) == sorted(expected)
    assert len(titles) == len(set(titles)) == 169
    assert set(SDGTarget.objects.values_list("code", flat=True)) == set(expected)
    assert {"1.a", "10.c", "16.10", "17.19"} <= titles.keys()


def test_the_titles_are_short_plain_and_not_the_english_text():
    english = {t["code"]: t["title_en"] for t in reference.sdg_targets()}
    for code, title in shipped_titles().items():
        assert title == " ".join(title.split()), code
        assert 10 <= len(title) <= 205, code
        assert title != english[code], code
        assert not title.endswith("."), code


def test_no_title_addresses_the_reader():
    offending = {c: t for c, t in shipped_titles().items() if ADDRESSED.search(t)}
    assert offending == {}
    loaded = SDGTarget.objects.values_list("code", "title_nl")
    assert [code for code, title in loaded if ADDRESSED.search(title)] == []
    assert not any(f" {t.lower()}".count(" je ") for _, t in loaded)


def test_the_title_follows_the_language():
    target = SDGTarget.objects.get(code="6.1")
    with translation.override("nl-be"):
        assert target.title == target.title_nl
        assert "drinkwater" in target.title
    with translation.override("en"):
        assert target.title == target.title_en
        assert "drinking water" in target.title


def test_reloading_fills_missing_titles_and_keeps_an_administrators_wording():
    SDGTarget.objects.filter(goal__number=14).update(title_nl="")
    SDGTarget.objects.filter(code="17.2").update(title_nl="Eigen titel van de beheerder")
    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not SDGTarget.objects.filter(title_nl="").exists()
    assert SDGTarget.objects.get(code="14.1").title_nl == shipped_titles()["14.1"]
    assert SDGTarget.objects.get(code="17.2").title_nl == "Eigen titel van de beheerder"
    before = list(SDGTarget.objects.order_by("code").values())
    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(SDGTarget.objects.order_by("code").values()) == before


def test_the_migration_brings_the_titles_to_an_existing_database():
    """A database that loaded its reference data before the Dutch titles existed."""
    SDGTarget.objects.update(title_nl="")
    migration = importlib.import_module("apps.core.migrations.0005_sdg_target_titles_nl")
    migration.fill(django_apps, None)
    assert not SDGTarget.objects.filter(title_nl="").exists()
    assert SDGTarget.objects.get(code="16.10").title_nl == shipped_titles()["16.10"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda titles: titles.pop("8.10"), "no Dutch title for 8.10"),
        (lambda titles: titles.update({"17.20": "Bestaat niet"}), "unknown target 17.20"),
        (lambda titles: titles.update({"5.1": "  "}), "empty title for 5.1"),
    ],
)
def test_a_broken_titles_file_is_refused(tmp_path, monkeypatch, change, message):
    titles = shipped_titles()
    change(titles)
    broken = tmp_path / "sdg_targets_nl.yml"
    broken.write_text(yaml.safe_dump(titles, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(reference, "TARGETS_NL_FILE", broken)
    with pytest.raises(ValueError, match=re.escape(message)):
        reference.sdg_target_titles_nl()


# --- the interface -------------------------------------------------------------------------


@pytest.fixture
def target_form(client, municipality, opsteller):
    """The page where an opsteller picks SDG targets: a new goal of the multiannual plan."""
    plan_services.plan_get_or_create(
        municipality=municipality, legislature=Legislature.objects.current(), by=opsteller
    )
    client.force_login(opsteller)
    return reverse("meerjarenplan:item_create", args=[municipality.nis_code, "doelstelling"])


def test_the_dutch_interface_shows_the_dutch_title(client, target_form):
    page = html.unescape(client.get(target_form).text)
    target = SDGTarget.objects.get(code="6.1")
    assert f"6.1 — {target.title_nl}" in page
    assert target.title_en not in page
    assert "17.2 — Ontwikkelde landen komen hun engagementen" in page


def test_the_english_interface_shows_the_english_title(client, target_form):
    client.post(reverse("set_language"), {"language": "en"})
    page = html.unescape(client.get(target_form).text)
    target = SDGTarget.objects.get(code="6.1")
    assert f"6.1 — {target.title_en}" in page
    assert target.title_nl not in page
