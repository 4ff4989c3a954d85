"""
Spreadsheet exports (openpyxl) in one house style: a title block, a bold wrapped header,
frozen panes, numbers kept as numbers and rates as percentages, so officials can sum them.
Every sheet filters on its header row and prints as a clerk expects: A4 landscape, one page
wide, the header row on every page, page numbers at the foot. Every cell is written through
`set_cell`, which keeps text that looks like a formula inert (`qms.core.exports`) and writes
times in local time (Asia/Ho_Chi_Minh) and dates day first.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
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


#: Column widths (characters) chosen from the content stay within these bounds; longer text wraps.
MIN_WIDTH, MAX_WIDTH = 8, 60
#: Characters a sheet name may not hold (Excel refuses the file otherwise).
_SHEET_NAME_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
#: Page footer: "Trang 2/5" (Excel's codes for the page number and the page count).
PAGE_FOOTER = "Trang &P/&N"


@dataclass
class XlsxColumn:
    header: str
    #: Characters; None: wide enough for the header's longest word and the values (within MIN/MAX_WIDTH).
    width: float | None = 15
    number_format: str | None = None


@dataclass
class XlsxSheet:
    title: str
    columns: Sequence[XlsxColumn]
    rows: Iterable[Sequence]
    #: Lines above the table (report title, unit, period).
    heading: Sequence[str] = field(default_factory=list)
    landscape: bool = True


def sheet_title(title) -> str:
    """A name Excel accepts for a sheet (31 characters at most, none of \\ / * ? : [ ])."""
    return _SHEET_NAME_FORBIDDEN.sub("-", nfc(str(title))).strip()[:31] or "Sheet1"


def excel_value(value):
    """What a cell holds: text in NFC, a time in local time (Excel has no time zones), anything else as is."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)  # the current time zone: Asia/Ho_Chi_Minh
    return value


def set_cell(sheet, row: int, column: int, value):
    """Write `value` to a cell: text in NFC and never a formula, times local, dates day first, numbers as they are."""
    cell = safe_xlsx_cell(sheet.cell(row=row, column=column, value=excel_value(value)))
    if isinstance(value, datetime.datetime):
        cell.number_format = DATETIME
    elif isinstance(value, datetime.date):
        cell.number_format = DATE
    return cell


def _text_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def auto_width(header: str, values) -> float:
    """Wide enough for the header's longest word (the header wraps) and the longest value, within bounds."""
    longest_word = max((len(word) for word in str(header).split()), default=0)
    longest_value = max((_text_width(v) for v in values), default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, max(longest_word, longest_value) + 2))


def print_setup(sheet, *, title_rows: str | None, landscape: bool = True, header: str = "") -> None:
    """
    How a sheet prints: A4, landscape unless asked otherwise, scaled to one page wide (as many pages
    tall as it needs), `title_rows` ("9:11") repeated at the top of every page, `header` above each
    page and "Trang 2/5" below it.
    """
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # 0: as many pages tall as the rows need
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows
    if header:
        sheet.oddHeader.center.text = header.replace("&", "&&")  # "&" starts a code in Excel's headers
    sheet.oddFooter.center.text = PAGE_FOOTER


def build_workbook(sheets: Sequence[XlsxSheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        rows = [list(values) for values in spec.rows]
        sheet = workbook.create_sheet(title=sheet_title(spec.title))
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
            width = column.width or auto_width(column.header, (values[index - 1] for values in rows if len(values) >= index))
            sheet.column_dimensions[get_column_letter(index)].width = width
        for values in rows:
            row += 1
            for index, (column, value) in enumerate(zip(spec.columns, values, strict=False), start=1):
                cell = set_cell(sheet, row, index, value)
                cell.font = Font(name=FONT_NAME)
                cell.border = _BOX
                cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
                if column.number_format:
                    cell.number_format = column.number_format
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        if spec.columns:
            sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(spec.columns))}{max(row, header_row + 1)}"
        print_setup(sheet, title_rows=f"{header_row}:{header_row}", landscape=spec.landscape, header=str(spec.title))
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
