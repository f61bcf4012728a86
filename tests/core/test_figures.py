"""The municipality's key figures per year: typed once, amounts the Belgian way, shares and
amounts per inhabitant computed, never stored."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from apps.core.figures import figure_years, year_figures, year_figures_save
from apps.core.models import Legislature, YearFigures
from apps.core.numbers import format_amount, parse_amount

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.234.567,89", "1234567.89"),
        ("40.000", "40000"),
        ("40000", "40000"),
        ("€ 12 500", "12500"),
        ("12.5", "12.5"),
        ("1234.56", "1234.56"),
        ("1,5", "1.5"),
        ("0", "0"),
        ("-25,00", "-25.00"),
    ],
)
def test_amounts_are_read_the_belgian_way(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    "typed", ["", "abc", "1.2.3", "1,2,3", "12,3.4", "1e309", "NaN", "Infinity", "1.23.456", "€"]
)
def test_what_is_not_an_amount_is_refused(typed):
    with pytest.raises(ValueError):
        parse_amount(typed)


def test_amounts_are_shown_in_the_page_language():
    with translation.override("nl-be"):
        assert format_amount(Decimal("1234567.891")) == "€ 1.234.567,89"
    with translation.override("en"):
        assert format_amount(Decimal("1234567.891")) == "€ 1,234,567.89"
    assert format_amount(None) == ""


def test_share_and_amount_per_inhabitant_are_computed(municipality):
    municipality.inhabitants = 20000
    municipality.save()
    YearFigures.objects.create(
        municipality=municipality,
        year=2025,
        total_budget=Decimal("40000000"),
        lmb_budget=Decimal("100000"),
    )
    YearFigures.objects.create(
        municipality=municipality, year=2024, total_budget=Decimal("0"), lmb_budget=Decimal(5)
    )
    by_year = {f.year: f for f in year_figures(municipality, [2023, 2024, 2025])}
    assert by_year[2025].lmb_share == Decimal("0.25")
    assert by_year[2025].per_inhabitant == Decimal("5.00")  # the municipality's inhabitants
    assert by_year[2024].lmb_share is None  # no division by a zero budget
    assert by_year[2023].lmb_budget is None and by_year[2023].version == 0


def test_a_plan_can_supply_the_lmb_budget_of_its_years(municipality):
    YearFigures.objects.create(
        municipality=municipality, year=2026, total_budget=Decimal("1000"), lmb_budget=Decimal(1)
    )
    (figure,) = year_figures(municipality, [2026], lmb_budgets={2026: Decimal(7)})
    assert figure.lmb_budget == Decimal(7) and figure.typed_lmb_budget == Decimal(1)
    assert figure.lmb_share == Decimal("0.70")


def test_the_years_are_the_plan_period_and_the_seven_before_it():
    legislature = Legislature.objects.current()
    years = figure_years(legislature)
    assert years[0] == legislature.start_year - 7 and years[-1] == legislature.end_year


def _post_data(years, values=None, versions=None):
    values = values or {}
    versions = versions or {}
    data = {
        "jaar-TOTAL_FORMS": str(len(years)),
        "jaar-INITIAL_FORMS": str(len(years)),
        "jaar-MIN_NUM_FORMS": "0",
        "jaar-MAX_NUM_FORMS": "20",
    }
    for index, year in enumerate(years):
        total, lmb, inhabitants = values.get(year, ("", "", ""))
        data |= {
            f"jaar-{index}-year": str(year),
            f"jaar-{index}-version": str(versions.get(year, 0)),
            f"jaar-{index}-total_budget": total,
            f"jaar-{index}-lmb_budget": lmb,
            f"jaar-{index}-inhabitants": inhabitants,
        }
    return data


@pytest.fixture
def years():
    return figure_years(Legislature.objects.current())


def url(municipality):
    return reverse("core:figures", args=[municipality.nis_code])


def test_the_opsteller_types_the_figures_and_sees_the_share(client, opsteller, municipality, years):
    client.force_login(opsteller)
    response = client.post(
        url(municipality), _post_data(years, {2025: ("40.000.000", "100.000,00", "20000")})
    )
    assert response.status_code == 302
    row = YearFigures.objects.get(municipality=municipality, year=2025)
    assert (row.total_budget, row.lmb_budget, row.inhabitants) == (
        Decimal("40000000"),
        Decimal("100000"),
        20000,
    )
    assert row.updated_by == opsteller
    # Years left empty get no row.
    assert YearFigures.objects.filter(municipality=municipality).count() == 1
    page = client.get(url(municipality)).text
    assert "0,25 %" in page and "€ 5,00" in page
    assert 'value="40.000.000,00"' in page


def test_changing_the_total_budget_changes_the_share(client, opsteller, municipality, years):
    client.force_login(opsteller)
    client.post(url(municipality), _post_data(years, {2025: ("40.000.000", "100.000", "")}))
    client.post(
        url(municipality),
        _post_data(years, {2025: ("20.000.000", "100.000", "")}, versions={2025: 1}),
    )
    (figure,) = year_figures(municipality, [2025])
    assert figure.lmb_share == Decimal("0.50")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("abc", "", ""), "Geef een bedrag in euro"),
        (("99999999999999999999", "", ""), "te groot"),
        (("-5", "", ""), "niet negatief"),
        (("1,234", "", ""), "hoogstens 2 cijfers"),
        (("100", "200", ""), "niet groter zijn dan de totale uitgaven"),
        (("", "", "12.5"), "geheel getal"),
        (("", "", "99999999999"), "meer inwoners"),
    ],
)
def test_bad_figures_are_refused_with_a_message_and_nothing_is_saved(
    client, opsteller, municipality, years, values, message
):
    client.force_login(opsteller)
    response = client.post(url(municipality), _post_data(years, {2025: values}))
    assert response.status_code == 200
    assert message in response.text
    assert not YearFigures.objects.filter(municipality=municipality).exists()


def test_a_form_with_other_years_is_refused(client, opsteller, municipality, years):
    client.force_login(opsteller)
    response = client.post(url(municipality), _post_data([1999, *years[1:]]))
    assert response.status_code == 200
    assert "kloppen niet meer" in response.text


@pytest.mark.parametrize("version", ["abc", "-1", "1.5", ""])
def test_a_broken_version_is_a_form_error(client, opsteller, municipality, years, version):
    client.force_login(opsteller)
    data = _post_data(years, {2025: ("1000", "", "")})
    data["jaar-6-version"] = version  # 2025
    response = client.post(url(municipality), data)
    assert response.status_code == 200
    assert not YearFigures.objects.exists()


def test_a_stale_save_keeps_the_typed_figures_and_shows_the_saved_ones(
    client, opsteller, municipality, years
):
    year_figures_save(
        municipality=municipality,
        rows=[
            {
                "year": 2025,
                "version": 0,
                "total_budget": Decimal("5000000"),
                "lmb_budget": None,
                "inhabitants": None,
            }
        ],
        by=opsteller,
    )
    client.force_login(opsteller)
    response = client.post(url(municipality), _post_data(years, {2025: ("7.777.777", "", "")}))
    assert response.status_code == 409
    assert 'value="7.777.777"' in response.text
    assert "€ 5.000.000,00" in response.text
    assert YearFigures.objects.get(year=2025).total_budget == Decimal("5000000")
    # Saving again from the refreshed version keeps the typed figure on purpose.
    data = _post_data(years, {2025: ("7.777.777", "", "")}, versions={2025: 1})
    assert client.post(url(municipality), data).status_code == 302
    assert YearFigures.objects.get(year=2025).total_budget == Decimal("7777777")


def test_readers_see_the_figures_but_cannot_change_them(
    client, lezer, schepen, municipality, years
):
    YearFigures.objects.create(municipality=municipality, year=2025, total_budget=Decimal(1000))
    for user in (lezer, schepen):
        client.force_login(user)
        page = client.get(url(municipality))
        assert page.status_code == 200
        assert "€ 1.000,00" in page.text and "data-unsaved-warning" not in page.text
        data = _post_data(years, {2025: ("1", "", "")}, versions={2025: 1})
        assert client.post(url(municipality), data).status_code == 403
    assert YearFigures.objects.get().total_budget == Decimal(1000)


def test_another_municipality_is_404(client, outsider, municipality):
    client.force_login(outsider)
    assert client.get(url(municipality)).status_code == 404


def test_the_demo_municipality_has_its_figures_and_keeps_edits_on_a_second_load():
    import os

    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    demodorp = YearFigures.objects.filter(municipality__nis_code="99001")
    assert demodorp.filter(lmb_budget__isnull=False).count() == 7
    assert demodorp.count() == len(figure_years(Legislature.objects.current()))
    demodorp.filter(year=2025).update(total_budget=Decimal(1))
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert demodorp.get(year=2025).total_budget == Decimal(1)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("40,000", "40000"),
        ("1,234,567.89", "1234567.89"),
        ("40000.5", "40000.5"),
        ("12,5", "12.5"),
        ("€ 40,000.00", "40000.00"),
    ],
)
def test_amounts_are_read_the_english_way_in_english(typed, amount):
    with translation.override("en"):
        assert parse_amount(typed) == Decimal(amount)


def test_a_shown_amount_reads_back_as_the_same_amount_in_both_languages():
    for language in ("nl-be", "en"):
        with translation.override(language):
            for value in ("40000", "1234567.89", "0.25", "12"):
                shown = format_amount(Decimal(value)).removeprefix("€ ")
                assert parse_amount(shown) == Decimal(value), (language, shown)
