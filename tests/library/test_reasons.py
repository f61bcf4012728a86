"""The seven reasons as an official document prints them: formal names and a short argument
each, in Dutch and English, delivered to existing databases by a data migration."""

import importlib
import re

import pytest
import yaml
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation

from apps.library.models import Reason
from tests.beleidsvoorstellen.factories import MemorandumFactory, MemorandumProposalFactory

from .test_fixtures import GUIDE, REFERENCE, _numbers, _runs, _words

pytestmark = pytest.mark.django_db

# Addressing the reader: "je", "jij", "jouw", "u", "uw" and the like have no place in a
# document the college adopts, nor "you" or "your" in its English version.
INFORMAL_NL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie|u|uw)\b", re.IGNORECASE)
INFORMAL_EN = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")

reload_reasons = importlib.import_module("apps.library.migrations.0006_reason_texts").load


def reasons() -> list[Reason]:
    return list(Reason.objects.order_by("order"))


def shipped_reasons() -> dict[str, dict]:
    reference = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    return {entry["key"]: entry for entry in reference["reasons"]}


def texts(reason: Reason) -> dict[str, str]:
    return {
        "name_nl": reason.name_nl,
        "argument_nl": reason.argument_nl,
        "name_en": reason.name_en,
        "argument_en": reason.argument_en,
    }


def test_names_and_arguments_address_no_one():
    informal = {
        f"{reason.key}.{field}": found
        for reason in reasons()
        for field, text in texts(reason).items()
        if (found := (INFORMAL_NL if field.endswith("_nl") else INFORMAL_EN).findall(text))
    }
    assert informal == {}


def test_the_informal_check_catches_the_old_names():
    assert INFORMAL_NL.findall("Je middenveld versterken") == ["Je"]
    assert INFORMAL_NL.findall("Het welzijn van uw inwoners verhogen") == ["uw"]
    assert INFORMAL_NL.findall("Het lokale middenveld versterken") == []
    assert INFORMAL_EN.findall("Enriching your policy with inspiration from abroad") == ["your"]


def test_every_reason_has_a_short_argument_in_dutch_and_english():
    assert len(reasons()) == 7
    for reason in reasons():
        for text in (reason.argument_nl, reason.argument_en):
            assert text.strip(), reason.key
            assert 1 <= len(SENTENCE_END.findall(text)) <= 2, (reason.key, text)
            assert len(text) <= 500, reason.key


def test_arguments_use_the_guides_figures_in_both_languages():
    """Every number in an argument occurs in the guide, and the English argument has the same
    numbers as the Dutch one; the reasons with figures in the guide print them."""
    guide_numbers = _numbers(GUIDE.read_text(encoding="utf-8")) if GUIDE.exists() else None
    by_key = {reason.key: reason for reason in reasons()}
    for reason in by_key.values():
        numbers = _numbers(reason.argument_nl)
        assert _numbers(reason.argument_en) == numbers, reason.key
        if guide_numbers is not None:
            assert numbers <= guide_numbers, reason.key
    assert "65 %" in by_key["sdg-engagement"].argument_nl
    assert "89 %" in by_key["welzijn"].argument_nl
    assert "16 dollar" in by_key["besparen-en-financiering"].argument_nl


@pytest.mark.skipif(not GUIDE.exists(), reason="the guide is not in this checkout")
def test_names_and_arguments_are_in_our_own_words():
    guide = _runs(_words(GUIDE.read_text(encoding="utf-8")))
    copied = {
        reason.key: [" ".join(run) for run in _runs(_words(text)) & guide]
        for reason in reasons()
        for text in (reason.name_nl, reason.argument_nl)
    }
    assert {key: runs for key, runs in copied.items() if runs} == {}


def test_the_argument_follows_the_readers_language():
    reason = Reason.objects.get(key="middenveld")
    with translation.override("nl-be"):
        assert (reason.name, reason.argument) == (reason.name_nl, reason.argument_nl)
    with translation.override("en"):
        assert (reason.name, reason.argument) == (reason.name_en, reason.argument_en)
        reason.argument_en = ""
        assert reason.argument == reason.argument_nl  # not written yet: the Dutch one


def test_the_data_migration_gives_existing_databases_the_new_texts_and_can_run_again():
    """A database that loaded the reasons before 0006 has the informal names and no
    arguments; the migration's loader brings them up to date, and a second run changes
    nothing."""
    old_names = {
        "sdg-engagement": ("Je SDG-engagement concreet maken", "Putting your SDG commitment"),
        "middenveld": ("Je middenveld versterken", "Strengthening civil society"),
        "imago": ("Je gemeente profileren en je imago versterken", "Raising your profile"),
    }
    for key, (name_nl, name_en) in old_names.items():
        Reason.objects.filter(key=key).update(name_nl=name_nl, name_en=name_en)
    Reason.objects.update(argument_nl="", argument_en="")
    ticked = MemorandumProposalFactory(memorandum=MemorandumFactory())
    ticked.reasons.set(Reason.objects.filter(key__in=old_names))
    pks = dict(Reason.objects.values_list("key", "pk"))

    reload_reasons(django_apps, None)
    after_first = [texts(reason) for reason in reasons()]
    reload_reasons(django_apps, None)

    assert [texts(reason) for reason in reasons()] == after_first
    shipped = shipped_reasons()
    for reason in reasons():
        assert texts(reason) == {field: shipped[reason.key][field] for field in texts(reason)}
    assert dict(Reason.objects.values_list("key", "pk")) == pks  # updated in place
    assert set(ticked.reasons.values_list("key", flat=True)) == set(old_names)


def test_memorandum_page_shows_each_ticked_reason_with_its_argument(
    client, opsteller, municipality
):
    memorandum = MemorandumFactory(municipality=municipality)
    proposal = MemorandumProposalFactory(memorandum=memorandum)
    proposal.reasons.set(Reason.objects.filter(key__in=["welzijn", "middenveld"]))
    client.force_login(opsteller)
    page = client.get(
        reverse("beleidsvoorstellen:memorandum", args=[municipality.nis_code])
    ).content.decode()
    for key in ("welzijn", "middenveld"):
        reason = Reason.objects.get(key=key)
        assert reason.name_nl in page
        assert reason.argument_nl.replace("'", "&#x27;") in page
