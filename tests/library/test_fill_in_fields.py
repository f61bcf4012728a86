"""Fill-in fields in the library format: loading, checking, versions, export and search."""

import pytest

from apps.beleidsvoorstellen.selectors import LibraryFilters, library_browse
from apps.library.models import FieldKind, LibraryField, LibraryProposal
from apps.library.services import LibraryFileError, library_export, library_load

from .conftest import dump_yaml, entry, load, shipped_data

pytestmark = pytest.mark.django_db

FIELDED = {
    "key": "VB-1",
    "action_area": "BK",
    "level": "S",
    "title": "Personeel voor LMB",
    "text": "<p>De gemeente voorziet personeel.</p>",
    "fields": [
        {"label": "Netwerken", "type": "text", "placeholder": "bv. een netwerk", "help": "Noem ze."}
    ],
    "sub_options": [
        "Een keuze zonder velden.",
        {
            "text": "De personeelsinzet wordt uitgebreid.",
            "fields": [
                {"label": "Huidige inzet", "type": "fte", "placeholder": "0,1"},
                {"label": "Budget", "type": "amount"},
                {"label": "Aantal activiteiten", "type": "number"},
            ],
        },
    ],
}


def _load_data(data) -> None:
    library_load(content=dump_yaml(data), filename="library.yaml")


def _fields(key: str) -> list[tuple]:
    return [
        (f.sub_option.text if f.sub_option else None, f.kind, f.label, f.placeholder, f.help)
        for f in LibraryField.objects.filter(proposal__key=key).order_by("order")
    ]


def test_fields_of_the_proposal_and_of_a_sub_option_are_loaded_in_order():
    _load_data({"proposals": [FIELDED]})
    assert _fields("VB-1") == [
        (None, FieldKind.TEXT, "Netwerken", "bv. een netwerk", "Noem ze."),
        ("De personeelsinzet wordt uitgebreid.", FieldKind.FTE, "Huidige inzet", "0,1", ""),
        ("De personeelsinzet wordt uitgebreid.", FieldKind.AMOUNT, "Budget", "", ""),
        ("De personeelsinzet wordt uitgebreid.", FieldKind.NUMBER, "Aantal activiteiten", "", ""),
    ]
    proposal = LibraryProposal.objects.get(key="VB-1")
    assert [o.text for o in proposal.sub_options.order_by("order")] == [
        "Een keuze zonder velden.",
        "De personeelsinzet wordt uitgebreid.",
    ]


def test_export_writes_the_fields_back_and_loading_it_changes_nothing():
    _load_data({"proposals": [FIELDED]})
    exported = library_export()
    assert exported["proposals"][0]["fields"] == FIELDED["fields"]
    assert exported["proposals"][0]["sub_options"] == FIELDED["sub_options"]
    result = library_load(content=dump_yaml(exported), filename="library.yaml")
    assert [row.action for row in result.rows] == ["unchanged"]


def test_a_changed_label_raises_the_version_and_keeps_the_sub_options_linked():
    _load_data({"proposals": [FIELDED]})
    proposal = LibraryProposal.objects.get(key="VB-1")
    options_before = list(proposal.sub_options.order_by("order").values_list("pk", flat=True))
    fields_before = list(proposal.fields.order_by("order").values_list("pk", flat=True))
    changed = {**FIELDED, "fields": [{"label": "Europese netwerken", "type": "text"}]}
    result = library_load(content=dump_yaml({"proposals": [changed]}), filename="library.yaml")
    row = result.rows[0]
    assert row.changed == ("fields",) and row.new_version
    proposal.refresh_from_db()
    assert proposal.version == 2
    assert list(proposal.sub_options.order_by("order").values_list("pk", flat=True)) == (
        options_before
    )
    assert list(proposal.fields.order_by("order").values_list("pk", flat=True)) == fields_before
    assert _fields("VB-1")[0] == (None, FieldKind.TEXT, "Europese netwerken", "", "")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([{"type": "text"}], "'label': ontbreekt."),
        ([{"label": "X", "type": "datum"}], "onbekend veldtype 'datum'"),
        ([{"label": "X", "type": "text", "kleur": "rood"}], "'kleur': onbekend veld"),
        ("Netwerken", "invulvelden: moet een lijst zijn."),
        (["Netwerken"], "moet velden label en type hebben."),
        ([{"label": "X" * 101, "type": "text"}], "is 101 tekens lang; maximaal 100."),
        ([{"label": "X", "type": "text"}] * 11, "11 velden; hoogstens 10."),
    ],
)
def test_a_wrong_field_is_refused_with_its_entry_named_and_nothing_is_loaded(fields, message):
    broken = {**FIELDED, "fields": fields}
    with pytest.raises(LibraryFileError) as refused:
        _load_data({"proposals": [broken]})
    text = "\n".join(refused.value.messages)
    assert "VB-1" in text and message in text, text
    assert not LibraryProposal.objects.exists()


def test_a_sub_option_mapping_needs_text_and_known_keys():
    broken = {**FIELDED, "sub_options": [{"fields": []}, {"text": "Ok", "extra": 1}]}
    with pytest.raises(LibraryFileError) as refused:
        _load_data({"proposals": [broken]})
    text = "\n".join(refused.value.messages)
    assert "suboptie 1, veld 'text': ontbreekt." in text
    assert "suboptie 2, veld 'extra': onbekend veld" in text


def test_shipped_staff_proposals_ask_for_fte_as_fields_not_as_instructions(shipped_library):
    for key in ("BK-S3", "BK-G4", "BK-A2"):
        kinds = {(f.label, f.kind) for f in LibraryField.objects.filter(proposal__key=key)}
        assert ("Gewenste personeelsinzet", FieldKind.FTE) in kinds, key
        assert ("Motivering", FieldKind.TEXT) in kinds, key
        options = " ".join(
            LibraryProposal.objects.get(key=key).sub_options.values_list("text", flat=True)
        )
        assert "bijvoorbeeld" not in options and "motivering waarom" not in options, key
    labels = set(LibraryField.objects.filter(proposal__key="SW-A2").values_list("label", flat=True))
    assert "Netwerken" in labels
    assert "keuzemenu" not in LibraryProposal.objects.get(key="SW-G3").text


def test_loading_the_changed_shipped_library_raises_the_versions_of_the_changed_entries(
    write_file,
):
    old = shipped_data()
    for key in ("BK-S3", "BK-G4", "BK-A2"):
        entry(old, key)["sub_options"] = ["Minstens de huidige inzet behouden.", "Uitbreiden."]
    for key in ("SW-G3", "SW-A2"):
        entry(old, key).pop("fields")
    load(write_file(old))
    load(write_file(shipped_data()))
    versions = dict(LibraryProposal.objects.values_list("key", "version"))
    changed = {"BK-S3", "BK-G4", "BK-A2", "SW-G3", "SW-A2"}
    assert {key for key, version in versions.items() if version == 2} == changed
    assert all(version == 1 for key, version in versions.items() if key not in changed)


def test_search_finds_a_proposal_by_the_label_of_a_fill_in_field(shipped_library):
    found = library_browse(memorandum=None, filters=LibraryFilters(q="financieringsbronnen"))
    assert [p.key for p in found["proposals"]] == ["SW-A2"]
