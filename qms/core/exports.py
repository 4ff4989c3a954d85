"""
Every spreadsheet and CSV cell the project writes goes through here, so that no value a user typed
(a citizen's survey comment, a name, a document title) is run as a formula when an official opens
the file (formula or "CSV injection", OWASP; CWE-1236).

The rule: text that starts with one of `FORMULA_PREFIXES` is written as inert text. In a CSV it gets
a leading apostrophe (Excel and LibreOffice then show it as typed and never evaluate it); in an XLSX
it is a string cell (data type "s", never "f") with the "quote prefix" style, which keeps it text even
when someone edits the cell. Numbers, dates and booleans are left alone: a negative number stays a
number that officials can sum.

Used by `qms.core.xlsx` (every workbook of the project), `csv_writer` (every CSV of the project),
`SafeSpreadsheetExportMixin` (the "Download XLSX/CSV" of the project's admin lists and reports) and
`protect_wagtail_exports` (the same downloads of Wagtail's own screens).
"""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal

from django.utils.functional import Promise
from wagtail.admin.views.mixins import SpreadsheetExportMixin

#: What a spreadsheet reads as the start of a formula (OWASP's list: tab and carriage return too).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Written before such text in a CSV cell.
TEXT_MARK = "'"
#: Values that are data, not text; they are written as they are.
_NOT_TEXT = (int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)


def is_formula_like(value) -> bool:
    """True for text a spreadsheet would run as a formula."""
    if isinstance(value, Promise):
        value = str(value)
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def safe_cell(value):
    """A value for a CSV cell: formula-like text gets a leading apostrophe; anything else is returned as is."""
    if isinstance(value, Promise):
        value = str(value)
    return TEXT_MARK + value if is_formula_like(value) else value


def safe_xlsx_cell(cell):
    """Make an openpyxl cell whose value is formula-like text a plain text cell; returns the cell."""
    value = cell.value
    if isinstance(value, str) and (cell.data_type == "f" or value.startswith(FORMULA_PREFIXES)):
        cell.data_type = "s"  # openpyxl marks any text starting with "=" as a formula
        cell.quotePrefix = True
    return cell


class SafeWriter:
    """A `csv.writer` whose every cell passes through `safe_cell`."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> SafeWriter:
    """The project's only way to write CSV: `csv.writer(out, **kwargs)` with safe cells."""
    return SafeWriter(csv.writer(out, **kwargs))


_wagtail_generate_xlsx_row = SpreadsheetExportMixin.generate_xlsx_row


def _safe_write_csv_row(self, writer, row_dict):
    return writer.writerow({
        field: _safe_csv_value(value, self.preprocess_field_value(field, value, self.FORMAT_CSV))
        for field, value in row_dict.items()
    })


def _safe_csv_value(raw, value):
    # Wagtail turns every value into text before writing: judge a number by what it was, so -5 stays -5.
    return value if isinstance(raw, _NOT_TEXT) else safe_cell(value)


def _safe_generate_xlsx_row(self, worksheet, row_dict, date_format=None):
    # Wagtail only turns cells that openpyxl took for formulas ("=…") back into text; "+1" or "@SUM"
    # would still run once someone edits the cell.
    for cell in _wagtail_generate_xlsx_row(self, worksheet, row_dict, date_format=date_format):
        yield safe_xlsx_cell(cell)


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    """
    Wagtail's list export (`?export=xlsx|csv` on index views and reports) with safe cells: the base of
    every index view and report of the project (put it before Wagtail's view class). Wagtail's CSV
    otherwise writes every value as given.
    """

    write_csv_row = _safe_write_csv_row
    generate_xlsx_row = _safe_generate_xlsx_row


def protect_wagtail_exports() -> None:
    """
    Give Wagtail's own list exports the same safe rows (users, groups, redirects, the page and workflow
    reports, the site history: their values are page titles and people's names). They have no hook for
    their base class, so the safe row writers replace Wagtail's on its mixin, once, at start-up
    (`CoreConfig.ready`). Project views do not rely on this: they name SafeSpreadsheetExportMixin.
    """
    # `_wagtail_generate_xlsx_row` keeps Wagtail's original, so the safe writer never calls itself.
    SpreadsheetExportMixin.write_csv_row = _safe_write_csv_row
    SpreadsheetExportMixin.generate_xlsx_row = _safe_generate_xlsx_row
