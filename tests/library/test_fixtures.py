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
    "van noord zuid naar mondiaal",
]
RUN = 8

# The Dutch texts of lmb_reference.yaml beyond the reasons, per section; PRINTED are the ones
# that end up in official documents and so address no one as "je".
DUTCH = {
    "practice_examples": ["title", "summary", "worth_copying"],
    "guiding_questions": ["text_nl", "help_nl"],
    "global_figures": ["statement_nl"],
    "indicator_definitions": ["name_nl", "description_nl"],
    "indicator_references": ["label_nl"],
}
PRINTED = {
    "practice_examples": ["summary", "worth_copying"],
    "global_figures": ["statement_nl"],
    "indicator_definitions": ["name_nl", "description_nl"],
    "indicator_references": ["label_nl"],
}
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def reference_texts(reference: dict, fields: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every entry's texts in the given fields, by "section/key"."""
    return {
        f"{section}/{entry['key']}": [entry.get(name) or "" for name in names]
        for section, names in fields.items()
        for entry in reference[section]
    }


def _numbers(text: str) -> set[str]:
    """Numbers with their separators unified: the guide writes 6.5 as well as 108,4."""
    return {n.replace(",", ".") for n in NUMBER.findall(text)}


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


def _field_texts(fields: list[dict]) -> list[str]:
    return [f.get(name, "") for f in fields for name in ("label", "placeholder", "help")]


def _proposal_texts(proposal: dict) -> list[str]:
    """Every text of a library entry: title, text, sub-options and fill-in fields."""
    texts = [proposal["title"], proposal["text"], *_field_texts(proposal.get("fields", []))]
    for option in proposal.get("sub_options", []):
        if isinstance(option, str):
            texts.append(option)
        else:
            texts += [option["text"], *_field_texts(option.get("fields", []))]
    return texts


@pytest.mark.skipif(not GUIDE.exists(), reason="the guide is not in this checkout")
def test_texts_do_not_copy_runs_of_the_guide():
    guide = _runs(_words(GUIDE.read_text(encoding="utf-8")))
    reference = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    texts = {p["key"]: " ".join(_proposal_texts(p)) for p in shipped_data()["proposals"]}
    texts |= {r["key"]: r["description_nl"] for r in reference["reasons"]}
    texts |= {key: " ".join(parts) for key, parts in reference_texts(reference, DUTCH).items()}
    copied = {
        key: [" ".join(run) for run in _runs(_words(text)) & guide] for key, text in texts.items()
    }
    assert {key: runs for key, runs in copied.items() if runs} == {}


def test_texts_for_print_do_not_address_the_reader_informally():
    reference = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    informal = {
        key: INFORMAL.findall(" ".join(texts))
        for key, texts in reference_texts(reference, PRINTED).items()
    }
    assert {key: words for key, words in informal.items() if words} == {}


def test_every_reference_text_has_its_english_translation():
    reference = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    english = {
        "guiding_questions": ["text_en"],
        "global_figures": ["statement_en"],
        "indicator_definitions": ["name_en", "description_en"],
        "indicator_references": ["label_en"],
    }
    missing = {key for key, texts in reference_texts(reference, english).items() if not all(texts)}
    assert missing == set()
    helped = [q for q in reference["guiding_questions"] if q.get("help_nl")]
    assert helped and all(q.get("help_en") for q in helped)


@pytest.mark.skipif(not GUIDE.exists(), reason="the guide is not in this checkout")
def test_global_figures_keep_the_guides_numbers_and_links():
    """The statements are ours, the facts the guide's: every number in a statement, and the
    figure itself, occurs in the guide's list of global figures, and every link is one of the
    guide's (without its tracking parameters)."""
    guide = GUIDE.read_text(encoding="utf-8")
    start = guide.index("Een aantal globale cijfers")
    figures_part = guide[start : guide.index("Praktijkvoorbeelden", start)]
    known = _numbers(figures_part) | {str(n) for n in range(1, 18)}  # "SDG 1" and the like
    for figure in yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))["global_figures"]:
        numbers = _numbers(figure["figure"]) | _numbers(figure["statement_nl"])
        assert numbers - known == set(), figure["key"]
        assert _numbers(figure["figure"]) <= _numbers(figure["statement_nl"]), figure["key"]
        assert figure["source"].strip(), figure["key"]
        assert figure["source_url"] in figures_part, figure["key"]
