"""The shipped library and reference files: complete, well-formed and in our own words."""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from apps.library.services import library_parse

from .conftest import shipped_data

pytestmark = pytest.mark.django_db

GUIDE = Path("/work/shared/seeds/000_1ef8853c4f776c70.txt")
REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "lmb_reference.yaml"
# Names and fixed terms we may and must repeat literally.
NAMES = [
    "universele verklaring van de rechten van de mens",
    "europees verdrag voor de rechten van de mens",
    "10 100 1000 steden en regio s voor mensenrechten tegen 2030",
    "artikel 2 van het decreet lokaal bestuur",
    "people planet prosperity peace partnership",
    "kledij voeding en catering kantoormateriaal poetsmateriaal",
    "week van de duurzame gemeente",
    "inleefreizen of stages in het globale zuiden",
    "in de visie en missie van de",
]
RUN = 8


def _words(text: str) -> list[str]:
    text = " ".join(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", text).lower()))
    for name in NAMES:
        text = text.replace(name, "|")
    return text.split()


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {
        tuple(words[i : i + RUN])
        for i in range(len(words) - RUN + 1)
        if "|" not in words[i : i + RUN]
    }


def test_shipped_library_has_the_32_proposals_of_the_guide():
    proposals = shipped_data()["proposals"]
    keys = [p["key"] for p in proposals]
    assert len(keys) == 32 == len(set(keys))
    per_group = Counter((p["action_area"], p["level"]) for p in proposals)
    assert per_group == {
        ("BK", "S"): 4,
        ("BK", "G"): 6,
        ("BK", "A"): 4,
        ("BU", "S"): 2,
        ("BU", "G"): 4,
        ("BU", "A"): 3,
        ("SW", "S"): 1,
        ("SW", "G"): 3,
        ("SW", "A"): 5,
    }
    assert keys[0] == "BK-S1" and keys[-1] == "SW-A5"


def test_shipped_library_passes_the_loader_checks():
    specs = library_parse(data=shipped_data())
    by_key = {spec.key: spec for spec in specs}
    assert "17.2" in by_key["BK-G4"].sdg_targets and "17.2" in by_key["BK-A2"].sdg_targets
    assert "12.7" in by_key["BK-G6"].sdg_targets
    assert len(by_key["BK-G6"].sub_options) == 3
    assert len(by_key["SW-G1"].sub_options) == 4
    assert len(by_key["SW-A5"].sub_options) == 2


def test_shipped_texts_are_short_paragraphs_and_cite_the_guide_without_line_numbers():
    for proposal in shipped_data()["proposals"]:
        assert 1 <= proposal["text"].count("<p>") <= 3, proposal["key"]
        assert proposal["guide_reference"].startswith("Inspiratiegids VVSG"), proposal["key"]
        assert not re.search(r"\d", proposal["guide_reference"]), proposal["key"]


@pytest.mark.skipif(not GUIDE.exists(), reason="the guide is not in this checkout")
def test_texts_do_not_copy_runs_of_the_guide():
    guide = _runs(_words(GUIDE.read_text(encoding="utf-8")))
    reference = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    texts = {
        p["key"]: " ".join([p["title"], p["text"], *p.get("sub_options", [])])
        for p in shipped_data()["proposals"]
    }
    texts |= {r["key"]: r["description_nl"] for r in reference["reasons"]}
    texts |= {e["key"]: e["summary"] for e in reference["practice_examples"]}
    copied = {
        key: [" ".join(run) for run in _runs(_words(text)) & guide] for key, text in texts.items()
    }
    assert {key: runs for key, runs in copied.items() if runs} == {}
