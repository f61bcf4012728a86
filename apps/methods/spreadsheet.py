"""A worksheet as an XLSX workbook: one row per contribution, with the fields of its kind, who
wrote it (a guest marked as such) and when; the OECD-DAC merged evaluation on a second sheet.
What the requesting person may not see yet (others' self-evaluation answers while collecting)
is not in it either: the rows come from the same board as the page."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .kinds import oecd_questions
from .selectors import board as board_of


def _cell(ws, row: int, column: int, value):
    """Text stays text: a note starting with "=" is never a formula."""
    if isinstance(value, str):
        cell = ws.cell(row=row, column=column, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell
    return ws.cell(row=row, column=column, value=value)


def export(worksheet, participant) -> bytes:
    board = board_of(worksheet, participant)
    kind = board.kind
    parents = {c.pk: c.text for c in board.contributions}
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Bijdragen")
    headings = [
        _("Onderdeel"),
        str(kind.text_label),
        str(kind.detail_label or _("Toelichting")),
        _("SDG"),
        _("Blad of trend"),
        _("Ronde"),
        _("Reflectievraag"),
        _("Draagt bij aan"),
        _("Actieterreinen"),
        _("Stemmen"),
        _("Door"),
        _("Gast"),
        _("Toegevoegd"),
    ]
    for column, heading in enumerate(headings, start=1):
        _cell(ws, 1, column, heading)
    for row, c in enumerate(board.contributions, start=2):
        questions = oecd_questions(c.section) if kind.uses_question else ()
        values = [
            str(kind.section_label(c.section)),
            c.text,
            c.detail,
            f"SDG {c.sdg.number} {c.sdg.name}" if c.sdg else "",
            c.group.name if c.group else "",
            c.round,
            str(questions[c.question])
            if c.question is not None and c.question < len(questions)
            else "",
            parents.get(c.parent_id, ""),
            ", ".join(a.name for a in c.action_areas.all()) if kind.uses_areas else "",
            c.vote_count if kind.votable else None,
            c.by_name,
            _("ja") if c.is_guest else _("nee"),
            timezone.localtime(c.created_at).replace(tzinfo=None),
        ]
        for column, value in enumerate(values, start=1):
            _cell(ws, row, column, value)
    if kind.key == "oeso-dac":
        merged = workbook.create_sheet(_("Evaluatie"))
        _cell(merged, 1, 1, _("Criterium"))
        _cell(merged, 1, 2, _("Samengevatte evaluatie"))
        for row, criterion in enumerate(board.extra["criteria"], start=2):
            _cell(merged, row, 1, str(criterion["label"]))
            evaluation = criterion["evaluation"]
            _cell(merged, row, 2, evaluation.text if evaluation else "")
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def filename(worksheet) -> str:
    return f"werkblad-{slugify(worksheet.title)[:60] or worksheet.pk}.xlsx"
