"""
The monthly cells of the dossier table: what Biểu 06 counts per unit, procedure and month (`DossierMonth`), and
per unit and month (`DossierUnitMonth`, the same summed over the procedures).

A report over whole months then sums the cells of its months instead of reading every dossier of its period
(issue 15: a province's year is 12 cells per unit and procedure, not 2.5 million rows). The cells are kept by
the import, in the transaction that writes the dossiers (`importer.write_chunks`): what each written row adds
to them, less what the row it replaces added. `rebuild` computes them afresh from the table.

Flows are counted in the month they happen in: received (by channel), resolved (early, on the due date, late,
with their working days), withdrawn. Stocks are counted at each month's last day: open then, due on it or
later, or overdue. They exist up to `DossierDataVersion.months_through` (the month of the last import or
rebuild); the next import first counts the month ends since (`extend`). A report reads the days of a period
outside whole months from the dossiers of their month (`engine.head_sql`, `engine.tail_sql`), and counts from the
dossiers altogether when the cells are out of step or lack the stocks it needs (`engine.aggregate`).
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
from django.db import connection
from django.utils import timezone

from qms.dossiers.models import (
    EXCLUDED_STATUSES,
    Channel,
    Dossier,
    DossierDataVersion,
    DossierMonth,
    DossierUnitMonth,
    Status,
)

KEY = ["unit_id", "procedure_id", "month"]
FLOW_COLUMNS = ["received_online", "received_other", "resolved_early", "resolved_on_time", "resolved_late",
                "withdrawn", "working_days"]
STOCK_COLUMNS = ["open_in_time", "open_overdue"]
CELL_COLUMNS = FLOW_COLUMNS + STOCK_COLUMNS
#: What `contributions` reads of a dossier, in this order.
ROW_COLUMNS = ["unit_id", "procedure_id", "channel", "status", "received_on", "due_on", "result_on", "closed_on",
               "working_days"]
READ_ROWS = 100_000
WRITE_CELLS = 20_000


# --- months as numbers ------------------------------------------------------------------------


def month_number(day: datetime.date) -> int:
    """Months since January 1970 (numpy's datetime64[M] as an integer)."""
    return (day.year - 1970) * 12 + day.month - 1


def month_start(number: int) -> datetime.date:
    return datetime.date(1970 + number // 12, number % 12 + 1, 1)


def month_end(number: int) -> datetime.date:
    return month_start(number + 1) - datetime.timedelta(days=1)


def _days(values) -> np.ndarray:
    """Dates (datetime64, date objects or ISO text; None for none) as datetime64[D]."""
    return pd.to_datetime(pd.Series(values), format="ISO8601").to_numpy().astype("datetime64[D]") if len(values) \
        else np.empty(0, dtype="datetime64[D]")


# --- what rows add to the cells ---------------------------------------------------------------


def contributions(rows: pd.DataFrame, *, flows: bool = True, stock_from: int | None = None,
                  stock_to: int) -> pd.DataFrame:
    """
    What `rows` (ROW_COLUMNS; dates as datetime64[D], NaT for none) add to the cells: their flows (unless
    `flows` is False) and their stocks at the ends of months `stock_from`..`stock_to` (month numbers). One row
    per (unit_id, procedure_id, month number), CELL_COLUMNS summed. The same rules as `engine.aggregate_sql`.
    """
    rows = rows[~rows["status"].isin([int(s) for s in EXCLUDED_STATUSES])]
    unit = rows["unit_id"].to_numpy(dtype=np.int64)
    procedure = rows["procedure_id"].to_numpy(dtype=np.int64)
    received = rows["received_on"].to_numpy().astype("datetime64[D]")
    due = rows["due_on"].to_numpy().astype("datetime64[D]")
    result = rows["result_on"].to_numpy().astype("datetime64[D]")
    closed = rows["closed_on"].to_numpy().astype("datetime64[D]")
    received_month = received.astype("datetime64[M]").astype(np.int64)
    parts = []

    def part(mask, month, **columns):
        parts.append(pd.DataFrame({"unit_id": unit[mask], "procedure_id": procedure[mask], "month": month[mask],
                                   **{name: np.asarray(value)[mask] for name, value in columns.items()}}))

    if flows:
        online = (rows["channel"] == Channel.ONLINE.value).to_numpy()
        part(np.ones(len(rows), dtype=bool), received_month, received_online=online.astype(np.int64),
             received_other=(~online).astype(np.int64))
        resolved = ~np.isnat(result)
        # None from the table, -1 from the importer's frame: no working days counted.
        working = pd.to_numeric(rows["working_days"], errors="coerce").fillna(0).clip(lower=0).to_numpy(dtype=np.int64)
        part(resolved, result.astype("datetime64[M]").astype(np.int64), resolved_early=(result < due).astype(np.int64),
             resolved_on_time=(result == due).astype(np.int64), resolved_late=(result > due).astype(np.int64),
             working_days=working)
        withdrawn = (rows["status"] == int(Status.WITHDRAWN)).to_numpy() & ~np.isnat(closed)
        part(withdrawn, closed.astype("datetime64[M]").astype(np.int64), withdrawn=np.ones(len(rows), dtype=np.int64))

    # Open at the end of month m: received by it (m >= the receipt's month) and not closed by it (m < the
    # closing month). Each row is repeated once per such month within stock_from..stock_to.
    closed_month = np.where(np.isnat(closed), np.iinfo(np.int64).max // 2,
                            closed.astype("datetime64[M]").astype(np.int64))
    first = received_month if stock_from is None else np.maximum(received_month, stock_from)
    last = np.minimum(closed_month - 1, stock_to)
    repeat = np.clip(last - first + 1, 0, None)
    if repeat.any():
        index = np.repeat(np.arange(len(rows)), repeat)
        offset = np.arange(len(index)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
        month = first[index] + offset
        end = (month + 1).astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")
        in_time = due[index] >= end
        parts.append(pd.DataFrame({"unit_id": unit[index], "procedure_id": procedure[index], "month": month,
                                   "open_in_time": in_time.astype(np.int64),
                                   "open_overdue": (~in_time).astype(np.int64)}))
    if not parts:
        return pd.DataFrame(columns=[*KEY, *CELL_COLUMNS], dtype=np.int64)
    frame = pd.concat(parts, ignore_index=True).fillna(0)
    for name in CELL_COLUMNS:
        if name not in frame:
            frame[name] = 0
    return frame.groupby(KEY, as_index=False)[CELL_COLUMNS].sum().astype(np.int64)


def frame_of(data: list[tuple], columns: list[str] = ROW_COLUMNS) -> pd.DataFrame:
    """Rows read from the table (`columns`, in order) as `contributions` takes them."""
    frame = pd.DataFrame(data, columns=columns)
    for name in ("received_on", "due_on", "result_on", "closed_on"):
        frame[name] = _days(frame[name].tolist())
    return frame


def _select(columns: list[str]) -> str:
    """The select list of `columns`; on SQLite the dates as text, which pandas reads in bulk, where Django's
    converter parsed each into a date object one by one (a third of a re-import's look-ups)."""
    if connection.vendor != "sqlite":
        return ", ".join(columns)
    return ", ".join(f"CAST({c} AS TEXT)" if c.endswith("_on") else c for c in columns)


def stored_rows(codes: list[str]) -> pd.DataFrame:
    """The stored dossiers among `codes` (their code, then ROW_COLUMNS): which exist, and what a re-import takes
    back out of the cells."""
    table = Dossier._meta.db_table
    columns = ["code", *ROW_COLUMNS]
    data = []
    with connection.cursor() as cursor:
        step = 30_000  # below SQLite's 32,766 variables
        for start in range(0, len(codes), step):
            part = codes[start:start + step]
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT {_select(columns)} FROM {table} WHERE code = ANY(%s)", [part])  # noqa: S608
            else:
                marks = ",".join(["%s"] * len(part))
                cursor.execute(f"SELECT {_select(columns)} FROM {table} WHERE code IN ({marks})", part)  # noqa: S608
            data.extend(cursor.fetchall())
    return frame_of(data, columns)


# --- the state --------------------------------------------------------------------------------


def _state() -> tuple[bool, int | None]:
    """(cells in step, last month with stocks, as a month number)."""
    row = DossierDataVersion.objects.filter(pk=1).values_list("months_ok", "months_through").first()
    if not row or not row[0] or row[1] is None:
        return False, None
    return True, month_number(row[1])


class Delta:
    """
    What one import changes in the cells, gathered chunk by chunk inside its write transaction: `begin` before
    the first row is written, `take_out` the stored rows a chunk replaces and `put_in` the chunk before each
    write, `commit` after the last. When the cells were not in step (never built, or written behind the
    import's back), `commit` rebuilds them from the table instead.
    """

    def __init__(self):
        self.total: pd.DataFrame | None = None  # the cells' changes so far, summed as they come
        self.ok, self.through = False, None

    def begin(self) -> None:
        current = month_number(timezone.localdate())
        self.ok, self.through = _state()
        if not self.ok and connection.vendor == "postgresql":
            # `commit` will rebuild from the whole table: no other import may write meanwhile. Taken before this
            # import writes (taken at the rebuild, two such imports would each wait for the other's rows: a
            # deadlock); a second one waits here, then finds the cells in step.
            _lock_dossiers()
            self.ok, self.through = _state()
        if not self.ok and not Dossier.objects.exists():
            # Nothing stored yet (a new database, the first import): the cells of nothing are none, and this
            # import's deltas are all they will hold. Spares the rebuild, which would read every row back.
            _mark_in_step(current)
            self.ok, self.through = True, current
        if self.ok and self.through < current:
            # The first write of a new month: count the month ends since the last one, for every unit, once
            # (the row lock taken by this UPDATE makes a concurrent import wait, then find it done).
            moved = DossierDataVersion.objects.filter(pk=1, months_ok=True, months_through__lt=month_start(current))
            if moved.update(months_through=month_start(current)):
                extend(self.through + 1, current)
            self.ok, self.through = _state()

    def _add(self, rows: pd.DataFrame, sign: int) -> None:
        if self.ok and len(rows):
            cells = contributions(rows, stock_to=self.through)
            if sign < 0:
                cells[CELL_COLUMNS] = -cells[CELL_COLUMNS]
            # Summed as they come: the import's memory holds the cells it touches, never its rows.
            self.total = _add_up(self.total, cells)

    def take_out(self, rows: pd.DataFrame) -> None:
        self._add(rows, -1)

    def put_in(self, rows: pd.DataFrame) -> None:
        self._add(rows, +1)

    def commit(self) -> None:
        if not self.ok:
            rebuild()
            return
        if self.total is not None:
            _upsert(self.total)


def _sum(parts: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(parts, ignore_index=True).groupby(KEY, as_index=False)[CELL_COLUMNS].sum()


def _add_up(total: pd.DataFrame | None, cells: pd.DataFrame) -> pd.DataFrame:
    """`total` plus `cells`, per cell (`cells` alone at first)."""
    return cells if total is None else _sum([total, cells])


#: The cell tables and their keys: per procedure, and summed over the procedures.
TABLES = ((DossierMonth, KEY), (DossierUnitMonth, ["unit_id", "month"]))


def _upsert(cells: pd.DataFrame) -> None:
    """Add `cells` (per procedure) to the stored ones of both tables (a new cell starts at 0); cells brought down
    to all zero are removed."""
    cells = cells[(cells[CELL_COLUMNS] != 0).any(axis=1)]
    with connection.cursor() as cursor:
        for model, key in TABLES:
            part = cells.groupby(key, as_index=False)[CELL_COLUMNS].sum() if key != KEY else cells
            if not len(part):
                continue
            table = model._meta.db_table
            columns = ", ".join([*key, *CELL_COLUMNS])
            marks = ", ".join(["%s"] * (len(key) + len(CELL_COLUMNS)))
            added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in CELL_COLUMNS)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT ({', '.join(key)}) DO UPDATE SET {added}"  # noqa: S608
            for start in range(0, len(part), WRITE_CELLS):  # as Python tuples a few at a time: bounded memory
                cursor.executemany(sql, _db_values(part.iloc[start:start + WRITE_CELLS], key))
            # Only a cell that lost something can have come down to nothing.
            shrunk = part[(part[CELL_COLUMNS] < 0).any(axis=1)]
            if len(shrunk):
                zero = " AND ".join(f"{c} = 0" for c in CELL_COLUMNS)
                match = " AND ".join(f"{k} = %s" for k in key)
                cursor.executemany(f"DELETE FROM {table} WHERE {match} AND {zero}",  # noqa: S608
                                   [v[:len(key)] for v in _db_values(shrunk, key)])


def _db_values(cells: pd.DataFrame, key: list[str]) -> list[tuple]:
    """Rows of `cells` for the database, the month number as the month's first day."""
    months = {m: month_start(m) for m in cells["month"].unique().tolist()}
    position = key.index("month")
    out = []
    for values in cells[[*key, *CELL_COLUMNS]].itertuples(index=False, name=None):
        values = list(values)
        values[position] = months[values[position]]
        out.append(tuple(values))
    return out


def _read(where: str = "", params: list | None = None):
    """The table's reportable dossiers (ROW_COLUMNS), READ_ROWS at a time."""
    excluded = ", ".join(str(int(s)) for s in EXCLUDED_STATUSES)
    sql = (f"SELECT {_select(ROW_COLUMNS)} FROM {Dossier._meta.db_table} "  # noqa: S608
           f"WHERE status NOT IN ({excluded}){where}")
    # A server-side cursor on PostgreSQL (psycopg's plain one would hold every row): memory stays at a chunk.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params or [])
        while data := cursor.fetchmany(READ_ROWS):
            yield frame_of(data)


def extend(first: int, last: int) -> None:
    """Count the stocks at the ends of months `first`..`last` (none counted yet) from the dossiers open then."""
    from qms.reporting.engine import _REACH_SQL, _reach_params

    parts = [contributions(rows, flows=False, stock_from=first, stock_to=last)
             for rows in _read(f" AND {_REACH_SQL}", _reach_params(month_start(first), month_end(last)))]
    if parts:
        _upsert(_sum(parts))


def rebuild() -> None:
    """
    Compute every cell afresh from the dossier table, stocks up to this month, and mark the cells in step.
    Inside the caller's transaction; on PostgreSQL the table is locked against other imports meanwhile (they
    wait), so no delta of theirs is lost or counted twice.
    """
    if connection.vendor == "postgresql":
        _lock_dossiers()
    current = month_number(timezone.localdate())
    total = None
    for rows in _read():
        total = _add_up(total, contributions(rows, stock_to=current))
    _mark_in_step(current)
    if total is not None:
        _upsert(total)


def _lock_dossiers() -> None:
    """PostgreSQL: until the transaction ends, no other transaction writes dossiers (reads go on)."""
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {Dossier._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")  # noqa: S608


def _mark_in_step(current: int) -> None:
    """Empty both cell tables and mark them in step, with stocks through month `current`."""
    with connection.cursor() as cursor:
        for model, _key in TABLES:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
    if not DossierDataVersion.objects.filter(pk=1).update(months_ok=True, months_through=month_start(current)):
        DossierDataVersion.objects.create(pk=1, months_ok=True, months_through=month_start(current))


def invalidate(**kwargs) -> None:
    """Receiver of a dossier saved or deleted outside the import: the cells no longer say what the table says
    (the next import rebuilds them; reports count from the dossiers meanwhile), and cached reports go."""
    from django.db.models import F

    DossierDataVersion.objects.filter(pk=1).update(months_ok=False, version=F("version") + 1,
                                                   changed_at=timezone.now())
