"""The meerjarenplan's budgets in spreadsheets: the XLSX and CSV export read back, a round trip
that changes nothing (no amount, no version), a changed figure that comes in, and every refusal
(a bad amount, an unknown code, a year outside the period, a goal with amounts, a zip bomb, a
damaged or foreign file, a CSV with NUL) naming its place and writing nothing; who may import
(403) and who may not even download (404)."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.meerjarenplan import services, spreadsheet
from apps.meerjarenplan.models import Action, ActionPlan, BudgetLine

pytestmark = pytest.mark.django_db


def url(name, municipality):
    return reverse(f"meerjarenplan:{name}", args=[municipality.nis_code])


def snapshot(plan):
    """Every amount and every version of the plan's items."""
    lines = sorted(
        BudgetLine.objects.filter(action__plan=plan).values_list(
            "action_id", "year", "kind", "direction", "amount"
        )
    ) + sorted(
        BudgetLine.objects.filter(action_plan__plan=plan).values_list(
            "action_plan_id", "year", "kind", "direction", "amount"
        )
    )
    versions = sorted(Action.objects.filter(plan=plan).values_list("pk", "version")) + sorted(
        ActionPlan.objects.filter(plan=plan).values_list("pk", "version")
    )
    return lines, versions


@pytest.fixture
def budgets(plan, hierarchy, opsteller):
    """Amounts on two actions and on an action plan without actions."""
    goals, _plans, actions = hierarchy
    services.budget_set(
        item=actions[0],
        amounts={
            (2026, "exploitatie", "uitgaven"): Decimal("12500.50"),
            (2027, "investeringen", "uitgaven"): Decimal("40000"),
            (2031, "exploitatie", "ontvangsten"): Decimal("0.01"),
        },
        expected_version=actions[0].version,
        by=opsteller,
    )
    services.budget_set(
        item=actions[4],
        amounts={(2028, "financiering", "uitgaven"): Decimal("1234567890123.45")},
        expected_version=actions[4].version,
        by=opsteller,
    )
    empty_plan = services.action_plan_create(goal=goals[1], title="=SUM(A1)", by=opsteller)
    services.budget_set(
        item=empty_plan,
        amounts={(2029, "exploitatie", "uitgaven"): Decimal("999.99")},
        expected_version=empty_plan.version,
        by=opsteller,
    )
    return actions, empty_plan


def workbook(data):
    return load_workbook(io.BytesIO(data))


def xlsx(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def column_of(ws, header):
    for cell in ws[1]:
        if cell.value == header:
            return cell.column
    raise AssertionError(header)


def row_of(ws, code):
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code:
            return row[0].row
    raise AssertionError(code)


def refused(plan, data, name, by):
    with pytest.raises(spreadsheet.ImportRefused) as info:
        spreadsheet.import_budgets(plan, data, name, by)
    return info.value.messages


# --- the export ----------------------------------------------------------------------------


def test_the_xlsx_has_a_header_codes_and_exact_amounts(plan, budgets):
    wb = workbook(spreadsheet.export(plan))
    assert wb.sheetnames == ["Budgetten", "Overzicht"]
    ws = wb["Budgetten"]
    header = [cell.value for cell in ws[1]]
    assert header[:5] == ["Code", "Niveau", "Titel", "Prioritair", "2026 exploitatie uitgaven"]
    assert len(header) == 4 + 6 * 3 * 2
    codes = [row[0].value for row in ws.iter_rows(min_row=2)]
    # actions, and the action plan without actions; never a goal or a plan with actions
    assert codes == ["AC1.1.1", "AC1.1.2", "AC1.2.1", "AC2.1.1", "AC2.1.2", "AC2.1.3", "AP2.2"]
    amount = ws.cell(row_of(ws, "AC1.1.1"), column_of(ws, "2026 exploitatie uitgaven"))
    assert amount.value == 12500.5
    assert "€" in amount.number_format
    big = ws.cell(row_of(ws, "AC2.1.2"), column_of(ws, "2028 financiering uitgaven")).value
    assert Decimal(repr(big)) == Decimal("1234567890123.45")
    title = ws.cell(row_of(ws, "AP2.2"), 3)
    assert title.value == "=SUM(A1)" and title.data_type == "s"  # text, never a formula
    overview = wb["Overzicht"]
    assert overview.protection.sheet
    assert [row[0].value for row in overview.iter_rows(min_row=2, max_row=3)] == ["BD1", "AP1.1"]


def test_the_csv_is_for_belgian_excel(plan, budgets):
    data = spreadsheet.export_csv(plan)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Code", "Niveau", "Titel", "Prioritair"]
    first = rows[1]
    assert first[0] == "AC1.1.1"
    assert first[rows[0].index("2026 exploitatie uitgaven")] == "12500,50"
    assert first[rows[0].index("2026 exploitatie ontvangsten")] == ""
    assert rows[-1][2] == "'=SUM(A1)"  # no formula when Excel opens it


# --- round trips ---------------------------------------------------------------------------


def test_the_exported_xlsx_imports_back_with_nothing_changed(plan, budgets, opsteller):
    before = snapshot(plan)
    result = spreadsheet.import_budgets(plan, spreadsheet.export(plan), "plan.xlsx", opsteller)
    assert result.changed_amounts == 0 and result.rows == 7
    assert snapshot(plan) == before


def test_the_exported_csv_imports_back_with_nothing_changed(plan, budgets, opsteller):
    before = snapshot(plan)
    result = spreadsheet.import_budgets(plan, spreadsheet.export_csv(plan), "plan.csv", opsteller)
    assert result.changed_amounts == 0
    assert snapshot(plan) == before


def test_a_changed_figure_comes_in_and_only_that(plan, budgets, opsteller):
    actions, _empty_plan = budgets
    wb = workbook(spreadsheet.export(plan))
    ws = wb["Budgetten"]
    ws.cell(row_of(ws, "AC1.1.1"), column_of(ws, "2026 exploitatie uitgaven")).value = 13000.25
    ws.cell(
        row_of(ws, "AC1.2.1"), column_of(ws, "2030 investeringen ontvangsten")
    ).value = "1.500,75"  # text in the Belgian format
    ws.cell(row_of(ws, "AC1.1.1"), column_of(ws, "2027 investeringen uitgaven")).value = None
    result = spreadsheet.import_budgets(plan, xlsx(wb), "plan.xlsx", opsteller)
    assert result.changed_amounts == 3 and result.changed_items == 2
    lines = dict(
        ((line.action_id, line.year, line.kind, line.direction), line.amount)
        for line in BudgetLine.objects.filter(action__plan=plan)
    )
    assert lines[(actions[0].pk, 2026, "exploitatie", "uitgaven")] == Decimal("13000.25")
    assert lines[(actions[2].pk, 2030, "investeringen", "ontvangsten")] == Decimal("1500.75")
    assert (actions[0].pk, 2027, "investeringen", "uitgaven") not in lines
    versions = dict(Action.objects.filter(plan=plan).values_list("pk", "version"))
    assert versions[actions[0].pk] == actions[0].version + 2  # budgets fixture, then import
    assert versions[actions[1].pk] == actions[1].version  # untouched


def test_a_changed_csv_figure_comes_in(plan, budgets, opsteller):
    actions, _empty_plan = budgets
    text = spreadsheet.export_csv(plan).decode("utf-8-sig")
    text = text.replace("12500,50", "12600,00").replace("Actie 1.1.1", "Actie één")
    spreadsheet.import_budgets(plan, text.encode("cp1252"), "plan.csv", opsteller)
    line = BudgetLine.objects.get(action=actions[0], year=2026, kind="exploitatie")
    assert line.amount == Decimal("12600.00")


# --- refusals: nothing is written ----------------------------------------------------------


def _changed(plan, cells):
    """The exported XLSX with some cells set: {(code, header): value}."""
    wb = workbook(spreadsheet.export(plan))
    ws = wb["Budgetten"]
    for (code, header), value in cells.items():
        ws.cell(row_of(ws, code), column_of(ws, header)).value = value
    return xlsx(wb), ws


def test_one_bad_amount_names_its_cell_and_changes_nothing(plan, budgets, opsteller):
    wb = workbook(spreadsheet.export(plan))
    ws = wb["Budgetten"]
    ws.cell(row_of(ws, "AC1.1.1"), column_of(ws, "2026 exploitatie uitgaven")).value = 1
    ws.cell(row_of(ws, "AC1.2.1"), column_of(ws, "2027 exploitatie uitgaven")).value = "abc"
    before = snapshot(plan)
    messages = refused(plan, xlsx(wb), "plan.xlsx", opsteller)
    assert messages == [
        "blad Budgetten, rij 4, kolom K (2027 exploitatie uitgaven): “abc” is geen bedrag."
    ]
    assert snapshot(plan) == before  # the good change in row 2 is not written either


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-5, "een bedrag kan niet negatief zijn"),
        (12.345, "hoogstens 2 cijfers na de komma"),
        ("1,234", "hoogstens 2 cijfers na de komma"),
        (10**13, "hoogstens 13 cijfers voor de komma"),
        (True, "is geen bedrag"),
        ("€ 12,5,0", "is geen bedrag"),
    ],
)
def test_bad_amounts_are_named(plan, budgets, opsteller, value, expected):
    wb = workbook(spreadsheet.export(plan))
    ws = wb["Budgetten"]
    ws.cell(row_of(ws, "AC2.1.1"), column_of(ws, "2031 financiering ontvangsten")).value = value
    before = snapshot(plan)
    (message,) = refused(plan, xlsx(wb), "plan.xlsx", opsteller)
    assert message.startswith("blad Budgetten, rij 5, kolom AN (2031 financiering ontvangsten)")
    assert expected in message
    assert snapshot(plan) == before


def test_formula_noise_counts_as_the_amount_it_shows(plan, budgets, opsteller):
    actions, _ = budgets
    data, _ws = _changed(plan, {("AC1.1.2", "2026 exploitatie uitgaven"): 0.1 + 0.2})
    spreadsheet.import_budgets(plan, data, "plan.xlsx", opsteller)
    assert BudgetLine.objects.get(action=actions[1]).amount == Decimal("0.30")


def test_an_unknown_code_a_goal_and_a_duplicate_are_named(plan, budgets, opsteller):
    wb = workbook(spreadsheet.export(plan))
    ws = wb["Budgetten"]
    ws.append(["AC9.9.9", "actie", "Bestaat niet", "nee", 10])
    ws.append(["BD1", "beleidsdoelstelling", "Doel", "nee", 10])
    ws.append(["AP1.1", "actieplan", "Heeft acties", "nee", None, 5])
    ws.append(["AC1.1.1", "actie", "Nog eens", "nee"])
    ws.append(["BD2"])  # a goal without amounts is only information
    before = snapshot(plan)
    messages = refused(plan, xlsx(wb), "plan.xlsx", opsteller)
    assert messages == [
        "blad Budgetten, rij 9, kolom A: “AC9.9.9” is geen code van dit meerjarenplan.",
        "blad Budgetten, rij 10, kolom A: BD1 is een beleidsdoelstelling: bedragen staan op "
        "acties, of op een actieplan zonder acties.",
        "blad Budgetten, rij 11, kolom A: AP1.1 is een actieplan: bedragen staan op acties, of "
        "op een actieplan zonder acties.",
        "blad Budgetten, rij 12, kolom A: AC1.1.1 staat al op rij 2.",
    ]
    assert snapshot(plan) == before


def test_a_year_outside_the_period_is_named(plan, budgets, opsteller):
    wb = workbook(spreadsheet.export(plan))
    ws = wb["Budgetten"]
    ws.cell(1, ws.max_column + 1).value = "2032 exploitatie uitgaven"
    ws.cell(1, ws.max_column + 1).value = "2030 onzin uitgaven"
    before = snapshot(plan)
    messages = refused(plan, xlsx(wb), "plan.xlsx", opsteller)
    assert messages == [
        "blad Budgetten, rij 1, kolom AO (2032 exploitatie uitgaven): 2032 valt buiten de "
        "planperiode 2026-2031.",
        "blad Budgetten, rij 1, kolom AP: “2030 onzin uitgaven” is geen kolom van de indeling; "
        "verwacht zoals “2027 exploitatie uitgaven”.",
    ]
    assert snapshot(plan) == before


def test_csv_errors_name_row_and_column(plan, budgets, opsteller):
    text = spreadsheet.export_csv(plan).decode("utf-8-sig").replace("12500,50", "twaalf")
    (message,) = refused(plan, text.encode(), "plan.csv", opsteller)
    assert message == "rij 2, kolom E (2026 exploitatie uitgaven): “twaalf” is geen bedrag."


def test_at_most_fifty_messages(plan, hierarchy, opsteller):
    rows = ["Code;2026 exploitatie uitgaven"] + [f"X{n};abc" for n in range(80)]
    messages = refused(plan, "\n".join(rows).encode(), "plan.csv", opsteller)
    assert len(messages) == 51 and messages[-1] == "… en nog 30 andere fouten."


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (25 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (_bomb(), "plan.xlsx", "uitgepakt groter dan 20 MB"),
        (b"PK\x03\x04 kapot", "plan.xlsx", "geen geldig XLSX-bestand"),
        (b"%PDF-1.7 ...", "plan.xlsx", "geen geldig XLSX-bestand"),
        (b"", "plan.xlsx", "leeg"),
        (b"Code;2026 exploitatie uitgaven\nAC1.1.1;\x001", "plan.csv", "NUL-teken"),
        (b"abc", "plan.pdf", "Kies een XLSX- of CSV-bestand"),
        (b"abc", "plan.xls", "Bewaar het bestand eerst"),
        (b"x" * (2 * 1024 * 1024 + 1), "plan.csv", "groter dan 2 MB"),
        (b"\n\n", "plan.csv", "geen kopregel"),
        (("a;" * 300).encode(), "plan.csv", "meer dan 200 kolommen"),
        (b"Code\n" + b"X\n" * 5001, "plan.csv", "meer dan 5000 rijen"),
        (b'Code;"' + b"x" * 200_000, "plan.csv", "kan niet gelezen worden"),
    ],
)
def test_bad_files_are_refused_with_a_message(plan, budgets, opsteller, data, name, expected):
    before = snapshot(plan)
    (message,) = refused(plan, data, name, opsteller)
    assert expected in message
    assert snapshot(plan) == before


def test_an_xlsx_without_the_sheet(plan, budgets, opsteller):
    wb = workbook(spreadsheet.export(plan))
    wb["Budgetten"].title = "Blad1"
    (message,) = refused(plan, xlsx(wb), "plan.xlsx", opsteller)
    assert "geen blad “Budgetten”" in message


def test_a_concurrent_change_refuses_the_whole_import(plan, budgets, opsteller, monkeypatch):
    actions, _ = budgets
    data, _ws = _changed(
        plan,
        {
            ("AC1.1.1", "2026 exploitatie uitgaven"): 1,
            ("AC2.1.3", "2026 exploitatie uitgaven"): 2,
        },
    )
    original = spreadsheet.read_budgets

    def read_then_someone_saves(*args):
        result = original(*args)
        services.budget_set(
            item=Action.objects.get(pk=actions[5].pk),
            amounts={(2030, "exploitatie", "uitgaven"): Decimal(7)},
            expected_version=Action.objects.get(pk=actions[5].pk).version,
            by=opsteller,
        )
        return result

    monkeypatch.setattr(spreadsheet, "read_budgets", read_then_someone_saves)
    before = BudgetLine.objects.get(action=actions[0], year=2026).amount
    (message,) = refused(plan, data, "plan.xlsx", opsteller)
    assert "intussen" in message
    assert BudgetLine.objects.get(action=actions[0], year=2026).amount == before


# --- the views -----------------------------------------------------------------------------


def test_every_member_downloads_both(client, plan, budgets, lezer, municipality):
    client.force_login(lezer)
    response = client.get(url("export_xlsx", municipality))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="meerjarenplan-teststad-2026-2031.xlsx"'
    )
    assert workbook(response.content)["Budgetten"]["A2"].value == "AC1.1.1"
    response = client.get(url("export_csv", municipality))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2026-2031.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")


def test_another_municipality_gets_404(client, plan, budgets, outsider, municipality):
    client.force_login(outsider)
    for name in ("export_xlsx", "export_csv", "import"):
        assert client.get(url(name, municipality)).status_code == 404
    upload = SimpleUploadedFile("plan.xlsx", spreadsheet.export(plan))
    assert client.post(url("import", municipality), {"file": upload}).status_code == 404


@pytest.mark.parametrize("role", ["schepen", "lezer"])
def test_only_the_opsteller_imports(request, client, plan, budgets, municipality, role):
    client.force_login(request.getfixturevalue(role))
    page = client.get(url("import", municipality))
    assert page.status_code == 200 and b'type="file"' not in page.content
    upload = SimpleUploadedFile("plan.xlsx", spreadsheet.export(plan))
    before = snapshot(plan)
    assert client.post(url("import", municipality), {"file": upload}).status_code == 403
    assert snapshot(plan) == before


def test_the_import_page_shows_errors_or_redirects(client, plan, budgets, opsteller, municipality):
    client.force_login(opsteller)
    page = client.get(url("import", municipality))
    assert page.status_code == 200 and b'type="file"' in page.content
    data, _ws = _changed(plan, {("AC1.1.2", "2026 exploitatie uitgaven"): "abc"})
    response = client.post(
        url("import", municipality), {"file": SimpleUploadedFile("plan.xlsx", data)}
    )
    assert response.status_code == 400
    assert "blad Budgetten, rij 3, kolom E" in response.content.decode()
    data, _ws = _changed(plan, {("AC1.1.2", "2026 exploitatie uitgaven"): 10})
    response = client.post(
        url("import", municipality), {"file": SimpleUploadedFile("plan.xlsx", data)}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("plan", municipality)
    assert "1 bedrag is gewijzigd" in response.content.decode()


def test_no_file_or_a_huge_body_is_a_message_not_a_500(client, plan, opsteller, municipality):
    client.force_login(opsteller)
    assert client.post(url("import", municipality), {}).status_code == 400
    huge = SimpleUploadedFile("plan.csv", b"x" * (3 * 1024 * 1024))
    response = client.post(url("import", municipality), {"file": huge})
    assert response.status_code == 413
    assert "groter dan 2 MB" in response.content.decode()


def test_without_a_plan_the_pages_are_404(client, opsteller, municipality):
    client.force_login(opsteller)
    for name in ("export_xlsx", "export_csv", "import"):
        assert client.get(url(name, municipality)).status_code == 404


def test_the_import_still_checks_the_csrf_token(plan, budgets, opsteller, municipality):
    """The view is exempt from the middleware only to look at the body's size first."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(opsteller)
    upload = SimpleUploadedFile("plan.xlsx", spreadsheet.export(plan))
    before = snapshot(plan)
    assert client.post(url("import", municipality), {"file": upload}).status_code == 403
    assert snapshot(plan) == before
