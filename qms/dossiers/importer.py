"""
The dossier import, vectorised: a file of a million rows is read in chunks with pandas, every
rule of DOMAIN.md is checked on whole columns at once, and the valid rows are written with one
bulk write per slice (SQLite: executemany of INSERT for new codes, UPDATE by code for stored ones; PostgreSQL:
COPY into a temporary table, then one INSERT … SELECT … ON CONFLICT). The rules and messages are
the same as a row-by-row reader built on `qms.core.tabular` would give: the column aliases, the
value formats and the row numbers (header = row 1) come from there.

Two phases: check every row (progress is committed as it goes, so a screen can show it), then
write the valid rows in one transaction. All or nothing unless `keep_valid`. Between the two, the checked
chunks wait on disk (`_Spill`), so memory stays at about one chunk whatever the file's size.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.core.freshness import records_changed
from qms.core.models import AdministrativeProcedure, Unit
from qms.core.tabular import (
    MSG_BAD_BOOL,
    MSG_BAD_DATE,
    MSG_EMPTY,
    MSG_NO_ROWS,
    MSG_NOT_UTF8,
    MSG_REQUIRED,
    MSG_UNSUPPORTED_TYPE,
    Column,
    RowError,
    TableError,
    as_text,
    excerpt,
    match_headers,
    parse_bool,
    parse_datetime,
    read_table,
)
from qms.core.text import fold_key, nfc
from qms.dossiers import months, workdays
from qms.dossiers.models import LONG_OPEN_DAYS, Channel, Dossier, DossierDataVersion, ImportBatch, Status

COLUMNS = (
    Column("ma_ho_so", ("dossier_code", "Mã hồ sơ"), required=True),
    Column("ma_don_vi", ("unit_code", "Mã đơn vị"), required=True),
    Column("ma_thu_tuc", ("procedure_code", "Mã thủ tục"), required=True),
    Column("kenh_nop", ("channel", "Kênh nộp"), required=True),
    Column("ngay_tiep_nhan", ("received_at", "Ngày tiếp nhận"), required=True),
    Column("ngay_hen_tra", ("due_at", "Ngày hẹn trả"), required=True),
    Column("ngay_ket_thuc_xu_ly", ("processed_at", "Ngày kết thúc xử lý")),
    Column("ngay_tra_ket_qua", ("returned_at", "Ngày trả kết quả")),
    Column("trang_thai", ("status", "Trạng thái")),
    Column("da_so_hoa", ("digitised", "Đã số hóa")),
    Column("ket_qua_dien_tu", ("electronic_result", "Kết quả điện tử")),
)
COLUMN_NAMES = [c.name for c in COLUMNS]
DATE_COLUMNS = ("ngay_tiep_nhan", "ngay_hen_tra", "ngay_ket_thuc_xu_ly", "ngay_tra_ket_qua")

MSG_CODE_TOO_LONG = _("Too long: at most 64 characters.")
MSG_UNKNOWN_UNIT = _("No unit has this code.")
MSG_UNIT_NOT_YOURS = _("You may import only the dossiers of your own units.")
MSG_CODE_OF_OTHER_UNIT = _("A dossier with this code belongs to a unit that is not yours.")
MSG_UNKNOWN_PROCEDURE = _("No procedure of the TTHC catalogue has this code.")
MSG_UNKNOWN_CHANNEL = _("Unknown channel: use truc_tiep, truc_tuyen or buu_chinh.")
MSG_BAD_STATUS = _("Unknown status: use a national status code from 1 to 10.")
MSG_DUE_BEFORE_RECEIVED = _("The due date is before the date received.")
MSG_RESULT_BEFORE_RECEIVED = _("This date is before the date received.")
MSG_FINISHED_WITHOUT_RESULT = _("Status %(status)s needs a result date (processing finished or result returned).")
MSG_WITHDRAWN_WITHOUT_RETURN = _("Status 7 (withdrawn) needs the date the dossier was returned.")
MSG_DUPLICATE_CODE = _("This dossier code already appears in row %(row)s.")
MSG_BAD_SHAPE = _("Row %(row)s cannot be read: %(detail)s")

_CHANNELS = {
    **{fold_key(v): Channel.IN_PERSON for v in ("truc_tiep", "Trực tiếp", "in person")},
    **{fold_key(v): Channel.ONLINE for v in ("truc_tuyen", "Trực tuyến", "online")},
    **{fold_key(v): Channel.POST for v in ("buu_chinh", "Bưu chính", "post")},
}
#: Date formats tried on whole columns, most common first; anything else goes to tabular.parse_datetime.
_FORMATS = (
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y-%m-%d %H:%M",
)
CHUNK_ROWS = 100_000
WRITE_ROWS = 50_000
#: Columns written to the dossier table, in this order.
DB_COLUMNS = (
    "code", "unit_id", "procedure_id", "channel", "received_at", "due_at", "processed_at", "returned_at",
    "status", "digitised", "electronic_result", "received_on", "due_on", "result_on", "closed_on", "long_open",
    "working_days", "due_working_days", "batch_id",
)

Progress = Callable[[str, int, int], None]
T = TypeVar("T")


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: The rows went to the database (the write transaction committed, or will with the caller's).
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Context:
    """What the checks need to know, read once: code → id maps and the user's units."""

    units: dict[str, int]
    procedures: dict[str, int]
    allowed_units: frozenset[int] | None  # None: no limit (superuser, command without --user)
    labels: dict[str, str]
    table_empty: bool


def build_context(*, labels: dict[str, str], allowed_units) -> Context:
    units: dict[str, int] = {}
    for pk, code, gso in Unit.objects.values_list("pk", "code", "gso_code"):
        units[code] = pk
        if gso:
            units.setdefault(gso, pk)
    procedures = dict(AdministrativeProcedure.objects.values_list("code", "pk"))
    return Context(units, procedures, allowed_units, labels, not Dossier.objects.exists())


# --- reading ----------------------------------------------------------------------------------


def count_lines(source) -> int:
    """A quick estimate of the number of records (for progress): newlines less the header."""
    n = 0
    with _open_binary(source) as handle:
        while block := handle.read(1 << 22):
            n += block.count(b"\n")
    return max(n - 1, 0)


class _open_binary:
    """Open a path, or rewind an already open binary file without closing it."""

    def __init__(self, source):
        self.source = source
        self.opened = None

    def __enter__(self):
        if hasattr(self.source, "read"):
            self.source.seek(0)
            return self.source
        self.opened = open(self.source, "rb")  # noqa: SIM115 - closed in __exit__
        return self.opened

    def __exit__(self, *exc):
        if self.opened:
            self.opened.close()
        else:
            self.source.seek(0)


def read_chunks(source, filename: str) -> tuple[dict[str, str], Iterator[pd.DataFrame]]:
    """
    The file's header labels {canonical: header as written} and its records in chunks: DataFrames
    of stripped text with one column per known canonical name and the spreadsheet row number as index.
    Raises TableError when the file cannot be read at all.
    """
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv_chunks(source)
    if name.endswith(".xlsx"):
        return _xlsx_chunks(source, filename)
    raise TableError(MSG_UNSUPPORTED_TYPE)


def _csv_chunks(source):
    with _open_binary(source) as handle:
        first = handle.readline()
    try:
        first_line = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(MSG_NOT_UTF8) from exc
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    headers = next(csv.reader([first_line], delimiter=delimiter), [])
    if not headers or not any(h.strip() for h in headers):
        raise TableError(MSG_EMPTY)
    headers = [nfc(h.strip()) for h in headers]
    positions = match_headers(headers, COLUMNS)
    labels = {c.name: headers[positions[c.name]] if c.name in positions else c.label for c in COLUMNS}

    def chunks():
        with _open_binary(source) as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
            try:
                reader = pd.read_csv(
                    text, sep=delimiter, header=None, skiprows=1, names=list(range(len(headers))),
                    usecols=sorted(positions.values()), dtype=object, keep_default_na=False, na_filter=False,
                    skip_blank_lines=False, chunksize=CHUNK_ROWS, engine="c",
                )
                start = 2
                for raw in reader:
                    frame = pd.DataFrame({name: raw[index] if not raw[index].hasnans else raw[index].fillna("") for name, index in positions.items()})
                    frame.index = pd.RangeIndex(start, start + len(frame))
                    start += len(frame)
                    yield frame
            except UnicodeDecodeError as exc:
                raise TableError(MSG_NOT_UTF8) from exc
            except pd.errors.ParserError as exc:
                raise TableError(MSG_BAD_SHAPE % {"row": "?", "detail": excerpt(exc)}) from exc
            finally:
                text.detach()

    return labels, chunks()


def _xlsx_chunks(source, filename):
    with _open_binary(source) as handle:
        data = handle.read()
    table = read_table(io.BytesIO(data), filename, COLUMNS)
    labels = {c.name: table.headers[table.columns[c.name]] if c.name in table.columns else c.label for c in COLUMNS}
    tz = ZoneInfo(settings.TIME_ZONE)

    def cell(name, value):
        if value is None:
            return ""
        if name in DATE_COLUMNS:
            if isinstance(value, datetime.datetime):
                if value.tzinfo:
                    value = value.astimezone(tz).replace(tzinfo=None)
                return value.strftime("%Y-%m-%d %H:%M:%S")
            if isinstance(value, datetime.date):
                return value.strftime("%Y-%m-%d")
            if isinstance(value, int | float) and not isinstance(value, bool):
                # A date cell without a date format: Excel's serial day number.
                from openpyxl.utils.datetime import from_excel

                try:
                    return from_excel(value).strftime("%Y-%m-%d %H:%M:%S")
                except (ValueError, OverflowError):
                    return as_text(value)
        return as_text(value)

    def chunks():
        numbers, records = [], []
        for number, record in table.records():
            numbers.append(number)
            records.append({name: cell(name, record.get(name)) for name in COLUMN_NAMES})
            if len(records) >= CHUNK_ROWS:
                yield pd.DataFrame(records, index=numbers, columns=COLUMN_NAMES, dtype=object)
                numbers, records = [], []
        if records:
            yield pd.DataFrame(records, index=numbers, columns=COLUMN_NAMES, dtype=object)

    return labels, chunks()


def _stripped(values) -> list:
    return [v.strip() for v in values]


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """
    Strip the cells and drop the blank rows, cheaply: columns with few distinct values (unit,
    procedure, channel, status, yes/no) are stripped through their distinct values, the code with a
    list comprehension; dates are stripped only where the fast parser did not take them.
    """
    for name in ("ma_don_vi", "ma_thu_tuc", "kenh_nop", "trang_thai", "da_so_hoa", "ket_qua_dien_tu"):
        column = frame[name]
        uniques = column.unique()
        if any(u != u.strip() for u in uniques):
            frame[name] = column.map({u: u.strip() for u in uniques})
    frame["ma_ho_so"] = np.array(_stripped(frame["ma_ho_so"].tolist()), dtype=object)
    # Blank: every cell empty. The code first, then the other columns only where it is empty (nearly no row):
    # comparing every column of every row was 5 % of an import's CPU.
    blank = frame["ma_ho_so"].to_numpy() == ""
    for name in COLUMN_NAMES:
        if name not in DATE_COLUMNS and name != "ma_ho_so" and blank.any():
            blank[blank] &= frame[name].to_numpy()[blank] == ""
    if blank.any():
        for name in DATE_COLUMNS:
            blank[blank] &= np.array([not v.strip() for v in frame[name].to_numpy()[blank]], dtype=bool)
    return frame[~blank] if blank.any() else frame


# --- checking ---------------------------------------------------------------------------------


def _excerpts(values: pd.Series) -> list[str]:
    # Cut here, not only in RowError: a chunk's errors are held until the import ends.
    return [excerpt(v) for v in values.to_numpy()]


class _Errors:
    """Row errors of one chunk, collected column by column (vectorised), then put in row order."""

    def __init__(self, frame: pd.DataFrame, labels: dict[str, str]):
        self.frame = frame
        self.labels = labels
        self.parts: list[pd.DataFrame] = []
        self.bad = pd.Series(False, index=frame.index)

    def add(self, column: str, mask: pd.Series, message) -> None:
        if not mask.any():
            return
        rows = mask[mask].index
        self.bad.loc[rows] = True
        self.parts.append(pd.DataFrame({
            "row": rows, "order": COLUMN_NAMES.index(column), "column": self.labels[column],
            "value": _excerpts(self.frame.loc[rows, column]) if column in self.frame else "",
            "message": str(message),
        }))

    def add_each(self, column: str, rows, messages) -> None:
        """Errors whose message differs per row (from the scalar parser)."""
        if len(rows):
            self.add_frame(column, pd.Index(rows), [str(m) for m in messages])

    def add_frame(self, column, rows, messages):
        self.bad.loc[rows] = True
        self.parts.append(pd.DataFrame({
            "row": rows, "order": COLUMN_NAMES.index(column), "column": self.labels[column],
            "value": _excerpts(self.frame.loc[rows, column]), "message": messages,
        }))

    def table(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=["row", "order", "column", "value", "message"])
        return pd.concat(self.parts, ignore_index=True)


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _fast_dmy(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """
    dd/mm/yyyy[ HH:MM[:SS]] (the one-stop software's format) parsed with array arithmetic on the
    characters: (datetime64[s] values, mask of the values parsed). Anything else is left to the
    general path; impossible dates (31/02) are not "parsed" here, so they end there as errors.
    """
    n = len(values)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    ok_all = np.zeros(n, dtype=bool)
    if not n:
        return out, ok_all
    # UCS-4 code points, one row per value; only the needed positions are ever widened.
    chars = np.array(values.tolist(), dtype="U20").view(np.uint32).reshape(n, 20)
    layout = "00/00/0000 00:00:00"
    for size in (19, 16, 10):
        ok = (chars[:, size - 1] != 0) & ((chars[:, size] == 0) if size < 20 else True)
        for pos in range(size):
            if not ok.any():
                break
            if layout[pos] == "0":
                ok &= (chars[:, pos] - 48) < 10  # unsigned: below "0" wraps round to a large number
            else:
                ok &= chars[:, pos] == ord(layout[pos])
        if not ok.any():
            continue
        rows = np.flatnonzero(ok)
        picked = chars if len(rows) == n else chars[rows]

        def num(a, b, picked=picked):
            return (picked[:, a].astype(np.int64) - 48) * 10 + (picked[:, b].astype(np.int64) - 48)

        day, month = num(0, 1), num(3, 4)
        year = num(6, 7) * 100 + num(8, 9)
        zeros = np.zeros(len(rows), dtype=np.int64)
        hour, minute = (num(11, 12), num(14, 15)) if size >= 16 else (zeros, zeros)
        second = num(17, 18) if size == 19 else zeros
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        month_ok = (month >= 1) & (month <= 12)
        last_day = _MONTH_DAYS[np.clip(month, 1, 12) - 1] + (leap & (month == 2))
        valid = month_ok & (day >= 1) & (day <= last_day) & (year >= 1900) & (hour < 24) & (minute < 60) & (second < 60)
        # Days since 1970-01-01 from the civil date (H. Hinnant's algorithm), all in integer arithmetic.
        y = year - (month <= 2)
        era = y // 400
        yoe = y - era * 400
        doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
        days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
        stamp = (days * 86400 + hour * 3600 + minute * 60 + second).astype("datetime64[s]")
        out[rows[valid]] = stamp[valid]
        ok_all[rows[valid]] = True
    return out, ok_all


def _parse_datetimes(values: pd.Series, errors: _Errors, column: str, *, required: bool) -> pd.Series:
    """Local naive date-times (datetime64[s]); blanks are NaT; unparsable values become errors."""
    fast, parsed_fast = _fast_dmy(values)
    out = pd.Series(fast, index=values.index, dtype="datetime64[s]")
    if not parsed_fast.all():
        rest = ~parsed_fast
        values = values.copy()
        values[rest] = _stripped(values[rest].tolist())
        if required:
            errors.add(column, pd.Series(rest, index=values.index) & (values == ""), MSG_REQUIRED)
    todo = pd.Series((values != "").to_numpy() & ~parsed_fast, index=values.index)
    for fmt in _FORMATS:
        if not todo.any():
            break
        subset = values[todo]
        parsed = pd.to_datetime(subset, format=fmt, errors="coerce")
        ok = parsed.notna()
        if ok.any():
            hit = ok[ok].index
            out.loc[hit] = parsed[ok].astype("datetime64[s]")
            todo.loc[hit] = False
    if todo.any():
        # Whatever the fast formats missed (ISO with an offset, 1-digit hours…): the shared scalar parser.
        tz = ZoneInfo(settings.TIME_ZONE)
        bad_rows, messages = [], []
        for row, text in values[todo].items():
            try:
                parsed = parse_datetime(text)
            except ValueError:
                bad_rows.append(row)
                messages.append(MSG_BAD_DATE)
                continue
            out.loc[row] = np.datetime64(parsed.astimezone(tz).replace(tzinfo=None), "s")
        errors.add_each(column, bad_rows, messages)
    return out


def _map_bool(values: pd.Series, errors: _Errors, column: str) -> pd.Series:
    mapping = {}
    for value in values.unique():
        try:
            mapping[value] = parse_bool(value)
        except ValueError:
            mapping[value] = None
    mapped = values.map(mapping)
    errors.add(column, mapped.isna(), MSG_BAD_BOOL)
    return mapped.fillna(False).astype(bool)


def check_chunk(frame: pd.DataFrame, ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(valid rows as typed columns ready to write, errors) of one chunk."""
    for name in COLUMN_NAMES:
        if name not in frame:
            frame[name] = ""
    frame = _clean(frame)
    errors = _Errors(frame, ctx.labels)

    for column in COLUMNS:
        if column.required and column.name not in DATE_COLUMNS:
            errors.add(column.name, frame[column.name] == "", MSG_REQUIRED)

    code = frame["ma_ho_so"]
    code_list = code.tolist()
    if not "".join(code_list).isascii():
        code = pd.Series([nfc(c) for c in code_list], index=frame.index, dtype=object)
    lengths = np.fromiter(map(len, code_list), dtype=np.int64, count=len(code_list))
    errors.add("ma_ho_so", pd.Series(lengths > 64, index=frame.index), MSG_CODE_TOO_LONG)

    unit_text = frame["ma_don_vi"]
    unit_id = unit_text.map(ctx.units)
    errors.add("ma_don_vi", unit_id.isna() & (unit_text != ""), MSG_UNKNOWN_UNIT)
    if ctx.allowed_units is not None:
        outside = unit_id.notna() & ~unit_id.isin(ctx.allowed_units)
        errors.add("ma_don_vi", outside, MSG_UNIT_NOT_YOURS)

    procedure_text = frame["ma_thu_tuc"]
    procedure_id = procedure_text.map(ctx.procedures)
    errors.add("ma_thu_tuc", procedure_id.isna() & (procedure_text != ""), MSG_UNKNOWN_PROCEDURE)

    channel_text = frame["kenh_nop"]
    channel = channel_text.map({v: _CHANNELS.get(fold_key(v)) for v in channel_text.unique()})
    errors.add("kenh_nop", channel.isna() & (channel_text != ""), MSG_UNKNOWN_CHANNEL)

    required = {c.name for c in COLUMNS if c.required}
    dates = {name: _parse_datetimes(frame[name], errors, name, required=name in required) for name in DATE_COLUMNS}
    received, due = dates["ngay_tiep_nhan"], dates["ngay_hen_tra"]
    processed, returned = dates["ngay_ket_thuc_xu_ly"], dates["ngay_tra_ket_qua"]
    received_on = received.dt.floor("D")
    # Compared as local calendar dates (DOMAIN.md): a date-only due date on the day of receipt is fine.
    errors.add("ngay_hen_tra", due.dt.floor("D") < received_on, MSG_DUE_BEFORE_RECEIVED)
    errors.add("ngay_ket_thuc_xu_ly", processed.dt.floor("D") < received_on, MSG_RESULT_BEFORE_RECEIVED)
    errors.add("ngay_tra_ket_qua", returned.dt.floor("D") < received_on, MSG_RESULT_BEFORE_RECEIVED)

    status_text = frame["trang_thai"]
    given = status_text != ""
    uniques = pd.Series(status_text.unique(), dtype=object)
    number = status_text.map(dict(zip(uniques, pd.to_numeric(uniques.where(uniques != ""), errors="coerce"), strict=True)))
    bad_status = given & (number.isna() | (number % 1 != 0) | (number < 1) | (number > 10))
    errors.add("trang_thai", bad_status, MSG_BAD_STATUS)
    derived = np.where(returned.notna(), Status.RETURNED, np.where(processed.notna(), Status.FINISHED, Status.PROCESSING))
    status = pd.Series(np.where(given & ~bad_status, number.fillna(0), derived).astype(np.int16), index=frame.index)
    # A date that did not parse is reported once, on its own column, not again as a contradiction.
    unparsed = (frame["ngay_ket_thuc_xu_ly"] != "") & processed.isna() | (frame["ngay_tra_ket_qua"] != "") & returned.isna()
    no_result = processed.isna() & returned.isna() & ~unparsed
    for finished in (Status.FINISHED, Status.RETURNED):
        errors.add("trang_thai", given & (status == finished) & no_result,
                   MSG_FINISHED_WITHOUT_RESULT % {"status": int(finished)})
    withdrawn = status == Status.WITHDRAWN
    errors.add("trang_thai", given & withdrawn & returned.isna() & ~unparsed, MSG_WITHDRAWN_WITHOUT_RETURN)

    digitised = _map_bool(frame["da_so_hoa"], errors, "da_so_hoa")
    electronic = _map_bool(frame["ket_qua_dien_tu"], errors, "ket_qua_dien_tu")

    ok = ~errors.bad
    if not ok.any():
        return pd.DataFrame(), errors.table()
    received_ok = received[ok]
    due_ok = due[ok]
    processed_ok, returned_ok = processed[ok], returned[ok]
    withdrawn_ok = withdrawn[ok].to_numpy()
    received_day = received_ok.to_numpy().astype("datetime64[D]")
    due_day = due_ok.to_numpy().astype("datetime64[D]")
    result_dt = processed_ok.where(processed_ok.notna(), returned_ok).to_numpy()
    result_day = np.where(withdrawn_ok, np.datetime64("NaT"), result_dt.astype("datetime64[D]"))
    closed_day = np.where(withdrawn_ok, returned_ok.to_numpy().astype("datetime64[D]"), result_day)
    resolved = ~np.isnat(result_day)
    working_days = np.full(len(received_day), -1, dtype=np.int32)
    working_days[resolved] = workdays.count(received_day[resolved], result_day[resolved])

    tz = settings.TIME_ZONE

    def utc(series: pd.Series) -> np.ndarray:
        return series.dt.tz_localize(tz).dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[s]")

    valid = pd.DataFrame({
        "code": code[ok].to_numpy(dtype=object),
        "unit_id": unit_id[ok].astype(np.int64).to_numpy(),
        "procedure_id": procedure_id[ok].astype(np.int64).to_numpy(),
        "channel": channel[ok].to_numpy(dtype=object),
        "received_at": utc(received_ok),
        "due_at": utc(due_ok),
        "processed_at": utc(processed_ok),
        "returned_at": utc(returned_ok),
        "status": status[ok].to_numpy(),
        "digitised": digitised[ok].to_numpy(),
        "electronic_result": electronic[ok].to_numpy(),
        "received_on": received_day,
        "due_on": due_day,
        "result_on": result_day,
        "closed_on": closed_day,
        "long_open": np.isnat(closed_day) | ((closed_day - received_day) > np.timedelta64(LONG_OPEN_DAYS, "D")),
        "working_days": working_days,
        "due_working_days": workdays.due_working_days(received_day, due_day).astype(np.int32),
    }, index=frame.index[ok.to_numpy()])
    return valid, errors.table()


def _existing(codes: list[str]) -> dict[str, int]:
    """code → unit id of the dossiers already stored, among `codes`."""
    found: dict[str, int] = {}
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT code, unit_id FROM {table} WHERE code = ANY(%s)", [codes])  # noqa: S608
            found.update(cursor.fetchall())
        else:
            step = 30_000  # below SQLite's 32,766 variables
            for start in range(0, len(codes), step):
                part = codes[start:start + step]
                marks = ",".join(["%s"] * len(part))
                cursor.execute(f"SELECT code, unit_id FROM {table} WHERE code IN ({marks})", part)  # noqa: S608
                found.update(cursor.fetchall())
    return found


# --- writing ----------------------------------------------------------------------------------


_DATE_COLUMNS = ("received_at", "due_at", "processed_at", "returned_at", "received_on", "due_on", "result_on", "closed_on")


def _text_or_none(values: np.ndarray, unit: str) -> list:
    """datetime64 → Django's SQLite text ("YYYY-MM-DD HH:MM:SS" / "YYYY-MM-DD"), NaT → None, in C: each distinct
    value formatted once by numpy (a chunk's dates are a few hundred days: formatting every row cost 3 s a
    million rows), one character patched ("T" → " ")."""
    distinct, inverse = np.unique(values.astype(f"datetime64[{unit}]"), return_inverse=True)
    text = np.datetime_as_string(distinct, unit=unit)
    if unit == "s" and len(text):
        text = text.astype("U19")
        text.view(np.uint32).reshape(len(text), 19)[:, 10] = ord(" ")
    out = np.array(text.tolist(), dtype=object)[inverse.reshape(-1)]
    out[np.isnat(values)] = None
    return out.tolist()


def _int_or_none(values: np.ndarray) -> list:
    out = values.astype(object)
    out[values < 0] = None
    return out.tolist()


def _columns_for_db(frame: pd.DataFrame, batch_id: int | None) -> dict[str, list]:
    """SQLite parameters, as Django would store them."""
    return {
        "code": frame["code"].tolist(),
        "unit_id": frame["unit_id"].tolist(),
        "procedure_id": frame["procedure_id"].tolist(),
        "channel": frame["channel"].tolist(),
        **{name: _text_or_none(frame[name].to_numpy(), "s" if name.endswith("_at") else "D") for name in _DATE_COLUMNS},
        "status": frame["status"].tolist(),
        "digitised": frame["digitised"].tolist(),
        "electronic_result": frame["electronic_result"].tolist(),
        "long_open": frame["long_open"].tolist(),
        "working_days": _int_or_none(frame["working_days"].to_numpy()),
        "due_working_days": frame["due_working_days"].tolist(),
        "batch_id": [batch_id] * len(frame),
    }


def _frame_for_copy(frame: pd.DataFrame, batch_id: int | None) -> pd.DataFrame:
    """PostgreSQL COPY rows: pandas writes the date-times as text ("YYYY-MM-DD HH:MM:SS", UTC session)."""
    out = pd.DataFrame({name: frame[name] for name in DB_COLUMNS if name != "batch_id"})
    out["working_days"] = pd.array(np.where(frame["working_days"] < 0, 0, frame["working_days"]), dtype="Int64")
    out.loc[frame["working_days"].to_numpy() < 0, "working_days"] = pd.NA
    out["digitised"] = np.where(frame["digitised"], "t", "f")
    out["electronic_result"] = np.where(frame["electronic_result"], "t", "f")
    out["long_open"] = np.where(frame["long_open"], "t", "f")
    out["batch_id"] = pd.array([batch_id] * len(frame), dtype="Int64")
    return out[list(DB_COLUMNS)]


def _value_sql() -> str:
    return "VALUES (" + ", ".join(["%s"] * len(DB_COLUMNS)) + ")"


def upsert_sql(source: str = "") -> str:
    table = Dossier._meta.db_table
    cols = ", ".join(DB_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in DB_COLUMNS if c != "code")
    values = source or _value_sql()
    return f"INSERT INTO {table} ({cols}) {values} ON CONFLICT (code) DO UPDATE SET {updates}"  # noqa: S608


def insert_sql() -> str:
    return f"INSERT INTO {Dossier._meta.db_table} ({', '.join(DB_COLUMNS)}) {_value_sql()}"  # noqa: S608


#: The parameters of `update_sql`, in order: every column but the code, then the code.
UPDATE_COLUMNS = (*(c for c in DB_COLUMNS if c != "code"), "code")


def update_sql() -> str:
    """A stored row replaced, found by its code: on SQLite a quarter cheaper per row than the upsert's update."""
    sets = ", ".join(f"{c} = %s" for c in UPDATE_COLUMNS[:-1])
    return f"UPDATE {Dossier._meta.db_table} SET {sets} WHERE code = %s"  # noqa: S608


def write(frame: pd.DataFrame, batch_id: int | None, progress: Progress | None = None) -> int:
    """`write_chunks` of one frame: returns how many rows were new."""
    return write_chunks([frame], batch_id, progress, total=len(frame))[0]


def write_chunks(chunks, batch_id: int | None, progress: Progress | None = None, *, total: int) -> tuple[int, int]:
    """
    Insert or update (by code) the checked rows, chunk after chunk; call inside a transaction. On SQLite the rows
    known to be new take a plain INSERT, the others an UPDATE by code (the upsert costs more per row, either
    way: measured at 300,000 rows, 1.45× the INSERT and 1.25× the UPDATE). Returns (new rows,
    rows written): new on PostgreSQL as the upsert reports it (RETURNING xmax = 0, row by row), on SQLite from the
    "exists" column (exact there: the caller holds the database's one write lock).
    """
    pg = connection.vendor == "postgresql"
    done = inserted = 0
    cells = months.Delta()
    cells.begin()
    for frame in chunks:
        if "exists" in frame:
            exists = frame["exists"].to_numpy()
        else:  # a frame not read by `_run` (tests, the demo): which of its codes are stored, asked here
            exists = frame["code"].isin(list(_existing(frame["code"].tolist()))).to_numpy()
        # The stored rows these replace leave the monthly cells (read with `exists` by `_run`, else here).
        # Popped at once: pandas deep-copies `attrs` into every frame sliced from this one.
        stored = frame.attrs.pop("stored", None)
        if stored is None and exists.any():
            stored = months.stored_rows(frame["code"][exists].tolist())
        if stored is not None:
            cells.take_out(stored)
        cells.put_in(frame)
        for rows, sql, order, new in ((~exists, insert_sql(), DB_COLUMNS, True), (exists, update_sql(), UPDATE_COLUMNS, False)):
            part_frame = frame[rows] if not rows.all() else frame
            for start in range(0, len(part_frame), WRITE_ROWS):
                part = part_frame.iloc[start:start + WRITE_ROWS]
                if pg:
                    inserted += _write_pg(_frame_for_copy(part, batch_id))
                else:
                    columns = _columns_for_db(part, batch_id)
                    with connection.cursor() as cursor:
                        cursor.executemany(sql, zip(*(columns[c] for c in order), strict=True))
                    inserted += len(part) if new else 0
                done += len(part)
                if progress:
                    progress("writing", done, max(total, done))
    if done:
        cells.commit()
        data_version_bump()
    return inserted, done


def data_version_bump() -> None:
    """Raise the dossier data version in the writing transaction: committed with the rows or not at all, so a
    report cached under the old version is never served for the new data (`selectors.data_version`)."""
    if not DossierDataVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=timezone.now()):
        DossierDataVersion.objects.update_or_create(pk=1, defaults={"version": 1, "changed_at": timezone.now()})
    records_changed(Dossier)  # and the dashboards' panels (qms.core.freshness)


def _write_pg(frame: pd.DataFrame) -> int:
    """COPY the rows into a temporary table, then upsert them; returns how many were new."""
    table = Dossier._meta.db_table
    cols = ", ".join(DB_COLUMNS)
    buffer = io.StringIO()
    frame.to_csv(buffer, header=False, index=False, na_rep="")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS dossier_import AS SELECT {cols} FROM {table} WITH NO DATA"  # noqa: S608
        )
        cursor.execute("TRUNCATE dossier_import")
        with cursor.cursor.copy(f"COPY dossier_import ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())
        # xmax = 0 on the returned row version: the row was inserted, not updated.
        cursor.execute(
            f"WITH written AS ({upsert_sql(f'SELECT {cols} FROM dossier_import')} RETURNING (xmax = 0) AS new) "  # noqa: S608
            "SELECT count(*) FILTER (WHERE new) FROM written"
        )
        return int(cursor.fetchone()[0])


# --- taking turns -----------------------------------------------------------------------------

#: Namespace of the PostgreSQL advisory locks of the import (one lock per unit: this + the unit's id).
_LOCK_NAMESPACE = 0x1D0551E8 << 32
#: Seconds between two tries for the write turn while another import holds it.
TURN_RETRY_SECONDS = 1.0


class WriteTurnTimeout(Exception):
    """Another import held the write turn for longer than DOSSIER_IMPORT_WAIT_SECONDS."""


def is_locked_error(exc: BaseException) -> bool:
    """SQLite's answer when another connection holds the write lock past the busy timeout."""
    return isinstance(exc, OperationalError) and "locked" in str(exc).lower()


def _take_turn(unit_ids: list[int], batch_id: int | None) -> bool:
    """
    Inside the write transaction, before anything is read: take the right to write, or say it is
    taken. PostgreSQL: one advisory lock per unit (imports of other units go on in parallel), tried
    without blocking so the caller can tell the user it waits. SQLite: a first statement that writes
    takes the database's write lock (the busy timeout waits for it), so the codes read next are the
    ones the write will meet; "database is locked" after the timeout means the turn is taken.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT bool_and(pg_try_advisory_xact_lock(%s + u)) FROM unnest(%s::bigint[]) AS u",
                [_LOCK_NAMESPACE, sorted(unit_ids)],
            )
            return bool(cursor.fetchone()[0]) if unit_ids else True
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Updates nothing, but takes the write lock (an UPDATE matching no row still does).
            cursor.execute(f"UPDATE {ImportBatch._meta.db_table} SET id = id WHERE id = %s", [batch_id or 0])  # noqa: S608
    return True


def in_write_turn(unit_ids: list[int], batch_id: int | None, body: Callable[[], T], *,
                  on_wait: Callable[[], None] | None = None, on_turn: Callable[[], None] | None = None) -> T:
    """
    Run `body` in one transaction that holds the write turn for `unit_ids`. While another import
    holds it, call `on_wait` (outside any transaction, so its note is committed) and try again every
    second, up to DOSSIER_IMPORT_WAIT_SECONDS; when the turn comes free after a wait, call `on_turn`
    (the note goes) and take it again. The body runs once, when the turn is ours.
    """
    deadline = time.monotonic() + getattr(settings, "DOSSIER_IMPORT_WAIT_SECONDS", 1800)
    waited = False
    while True:
        free = False
        try:
            with transaction.atomic():
                free = _take_turn(unit_ids, batch_id)
                if free and not waited:
                    return body()
        except OperationalError as exc:
            # Inside an outer transaction nothing can be retried: the caller's transaction decides.
            if not is_locked_error(exc) or connection.in_atomic_block:
                raise
        if free:
            # The turn was free after a wait (and is released again by the commit above): clear the note.
            if on_turn:
                on_turn()
            waited = False
            continue
        if time.monotonic() > deadline:
            raise WriteTurnTimeout
        if on_wait:
            on_wait()
        waited = True
        time.sleep(TURN_RETRY_SECONDS)


# --- the whole import -------------------------------------------------------------------------


class _Spill:
    """
    The checked chunks of one import, kept on disk until the write: memory stays at about one chunk whatever the
    file's size (issue 15; holding them cost ~300 MB per million rows). Besides each chunk's valid rows, it keeps
    per row of the file a 64-bit hash of its code and its number (12 bytes), on disk too, in `BUCKETS` files by
    the hash's first bits: codes given twice have equal hashes, so they meet in one bucket, and finding them
    holds one bucket at a time.
    """

    #: A 10-million-row file makes buckets of about 160,000 rows (4 MB read, 25 bytes a row while sorted).
    BUCKETS = 64
    RECORD = np.dtype([("hash", "<u8"), ("row", "<i4")])

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="dossier-import-")
        self.valid_files: list[str] = []
        self.code_files: list[str] = []

    def _bucket_file(self, bucket: int) -> str:
        return f"{self.folder.name}/hashes-{bucket}.bin"

    def add(self, codes: pd.Series, valid: pd.DataFrame) -> None:
        number = len(self.code_files)
        codes = codes[codes != ""]
        records = np.empty(len(codes), dtype=self.RECORD)
        records["hash"] = pd.util.hash_array(codes.to_numpy(dtype=object))
        records["row"] = codes.index.to_numpy(dtype=np.int32)  # row numbers of a file: far below 2**31
        buckets = (records["hash"] >> np.uint64(58)).astype(np.intp)  # the first 6 bits: 64 buckets
        order = np.argsort(buckets, kind="stable")
        bounds = np.searchsorted(buckets[order], np.arange(self.BUCKETS + 1))
        for bucket in np.flatnonzero(np.diff(bounds)):
            with open(self._bucket_file(bucket), "ab") as out:
                records[order[bounds[bucket]:bounds[bucket + 1]]].tofile(out)
        code_file = f"{self.folder.name}/codes-{number}.pkl"
        codes.to_pickle(code_file)
        self.code_files.append(code_file)
        if len(valid):
            valid_file = f"{self.folder.name}/valid-{number}.pkl"
            valid.to_pickle(valid_file)
            self.valid_files.append(valid_file)

    def repeated(self) -> tuple[pd.Series, pd.Series]:
        """(codes of the rows whose code an earlier row has, by row; the first row of each such code, by code)."""
        candidates: set[int] = set()
        for bucket in range(self.BUCKETS):
            path = self._bucket_file(bucket)
            if not os.path.exists(path):
                continue
            records = np.fromfile(path, dtype=self.RECORD)
            # Sorted, equal neighbours are rows whose hashes are equal.
            order = np.argsort(records["hash"], kind="stable")
            hashes = records["hash"][order]
            same = hashes[1:] == hashes[:-1]
            repeated_at = np.zeros(len(order), dtype=bool)
            repeated_at[1:] |= same
            repeated_at[:-1] |= same
            candidates.update(records["row"][order[repeated_at]].tolist())
        if not candidates:
            return pd.Series(dtype=object), pd.Series(dtype=np.int64)
        # Equal hashes, then equal codes: read back the codes of those rows only.
        parts = []
        for code_file in self.code_files:
            codes = pd.read_pickle(code_file)  # noqa: S301 - our own file of this import
            parts.append(codes[codes.index.isin(candidates)])
        codes = pd.concat(parts).sort_index()
        repeated = codes.duplicated(keep="first")
        first_row = pd.Series(codes.index, index=codes.to_numpy()).groupby(level=0).first()
        return codes[repeated], first_row

    def valid_chunks(self, drop) -> Iterator[pd.DataFrame]:
        for valid_file in self.valid_files:
            frame = pd.read_pickle(valid_file)  # noqa: S301 - our own file of this import
            yield frame.drop(index=frame.index.intersection(drop)) if len(drop) else frame

    def close(self) -> None:
        self.folder.cleanup()


def run(
    source, filename: str, *, allowed_units=None, dry_run: bool = False, keep_valid: bool = False,
    batch_id: int | None = None, progress: Progress | None = None, rows_estimate: int = 0,
    on_wait: Callable[[], None] | None = None, on_turn: Callable[[], None] | None = None,
    on_written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """
    Check `source` (a path or a binary file) and, unless told otherwise, write its dossiers.
    `on_wait`, `on_turn`: while another import of the same units writes, and when it is done (`in_write_turn`);
    `on_written`: called inside the write transaction with the final counts (an exception there
    undoes the write), so the batch's outcome commits with its rows or not at all.
    """
    spill = _Spill()
    try:
        result = _run(source, filename, spill, allowed_units=allowed_units, dry_run=dry_run, keep_valid=keep_valid,
                      batch_id=batch_id, progress=progress, rows_estimate=rows_estimate, on_wait=on_wait,
                      on_turn=on_turn, on_written=on_written)
    finally:
        spill.close()
    if result.written:
        statistics_refresh()
    return result


def _run(source, filename, spill: _Spill, *, allowed_units, dry_run, keep_valid, batch_id, progress, rows_estimate,
         on_wait, on_turn, on_written) -> ImportResult:
    labels, chunks = read_chunks(source, filename)
    ctx = build_context(labels=labels, allowed_units=allowed_units)
    result = ImportResult()
    error_parts = []
    checked = 0
    valid_count = valid_exists = 0
    unit_ids: set[int] = set()  # the write turn's units (a row dropped later as a repeat may add one: harmless)
    # Which codes exist already matters for unit staff (another unit's dossier) and for a dry run's
    # counts; otherwise the write upserts every row and counts by the table's growth (cheaper).
    look_up = not ctx.table_empty and (dry_run or allowed_units is not None)
    for frame in chunks:
        result.rows += len(frame)
        valid, errors = check_chunk(frame, ctx)
        if len(valid):
            if not ctx.table_empty and not look_up:
                valid["exists"] = True  # unknown: upsert
            elif not ctx.table_empty:
                existing = _existing(valid["code"].tolist())
                valid["exists"] = valid["code"].isin(existing.keys())
                if ctx.allowed_units is not None and existing:
                    foreign = valid["code"].map(existing).isin(ctx.allowed_units) == False  # noqa: E712
                    foreign &= valid["exists"]
                    if foreign.any():
                        rows = foreign[foreign].index
                        extra = pd.DataFrame({
                            "row": rows, "order": 0, "column": labels["ma_ho_so"],
                            "value": valid.loc[rows, "code"].to_numpy(), "message": str(MSG_CODE_OF_OTHER_UNIT),
                        })
                        errors = pd.concat([errors, extra], ignore_index=True)
                        valid = valid[~foreign]
            else:
                valid["exists"] = False
            valid_count += len(valid)
            valid_exists += int(valid["exists"].sum())
            unit_ids.update(int(u) for u in valid["unit_id"].unique())
        spill.add(frame["ma_ho_so"], valid)
        if len(errors):
            error_parts.append(errors)
        checked += len(frame)
        if progress:
            progress("checking", checked, max(rows_estimate, checked))
        del frame, valid, errors

    # A code twice in the file: the later rows are errors (which row wins would be a guess).
    values, first_row = spill.repeated()
    repeated_rows = values.index
    if len(values):
        error_parts.append(pd.DataFrame({
            "row": repeated_rows, "order": 0, "column": labels["ma_ho_so"], "value": _excerpts(values),
            "message": [str(MSG_DUPLICATE_CODE % {"row": first_row[v]}) for v in values],
        }))
        # The repeated rows that were valid leave the counts (read back from their chunks: a few rows).
        for part in spill.valid_chunks(()):
            dropped = part.loc[part.index.intersection(repeated_rows)]
            valid_count -= len(dropped)
            valid_exists -= int(dropped["exists"].sum())

    errors = pd.concat(error_parts, ignore_index=True) if error_parts else None
    if errors is not None:
        errors = errors.sort_values(["row", "order"], kind="stable")
        result.error_rows = errors["row"].nunique()
        result.errors = [
            RowError(int(r.row), r.column, r.value, r.message) for r in errors.itertuples(index=False)
        ]
    if result.rows == 0:
        result.errors.append(RowError(2, "", "", str(MSG_NO_ROWS)))
    result.updated = valid_exists
    result.created = valid_count - result.updated
    if dry_run or (result.errors and not keep_valid) or not valid_count:
        if result.errors and not keep_valid:
            result.created = result.updated = 0
        return result
    if progress:
        progress("writing", 0, valid_count)

    def write_rows() -> ImportResult:
        # Added and updated come from the rows: which of these codes exist now that the turn is ours.
        any_stored = Dossier.objects.exists()
        drop = repeated_rows
        if allowed_units is not None and any_stored:
            # Another import may have stored one of these codes for another unit since the check.
            foreign_errors = []
            for part in spill.valid_chunks(drop):
                existing = _existing(part["code"].tolist())
                if not existing:
                    continue
                foreign = part["code"].isin(existing.keys()) & ~part["code"].map(existing).isin(allowed_units)
                foreign_errors.extend(
                    RowError(int(row), labels["ma_ho_so"], code, str(MSG_CODE_OF_OTHER_UNIT))
                    for row, code in zip(foreign[foreign].index, part.loc[foreign, "code"], strict=True)
                )
            if foreign_errors:
                result.errors.extend(foreign_errors)
                result.errors.sort(key=lambda error: error.row)
                result.error_rows = len({error.row for error in result.errors})
                if not keep_valid:
                    result.created = result.updated = 0
                    return result
                drop = drop.append(pd.Index([error.row for error in foreign_errors]))

        def chunks_to_write() -> Iterator[pd.DataFrame]:
            for part in spill.valid_chunks(drop):
                # One look-up: which codes exist, and their stored rows (what the write takes out of the cells).
                stored = months.stored_rows(part["code"].tolist()) if any_stored else None
                chunk = part.assign(exists=part["code"].isin(stored["code"]).to_numpy() if stored is not None else False)
                chunk.attrs["stored"] = stored
                yield chunk

        total = valid_count - (len(drop) - len(repeated_rows))
        result.created, written = write_chunks(chunks_to_write(), batch_id, progress, total=total)
        result.updated = written - result.created
        result.written = True
        if on_written:
            on_written(result)
        return result

    return in_write_turn(sorted(unit_ids), batch_id, write_rows, on_wait=on_wait, on_turn=on_turn)


def statistics_refresh() -> None:
    """
    Refresh the planner's statistics of the dossier table after an import changed it: without them SQLite
    picks the wrong index for the monthly trend, and PostgreSQL's estimates of a freshly filled table are
    guesses. Bounded whatever the table's size: PostgreSQL's ANALYZE reads a sample of about 30,000 rows;
    SQLite's reads at most `analysis_limit` rows per index (its `PRAGMA optimize` of this version analyses only
    tables the connection's own queries would have benefited from, so a fresh import would get none).
    PostgreSQL vacuums too when it can (outside a transaction): the open dossiers' index (`dossier_open`) is read
    without visiting the table only where the visibility map says the rows' blocks are all visible, and
    autovacuum may come minutes later.
    """
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {table}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 2000")
            cursor.execute(f"ANALYZE {table}")
