"""
Spreadsheet exports (openpyxl) in one house style: a title block, a bold wrapped header,
frozen panes, numbers kept as numbers and rates as percentages, so officials can sum them.
Every cell is written through `set_cell`, which keeps text that looks like a formula inert
(`qms.core.exports`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from qms.core.exports import safe_xlsx_cell
from qms.core.text import nfc

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
INTEGER = "#,##0"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FONT_NAME = "Times New Roman"  # what officials' spreadsheets use; Excel and LibreOffice both have it or a metric twin


@dataclass
class XlsxColumn:
    header: str
    width: float = 15
    number_format: str | None = None


@dataclass
class XlsxSheet:
    title: str
    columns: Sequence[XlsxColumn]
    rows: Iterable[Sequence]
    #: Lines above the table (report title, unit, period).
    heading: Sequence[str] = field(default_factory=list)


def set_cell(sheet, row: int, column: int, value):
    """Write `value` to a cell: text in NFC and never a formula, numbers and dates as they are."""
    return safe_xlsx_cell(sheet.cell(row=row, column=column, value=nfc(value) if isinstance(value, str) else value))


def build_workbook(sheets: Sequence[XlsxSheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        row = 1
        for line in spec.heading:
            set_cell(sheet, row, 1, line).font = Font(name=FONT_NAME, bold=row == 1, size=13 if row == 1 else 12)
            row += 1
        if spec.heading:
            row += 1
        header_row = row
        for index, column in enumerate(spec.columns, start=1):
            cell = set_cell(sheet, row, index, column.header)
            cell.font = Font(name=FONT_NAME, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BOX
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        for values in spec.rows:
            row += 1
            for index, (column, value) in enumerate(zip(spec.columns, values, strict=False), start=1):
                cell = set_cell(sheet, row, index, value)
                cell.font = Font(name=FONT_NAME)
                cell.border = _BOX
                cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
                if column.number_format:
                    cell.number_format = column.number_format
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download; `filename` should be ASCII (slugified) so every browser keeps it."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(sheets: Sequence[XlsxSheet], filename: str) -> HttpResponse:
    return file_response(build_workbook(sheets), filename, XLSX_CONTENT_TYPE)
