"""What the import refuses, with a message in Dutch, and that a refused import leaves
nothing behind: not the municipality, not one account, not one row."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from apps.core.demo import load_demo
from apps.core.models import Municipality
from apps.core.transfer import (
    FORMAT,
    FORMAT_VERSION,
    TransferError,
    import_municipality,
    parse,
    read_file,
)
from apps.review.models import Thread


def _minimal(**changes) -> dict:
    data = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "municipality": {"nis_code": "99009", "name": "Nergensdorp", "province": "limburg"},
        "municipality_pk": 1,
        "documents": {},
        "part_prefixes": {},
        "users": [],
        "references": {},
        "models": [],
    }
    data.update(changes)
    return data


def _bytes(data) -> bytes:
    return json.dumps(data).encode()


def refused(content: bytes, **options) -> str:
    with pytest.raises(TransferError) as caught:
        parse(content, **options)
    return str(caught.value)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    assert "groter dan 1 MB" in refused(b" " * (1024 * 1024 + 1), max_bytes=1024 * 1024)


def test_deep_nesting_is_refused_before_json_recurses_into_it():
    assert "te diep genest" in refused(b"[" * 100_000 + b"]" * 100_000)


def test_a_huge_number_is_refused():
    assert "meer dan 100 cijfers" in refused(b'{"version": ' + b"9" * 5000 + b"}")


def test_not_json_not_utf8_not_ours():
    assert "Ongeldige JSON op regel 1" in refused(b"{nee")
    assert "geen UTF-8" in refused(b"\xff\xfe{}")
    assert "geen gemeentebestand" in refused(b'{"format": "iets anders"}')
    assert "geen gemeentebestand" in refused(b"[1, 2]")
    assert "NaN" in refused(b'{"format": NaN}')


def test_another_format_version_is_refused():
    assert "formaatversie 99" in refused(_bytes(_minimal(version=99)))


def test_a_damaged_file_says_which_part():
    message = refused(_bytes(_minimal(models=[{"model": "core.membership", "rows": 3}])))
    assert "beschadigd of onvolledig (models)" in message
    message = refused(
        _bytes(_minimal(models=[{"model": "x", "fields": ["a", "b"], "rows": [[1]]}]))
    )
    assert "(models)" in message
    assert "(users)" in refused(_bytes(_minimal(users=[{"email": 5, "pk": 1}])))


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo and its file, made once for this module inside a transaction that is rolled
    back at its end; each test runs in a savepoint inside it."""
    path = tmp_path_factory.mktemp("refusals") / "demodorp.json"
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        call_command("export_municipality", "99001", str(path), verbosity=0)
        yield path
        transaction.set_rollback(True)


def _nothing_written(before_users: int) -> None:
    assert not Municipality.objects.filter(nis_code="99003").exists()
    assert get_user_model().objects.count() == before_users
    assert not get_user_model().objects.filter(email="nieuw@example.be").exists()


def _as_other_municipality(path, *, new_user: bool = True) -> dict:
    """The file, as if of another municipality (99003) with one account new to the target."""
    data = read_file(path)
    data["municipality"]["nis_code"] = "99003"
    if new_user:
        data["users"][0]["email"] = "nieuw@example.be"
    return data


@pytest.mark.django_db
def test_an_existing_nis_code_is_refused(exported):
    threads = Thread.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("import_municipality", str(exported), verbosity=0)
    message = str(caught.value)
    assert "er is niets gewijzigd" in message
    assert "Gemeente met NIS-code 99001 bestaat al in deze installatie" in message
    assert Municipality.objects.filter(nis_code="99001").count() == 1
    assert Thread.objects.count() == threads


@pytest.mark.django_db
def test_missing_reference_data_is_refused_by_name(exported):
    users = get_user_model().objects.count()
    data = _as_other_municipality(exported)
    proposals = data["references"]["library.libraryproposal"]
    first = next(iter(proposals))
    proposals[first] = ["ZZ-99"]  # a library proposal this installation does not have

    with pytest.raises(TransferError) as caught:
        import_municipality(data)

    message = str(caught.value)
    assert "Deze installatie mist referentiegegevens" in message
    assert "bibliotheekvoorstel" in message and "ZZ-99" in message
    _nothing_written(users)


@pytest.mark.django_db
def test_a_failure_in_the_last_table_leaves_nothing_behind(exported):
    """The database refuses a value at the very end: the accounts and rows written before are
    rolled back with it."""
    users = get_user_model().objects.count()
    data = _as_other_municipality(exported)
    section = next(s for s in data["models"] if s["model"] == "review.notification")
    column = section["fields"].index("title")
    section["rows"][-1][column] = "x" * 301  # the column holds 300 characters

    with pytest.raises(TransferError) as caught:
        import_municipality(data)

    assert "De database weigerde de import" in str(caught.value)
    _nothing_written(users)


@pytest.mark.django_db
def test_unknown_models_and_fields_are_refused(exported):
    users = get_user_model().objects.count()
    data = _as_other_municipality(exported)
    data["models"].append({"model": "nieuweapp.ding", "fields": ["id"], "rows": [[1]]})
    with pytest.raises(TransferError) as caught:
        import_municipality(data)
    assert "nieuweapp.ding, dat deze installatie niet kent" in str(caught.value)

    data = _as_other_municipality(exported)
    data["models"][0]["fields"].append("kleur")
    for row in data["models"][0]["rows"]:
        row.append("rood")
    with pytest.raises(TransferError) as caught:
        import_municipality(data)
    assert "velden van" in str(caught.value) and "kleur" in str(caught.value)
    _nothing_written(users)


@pytest.mark.django_db
def test_a_row_pointing_outside_the_file_is_refused(exported):
    users = get_user_model().objects.count()
    data = _as_other_municipality(exported)
    section = next(s for s in data["models"] if s["model"] == "review.comment")
    section["rows"][0][section["fields"].index("thread_id")] = 10**12

    with pytest.raises(TransferError) as caught:
        import_municipality(data)

    assert "naar een rij die niet in het bestand staat" in str(caught.value)
    _nothing_written(users)


@pytest.mark.django_db
def test_exporting_an_unknown_nis_code_says_so(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("export_municipality", "12345", str(tmp_path / "x.json"), verbosity=0)
    assert "Er is geen gemeente met NIS-code 12345" in str(caught.value)
    assert not (tmp_path / "x.json").exists()


@pytest.mark.django_db
def test_an_invalid_municipality_is_refused_after_the_accounts_were_made(exported):
    users = get_user_model().objects.count()
    data = _as_other_municipality(exported)
    data["municipality"]["nis_code"] = "9900x"

    with pytest.raises(TransferError) as caught:
        import_municipality(data)

    assert "De gemeente in het bestand is ongeldig: Een NIS-code bestaat uit vijf cijfers." in str(
        caught.value
    )
    assert not Municipality.objects.filter(nis_code="9900x").exists()
    _nothing_written(users)


@pytest.mark.django_db
def test_an_export_that_would_carry_another_municipalitys_row_stops(exported, tmp_path):
    """A link from one municipality's plan to another municipality's proposal (the app never
    makes one) stops the export instead of putting the other's row in the file."""
    from apps.beleidsvoorstellen.models import Memorandum, MemorandumProposal
    from apps.core.models import ActionArea, AmbitionLevel, Legislature
    from apps.meerjarenplan.models import Goal

    anderegem = Municipality.objects.get(nis_code="99002")
    theirs = MemorandumProposal.objects.create(
        memorandum=Memorandum.objects.create(
            municipality=anderegem, legislature=Legislature.objects.current()
        ),
        action_area=ActionArea.objects.first(),
        level=AmbitionLevel.objects.first(),
        title="Voorstel van Anderegem",
        text="<p>Niet van Demodorp.</p>",
    )
    Goal.objects.filter(plan__municipality__nis_code="99001").first().proposals.add(theirs)
    path = tmp_path / "demodorp.json"

    with pytest.raises(CommandError) as caught:
        call_command("export_municipality", "99001", str(path), verbosity=0)

    assert "naar gegevens van een andere gemeente" in str(caught.value)
    assert not path.exists()
    assert not (tmp_path / "demodorp.json.tmp").exists()
