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

`SafeSpreadsheetExportMixin` is also the one place that makes a list export readable by a clerk:
what the list shows (choice labels, people's names, Có/Không, local times, dates day first) under
Vietnamese column labels; the XLSX through `qms.core.xlsx` (named sheet, widths, frozen header,
filter, print setup); the CSV as a Vietnamese-locale Excel opens it (`csv_content`).
"""

from __future__ import annotations

import csv
import datetime
import io
import math
from collections import OrderedDict
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.fields import RichTextField
from wagtail.rich_text import RichText

from qms.core.text import person_name

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


#: A CSV that a Vietnamese-locale Excel opens in columns with a double click: its list separator is ";"
#: and its decimal mark ",", so "95,3" is the number 95.3. The UTF-8 byte order mark makes Excel on
#: Windows read the file as UTF-8 (without it every accented letter is garbled).
CSV_DELIMITER = ";"
DECIMAL_MARK = ","
BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def csv_number(value):
    """A float or Decimal written with the decimal comma ("2,5"; 20.0 as "20"); anything else unchanged."""
    if isinstance(value, float | Decimal) and math.isfinite(value):
        if value == int(value):
            return int(value)
        return str(value).replace(".", DECIMAL_MARK)
    return value


def csv_text(value) -> str:
    """A date or time as a CSV cell shows it: "30/11/2026", "30/11/2026 16:19" (local time)."""
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def csv_content(rows) -> bytes:
    """Rows as the project's CSV: BOM, ";" between cells, decimal commas, local times, inert text."""
    out = io.StringIO()
    writer = csv_writer(out, delimiter=CSV_DELIMITER)
    for row in rows:
        writer.writerow([csv_number(csv_text(value)) for value in row])
    return (BOM + out.getvalue()).encode("utf-8")


YES, NO = _("Yes"), _("No")


def yes_no(value) -> str:
    return str(YES if value else NO)


def display_value(item, path: str):
    """
    What a list shows for `path` ("status", "audit.unit", "approved_at") of `item`: the label of a
    choice, a person's full name in Vietnamese order, a related record's name, plain text of rich text,
    Có/Không; dates, times and numbers stay values (the writer formats them).
    """
    *parents, name = path.split(".")
    owner = item
    for part in parents:
        owner = getattr(owner, part, None)
        if owner is None:
            return None
    label = getattr(owner, f"get_{name}_display", None)
    if callable(label):
        return str(label()) if getattr(owner, name, None) not in (None, "") else None
    value = getattr(owner, name, None)
    if isinstance(value, models.Manager):  # many-to-many: the names, one after another
        return ", ".join(_object_text(related) for related in value.all())
    if callable(value):
        value = value()
    if isinstance(value, str) and _is_rich_text(owner, name):
        return " ".join(strip_tags(value).split())  # what the reader sees, not the markup
    return _plain(value)


def _is_rich_text(owner, name: str) -> bool:
    meta = getattr(owner, "_meta", None)
    try:
        return meta is not None and isinstance(meta.get_field(name), RichTextField)
    except FieldDoesNotExist:
        return False


def _object_text(value) -> str:
    return person_name(value) if isinstance(value, AbstractBaseUser) else str(value)


def _plain(value):
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, AbstractBaseUser | models.Model):
        return _object_text(value)
    if isinstance(value, RichText):
        return " ".join(strip_tags(value.source).split())
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(_plain(v)) for v in value)
    return value


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
    Wagtail's list export (`?export=xlsx|csv` on index views and reports) as a clerk can use it: the
    base of every index view and report of the project (put it before Wagtail's view class).

    - cells are safe (never a live formula; Wagtail's CSV writes every value as given);
    - values are what the list shows (`display_value`): choice labels, full names, Có/Không, times
      in Asia/Ho_Chi_Minh, dates dd/mm/yyyy;
    - column labels are the fields' Vietnamese names (or `export_headings`);
    - the XLSX is built by `qms.core.xlsx`: a sheet named after the list, widths from the content,
      frozen header, filter, A4 landscape one page wide with the header row on every page;
    - the CSV is `csv_content`'s: BOM, ";" and decimal commas for a Vietnamese-locale Excel.
    """

    write_csv_row = _safe_write_csv_row
    generate_xlsx_row = _safe_generate_xlsx_row
    custom_value_preprocess = {
        (datetime.date, datetime.time): {SpreadsheetExportMixin.FORMAT_XLSX: None},
        list: {SpreadsheetExportMixin.FORMAT_CSV: _plain, SpreadsheetExportMixin.FORMAT_XLSX: _plain},
    }

    def to_row_dict(self, item):
        return OrderedDict((field, display_value(item, field)) for field in self.list_export)

    def get_sheet_title(self) -> str:
        """The sheet's name: the model's plural name ("Điểm không phù hợp"), else the list's title."""
        model = getattr(self, "model", None)
        title = model._meta.verbose_name_plural if model is not None else getattr(self, "page_title", "")
        return capfirst(str(title or ""))

    def export_rows(self, queryset):
        for item in queryset:
            row = self.to_row_dict(item)
            yield [self.preprocess_field_value(field, value, self.FORMAT_XLSX) for field, value in row.items()]

    def write_xlsx(self, queryset, output):
        from qms.core.xlsx import XlsxColumn, XlsxSheet, build_workbook  # qms.core.xlsx imports this module

        columns = [XlsxColumn(self.get_heading(queryset, field), width=None) for field in self.list_export]
        output.write(build_workbook([XlsxSheet(self.get_sheet_title(), columns, list(self.export_rows(queryset)))]))

    def write_xlsx_response(self, queryset):
        output = io.BytesIO()
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output, as_attachment=True, filename=f"{self.get_filename()}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def stream_csv(self, queryset):
        header = [self.get_heading(queryset, field) for field in self.list_export]
        yield csv_content([header])
        for values in self.export_rows(queryset):
            yield csv_content([values]).removeprefix(BOM.encode("utf-8"))

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response


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
