"""Loading a library file costs little whatever the file holds.

YAML aliases (a "billion laughs"), deep nesting, repeated keys, huge values and odd types are
refused with a Dutch message naming where, never with a traceback, a RecursionError or memory
that grows with what the file expands to; and no message echoes more than about 80 characters
of a value, nor are there ever more than MAX_MESSAGES of them.
"""

import json
import tracemalloc
from datetime import date

import pytest
import yaml
from django.core.management.base import CommandError

from apps.library import services
from apps.library.models import LibraryProposal
from apps.library.services import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_HTML_DEPTH,
    MAX_ITEMS,
    MAX_MESSAGES,
    MAX_PROPOSALS,
    MAX_YAML_VALUES,
    QUOTE_MAX,
    LibraryFileError,
    library_parse,
    library_read,
)

from .conftest import SHIPPED, billion_laughs, entry, library_state, load, shipped_data

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024
LONG = "x" * 100_000
# A message line: the entry's label, the field and the problem, each value quoted in at most
# about 80 characters. The longest fixed texts are some 200 characters.
MAX_LINE = 400


def refusal(path) -> str:
    with pytest.raises(CommandError) as refused:
        load(path)
    return str(refused.value)


def reasons(message: str) -> list[str]:
    """The lines of a refusal that each give one problem ("- …")."""
    return [line[2:] for line in message.splitlines() if line.startswith("- ")]


def peak_memory(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- YAML aliases: the billion laughs -------------------------------------------------------


def test_billion_laughs_is_refused_at_its_first_alias_in_bounded_memory(
    shipped_library, write_file
):
    text = billion_laughs()
    path = write_file(text)
    first_alias = next(n for n, line in enumerate(text.splitlines(), 1) if "*" in line)
    before = library_state()
    messages = []

    peak = peak_memory(lambda: messages.append(refusal(path)))

    assert path.stat().st_size < 700
    assert "niets gewijzigd" in messages[0]
    assert f"op regel {first_alias} een YAML-verwijzing" in messages[0]
    assert "anker" in messages[0] and "alias" in messages[0]
    assert peak < 20 * MiB
    assert library_state() == before


def test_aliases_are_refused_while_composing_before_anything_is_built(monkeypatch):
    built = []
    construct_document = services._LibraryLoader.construct_document

    def spy(loader, node):
        built.append(node)
        return construct_document(loader, node)

    monkeypatch.setattr(services._LibraryLoader, "construct_document", spy)
    library_read(content="proposals: [a]\n", filename="gewoon.yaml")
    assert len(built) == 1  # the spy sees a document that is built

    with pytest.raises(LibraryFileError, match="YAML-verwijzing"):
        library_read(content=billion_laughs(), filename="bom.yaml")

    assert len(built) == 1


def test_an_alias_to_a_single_value_is_refused_too():
    with pytest.raises(LibraryFileError) as refused:
        library_read(
            content="a: &titel Mijn titel\nproposals:\n  - title: *titel\n", filename="x.yml"
        )
    assert refused.value.messages == [
        "Het bestand gebruikt op regel 3 een YAML-verwijzing (een anker met & en een alias met "
        "*); die zijn niet toegestaan in een bibliotheekbestand. Schrijf de waarde telkens voluit."
    ]


def test_export_writes_a_shared_list_out_in_full_so_it_loads_back():
    shared = ["Eerste keuze"]
    text = yaml.dump({"proposals": [shared, shared]}, Dumper=services._ExportDumper)
    assert "*" not in text and "&" not in text
    assert library_read(content=text, filename="x.yaml") == {"proposals": [shared, shared]}


# --- nesting --------------------------------------------------------------------------------

DEEP = {
    "yaml flow lists": ("proposals: " + "[" * 5000 + "]" * 5000 + "\n", "diep.yaml"),
    "yaml flow mappings": ("proposals: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", "diep.yaml"),
    "yaml block lists": ("proposals:\n  " + "- " * 5000 + "x\n", "diep.yaml"),
    "yaml block mappings": ("".join(" " * i + "a:\n" for i in range(1000)), "diep.yaml"),
    "json arrays": ('{"proposals": ' + "[" * 5000 + "]" * 5000 + "}", "diep.json"),
    "json objects": ('{"proposals": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}", "diep.json"),
}


@pytest.mark.parametrize("text, name", DEEP.values(), ids=DEEP.keys())
def test_thousands_of_levels_of_nesting_are_refused_with_a_message(
    shipped_library, write_file, text, name
):
    before = library_state()

    message = refusal(write_file(text, name))

    (problem,) = reasons(message)
    assert problem.startswith("Het bestand is op regel ")
    assert f"te diep genest: meer dan {MAX_DEPTH} niveaus van lijsten en verzamelingen" in problem
    assert library_state() == before


NESTINGS = {
    "yaml flow": ("x.yaml", lambda n: "[" * n + "]" * n),
    "yaml block": ("x.yaml", lambda n: "- " * n + "x"),
    "json": ("x.json", lambda n: "[" * n + "]" * n),
}


@pytest.mark.parametrize("name, nest", NESTINGS.values(), ids=NESTINGS.keys())
def test_nesting_up_to_the_limit_reads_and_one_more_level_is_refused(name, nest):
    value = library_read(content=nest(MAX_DEPTH), filename=name)
    for _level in range(MAX_DEPTH - 1):
        (value,) = value
    assert value in ([], ["x"])

    with pytest.raises(LibraryFileError, match="te diep genest"):
        library_read(content=nest(MAX_DEPTH + 1), filename=name)


def test_more_values_than_a_library_needs_are_refused():
    text = "proposals: [" + "0, " * MAX_YAML_VALUES + "0]\n"
    with pytest.raises(LibraryFileError, match=f"meer dan {MAX_YAML_VALUES} afzonderlijke"):
        library_read(content=text, filename="veel.yaml")


# --- repeated keys: never "the last one wins" -----------------------------------------------


def _position(key: str) -> int:
    return [p["key"] for p in shipped_data()["proposals"]].index(key) + 1


def test_repeated_field_in_a_yaml_entry_names_entry_field_and_line(shipped_library, write_file):
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    at = lines.index("  - key: BK-G1")
    lines.insert(at + 1, "    title: Een tweede titel")
    second = next(n for n in range(at + 2, len(lines)) if lines[n].startswith("    title:")) + 1
    before = library_state()

    message = refusal(write_file("\n".join(lines) + "\n"))

    assert reasons(message) == [
        f"Voorstel BK-G1 (nr. {_position('BK-G1')}), veld 'title': komt meer dan één keer voor "
        f"in dit voorstel (opnieuw op regel {second}); laat er één staan."
    ]
    assert library_state() == before


def test_repeated_field_in_a_json_entry_names_entry_and_field(shipped_library, write_file):
    text = json.dumps(shipped_data(), ensure_ascii=False)
    assert text.count('"key": "BK-G1", ') == 1
    text = text.replace('"key": "BK-G1", ', '"key": "BK-G1", "title": "Een tweede titel", ')
    before = library_state()

    message = refusal(write_file(text, "bibliotheek.json"))

    assert reasons(message) == [
        f"Voorstel BK-G1 (nr. {_position('BK-G1')}), veld 'title': komt meer dan één keer voor "
        "in dit voorstel; laat er één staan."
    ]
    assert library_state() == before


def test_second_proposals_list_in_yaml_is_refused_not_loaded(shipped_library, write_file):
    text = SHIPPED.read_text(encoding="utf-8")
    second = len(text.splitlines()) + 1
    # Loaded as "the last one wins", this would deactivate 31 proposals.
    text += "proposals:\n  - " + json.dumps(entry(shipped_data(), "BK-S1")) + "\n"
    before = library_state()

    message = refusal(write_file(text))

    assert reasons(message) == [
        "Het veld 'proposals' staat meer dan één keer bovenaan het bestand (opnieuw op regel "
        f"{second}); laat er één staan."
    ]
    assert library_state() == before


def test_second_proposals_list_in_json_is_refused_not_loaded(shipped_library, write_file):
    one = json.dumps([entry(shipped_data(), "BK-S1")])
    text = '{"proposals": ' + json.dumps(shipped_data()["proposals"]) + ', "proposals": ' + one
    before = library_state()

    message = refusal(write_file(text + "}", "bibliotheek.json"))

    assert reasons(message) == [
        "Het veld 'proposals' staat meer dan één keer bovenaan het bestand; laat er één staan."
    ]
    assert library_state() == before


# --- no message echoes an unbounded value ---------------------------------------------------


def _set(key, name, value):
    return lambda data: entry(data, key).__setitem__(name, value)


LONG_VALUES = {
    "unknown level": _set("BK-S1", "level", LONG),
    "unknown field name": _set("BK-S1", LONG, 1),
    "key, in the entry's label": _set("BK-S1", "key", LONG),
    "sdg goal that is text": _set("BK-S1", "sdg_goals", [LONG]),
    "sdg goal that is a list": _set("BK-S1", "sdg_goals", [[LONG, LONG]]),
    "unknown sdg target": _set("BK-S1", "sdg_targets", [LONG]),
    "top-level field": lambda data: data.__setitem__(LONG, 1),
    "duplicate proposal key": lambda data: [
        entry(data, key).__setitem__("key", "K" + LONG) for key in ("BK-S1", "BK-S2")
    ],
}


@pytest.mark.parametrize("change", LONG_VALUES.values(), ids=LONG_VALUES.keys())
def test_a_100000_character_value_is_quoted_in_at_most_80_characters(
    shipped_library, write_file, change
):
    data = shipped_data()
    change(data)

    message = refusal(write_file(data))

    assert "…" in message
    assert "x" * (QUOTE_MAX + 1) not in message
    assert max(len(line) for line in reasons(message)) < MAX_LINE


def test_long_file_name_and_long_yaml_problem_are_shortened():
    with pytest.raises(LibraryFileError) as refused:
        library_read(content=b"", filename=LONG)
    assert "…" in refused.value.messages[0] and len(refused.value.messages[0]) < MAX_LINE

    with pytest.raises(LibraryFileError) as refused:
        library_read(content="proposals: !" + LONG + " 1\n", filename="x.yaml")
    assert "…" in refused.value.messages[0] and len(refused.value.messages[0]) < MAX_LINE


def _valid() -> dict:
    return dict(entry(shipped_data(), "BK-S1"))


ODD_DATA = {
    "huge integers": lambda: {
        "proposals": [{**_valid(), "sdg_goals": [10**5000, -(10**5000)], "order": 10**5000}]
    },
    "nan and infinity": lambda: {
        "proposals": [
            {
                **_valid(),
                "sdg_goals": [float("nan"), float("inf")],
                "sdg_targets": [float("nan"), float("-inf")],
                "order": float("nan"),
            }
        ]
    },
    "odd field names": lambda: {
        "proposals": [
            {
                **_valid(),
                frozenset({1, 2}): 1,
                ("a", "b"): 2,
                None: 3,
                1.5: 4,
                10**5000: 5,
                date(2025, 2, 1): 6,
                True: 7,
            }
        ]
    },
    "odd top-level field": lambda: {frozenset({"proposals"}): 1, "proposals": [_valid()]},
    "mappings and lists as values": lambda: {
        "proposals": [
            {
                **_valid(),
                "sdg_goals": [{"a": [LONG] * 1000}],
                "sdg_targets": [[{"b": LONG}]],
                "sub_options": [{"c": 1}],
                "title": {LONG: LONG},
            }
        ]
    },
    "bytes and dates": lambda: {
        "proposals": [{**_valid(), "title": LONG.encode(), "text": date(2025, 1, 1)}]
    },
    "a huge integer as the whole file": lambda: 10**5000,
    "nan as the whole file": lambda: float("nan"),
    "a set of proposals": lambda: {"proposals": {"BK-S1"}},
}


@pytest.mark.parametrize("make", ODD_DATA.values(), ids=ODD_DATA.keys())
def test_odd_values_give_a_short_message_and_nothing_else(make):
    with pytest.raises(LibraryFileError) as refused:
        library_parse(data=make())
    assert refused.value.messages
    assert max(len(message) for message in refused.value.messages) < MAX_LINE


UNSTORABLE = {
    "nul in a title": ("title", "Een\x00titel", "'title': bevat een ongeldig teken (U+0000)"),
    "lone surrogate in a title": (
        "title",
        "Een \ud800 titel",
        "'title': bevat een ongeldig teken (U+D800) op positie 5",
    ),
    "escape character in a sub-option": (
        "sub_options",
        ["Keuze", "Keuze\x1b[31m"],
        "'sub_options': suboptie 2 bevat een ongeldig teken (U+001B)",
    ),
}


@pytest.mark.parametrize("name, value, expected", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_characters_the_database_cannot_store_are_refused_by_name(
    shipped_library, write_file, name, value, expected
):
    data = shipped_data()
    entry(data, "BK-S1")[name] = value
    before = library_state()

    message = refusal(write_file(json.dumps(data), "bibliotheek.json"))

    assert f"Voorstel BK-S1 (nr. 1), veld {expected}" in message
    assert library_state() == before


READER_REFUSALS = {
    "long integer in yaml": ("proposals: [" + "9" * 5000 + "]\n", "x.yaml", "op regel 1 een getal"),
    "long integer in json": ('{"proposals": [' + "9" * 5000 + "]}", "x.json", "een getal van"),
    "impossible date": ("proposals:\n  - 2025-02-30\n", "x.yaml", "'2025-02-30' op regel 2"),
    "merge key": ("proposals:\n  - <<: {key: A}\n    title: B\n", "x.yaml", "samenvoeging ('<<')"),
}


@pytest.mark.parametrize("text, name, expected", READER_REFUSALS.values(), ids=READER_REFUSALS)
def test_values_the_reader_cannot_or_need_not_build_are_refused(
    shipped_library, write_file, text, name, expected
):
    before = library_state()
    assert expected in refusal(write_file(text, name))
    assert library_state() == before


# --- how many messages, and how much work per entry -----------------------------------------


def test_messages_stop_at_the_cap_and_count_the_rest(write_file):
    per_entry = len(_refusal_messages({"proposals": [{"key": "K0"}]}))
    entries = MAX_PROPOSALS
    assert per_entry * entries > MAX_MESSAGES

    problems = reasons(
        refusal(write_file({"proposals": [{"key": f"K{n}"} for n in range(entries)]}))
    )

    assert len(problems) == MAX_MESSAGES + 1
    assert problems[0].startswith("Voorstel K0 (nr. 1)")
    assert problems[-1] == f"… en nog {per_entry * entries - MAX_MESSAGES} fouten."


def _refusal_messages(data) -> list[str]:
    with pytest.raises(LibraryFileError) as refused:
        library_parse(data=data)
    return refused.value.messages


def test_one_entry_with_60000_unknown_fields_gets_a_short_answer(write_file):
    bad = {**_valid(), **{f"veld{n}": 0 for n in range(60_000)}}

    problems = reasons(refusal(write_file({"proposals": [bad]}, "bibliotheek.json")))

    assert len(problems) == MAX_MESSAGES + 1
    assert problems[-1] == f"… en nog {60_000 - MAX_MESSAGES} fouten."


def test_a_file_of_100000_bad_entries_gets_a_short_answer(write_file):
    problems = reasons(refusal(write_file({"proposals": [0] * 100_000}, "bibliotheek.json")))

    assert problems == [
        f"Het bestand bevat 100000 voorstellen; een bibliotheek heeft er hoogstens {MAX_PROPOSALS}."
    ]


def test_long_lists_in_an_entry_are_refused(shipped_library, write_file):
    data = shipped_data()
    entry(data, "BK-S1")["sub_options"] = [f"Keuze {n}" for n in range(MAX_ITEMS + 1)]

    message = refusal(write_file(data))

    assert f"veld 'sub_options': bevat {MAX_ITEMS + 1} elementen; maximaal {MAX_ITEMS}." in message


def test_html_nested_deeper_than_the_limit_is_refused_before_it_is_cleaned(
    shipped_library, write_file
):
    data = shipped_data()
    entry(data, "BK-S1")["text"] = "<ul>" * MAX_HTML_DEPTH + "<li>x</li>" + "</ul>" * MAX_HTML_DEPTH
    load(write_file(data))
    assert LibraryProposal.objects.get(key="BK-S1").text.count("<ul>") == MAX_HTML_DEPTH

    # 200,000 nested lists keep the HTML cleaner busy for minutes.
    entry(data, "BK-S2")["text"] = "<ul>" * 200_000
    before = library_state()

    message = refusal(write_file(data, "bibliotheek.json"))

    assert "Voorstel BK-S2 (nr. 2), veld 'text': de opmaak (HTML) is te diep genest" in message
    assert library_state() == before


# --- the size cap holds before the file is read whole ---------------------------------------


def test_file_over_1_mb_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "groot.yaml"
    with path.open("wb") as file:
        file.truncate(20 * MiB)  # sparse: 20 MB of zero bytes that take no disk space
    messages = []

    peak = peak_memory(lambda: messages.append(refusal(path)))

    assert "Het bestand is groter dan 1 MB." in messages[0]
    assert peak < 5 * MiB


@pytest.mark.parametrize("char", ["#", "é"], ids=["ascii", "two bytes each"])
def test_text_over_1_mb_is_refused_too(char):
    # The admin's confirmation passes the previewed file as text.
    text = char * (MAX_FILE_BYTES // len(char.encode()) + 1)
    with pytest.raises(LibraryFileError, match="groter dan 1 MB"):
        library_read(content=text, filename="x.yaml")
