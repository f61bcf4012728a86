"""The meerjarenplan in spreadsheets, for the finance service: the budgets out to XLSX and CSV,
and back in from the same layout.

The layout (the same in XLSX and CSV, always in Dutch whatever the page language, so a file
exported in English imports back):

- the sheet "Budgetten": a header row, then one row per item that carries amounts (every
  actie, and every actieplan without acties): ``Code``, ``Niveau``, ``Titel``, ``Prioritair``
  and one column per year × kind × direction, named "2026 exploitatie uitgaven". An empty cell
  or 0 is no amount.
- the sheet "Overzicht" (XLSX only, protected against accidental edits, never read back): the
  hierarchy with each item's rolled-up uitgaven and ontvangsten per year.

The CSV is what Belgian Excel opens with a double click: UTF-8 with a byte order mark (else
Excel reads it as Windows-1252), ';' between fields and a decimal comma ("1234,50"), without
thousands separators. The import accepts ';' or ',' (the header line decides), UTF-8 with or
without BOM, and Windows-1252 (Excel's "CSV (gescheiden door lijstscheidingsteken)").

The import reads the whole file first and names every problem by sheet, row and column; only
when there is none does it write, all in one transaction, and only the cells that differ, so
exporting and importing again changes nothing (no amount, no version). Only Code and the
amount columns are read: Niveau, Titel and Prioritair are for people. A column may be left out
(its cells stay as they are); an item left out keeps its amounts.

Amounts in XLSX cells are numbers (openpyxl reads them as float or int; a float becomes the
Decimal of its shortest representation, which is exact for the 15 digits an amount has) or
text in the Belgian format (``apps.core.numbers.parse_amount`` with a decimal comma). Formula
cells count with the value Excel stored (``data_only``); a float with binary noise past the
cents (0.1 + 0.2) counts as the amount it shows with 15 significant digits.

Bounds, checked before any parsing: 2 MB per file, 20 MB uncompressed for the zip members of
an XLSX (and at most 500 members), 5,000 rows and 200 columns, 50 messages.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from apps.core.editing import StaleVersionError
from apps.core.numbers import parse_amount

from . import selectors, services
from .models import Direction, Kind, Plan

SHEET = "Budgetten"
OVERVIEW = "Overzicht"
FIXED = ("Code", "Niveau", "Titel", "Prioritair")
LEVEL_NAMES = {"goal": "beleidsdoelstelling", "action_plan": "actieplan", "action": "actie"}
EURO_FORMAT = '"€" #,##0.00'

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 500
MAX_ROWS = 5000
MAX_COLUMNS = 200
MAX_ERRORS = 50

_COLUMN = re.compile(r"^\s*(\d{1,4})\s+([a-z]+)\s+([a-z]+)\s*$")

Cell = tuple[int, str, str]


class ImportRefused(Exception):
    """The file cannot be imported; ``messages`` says why (at most MAX_ERRORS of them)."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


@dataclass
class ImportResult:
    changed_amounts: int
    changed_items: int
    rows: int


def amount_columns(years: list[int]) -> list[Cell]:
    return [(year, kind, direction) for year in years for kind in Kind for direction in Direction]


def column_name(cell: Cell) -> str:
    year, kind, direction = cell
    return f"{year} {kind} {direction}"


def filename(plan: Plan, extension: str) -> str:
    legislature = plan.legislature
    slug = re.sub(r"[^a-z0-9]+", "-", plan.municipality.name.lower()).strip("-") or "gemeente"
    return f"meerjarenplan-{slug}-{legislature.start_year}-{legislature.end_year}.{extension}"


def _budget_rows(tree: selectors.PlanTree) -> list[selectors.Node]:
    """The items that carry amounts, in the printed order."""
    return [
        node
        for node in tree.nodes()
        if node.level == "action" or (node.level == "action_plan" and not node.children)
    ]


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value or "")


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


# --- export --------------------------------------------------------------------------------


def _string_cell(ws, row: int, column: int, value: str):
    """A text cell that stays text: a title starting with "=" is never a formula."""
    cell = ws.cell(row=row, column=column, value=_text(value))
    cell.data_type = "s"
    return cell


def export(plan: Plan) -> bytes:
    """The plan as an XLSX workbook (bytes): the sheet Budgetten and the sheet Overzicht."""
    tree = selectors.plan_tree(plan)
    columns = amount_columns(tree.years)
    workbook = Workbook()
    ws = workbook.active
    ws.title = SHEET
    bold = Font(bold=True)
    for c, title in enumerate([*FIXED, *(column_name(cell) for cell in columns)], start=1):
        _string_cell(ws, 1, c, title).font = bold
    for r, node in enumerate(_budget_rows(tree), start=2):
        for c, value in enumerate(
            [node.code, LEVEL_NAMES[node.level], node.title, _yes_no(node.priority)], start=1
        ):
            _string_cell(ws, r, c, value)
        for c, cell in enumerate(columns, start=len(FIXED) + 1):
            amount = node.budget.get(*cell)
            if amount:
                ws.cell(row=r, column=c, value=amount).number_format = EURO_FORMAT
    ws.freeze_panes = "E2"
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 48
    for c in range(len(FIXED) + 1, len(FIXED) + len(columns) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16

    overview = workbook.create_sheet(OVERVIEW)
    headers = [*FIXED, "Verantwoordelijke dienst"]
    headers += [f"{year} uitgaven" for year in tree.years]
    headers += [f"{year} ontvangsten" for year in tree.years]
    for c, title in enumerate(headers, start=1):
        _string_cell(overview, 1, c, title).font = bold
    indent = {"goal": 0, "action_plan": 1, "action": 2}
    row = 2
    for node in tree.nodes():
        values = [node.code, LEVEL_NAMES[node.level], node.title, _yes_no(node.priority)]
        values.append(node.item.responsible_service)
        for c, value in enumerate(values, start=1):
            cell = _string_cell(overview, row, c, value)
            if c == 3:
                cell.alignment = Alignment(indent=indent[node.level])
            if node.level == "goal":
                cell.font = bold
        _overview_amounts(overview, row, len(values) + 1, node.budget, tree.years)
        row += 1
    _string_cell(overview, row, 3, "Totaal").font = bold
    _overview_amounts(overview, row, len(FIXED) + 2, tree.budget, tree.years)
    overview.freeze_panes = "D2"
    overview.column_dimensions["C"].width = 48
    overview.protection.sheet = True

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _overview_amounts(ws, row: int, first: int, budget: selectors.Budget, years) -> None:
    c = first
    for direction in (Direction.UITGAVEN, Direction.ONTVANGSTEN):
        for year in years:
            cell = ws.cell(row=row, column=c, value=budget.total(direction, year))
            cell.number_format = EURO_FORMAT
            c += 1


def _csv_amount(amount) -> str:
    return format(amount, "f").replace(".", ",") if amount else ""


def _csv_text(value: str) -> str:
    """Text that a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    value = _text(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_csv(plan: Plan) -> bytes:
    """The sheet Budgetten as CSV for Belgian Excel: UTF-8 with BOM, ';', decimal comma."""
    tree = selectors.plan_tree(plan)
    columns = amount_columns(tree.years)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([*FIXED, *(column_name(cell) for cell in columns)])
    for node in _budget_rows(tree):
        writer.writerow(
            [
                _csv_text(node.code),
                LEVEL_NAMES[node.level],
                _csv_text(node.title),
                _yes_no(node.priority),
                *(_csv_amount(node.budget.get(*cell)) for cell in columns),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- import --------------------------------------------------------------------------------


@dataclass
class _Errors:
    where: str  # "blad Budgetten, " for XLSX, "" for CSV
    messages: list[str] = field(default_factory=list)
    total: int = 0

    def add(self, row: int, column: int | None, message: str, header: str = "") -> None:
        self.total += 1
        if len(self.messages) >= MAX_ERRORS:
            return
        place = _("%(where)srij %(row)d") % {"where": self.where, "row": row}
        if column is not None:
            place += _(", kolom %(column)s") % {"column": get_column_letter(column)}
            if header:
                place += f" ({header})"
        self.messages.append(f"{place}: {message}")

    def final(self) -> list[str]:
        if self.total > len(self.messages):
            return [
                *self.messages,
                _("… en nog %(count)d andere fouten.") % {"count": self.total - len(self.messages)},
            ]
        return self.messages


def _refuse(message: str):
    raise ImportRefused([message])


def _not_xlsx() -> str:
    return _("Dit is geen geldig XLSX-bestand: het is beschadigd of van een ander type.")


def _xlsx_rows(data: bytes):
    """The rows of the sheet Budgetten (values only), after the zip is checked for size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        _refuse(_not_xlsx())
    if len(members) > MAX_MEMBERS:
        _refuse(_("Dit XLSX-bestand heeft te veel onderdelen om te lezen."))
    # zipfile never inflates a member past its declared size, so the sum bounds the work.
    if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
        _refuse(
            _("Dit XLSX-bestand is uitgepakt groter dan %(mb)d MB; dat lezen we niet in.")
            % {"mb": MAX_UNZIPPED_BYTES // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        _refuse(_not_xlsx())
    try:
        if SHEET not in workbook.sheetnames:
            _refuse(_("Het bestand heeft geen blad “%(sheet)s”.") % {"sheet": SHEET})
        sheet = workbook[SHEET]
        rows = []
        for row in sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS + 1, values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS:
                break
    except ImportRefused:
        raise
    except Exception:
        _refuse(_not_xlsx())
    finally:
        workbook.close()
    return rows


def _csv_rows(data: bytes):
    if b"\x00" in data:
        _refuse(_("Dit CSV-bestand bevat een NUL-teken; het is geen tekstbestand."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            _refuse(_("Dit CSV-bestand is niet in UTF-8 of Windows-1252 gecodeerd."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first else ("," if "," in first else "\t")
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row[: MAX_COLUMNS + 1])
            if len(rows) > MAX_ROWS:
                break
    except csv.Error:
        _refuse(_("Dit CSV-bestand kan niet gelezen worden (een veld is te lang of onvolledig)."))
    return rows


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_header(header: list, years: set[int], errors: _Errors):
    """The column of Code and the cell of each amount column."""
    code_column = None
    cells: dict[int, Cell] = {}
    seen: dict[Cell, int] = {}
    fixed = {name.lower() for name in FIXED}
    for index, value in enumerate(header):
        column = index + 1
        if _empty(value):
            continue
        name = str(value).strip().lower()
        if name == "code":
            code_column = index
            continue
        if name in fixed:
            continue
        match = _COLUMN.match(name)
        if not match or match[2] not in Kind.values or match[3] not in Direction.values:
            errors.add(
                1,
                column,
                _(
                    "“%(name)s” is geen kolom van de indeling; verwacht zoals "
                    "“2027 exploitatie uitgaven”."
                )
                % {"name": str(value).strip()[:60]},
            )
            continue
        cell = (int(match[1]), match[2], match[3])
        if cell[0] not in years:
            errors.add(
                1,
                column,
                _("%(year)d valt buiten de planperiode %(first)d-%(last)d.")
                % {"year": cell[0], "first": min(years), "last": max(years)},
                column_name(cell),
            )
            continue
        if cell in seen:
            errors.add(
                1,
                column,
                _("deze kolom staat er twee keer (ook kolom %(other)s).")
                % {"other": get_column_letter(seen[cell] + 1)},
                column_name(cell),
            )
            continue
        seen[cell] = index
        cells[index] = cell
    if code_column is None:
        errors.add(1, None, _("de kopregel heeft geen kolom “Code”."))
    return code_column, cells


def _amount(value) -> Decimal:
    """The amount in a cell; ValueError when it is not one (or negative, or past the cents)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
        if amount.is_finite() and amount.as_tuple().exponent < -2:
            # binary noise of a formula (0.1 + 0.2): the value as a spreadsheet shows it
            amount = Decimal(f"{value:.15g}")
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        amount = parse_amount(value, decimal_separator=",")
    else:  # a date, a time, an error value
        raise ValueError(value)
    if not amount.is_finite():
        raise ValueError(value)
    return amount


def _check_amount(amount: Decimal) -> str | None:
    if amount < 0:
        return _("een bedrag kan niet negatief zijn")
    if amount.as_tuple().exponent < -2:
        return _("hoogstens 2 cijfers na de komma")
    if amount >= Decimal(10) ** 13:
        return _("hoogstens 13 cijfers voor de komma")
    return None


def _shown(value) -> str:
    text = str(value).strip()
    return text if len(text) <= 40 else text[:40] + "…"


def read_budgets(plan: Plan, data: bytes, name: str):
    """Check the whole file; return (tree, {code: {cell: amount}}, rows) or raise
    ImportRefused with every problem (at most MAX_ERRORS)."""
    if not data:
        _refuse(_("Het bestand is leeg."))
    if len(data) > MAX_FILE_BYTES:
        _refuse(_("Het bestand is groter dan 2 MB."))
    extension = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if extension == "xlsx":
        rows = _xlsx_rows(data)
        errors = _Errors(where=_("blad %(sheet)s, ") % {"sheet": SHEET})
    elif extension in {"csv", "txt"}:
        rows = _csv_rows(data)
        errors = _Errors(where="")
    elif extension in {"xls", "ods", "xlsm", "xlsb"}:
        _refuse(_("Bewaar het bestand eerst als Excel-werkmap (.xlsx) of als CSV."))
    else:
        _refuse(_("Kies een XLSX- of CSV-bestand in de indeling van de export."))
    if len(rows) > MAX_ROWS:
        _refuse(_("Het bestand heeft meer dan %(max)d rijen.") % {"max": MAX_ROWS})
    if any(len(row) > MAX_COLUMNS and not _empty(row[MAX_COLUMNS]) for row in rows):
        _refuse(_("Het bestand heeft meer dan %(max)d kolommen.") % {"max": MAX_COLUMNS})
    if not rows or all(_empty(value) for value in rows[0]):
        _refuse(_("Het bestand heeft geen kopregel; begin van een export."))

    tree = selectors.plan_tree(plan)
    nodes = tree.by_code()
    code_column, cells = _parse_header(rows[0], set(tree.years), errors)
    found: dict[str, dict[Cell, Decimal]] = {}
    first_row: dict[str, int] = {}
    if code_column is not None:
        for r, row in enumerate(rows[1:], start=2):
            values = {index: row[index] if index < len(row) else None for index in cells}
            code = row[code_column] if code_column < len(row) else None
            if _empty(code):
                if any(not _empty(value) for value in values.values()):
                    errors.add(r, code_column + 1, _("deze rij heeft bedragen maar geen code."))
                continue
            code = str(code).strip().lstrip("'")
            node = nodes.get(code)
            if node is None:
                errors.add(
                    r,
                    code_column + 1,
                    _("“%(code)s” is geen code van dit meerjarenplan.") % {"code": _shown(code)},
                )
                continue
            if code in first_row:
                errors.add(
                    r,
                    code_column + 1,
                    _("%(code)s staat al op rij %(row)d.") % {"code": code, "row": first_row[code]},
                )
                continue
            first_row[code] = r
            amounts: dict[Cell, Decimal] = {}
            for index, cell in cells.items():
                value = values[index]
                if _empty(value):
                    amounts[cell] = Decimal(0)
                    continue
                try:
                    amount = _amount(value.strip() if isinstance(value, str) else value)
                except (ValueError, InvalidOperation):
                    errors.add(
                        r,
                        index + 1,
                        _("“%(value)s” is geen bedrag.") % {"value": _shown(value)},
                        column_name(cell),
                    )
                    continue
                problem = _check_amount(amount)
                if problem:
                    errors.add(r, index + 1, f"{_shown(value)}: {problem}.", column_name(cell))
                    continue
                amounts[cell] = amount
            carries = node.level == "action" or (node.level == "action_plan" and not node.children)
            if not carries:
                if any(amounts.values()):
                    errors.add(
                        r,
                        code_column + 1,
                        _(
                            "%(code)s is een %(level)s: bedragen staan op acties, of op een "
                            "actieplan zonder acties."
                        )
                        % {"code": code, "level": LEVEL_NAMES[node.level]},
                    )
                continue
            found[code] = amounts
    if errors.total:
        raise ImportRefused(errors.final())
    return tree, found, len(rows) - 1


def import_budgets(plan: Plan, data: bytes, name: str, by) -> ImportResult:
    """Import the amounts of the file (XLSX or CSV in the export's layout) into the plan: the
    whole file is checked first, then every changed cell is written in one transaction through
    ``services.budget_set`` — or, on any problem, nothing. Raises ImportRefused."""
    tree, found, rows = read_budgets(plan, data, name)
    nodes = tree.by_code()
    changes = []
    for code, amounts in found.items():
        node = nodes[code]
        changed = {
            cell: (amount or None)
            for cell, amount in amounts.items()
            if amount != node.budget.get(*cell)
        }
        if changed:
            changes.append((node, changed))
    try:
        with transaction.atomic():
            for node, changed in changes:
                services.budget_set(
                    item=node.item,
                    amounts=changed,
                    expected_version=node.item.version,
                    by=by,
                )
    except StaleVersionError:
        _refuse(
            _(
                "Iemand heeft intussen bedragen of onderdelen van het plan gewijzigd. Er is "
                "niets ingelezen; lees het bestand opnieuw in."
            )
        )
    except ObjectDoesNotExist:
        _refuse(_("Een onderdeel is intussen verwijderd. Er is niets ingelezen."))
    except ValidationError as error:
        raise ImportRefused([*error.messages, _("Er is niets ingelezen.")]) from None
    return ImportResult(
        changed_amounts=sum(len(changed) for _node, changed in changes),
        changed_items=len(changes),
        rows=rows,
    )
