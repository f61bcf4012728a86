"""manage.py load_library: validation of the whole file first, then an upsert by key."""

import copy
import json

import pytest
import yaml
from django.core.management.base import CommandError

from apps.library.models import LibraryProposal
from apps.library.services import Action, library_export, library_export_yaml, library_load

from .conftest import SHIPPED, dump_yaml, entry, library_state, load, shipped_data
from .factories import LibraryProposalFactory, LibrarySubOptionFactory

pytestmark = pytest.mark.django_db


def test_shipped_file_creates_32_proposals_then_reports_32_unchanged():
    first = load(SHIPPED)
    assert "aangemaakt: 32, bijgewerkt: 0, gedeactiveerd: 0, ongewijzigd: 0" in first
    assert LibraryProposal.objects.active().count() == 32
    before = library_state()

    second = load(SHIPPED)

    assert "aangemaakt: 0, bijgewerkt: 0, gedeactiveerd: 0, ongewijzigd: 32" in second
    assert library_state() == before


def test_loaded_proposal_has_its_relations_and_version_one(shipped_library):
    proposal = LibraryProposal.objects.get(key="BK-G6")
    assert (proposal.action_area.code, proposal.level.code, proposal.version) == ("BK", "G", 1)
    assert (
        proposal.sub_options.order_by("order")
        .first()
        .text.startswith("We behalen de titel FairTradeGemeente")
    )
    assert list(proposal.sdg_goals.values_list("number", flat=True)) == [12]
    assert list(proposal.sdg_targets.values_list("code", flat=True)) == ["12.7"]


# --- every bad input: a Dutch message naming entry and field, non-zero exit, no change ------


def _broken(change):
    data = shipped_data()
    change(data)
    return data


def _set(key, name, value):
    return lambda data: entry(data, key).__setitem__(name, value)


def _drop(key, name):
    return lambda data: entry(data, key).pop(name)


def _duplicate(data):
    data["proposals"].append(copy.deepcopy(entry(data, "BU-S1")))


BAD_ENTRIES = {
    "unknown area": (_set("BK-S1", "action_area", "XX"), ["BK-S1", "action_area", "'XX'"]),
    "level expert": (_set("BK-S2", "level", "expert"), ["BK-S2", "level", "'expert'", "S, G"]),
    "unknown sdg goal": (_set("BK-S3", "sdg_goals", [17, 18]), ["BK-S3", "sdg_goals", "18"]),
    "sdg goal not a number": (_set("BK-S3", "sdg_goals", ["vijf"]), ["BK-S3", "sdg_goals"]),
    "unknown sdg target": (_set("BK-G4", "sdg_targets", ["17.99"]), ["BK-G4", "17.99"]),
    "target as a number": (_set("BK-G4", "sdg_targets", [17.2]), ["BK-G4", "aanhalingstekens"]),
    "duplicate key": (_duplicate, ["BU-S1", "nr. 33", "key", "dubbele sleutel"]),
    "missing title": (_drop("BU-G1", "title"), ["BU-G1", "title", "ontbreekt"]),
    "empty title": (_set("BU-G1", "title", "   "), ["BU-G1", "title", "leeg"]),
    "missing text": (_drop("SW-S1", "text"), ["SW-S1", "text", "ontbreekt"]),
    "empty text": (_set("SW-S1", "text", ""), ["SW-S1", "text", "leeg"]),
    "text empty once sanitised": (
        _set("SW-S1", "text", "<script>alert(1)</script>"),
        ["SW-S1", "text", "opschonen"],
    ),
    "title not text": (_set("SW-G1", "title", ["a", "b"]), ["SW-G1", "title", "tekst"]),
    "sub-options not a list": (_set("SW-G1", "sub_options", "één"), ["SW-G1", "sub_options"]),
    "empty sub-option": (_set("SW-G1", "sub_options", ["ok", ""]), ["SW-G1", "suboptie 2"]),
    "order a boolean": (_set("SW-A1", "order", True), ["SW-A1", "order", "geheel getal"]),
    "negative order": (_set("SW-A1", "order", -1), ["SW-A1", "order"]),
    "unknown field": (_set("SW-A2", "titel", "typo"), ["SW-A2", "'titel'", "onbekend veld"]),
    "title too long": (_set("SW-A3", "title", "x" * 201), ["SW-A3", "title", "200"]),
    "key too long": (_set("SW-A4", "key", "SW-A4-TE-LANG"), ["SW-A4-TE-LANG", "key"]),
    "missing key": (_drop("SW-A5", "key"), ["Voorstel nr. 32", "key", "ontbreekt"]),
    "entry not a mapping": (
        lambda data: data["proposals"].insert(2, "BK-S9"),
        ["Voorstel nr. 3", "verzameling velden"],
    ),
}


@pytest.mark.parametrize("change, expected", BAD_ENTRIES.values(), ids=BAD_ENTRIES.keys())
def test_bad_entry_is_refused_with_entry_and_field_and_nothing_changes(
    shipped_library, write_file, change, expected
):
    before = library_state()
    path = write_file(_broken(change))

    with pytest.raises(CommandError) as refused:
        load(path)

    message = str(refused.value)
    assert "niets gewijzigd" in message
    for part in expected:
        assert part in message
    assert library_state() == before


BAD_FILES = {
    "malformed yaml": ("proposals:\n  - key: [BK-S1\n", "x.yaml", ["Ongeldige YAML", "regel"]),
    "malformed json": ('{"proposals": [', "x.json", ["Ongeldige JSON", "regel 1"]),
    "top level unknown": ("proposals: []\nextra: 1\n", "x.yaml", ["'extra'"]),
    "no proposals list": ("proposals: BK-S1\n", "x.yaml", ["lijst 'proposals'"]),
    "empty proposals": ("proposals: []\n", "x.yaml", ["geen voorstellen"]),
    "unknown extension": ("proposals: []\n", "x.txt", ["Onbekend bestandstype", ".txt"]),
}


@pytest.mark.parametrize("text, name, expected", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_unreadable_file_is_refused_and_nothing_changes(
    shipped_library, write_file, text, name, expected
):
    before = library_state()
    with pytest.raises(CommandError) as refused:
        load(write_file(text, name))
    for part in expected:
        assert part in str(refused.value)
    assert library_state() == before


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"Kan .* niet lezen"):
        load(tmp_path / "bestaat-niet.yaml")


def test_error_in_the_last_entry_keeps_the_valid_entries_before_it_out(write_file):
    data = shipped_data()
    data["proposals"][-1]["level"] = "expert"
    with pytest.raises(CommandError):
        load(write_file(data))
    assert not LibraryProposal.objects.exists()


def test_every_error_of_the_file_is_reported_at_once(write_file):
    data = shipped_data()
    entry(data, "BK-S1")["level"] = "expert"
    entry(data, "SW-A5")["sdg_goals"] = [0]
    with pytest.raises(CommandError) as refused:
        load(write_file(data))
    assert "BK-S1" in str(refused.value) and "SW-A5" in str(refused.value)


# --- upsert by key ----------------------------------------------------------------------


def test_changed_text_updates_the_entry_and_bumps_its_version(shipped_library, write_file):
    data = shipped_data()
    entry(data, "BU-G1")["text"] = "<p>Nieuwe tekst over MVO.</p>"

    output = load(write_file(data))

    assert "aangemaakt: 0, bijgewerkt: 1, gedeactiveerd: 0, ongewijzigd: 31" in output
    proposal = LibraryProposal.objects.get(key="BU-G1")
    assert (proposal.text, proposal.version) == ("<p>Nieuwe tekst over MVO.</p>", 2)
    assert LibraryProposal.objects.get(key="BU-G2").version == 1


def test_changed_sub_options_bump_the_version_and_replace_the_list(shipped_library, write_file):
    data = shipped_data()
    entry(data, "BU-G3")["sub_options"] = ["Wereldwaterdag", "De campagne van 11.11.11"]

    load(write_file(data))

    proposal = LibraryProposal.objects.get(key="BU-G3")
    assert proposal.version == 2
    assert [s.text for s in proposal.sub_options.order_by("order")] == [
        "Wereldwaterdag",
        "De campagne van 11.11.11",
    ]


def test_changed_sdgs_or_order_update_without_a_new_version(shipped_library, write_file):
    data = shipped_data()
    entry(data, "SW-A3")["sdg_goals"] = [11, 16, 17]
    entry(data, "SW-A3")["order"] = 9

    output = load(write_file(data))

    assert "bijgewerkt: 1" in output
    proposal = LibraryProposal.objects.get(key="SW-A3")
    assert (proposal.order, proposal.version) == (9, 1)
    assert sorted(proposal.sdg_goals.values_list("number", flat=True)) == [11, 16, 17]


def test_entry_missing_from_the_file_is_deactivated_not_deleted(shipped_library, write_file):
    data = shipped_data()
    data["proposals"] = [p for p in data["proposals"] if p["key"] != "SW-A4"]

    output = load(write_file(data))

    assert "gedeactiveerd: 1, ongewijzigd: 31" in output
    proposal = LibraryProposal.objects.get(key="SW-A4")
    assert proposal.is_active is False
    assert LibraryProposal.objects.count() == 32
    assert "gedeactiveerd: 0, ongewijzigd: 31" in load(write_file(data))


def test_deactivated_entry_that_comes_back_is_reactivated(shipped_library, write_file):
    LibraryProposal.objects.filter(key="SW-A4").update(is_active=False)

    output = load(SHIPPED)

    assert "aangemaakt: 0, bijgewerkt: 1, gedeactiveerd: 0, ongewijzigd: 31" in output
    proposal = LibraryProposal.objects.get(key="SW-A4")
    assert proposal.is_active is True
    assert proposal.version == 1  # the wording did not change


def test_entry_edited_outside_the_file_is_brought_back_in_line(shipped_library):
    proposal = LibraryProposal.objects.get(key="BK-S1")
    LibrarySubOptionFactory(proposal=proposal, text="Met de hand toegevoegd")

    load(SHIPPED)

    proposal.refresh_from_db()
    assert proposal.version == 2
    assert not proposal.sub_options.exists()


def test_dry_run_reports_the_counts_and_writes_nothing(write_file):
    LibraryProposalFactory(key="OUD-1")
    before = library_state()

    output = load(SHIPPED, "--dry-run")

    assert "Proefdraai" in output
    assert "aangemaakt: 32, bijgewerkt: 0, gedeactiveerd: 1, ongewijzigd: 0" in output
    assert library_state() == before


def test_dry_run_of_changes_writes_nothing(shipped_library, write_file):
    data = shipped_data()
    entry(data, "BK-S1")["title"] = "Een andere titel"
    before = library_state()

    output = load(write_file(data), "--dry-run")

    assert "bijgewerkt: 1" in output
    assert library_state() == before


def test_json_file_loads_like_the_yaml_file(write_file):
    output = load(write_file(shipped_data(), "library.json"))

    assert "aangemaakt: 32" in output
    assert "ongewijzigd: 32" in load(SHIPPED)


def test_text_is_sanitised_before_it_is_saved_and_compared(shipped_library, write_file):
    data = shipped_data()
    entry(data, "BK-S1")["text"] = '<p onclick="steel()">Veilig<script>x()</script></p>'

    load(write_file(data))
    again = load(write_file(data))

    assert LibraryProposal.objects.get(key="BK-S1").text == "<p>Veilig</p>"
    assert "ongewijzigd: 32" in again


def test_import_result_lists_what_happened_per_key(shipped_library):
    data = shipped_data()
    entry(data, "BK-S1")["title"] = "Anders"
    result = library_load(content=dump_yaml(data), filename="x.yaml", dry_run=True)
    rows = {row.key: row for row in result.rows}
    assert rows["BK-S1"].action == Action.UPDATED
    assert rows["BK-S1"].changed == ("title",) and rows["BK-S1"].new_version
    assert rows["BK-S2"].action == Action.UNCHANGED


# --- export -----------------------------------------------------------------------------


def test_exported_yaml_loads_back_as_all_unchanged(shipped_library, write_file):
    before = library_state()

    output = load(write_file(library_export_yaml()))

    assert "aangemaakt: 0, bijgewerkt: 0, gedeactiveerd: 0, ongewijzigd: 32" in output
    assert library_state() == before


def test_exported_json_loads_back_as_all_unchanged(shipped_library, write_file):
    path = write_file(json.dumps(library_export()), "export.json")
    assert "ongewijzigd: 32" in load(path)


def test_export_leaves_out_deactivated_proposals(shipped_library):
    LibraryProposal.objects.filter(key="SW-A4").update(is_active=False)
    keys = [p["key"] for p in library_export()["proposals"]]
    assert len(keys) == 31 and "SW-A4" not in keys


def test_export_quotes_targets_so_yaml_keeps_them_text(shipped_library):
    exported = yaml.safe_load(library_export_yaml())
    assert entry(exported, "BK-G4")["sdg_targets"] == ["17.2"]
    assert entry(exported, "SW-A5")["sdg_targets"] == ["16.b"]
