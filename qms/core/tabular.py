"""
Reading the CSV and XLSX files that users upload (the TTHC catalogue, dossier records):
header matching by canonical name or alias, case- and diacritic-insensitive; value parsers
for the date, number and yes/no formats of DOMAIN.md; row errors a user can act on.

Row numbers are those a spreadsheet shows: the header is row 1, the first record row 2. A value
that a row error repeats is cut to `ERROR_VALUE_LIMIT` characters (`excerpt`), so a huge cell is
neither stored whole with the errors nor echoed on the page and in the errors CSV.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qms.core.text import fold_key, nfc

MSG_NOT_UTF8 = _("The file is not UTF-8 text. Save it again as “CSV UTF-8” and import it again.")
MSG_UNREADABLE_XLSX = _("The file cannot be read as an Excel workbook (.xlsx).")
MSG_UNSUPPORTED_TYPE = _("Only .csv and .xlsx files can be imported.")
MSG_EMPTY = _("The file has no header row.")
MSG_NO_ROWS = _("The file has a header but no records.")
MSG_MISSING_COLUMNS = _("Required columns are missing: %(columns)s.")
MSG_DUPLICATE_COLUMN = _("Two columns mean the same thing: “%(first)s” and “%(second)s”.")
MSG_REQUIRED = _("A value is required.")
MSG_BAD_DATE = _("Not a date: use dd/mm/yyyy, dd/mm/yyyy HH:MM or yyyy-mm-dd.")
MSG_BAD_NUMBER = _("Not a number.")
MSG_NEGATIVE = _("Must not be negative.")
MSG_BAD_BOOL = _("Use 1/0, có/không or x/blank.")

#: Characters of a cell that an error keeps: enough to find the value in the file, not a whole upload.
ERROR_VALUE_LIMIT = 200
ELLIPSIS = "…"


def excerpt(value, limit: int = ERROR_VALUE_LIMIT) -> str:
    """`value` as text, cut to `limit` characters followed by "…" when it is longer."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + ELLIPSIS


@dataclass(frozen=True)
class Column:
    """A column of an import format: its canonical name, the aliases users write, and whether it is required."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def label(self) -> str:
        """The name shown to users: the Vietnamese header (last alias) where there is one."""
        return self.aliases[-1] if self.aliases else self.name

    def header_keys(self) -> set[str]:
        return {fold_key(self.name), *(fold_key(a) for a in self.aliases)}


@dataclass(frozen=True)
class RowError:
    """One rejected cell: its row, column, value (cut to a readable length) and the reason."""

    row: int
    column: str
    value: str
    message: str

    def __post_init__(self):
        object.__setattr__(self, "value", excerpt(self.value))

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": str(self.message)}


class TableError(Exception):
    """The file as a whole cannot be imported (wrong type, no header, missing columns)."""


@dataclass
class Table:
    """A file's records as {canonical column: raw value}, with the row number a spreadsheet shows."""

    columns: dict[str, int]  # canonical name → index in the file's rows
    headers: list[str]
    rows: Iterator[tuple[int, list]] = field(repr=False)

    def records(self) -> Iterator[tuple[int, dict]]:
        for number, values in self.rows:
            yield number, {
                name: (values[index] if index < len(values) else None) for name, index in self.columns.items()
            }


def match_headers(headers: Sequence, columns: Sequence[Column]) -> dict[str, int]:
    """Map each known column to its position in `headers`; raise TableError on missing or repeated ones."""
    by_key = {key: column for column in columns for key in column.header_keys()}
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        column = by_key.get(fold_key(str(header or "")))
        if column is None:
            continue  # unknown columns are ignored: exports carry many we do not need
        if column.name in found:
            raise TableError(
                MSG_DUPLICATE_COLUMN % {"first": excerpt(headers[found[column.name]]), "second": excerpt(header)}
            )
        found[column.name] = index
    missing = [c.label for c in columns if c.required and c.name not in found]
    if missing:
        raise TableError(MSG_MISSING_COLUMNS % {"columns": ", ".join(missing)})
    return found


def read_table(file, filename: str, columns: Sequence[Column]) -> Table:
    """Open an uploaded CSV or XLSX (first sheet) and match its header against `columns`."""
    name = filename.lower()
    if name.endswith(".csv"):
        headers, rows = _read_csv(file)
    elif name.endswith(".xlsx"):
        headers, rows = _read_xlsx(file)
    else:
        raise TableError(MSG_UNSUPPORTED_TYPE)
    return Table(columns=match_headers(headers, columns), headers=headers, rows=rows)


def _read_csv(file) -> tuple[list[str], Iterator[tuple[int, list]]]:
    raw = file.read()
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TableError(MSG_NOT_UTF8) from exc
    else:
        text = raw.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = next(reader, None)
    if not headers or not any(h.strip() for h in headers):
        raise TableError(MSG_EMPTY)

    def rows():
        for number, values in enumerate(reader, start=2):
            if any(v.strip() for v in values):
                yield number, values

    return [nfc(h.strip()) for h in headers], rows()


def _read_xlsx(file) -> tuple[list[str], Iterator[tuple[int, list]]]:
    from openpyxl import load_workbook  # imported here: only XLSX uploads need it

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise TableError(MSG_UNREADABLE_XLSX) from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    headers = next(iterator, None)
    if not headers or not any(h not in (None, "") for h in headers):
        workbook.close()
        raise TableError(MSG_EMPTY)

    def rows():
        try:
            for number, values in enumerate(iterator, start=2):
                if any(v not in (None, "") for v in values):
                    yield number, list(values)
        finally:
            workbook.close()

    return [nfc(str(h or "").strip()) for h in headers], rows()


# --- values ---------------------------------------------------------------------------------

_DATETIME_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y")


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value) -> str:
    """A cell as text: Excel numbers that are whole become "7288", not "7288.0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value).strip())


def parse_datetime(value) -> datetime.datetime:
    """An aware date-time in local time (Asia/Ho_Chi_Minh); a date alone is that day at 00:00."""
    tz = local_tz()
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(), tzinfo=tz)
    text = as_text(value)
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(str(MSG_BAD_DATE)) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    return parse_datetime(value).date()


def parse_decimal(value, *, minimum: Decimal | None = Decimal(0)) -> Decimal:
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        try:
            number = Decimal(as_text(value).replace(",", "."))
        except InvalidOperation:
            raise ValueError(str(MSG_BAD_NUMBER)) from None
    if not number.is_finite():
        raise ValueError(str(MSG_BAD_NUMBER))
    if minimum is not None and number < minimum:
        raise ValueError(str(MSG_NEGATIVE))
    return number


_TRUE = {"1", "co", "x", "true", "yes", "y", "dung"}
_FALSE = {"", "0", "khong", "false", "no", "n", "sai"}


def parse_bool(value) -> bool:
    """1/0, có/không, x/blank (and true/false, yes/no)."""
    if isinstance(value, bool):
        return value
    key = fold_key(as_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(str(MSG_BAD_BOOL))
