"""Fill-in fields in the memorandum: adopted empty with the library's suggestions, filled in on
the edit page (Belgian numbers, Dutch messages), printed only when filled (and ticked)."""

import re

import pytest
from django.urls import reverse

from apps.beleidsvoorstellen import services
from apps.beleidsvoorstellen.models import MemorandumField
from apps.documents import registry
from apps.documents.pdf import render_pdf
from apps.library.models import FieldKind, LibraryField, LibraryProposal
from tests.documents.conftest import flat, pdf_pages
from tests.library.conftest import SHIPPED, load

from .factories import LibraryProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fielded(db):
    """A library proposal with a field of its own and two fields on its second sub-option."""
    proposal = LibraryProposalFactory(
        title="Personeel voor LMB", options=["Inzet behouden.", "Inzet uitbreiden."]
    )
    second = proposal.sub_options.order_by("order").last()
    LibraryField.objects.create(
        proposal=proposal, kind=FieldKind.TEXT, label="Netwerken", placeholder="bv. X", order=1
    )
    LibraryField.objects.create(
        proposal=proposal,
        sub_option=second,
        kind=FieldKind.FTE,
        label="Gewenste personeelsinzet",
        placeholder="0,2",
        order=2,
    )
    LibraryField.objects.create(
        proposal=proposal,
        sub_option=second,
        kind=FieldKind.AMOUNT,
        label="Werkingsbudget",
        placeholder="bv. 25.000",
        order=3,
    )
    return proposal


@pytest.fixture
def adopted_fielded(memorandum, fielded, opsteller):
    return services.proposal_adopt(memorandum=memorandum, library_proposal=fielded, by=opsteller)


def _edit_url(municipality, proposal) -> str:
    return reverse("beleidsvoorstellen:proposal_edit", args=[municipality.nis_code, proposal.pk])


def _post(proposal, values: dict[str, str], *, tick_second=True) -> dict:
    fields = {f.label: f for f in proposal.fields.all()}
    second = proposal.sub_options.order_by("order").last()
    data = {
        "title": proposal.title,
        "text": proposal.text,
        "justification": "",
        "priority": proposal.priority,
        "version": proposal.version,
        **{f"invulveld_{fields[label].pk}": value for label, value in values.items()},
    }
    if tick_second:
        data["ticked_sub_options"] = [second.pk]
    return data


def test_adopting_copies_the_fields_empty_with_their_suggestions(adopted_fielded):
    fields = list(adopted_fielded.fields.order_by("order"))
    assert [(f.label, f.kind, f.placeholder, f.value) for f in fields] == [
        ("Netwerken", "text", "bv. X", ""),
        ("Gewenste personeelsinzet", "fte", "0,2", ""),
        ("Werkingsbudget", "amount", "bv. 25.000", ""),
    ]
    assert fields[0].sub_option is None
    assert fields[1].sub_option.text == "Inzet uitbreiden."


def test_edit_page_shows_each_field_with_its_unit_and_the_suggestion_as_placeholder(
    client, opsteller, municipality, adopted_fielded
):
    client.force_login(opsteller)
    page = client.get(_edit_url(municipality, adopted_fielded)).content.decode()
    assert "Gewenste personeelsinzet (VTE)" in page
    assert "Werkingsbudget (euro)" in page
    assert 'placeholder="0,2"' in page
    assert "Bij de keuze “Inzet uitbreiden.”: alleen afgedrukt als die aangevinkt is." in page
    # A suggestion is a placeholder, never a value that would be saved and printed.
    assert 'value="0,2"' not in page


def test_values_typed_the_belgian_way_are_stored_and_shown_again(
    client, opsteller, municipality, adopted_fielded
):
    client.force_login(opsteller)
    data = _post(
        adopted_fielded,
        {
            "Netwerken": "  Platforma ",
            "Gewenste personeelsinzet": "0,25",
            "Werkingsbudget": "1.500,5",
        },
    )
    response = client.post(_edit_url(municipality, adopted_fielded), data)
    assert response.status_code == 302
    values = dict(adopted_fielded.fields.values_list("label", "value"))
    assert values == {
        "Netwerken": "Platforma",
        "Gewenste personeelsinzet": "0.25",
        "Werkingsbudget": "1500.5",
    }
    page = client.get(_edit_url(municipality, adopted_fielded)).content.decode()
    assert 'value="0,25"' in page and 'value="1.500,50"' in page


@pytest.mark.parametrize(
    ("label", "typed", "message"),
    [
        ("Gewenste personeelsinzet", "twee", "Geef een aantal VTE, bijvoorbeeld 0,2 of 1,5."),
        ("Gewenste personeelsinzet", "-1", "Geef een getal dat niet negatief is."),
        ("Gewenste personeelsinzet", "0,125", "Geef hoogstens 2 cijfers na de komma."),
        ("Gewenste personeelsinzet", "1" * 30, "Dat is meer dan 9.999 VTE; kijk het getal na."),
        ("Werkingsbudget", "veel", "Geef een bedrag in euro, bijvoorbeeld 40.000 of 1.234,56."),
        ("Netwerken", "x" * 501, "niet meer dan 500 tekens bevat (het zijn er nu 501)"),
    ],
)
def test_a_wrong_value_is_refused_in_dutch_and_nothing_is_saved(
    client, opsteller, municipality, adopted_fielded, label, typed, message
):
    client.force_login(opsteller)
    values = {"Netwerken": "Platforma", label: typed}
    data = _post(adopted_fielded, values)
    data["title"] = "Een nieuwe titel"
    response = client.post(_edit_url(municipality, adopted_fielded), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    adopted_fielded.refresh_from_db()
    assert adopted_fielded.title == "Personeel voor LMB"
    assert set(adopted_fielded.fields.values_list("value", flat=True)) == {""}


def test_a_field_id_of_another_proposal_changes_nothing(
    client, opsteller, municipality, memorandum, adopted_fielded
):
    other = services.proposal_adopt(
        memorandum=memorandum, library_proposal=_second_fielded(), by=opsteller
    )
    foreign = other.fields.first()
    client.force_login(opsteller)
    data = _post(adopted_fielded, {"Netwerken": "eigen"})
    data[f"invulveld_{foreign.pk}"] = "ingeschoven"
    assert client.post(_edit_url(municipality, adopted_fielded), data).status_code == 302
    foreign.refresh_from_db()
    assert foreign.value == ""


def _second_fielded():
    proposal = LibraryProposalFactory(title="Een ander voorstel")
    LibraryField.objects.create(proposal=proposal, kind=FieldKind.TEXT, label="Ander veld")
    return proposal


def test_taking_over_a_changed_library_entry_keeps_the_values_and_adds_new_fields(
    opsteller, adopted_fielded, fielded
):
    MemorandumField.objects.filter(proposal=adopted_fielded, label="Netwerken").update(
        value="Platforma"
    )
    LibraryField.objects.filter(proposal=fielded, label="Netwerken").update(
        label="Europese netwerken"
    )
    LibraryField.objects.create(proposal=fielded, kind=FieldKind.NUMBER, label="Aantal", order=4)
    LibraryProposal.objects.filter(pk=fielded.pk).update(version=2)
    adopted_fielded.refresh_from_db()
    services.proposal_accept_library_change(
        proposal=adopted_fielded,
        replace_text=True,
        expected_version=adopted_fielded.version,
        by=opsteller,
    )
    values = dict(adopted_fielded.fields.values_list("label", "value"))
    assert values["Europese netwerken"] == "Platforma"
    assert values["Aantal"] == ""
    assert len(values) == 4


# --- print ----------------------------------------------------------------------------------


def _pdf_text(memorandum) -> str:
    document = registry.build(registry.get("memorandum"), memorandum)
    pdf = render_pdf(template_name=document.template_name, context=document.context)
    return flat(" ".join(pdf_pages(pdf)))


def test_only_filled_fields_of_ticked_options_and_of_the_proposal_are_printed(
    memorandum, adopted_fielded
):
    fields = {f.label: f for f in adopted_fielded.fields.all()}
    fields["Netwerken"].value = "Platforma"
    fields["Gewenste personeelsinzet"].value = "0.2"
    MemorandumField.objects.bulk_update(fields.values(), ["value"])
    second = adopted_fielded.sub_options.order_by("order").last()

    text = _pdf_text(memorandum)
    assert "Netwerken: Platforma" in text
    # The option is not ticked: its fields are not printed, filled or not.
    assert "Gewenste personeelsinzet" not in text

    second.ticked = True
    second.save()
    text = _pdf_text(memorandum)
    assert "Inzet uitbreiden. Gewenste personeelsinzet: 0,2 VTE" in text
    assert "Werkingsbudget" not in text  # empty
    assert "bv. X" not in text and "bv. 25.000" not in text


# What the guide addresses to the drafter, in the wording the old library printed as content.
INSTRUCTIONS = re.compile(
    r"bijvoorbeeld van 0,1|met een motivering waarom|keuzemenu|zo concreet mogelijk|"
    r"geef (ook )?aan|verduidelijk|\bnoot\b|\b(je|jij|jouw|jullie)\b",
    re.IGNORECASE,
)


def test_no_text_for_the_drafter_is_printed_with_every_shipped_sub_option_ticked(
    memorandum, opsteller
):
    load(SHIPPED)
    for library_proposal in LibraryProposal.objects.active():
        services.proposal_adopt(
            memorandum=memorandum, library_proposal=library_proposal, by=opsteller
        )
    assert memorandum.proposals.count() == 32
    for proposal in memorandum.proposals.all():
        proposal.sub_options.update(ticked=True)
    text = _pdf_text(memorandum)
    assert INSTRUCTIONS.findall(text) == []
    for field in LibraryField.objects.all():
        for for_the_drafter in (field.placeholder, field.help):
            if for_the_drafter:
                assert flat(for_the_drafter) not in text, field.label
        assert f"{field.label}:" not in text  # no value, so no label either


def test_the_memorandum_page_shows_what_was_filled_in_as_the_pdf_does(
    client, lezer, municipality, adopted_fielded
):
    fields = {f.label: f for f in adopted_fielded.fields.all()}
    fields["Netwerken"].value = "Platforma"
    fields["Gewenste personeelsinzet"].value = "0.2"
    MemorandumField.objects.bulk_update(fields.values(), ["value"])
    adopted_fielded.sub_options.filter(text="Inzet uitbreiden.").update(ticked=True)
    client.force_login(lezer)
    page = client.get(
        reverse("beleidsvoorstellen:memorandum", args=[municipality.nis_code])
    ).content.decode()
    assert re.search(r"Netwerken:</dt>\s*<dd[^>]*>Platforma</dd>", page)
    assert re.search(r"Gewenste personeelsinzet:</dt>\s*<dd[^>]*>0,2 VTE</dd>", page)
    assert "Werkingsbudget:" not in page  # empty, so not shown
    assert "bv. 25.000" not in page


def test_the_library_names_the_fields_to_fill_in_after_adopting(
    client, opsteller, municipality, fielded
):
    # A second sub-option asking the same thing: its label is named once.
    LibraryField.objects.create(
        proposal=fielded,
        sub_option=fielded.sub_options.order_by("order").first(),
        kind=FieldKind.FTE,
        label="Gewenste personeelsinzet",
        order=4,
    )
    client.force_login(opsteller)
    page = client.get(
        reverse("beleidsvoorstellen:library", args=[municipality.nis_code])
    ).content.decode()
    assert "Na overname in te vullen: Netwerken, Gewenste personeelsinzet, Werkingsbudget<" in page
