"""The beheer pages of the library: lists, edits, and import with preview and confirmation."""

import json
import re
import tracemalloc

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.library.admin import IMPORT_SALT
from apps.library.models import LibraryProposal
from apps.library.services import MAX_FILE_BYTES, MAX_MESSAGES
from tests.factories import UserFactory

from .conftest import SHIPPED, billion_laughs, dump_yaml, entry, library_state, shipped_data

pytestmark = pytest.mark.django_db

BACKEND = "django.contrib.auth.backends.ModelBackend"
IMPORT_URL = reverse("admin:library_libraryproposal_import")
EXPORT_URL = reverse("admin:library_libraryproposal_export")
CHANGELIST_URL = reverse("admin:library_libraryproposal_changelist")


@pytest.fixture
def beheerder(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user, backend=BACKEND)
    return user


def _upload(data, name="bibliotheek.yaml"):
    content = data if isinstance(data, str) else dump_yaml(data)
    return SimpleUploadedFile(name, content.encode("utf-8"))


def _payload(response) -> str:
    match = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    assert match, "the preview has no confirm form"
    return match.group(1)


@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST_URL,
        reverse("admin:library_libraryproposal_add"),
        reverse("admin:library_reason_changelist"),
        reverse("admin:library_practiceexample_changelist"),
        IMPORT_URL,
    ],
)
def test_library_admin_pages_open_for_a_beheerder(client, beheerder, shipped_library, url):
    assert client.get(url).status_code == 200


def test_changelist_links_to_import_and_export(client, beheerder, shipped_library):
    page = client.get(CHANGELIST_URL).content.decode()
    assert IMPORT_URL in page and EXPORT_URL in page
    assert "BK-S1" in page


def test_change_page_of_a_proposal_shows_its_sub_options(client, beheerder, shipped_library):
    proposal = LibraryProposal.objects.get(key="BK-G6")
    page = client.get(reverse("admin:library_libraryproposal_change", args=[proposal.pk]))
    assert "duurzaamheidsambtenaar" in page.content.decode()


def test_import_preview_shows_what_will_change_and_writes_nothing(
    client, beheerder, shipped_library
):
    data = shipped_data()
    entry(data, "BK-S1")["title"] = "Een nieuwe titel"
    data["proposals"] = [p for p in data["proposals"] if p["key"] != "SW-A5"]
    data["proposals"].append({**entry(data, "SW-A4"), "key": "SW-A6", "order": 6})
    before = library_state()

    response = client.post(IMPORT_URL, {"file": _upload(data)})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-preview"' in page
    assert "Een nieuwe titel" in page and "nieuwe versie" in page
    assert "Aangemaakt: 1" in page and "Bijgewerkt: 1" in page
    assert "Gedeactiveerd: 1" in page and "Ongewijzigd: 30" in page
    assert library_state() == before


def test_confirming_the_preview_performs_the_import(client, beheerder, shipped_library):
    data = shipped_data()
    entry(data, "BK-S1")["title"] = "Een nieuwe titel"
    preview = client.post(IMPORT_URL, {"file": _upload(data)})

    response = client.post(IMPORT_URL, {"payload": _payload(preview)}, follow=True)

    assert response.redirect_chain[-1][0] == CHANGELIST_URL
    assert "bijgewerkt: 1" in response.content.decode()
    proposal = LibraryProposal.objects.get(key="BK-S1")
    assert (proposal.title, proposal.version) == ("Een nieuwe titel", 2)


def test_import_of_an_empty_library_creates_all_from_a_json_upload(client, beheerder):
    upload = _upload(json.dumps(shipped_data()), "bibliotheek.json")
    preview = client.post(IMPORT_URL, {"file": upload})
    assert "Aangemaakt: 32" in preview.content.decode()

    client.post(IMPORT_URL, {"payload": _payload(preview)})

    assert LibraryProposal.objects.count() == 32


def test_import_with_errors_shows_them_in_dutch_and_offers_no_confirm(
    client, beheerder, shipped_library
):
    data = shipped_data()
    entry(data, "BK-S2")["level"] = "expert"
    before = library_state()

    response = client.post(IMPORT_URL, {"file": _upload(data)})

    page = response.content.decode()
    assert 'id="import-errors"' in page
    assert "Voorstel BK-S2 (nr. 2), veld &#x27;level&#x27;" in page
    assert "expert" in page
    assert 'name="payload"' not in page
    assert library_state() == before


def test_tampered_payload_is_refused_and_nothing_changes(client, beheerder, shipped_library):
    data = shipped_data()
    entry(data, "BK-S1")["title"] = "Een nieuwe titel"
    payload = _payload(client.post(IMPORT_URL, {"file": _upload(data)}))
    before = library_state()

    response = client.post(IMPORT_URL, {"payload": payload[:-3] + "abc"}, follow=True)

    assert "verlopen of ongeldig" in response.content.decode()
    assert library_state() == before


def test_export_downloads_the_library_as_yaml_that_imports_as_unchanged(
    client, beheerder, shipped_library
):
    response = client.get(EXPORT_URL)

    assert response["Content-Type"].startswith("application/yaml")
    assert "attachment" in response["Content-Disposition"]
    exported = response.content.decode()
    preview = client.post(IMPORT_URL, {"file": _upload(exported)})
    assert "Ongewijzigd: 32" in preview.content.decode()
    assert "Bijgewerkt: 0" in preview.content.decode()


def test_editing_the_title_in_the_admin_bumps_the_version(client, beheerder, shipped_library):
    proposal = LibraryProposal.objects.get(key="BU-G1")
    url = reverse("admin:library_libraryproposal_change", args=[proposal.pk])
    form = {
        "key": proposal.key,
        "action_area": proposal.action_area_id,
        "level": proposal.level_id,
        "order": proposal.order,
        "title": "MVO-bedrijven ondersteunen",
        "text": '<p onclick="x()">Nieuwe tekst</p>',
        "sdg_goals": [g.pk for g in proposal.sdg_goals.all()],
        "sdg_targets": [t.pk for t in proposal.sdg_targets.all()],
        "guide_reference": proposal.guide_reference,
        "is_active": "on",
        "sub_options-TOTAL_FORMS": "0",
        "sub_options-INITIAL_FORMS": "0",
        "fields-TOTAL_FORMS": "0",
        "fields-INITIAL_FORMS": "0",
    }

    response = client.post(url, form)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.text, proposal.version) == (
        "MVO-bedrijven ondersteunen",
        "<p>Nieuwe tekst</p>",
        2,
    )


def test_import_and_export_are_for_staff_only(client, shipped_library):
    member = UserFactory()
    client.force_login(member, backend=BACKEND)

    for url in (IMPORT_URL, EXPORT_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_staff_without_library_rights_may_not_import(client, shipped_library):
    client.force_login(UserFactory(is_staff=True), backend=BACKEND)
    before = library_state()

    response = client.post(IMPORT_URL, {"file": _upload(SHIPPED.read_text(encoding="utf-8"))})

    assert response.status_code == 403
    assert client.get(EXPORT_URL).status_code == 403
    assert library_state() == before


# --- bounded refusals: on the page, never a 500 ---------------------------------------------


def _refused_on_the_page(response) -> str:
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in page
    assert 'name="file"' in page  # the form, to try again
    assert 'name="payload"' not in page
    return page


def test_billion_laughs_upload_is_refused_on_the_page_in_bounded_memory(
    client, beheerder, shipped_library
):
    before = library_state()
    responses = []

    tracemalloc.start()
    try:
        responses.append(client.post(IMPORT_URL, {"file": _upload(billion_laughs())}))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    page = _refused_on_the_page(responses[0])
    assert "YAML-verwijzing" in page
    assert peak < 20 * 1024 * 1024
    assert library_state() == before


def _repeated_title(data) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return text.replace('"key": "BK-G1", ', '"key": "BK-G1", "title": "Tweede titel", ')


BOUNDED = {
    "deep yaml": ("proposals: " + "[" * 5000 + "]" * 5000, "diep.yaml", ["te diep genest"]),
    "deep json": ('{"proposals": ' + "[" * 5000 + "]" * 5000 + "}", "diep.json", ["te diep"]),
    "repeated field": (
        _repeated_title(shipped_data()),
        "dubbel.json",
        ["Voorstel BK-G1", "&#x27;title&#x27;: komt meer dan één keer voor"],
    ),
    "repeated proposals": (
        "proposals:\n  - key: A\nproposals:\n  - key: B\n",
        "dubbel.yaml",
        ["&#x27;proposals&#x27; staat meer dan één keer bovenaan", "regel 3"],
    ),
    "long value": (
        "proposals:\n  - level: " + "x" * 100_000 + "\n",
        "lang.yaml",
        ["&#x27;level&#x27;: onbekend ambitieniveau", "…"],
    ),
    "many problems": (
        json.dumps({"proposals": [{"key": f"K{n}"} for n in range(200)]}),
        "veel.json",
        ["… en nog"],
    ),
}


@pytest.mark.parametrize("text, name, expected", BOUNDED.values(), ids=BOUNDED.keys())
def test_bounded_refusals_are_shown_on_the_page(
    client, beheerder, shipped_library, text, name, expected
):
    before = library_state()

    page = _refused_on_the_page(client.post(IMPORT_URL, {"file": _upload(text, name)}))

    for part in expected:
        assert part in page
    assert "x" * 81 not in page
    assert page.count("<li>") < MAX_MESSAGES + 20  # the messages, plus the admin's own
    assert library_state() == before


def test_upload_over_1_mb_is_refused_by_its_size_before_it_is_read(
    client, beheerder, shipped_library, monkeypatch
):
    def read_nothing(**kwargs):
        raise AssertionError("an upload over the cap was read")

    monkeypatch.setattr("apps.library.admin.library_load", read_nothing)
    upload = SimpleUploadedFile("groot.yaml", b"#" * (MAX_FILE_BYTES + 1))
    before = library_state()

    response = client.post(IMPORT_URL, {"file": upload})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Het bestand is groter dan 1 MB." in page and 'name="file"' in page
    assert library_state() == before


CONFIRMED = {
    "billion laughs": ("bom.yaml", billion_laughs(), "YAML-verwijzing"),
    "deep json": ("diep.json", "[" * 5000 + "]" * 5000, "te diep genest"),
    "over 1 MB": ("groot.yaml", "#" * (MAX_FILE_BYTES + 1), "groter dan 1 MB"),
}


@pytest.mark.parametrize("filename, content, expected", CONFIRMED.values(), ids=CONFIRMED)
def test_confirmation_rechecks_within_the_same_bounds(
    client, beheerder, shipped_library, filename, content, expected
):
    # A payload only the server can sign; even so the confirmation reads it as any upload.
    payload = signing.dumps(
        {"filename": filename, "content": content}, salt=IMPORT_SALT, compress=True
    )
    before = library_state()

    response = client.post(IMPORT_URL, {"payload": payload})

    page = _refused_on_the_page(response)
    assert expected in page
    assert library_state() == before


def test_a_fill_in_field_is_added_in_the_admin_on_a_sub_option_of_that_proposal_only(
    client, beheerder, shipped_library
):
    from apps.library.models import LibraryField

    proposal = LibraryProposal.objects.get(key="BU-G3")
    own = proposal.sub_options.order_by("order").first()
    foreign = LibraryProposal.objects.get(key="BK-G6").sub_options.first()
    url = reverse("admin:library_libraryproposal_change", args=[proposal.pk])
    page = client.get(url).content.decode()
    assert f'value="{own.pk}"' in page and f'value="{foreign.pk}"' not in page
    form = {
        "key": proposal.key,
        "action_area": proposal.action_area_id,
        "level": proposal.level_id,
        "order": proposal.order,
        "title": proposal.title,
        "text": proposal.text,
        "sdg_goals": [g.pk for g in proposal.sdg_goals.all()],
        "sdg_targets": [t.pk for t in proposal.sdg_targets.all()],
        "guide_reference": proposal.guide_reference,
        "is_active": "on",
        "sub_options-TOTAL_FORMS": "0",
        "sub_options-INITIAL_FORMS": "0",
        "fields-TOTAL_FORMS": "1",
        "fields-INITIAL_FORMS": "0",
        "fields-0-order": "1",
        "fields-0-sub_option": str(foreign.pk),
        "fields-0-kind": "number",
        "fields-0-label": "Aantal deelnemers",
    }
    assert client.post(url, form).status_code == 200  # another proposal's sub-option: refused
    assert not LibraryField.objects.filter(proposal=proposal).exists()
    form["fields-0-sub_option"] = str(own.pk)
    assert client.post(url, form).status_code == 302
    field = LibraryField.objects.get(proposal=proposal)
    assert (field.sub_option, field.kind, field.label) == (own, "number", "Aantal deelnemers")
    proposal.refresh_from_db()
    assert proposal.version == 2
