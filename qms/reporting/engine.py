"""
The Biểu 06 engine ("Tình hình, kết quả giải quyết TTHC", DOMAIN.md's report rules).

The database does the counting: one GROUP BY (unit, procedure) with conditional sums over the
dossiers that can matter for the period (received by its end, not closed before its start), on
the local calendar dates stored at import. pandas then maps the few hundred (unit, procedure)
cells to the rows asked for (unit, rolled up or not; field; procedure), adds the totals and the
indicators. A million dossiers never come into Python.

Columns (DOMAIN.md): 3 = 4 + 5 + 6 (received side) and 7 + 11 + 14 (closure side) are computed
independently, so the identity col 3 = col 7 + col 11 + col 14 is a check, not a tautology.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qms.core.models import AdministrativeProcedure, Unit
from qms.core.models.units import per_request, unit_graph, unit_ids_for_user
from qms.core.text import fold
from qms.dossiers import months
from qms.dossiers.models import (
    EXCLUDED_STATUSES,
    LONG_OPEN_DAYS,
    Channel,
    Dossier,
    DossierDataVersion,
    DossierMonth,
    DossierUnitMonth,
    Status,
)
from qms.feedback.selectors import Satisfaction, satisfaction_summary


class GroupBy:
    UNIT = "unit"
    FIELD = "field"
    PROCEDURE = "procedure"
    CHOICES = [(UNIT, _("Unit")), (FIELD, pgettext_lazy("TTHC field", "Field")), (PROCEDURE, _("Procedure"))]


#: The counted columns: what the database sums ("c6" …) and what pandas derives (3, 7, 11).
BASE_COLUMNS = ["c4", "c5", "c6", "c8", "c9", "c10", "c12", "c13", "c14", "wd_sum"]
NUMBER_COLUMNS = ["c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13", "c14"]
INDICATORS = ["on_time_rate", "online_rate", "avg_working_days"]

#: Column headers of the official form, (number, Vietnamese label, group label).
COLUMN_LABELS = {
    "c3": (3, "Tổng số", "Số hồ sơ nhận giải quyết"),
    "c4": (4, "Trực tuyến", "Số hồ sơ nhận giải quyết"),
    "c5": (5, "Trực tiếp, bưu chính", "Số hồ sơ nhận giải quyết"),
    "c6": (6, "Từ kỳ trước", "Số hồ sơ nhận giải quyết"),
    "c7": (7, "Tổng số", "Số hồ sơ đã giải quyết"),
    "c8": (8, "Trước hạn", "Số hồ sơ đã giải quyết"),
    "c9": (9, "Đúng hạn", "Số hồ sơ đã giải quyết"),
    "c10": (10, "Quá hạn", "Số hồ sơ đã giải quyết"),
    "c11": (11, "Tổng số", "Số hồ sơ đang giải quyết"),
    "c12": (12, "Trong hạn", "Số hồ sơ đang giải quyết"),
    "c13": (13, "Quá hạn", "Số hồ sơ đang giải quyết"),
    "c14": (14, "Rút hồ sơ", ""),
}


@dataclass(frozen=True)
class Period:
    date_from: datetime.date
    date_to: datetime.date

    def __post_init__(self):
        if self.date_to < self.date_from:
            raise ValueError("period ends before it starts")

    def label(self) -> str:
        return f"Từ ngày {self.date_from:%d/%m/%Y} đến ngày {self.date_to:%d/%m/%Y}"

    def counted_to(self, today: datetime.date | None = None) -> datetime.date:
        """
        The day the counts are taken on: the period's end, or today when the period ends later
        (DOMAIN.md: the data stop today, so a dossier due after today is not overdue yet). The one
        place this rule lives: the report, the objectives and the dashboard all count through here.
        """
        return min(self.date_to, today or timezone.localdate())

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        end = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1))
        return cls(datetime.date(year, month, 1), end)

    @classmethod
    def months(cls, year: int, first_month: int, count: int) -> Period:
        last = first_month + count - 1
        return cls(datetime.date(year, first_month, 1), cls.month(year, last).date_to)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls.months(year, 3 * quarter - 2, 3)

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        return cls.months(year, 6 * half - 5, 6)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def containing(cls, kind: str, day: datetime.date) -> Period:
        """The month / quarter / half-year / year that contains `day`."""
        if kind == "month":
            return cls.month(day.year, day.month)
        if kind == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == "half":
            return cls.half(day.year, 1 if day.month <= 6 else 2)
        if kind == "year":
            return cls.year(day.year)
        raise ValueError(kind)


def rate(numerator, denominator) -> float | None:
    """A rate, or None when its denominator is 0 (shown as "–", never 0 % or 100 %)."""
    return None if not denominator else float(numerator) / float(denominator)


@dataclass
class Bieu06:
    """A computed report: rows (one per unit, field or procedure), totals and indicators."""

    period: Period
    group_by: str
    as_of: datetime.date | None
    unit_ids: frozenset[int] | None
    #: The day the counts are taken on (`Period.counted_to`): before the period's end when it ends after today.
    counted_to: datetime.date | None = None
    rows: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)  # the units chosen (for the heading)
    #: Citizen satisfaction over the same units and period (ISO 9001 9.1.2), from the survey answers.
    satisfaction: Satisfaction | None = None

    @property
    def identity_holds(self) -> bool:
        return all(r["c3"] == r["c7"] + r["c11"] + r["c14"] for r in [*self.rows, self.totals])

    def as_json(self) -> dict:
        keys = ["stt", "label", "code", *NUMBER_COLUMNS, *INDICATORS]
        return {
            "report": "Biểu số 06/VPCP/KSTT",
            "from": self.period.date_from.isoformat(),
            "to": self.period.date_to.isoformat(),
            "counted_to": self.counted_to.isoformat() if self.counted_to else None,
            "group_by": self.group_by,
            "as_of_units": self.as_of.isoformat() if self.as_of else None,
            "units": [u.code for u in self.units],
            "rows": [{k: r.get(k) for k in keys} for r in self.rows],
            "totals": {k: self.totals.get(k) for k in keys},
            "satisfaction": None if self.satisfaction is None else {
                "answers": self.satisfaction.answers, "satisfied": self.satisfaction.satisfied,
                "rate": self.satisfaction.rate, "average_rating": self.satisfaction.average_rating,
                "complaints": self.satisfaction.complaints,
            },
        }


# --- scope ------------------------------------------------------------------------------------


def scope_unit_ids(roots: Iterable[Unit | int] | None, user=None) -> frozenset[int] | None:
    """
    The units whose dossiers a report covers: each chosen unit, everything below it, and every unit
    whose history it carries (a 2025 report of xã Yên Thế covers its five predecessors), limited to
    what `user` may see. None = every unit (a superuser who chose none).
    """
    ids: set[int] | None = None
    if roots is not None:
        graph = unit_graph()
        root_ids = {u.pk if isinstance(u, Unit) else u for u in roots}
        ids = graph.descendants(graph.ancestors_by_succession(graph.descendants(root_ids)))
    if user is not None and not getattr(user, "is_superuser", False):
        allowed = unit_ids_for_user(user)
        ids = set(allowed) if ids is None else ids & allowed
    return None if ids is None else frozenset(ids)


# --- the queries ------------------------------------------------------------------------------

_EXCLUDED = ", ".join(str(int(s)) for s in EXCLUDED_STATUSES)


def _unit_filter(unit_ids) -> tuple[str, list]:
    if unit_ids is None:
        return "", []
    ids = sorted(unit_ids) or [-1]
    return f" AND unit_id IN ({', '.join(['%s'] * len(ids))})", ids


#: The dossiers that can matter for [from, to] (received by `to`, not closed before `from`), as two index ranges
#: (`Dossier.Meta.indexes`, "dossier_reach"): short dossiers received from `from - LONG_OPEN_DAYS`, long ones
#: received by `to`. The same predicate as `qms.dossiers.models.reach_q`; the history before stays unread.
_REACH_SQL = """((long_open = %s AND received_on >= %s AND received_on <= %s) OR (long_open = %s AND received_on <= %s))
          AND (closed_on >= %s OR closed_on IS NULL)"""


def _reach_params(date_from: datetime.date, date_to: datetime.date) -> list:
    earliest = date_from - datetime.timedelta(days=LONG_OPEN_DAYS)
    return [False, earliest, date_to, True, date_to, date_from]


def aggregate(period: Period, unit_ids, *, today: datetime.date | None = None, by_procedure: bool = True) -> pd.DataFrame:
    """
    The base counts per (unit_id, procedure_id) as of `period.counted_to(today)`: a GROUP BY in the database,
    over the monthly cells and the days around them (`cells_sql`) when they can answer, else over the dossiers.
    `by_procedure=False`: the caller sums by unit only, so the procedure may be left out (procedure_id 0 then).
    """
    counted_to = period.counted_to(today)
    # The dashboard's objectives and its readiness panel ask for the same periods: count them once per request.
    frame = per_request(
        ("dossier counts", period.date_from, counted_to, unit_ids, by_procedure),
        lambda: _aggregate(Period(period.date_from, counted_to), unit_ids, today=counted_to, by_procedure=by_procedure),
    )
    return frame.copy()


def _aggregate(period: Period, unit_ids, *, today: datetime.date, by_procedure: bool) -> pd.DataFrame:
    # The year, quarter and month counted to today end in the same days: the first of them to be counted reads
    # those days with its cells, the others reuse its rows (per request).
    tails, tail = per_request("dossier tails", dict), period_tail(period, today)
    tail_key = (tail, unit_ids, by_procedure)
    known_tail = tails.get(tail_key) if tail else None
    cells = cells_sql(period, unit_ids, today=today, by_procedure=by_procedure, tail=known_tail is None)
    data = _fetch(cells) if cells else []
    if any(row[0] == "cells" for row in data):
        if tail and known_tail is None:
            tails[tail_key] = [row for row in data if row[0] == "tail"]
        elif tail:
            data += known_tail
        data = [row[1:] for row in data]
    else:
        # Within one month from a day after its first, cells out of step or without the stocks needed, or nothing
        # in the period.
        data = _fetch(aggregate_sql(period, unit_ids, today=today))
    frame = pd.DataFrame(data, columns=["unit_id", "procedure_id", *BASE_COLUMNS])
    if not len(frame):
        return frame
    # The rows of the cells and of the days around them add up per (unit, procedure).
    frame = frame.astype(dict.fromkeys(BASE_COLUMNS, "int64"))
    frame = frame.groupby(["unit_id", "procedure_id"], as_index=False)[BASE_COLUMNS].sum()
    # A (unit, procedure) with no dossier in reach has no row, as over the dossiers (each one there counts in
    # column 4, 5 or 6); its cells can still hold the months around the period.
    return frame[(frame["c4"] + frame["c5"] + frame["c6"]) > 0].reset_index(drop=True)


def _fetch(sql_params: tuple[str, list]) -> list:
    with connection.cursor() as cursor:
        cursor.execute(*sql_params)
        return cursor.fetchall()


def aggregate_sql(period: Period, unit_ids, *, today: datetime.date | None = None) -> tuple[str, list]:
    """`aggregate`'s query and parameters (the tests read its query plan)."""
    f, t = period.date_from, period.counted_to(today)
    unit_sql, unit_params = _unit_filter(unit_ids)
    online, withdrawn = Channel.ONLINE.value, int(Status.WITHDRAWN)
    sql = f"""
        SELECT unit_id, procedure_id,
          SUM(CASE WHEN received_on >= %s AND channel = '{online}' THEN 1 ELSE 0 END),
          SUM(CASE WHEN received_on >= %s AND channel <> '{online}' THEN 1 ELSE 0 END),
          SUM(CASE WHEN received_on < %s THEN 1 ELSE 0 END),
          SUM(CASE WHEN result_on <= %s AND result_on < due_on THEN 1 ELSE 0 END),
          SUM(CASE WHEN result_on <= %s AND result_on = due_on THEN 1 ELSE 0 END),
          SUM(CASE WHEN result_on <= %s AND result_on > due_on THEN 1 ELSE 0 END),
          SUM(CASE WHEN (closed_on IS NULL OR closed_on > %s) AND due_on >= %s THEN 1 ELSE 0 END),
          SUM(CASE WHEN (closed_on IS NULL OR closed_on > %s) AND due_on < %s THEN 1 ELSE 0 END),
          SUM(CASE WHEN status = {withdrawn} AND closed_on <= %s THEN 1 ELSE 0 END),
          SUM(CASE WHEN result_on <= %s THEN working_days ELSE 0 END)
        FROM {Dossier._meta.db_table}
        WHERE {_REACH_SQL}
          AND status NOT IN ({_EXCLUDED}){unit_sql}
        GROUP BY unit_id, procedure_id
    """  # noqa: S608 - only constants and placeholders are formatted in
    return sql, [f, f, f, t, t, t, t, t, t, t, t, t, *_reach_params(f, t), *unit_params]


def _whole_months(date_from: datetime.date, date_to: datetime.date) -> tuple[int, int] | None:
    """The month numbers of [date_from, date_to] when it is whole months, else None."""
    if date_from.day != 1 or (date_to + datetime.timedelta(days=1)).day != 1:
        return None
    return months.month_number(date_from), months.month_number(date_to)


#: True when the monthly cells say what the dossier table says and hold the stocks of the month given
#: (`qms.dossiers.months`); read by the cells' queries themselves, so a page pays no query of its own for it.
_CELLS_USABLE_SQL = f"""(SELECT months_ok AND months_through >= %s FROM {DossierDataVersion._meta.db_table} WHERE id = 1)"""  # noqa: S608


def period_tail(period: Period, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date] | None:
    """The days of the period's last month when it is not whole (a period counted to today), else None: what
    `tail_sql` counts after the cells."""
    t = period.counted_to(today)
    if (t + datetime.timedelta(days=1)).day == 1:
        return None
    return t.replace(day=1), t


def cells_sql(period: Period, unit_ids, *, today: datetime.date | None = None,
              by_procedure: bool = True, tail: bool = True) -> tuple[str, list] | None:
    """
    `aggregate_sql` as one query over the monthly cells (`qms.dossiers.months`), or None for a period within one
    month that starts after its first day (counted from the dossiers: a month of them at most). Its rows start
    with "cells", "head" or "tail"; `aggregate` adds up those of a (unit, procedure).

    - The whole months of the period: flows summed from their cells. Column 6 is the stock at the end of the
      month before the period; 12 and 13 the stock at the end of its last month when that month is whole.
    - A first month entered after its first day (the overview's 12 months to a day): its days from the dossiers
      (`head_sql`), which also correct column 6 to the day before the period.
    - A last month not whole (a period counted to today), or whose stocks are not counted yet: its days from the
      dossiers (`tail_sql`), with columns 12 and 13 on the period's last day.

    `by_procedure=False` reads the cells summed over the procedures (`DossierUnitMonth`; procedure_id 0).

    No "cells" row comes back when the cells are not in step or lack the stocks needed; `aggregate` then counts
    from the dossiers.

    `tail=False` leaves the last month's days out: `aggregate` has them already, read with another period of
    the page that ends on the same day.
    """
    f, t = period.date_from, period.counted_to(today)
    first, last = months.month_number(f), months.month_number(t)
    head = f.day != 1
    whole_last = (t + datetime.timedelta(days=1)).day == 1
    if first == last and head:
        return None
    before = months.month_start(first - 1)
    first_flow = months.month_start(first + 1 if head else first)
    # Flows of the months first_flow..flow_last; stocks at the end of `stock_month` (none: a day that is no month).
    flow_last, stock_month, usable_through = (months.month_start(last), months.month_start(last),
                                              months.month_start(last)) if whole_last \
        else (months.month_start(last - 1), datetime.date.min, before)
    unit_sql, unit_params = _unit_filter(unit_ids)
    flow = "SUM(CASE WHEN month >= %s THEN {} ELSE 0 END)"
    table = DossierMonth if by_procedure else DossierUnitMonth
    procedure, group = _grouping(by_procedure)
    sql = f"""
        SELECT 'cells', unit_id, {procedure},
          {flow.format("received_online")}, {flow.format("received_other")},
          SUM(CASE WHEN month = %s THEN open_in_time + open_overdue ELSE 0 END),
          {flow.format("resolved_early")}, {flow.format("resolved_on_time")}, {flow.format("resolved_late")},
          SUM(CASE WHEN month = %s THEN open_in_time ELSE 0 END),
          SUM(CASE WHEN month = %s THEN open_overdue ELSE 0 END),
          {flow.format("withdrawn")}, {flow.format("working_days")}
        FROM {table._meta.db_table}
        WHERE month >= %s AND month <= %s AND {_CELLS_USABLE_SQL}{unit_sql}
        GROUP BY {group}
    """  # noqa: S608 - only constants and placeholders are formatted in
    params = [first_flow, first_flow, before, first_flow, first_flow, first_flow, stock_month, stock_month,
              first_flow, first_flow, before, max(flow_last, before), usable_through, *unit_params]
    if head:
        part, part_params = head_sql(f, unit_ids, by_procedure=by_procedure)
        sql, params = f"{sql} UNION ALL {part}", [*params, *part_params]
    if not whole_last and tail:
        part, part_params = tail_sql(*period_tail(period, today), unit_ids, by_procedure=by_procedure)
        sql, params = f"{sql} UNION ALL {part}", [*params, *part_params]
    return sql, params


def _unindexed(column: str) -> str:
    """`column` as an expression no index serves: `+column` on SQLite, `(column + 0)` on PostgreSQL (which has
    no unary plus for dates; a date plus 0 days is the date)."""
    return f"+{column}" if connection.vendor == "sqlite" else f"({column} + 0)"


def _days_filters(unit_ids) -> tuple[str, list]:
    """
    The unit filter of `head_sql` and `tail_sql`, kept out of the units' index: their rows are reached by the
    month's receipt and closing dates only. Both databases otherwise combined the units' index over a province's
    200 units and read whole histories (PostgreSQL at 10M dossiers: a bitmap of all 10M rows, 0.44 s of a 0.6 s
    query).
    """
    unit_sql, unit_params = _unit_filter(unit_ids)
    return unit_sql.replace("unit_id IN", f"{_unindexed('unit_id')} IN"), unit_params


def _grouping(by_procedure: bool) -> tuple[str, str]:
    """(the procedure column, the GROUP BY) of the cells' and the days' queries: 0 when summed by unit only."""
    return ("procedure_id", "unit_id, procedure_id") if by_procedure else ("0", "unit_id")


def _days_sql(label: str, f: datetime.date, t: datetime.date, *, c6: tuple[str, list], c12_c13: tuple[str, list],
              sources: list[tuple[str, list]], by_procedure: bool) -> tuple[str, list]:
    """
    The rows of `cells_sql` labelled `label` ("head" or "tail"): the flows of [f, t] (columns 4, 5, 8, 9, 10, 14
    and the working days) over the dossiers the `sources` select (WHERE clauses with their parameters, added up
    with UNION ALL), and columns 6, 12 and 13 as the caller's expressions.
    """
    online, withdrawn = Channel.ONLINE.value, int(Status.WITHDRAWN)
    table = Dossier._meta.db_table
    columns = ", ".join(months.ROW_COLUMNS)
    procedure, group = _grouping(by_procedure)
    union = " UNION ALL ".join(f"SELECT {columns} FROM {table} WHERE {where}" for where, _params in sources)  # noqa: S608 - constants and the callers' own clauses
    sql = f"""
        SELECT '{label}', unit_id, {procedure},
          SUM(CASE WHEN received_on >= %s AND received_on <= %s AND channel = '{online}' THEN 1 ELSE 0 END),
          SUM(CASE WHEN received_on >= %s AND received_on <= %s AND channel <> '{online}' THEN 1 ELSE 0 END),
          {c6[0]},
          SUM(CASE WHEN result_on >= %s AND result_on <= %s AND result_on < due_on THEN 1 ELSE 0 END),
          SUM(CASE WHEN result_on >= %s AND result_on <= %s AND result_on = due_on THEN 1 ELSE 0 END),
          SUM(CASE WHEN result_on >= %s AND result_on <= %s AND result_on > due_on THEN 1 ELSE 0 END),
          {c12_c13[0]},
          SUM(CASE WHEN status = {withdrawn} AND closed_on >= %s AND closed_on <= %s THEN 1 ELSE 0 END),
          SUM(CASE WHEN result_on >= %s AND result_on <= %s THEN working_days ELSE 0 END)
        FROM ({union}) AS days
        GROUP BY {group}
    """  # noqa: S608 - only constants and placeholders are formatted in
    params = [f, t, f, t, *c6[1], f, t, f, t, f, t, *c12_c13[1], f, t, f, t,
              *(param for _where, params in sources for param in params)]
    return sql, params


def head_sql(date_from: datetime.date, unit_ids, *, by_procedure: bool = True) -> tuple[str, list]:
    """
    The first month of a period that starts after that month's first day: the flows of its days from `date_from`
    to the month's end, and column 6 moved from the month's start (the cells' stock) to `date_from`: plus the
    dossiers received in the month before `date_from`, less those closed then. Reads the month's receipts and
    closings through their indexes.
    """
    unit_sql, unit_params = _days_filters(unit_ids)
    start, before = date_from.replace(day=1), date_from - datetime.timedelta(days=1)
    end = months.month_end(months.month_number(date_from))
    c6 = ("SUM(CASE WHEN received_on >= %s AND received_on <= %s THEN 1 ELSE 0 END)"
          " - SUM(CASE WHEN closed_on >= %s AND closed_on <= %s THEN 1 ELSE 0 END)", [start, before, start, before])
    return _days_sql("head", date_from, end, c6=c6, c12_c13=("0, 0", []), by_procedure=by_procedure, sources=[
        (f"long_open IN (%s, %s) AND received_on >= %s AND received_on <= %s AND status NOT IN ({_EXCLUDED}){unit_sql}",
         [False, True, start, end, *unit_params]),
        (f"closed_on >= %s AND closed_on <= %s AND {_unindexed('received_on')} < %s AND status NOT IN ({_EXCLUDED}){unit_sql}",
         [start, end, start, *unit_params]),
    ])


def tail_sql(date_from: datetime.date, date_to: datetime.date, unit_ids, *, by_procedure: bool = True) -> tuple[str, list]:
    """
    The last, unfinished month of a period counted over the cells: its flows from `date_from` (the month's first
    day) to `date_to`, and the stock at `date_to` (columns 12 and 13; column 6 is the cells'). Every dossier that
    counts there was closed on or after `date_from`, or never: it reads those two through the `closed_on` index,
    not the 92 days before (`_REACH_SQL`).
    """
    unit_sql, unit_params = _days_filters(unit_ids)
    t = date_to
    c12_c13 = ("SUM(CASE WHEN received_on <= %s AND (closed_on IS NULL OR closed_on > %s) AND due_on >= %s THEN 1 ELSE 0 END),"
               " SUM(CASE WHEN received_on <= %s AND (closed_on IS NULL OR closed_on > %s) AND due_on < %s THEN 1 ELSE 0 END)",
               [t, t, t, t, t, t])
    return _days_sql("tail", date_from, date_to, c6=("0", []), c12_c13=c12_c13, by_procedure=by_procedure, sources=[
        (f"closed_on >= %s AND status NOT IN ({_EXCLUDED}){unit_sql}", [date_from, *unit_params]),
        (f"closed_on IS NULL AND status NOT IN ({_EXCLUDED}){unit_sql}", list(unit_params)),
    ])


def monthly(period: Period, unit_ids) -> pd.DataFrame:
    """Resolved, on time (early or on the due date) and on-time rate per month of the period."""
    unit_sql, unit_params = _unit_filter(unit_ids)
    span = _whole_months(period.date_from, period.date_to)
    data = []
    if span is not None:
        # Resolutions are flows, in the cells for every month: only "in step" is asked of them (any stock month).
        data = _fetch((f"""
            SELECT month, SUM(resolved_early + resolved_on_time + resolved_late), SUM(resolved_early + resolved_on_time)
            FROM {DossierUnitMonth._meta.db_table}
            WHERE month >= %s AND month <= %s AND {_CELLS_USABLE_SQL}{unit_sql}
            GROUP BY month
        """, [months.month_start(span[0]), months.month_start(span[1]), datetime.date.min, *unit_params]))  # noqa: S608
    if not data:
        data = _fetch((f"""
            SELECT result_on, COUNT(*), SUM(CASE WHEN result_on <= due_on THEN 1 ELSE 0 END)
            FROM {Dossier._meta.db_table}
            WHERE closed_on >= %s AND closed_on <= %s AND result_on IS NOT NULL
              AND status NOT IN ({_EXCLUDED}){unit_sql}
            GROUP BY result_on
        """, [period.date_from, period.date_to, *unit_params]))  # noqa: S608
    in_period = pd.period_range(period.date_from, period.date_to, freq="M")
    frame = pd.DataFrame(data, columns=["day", "resolved", "on_time"])
    if len(frame):
        frame["month"] = pd.to_datetime(frame["day"]).dt.to_period("M")
        frame = frame.groupby("month")[["resolved", "on_time"]].sum()
    else:
        frame = pd.DataFrame(columns=["resolved", "on_time"], dtype="int64")
    frame = frame.reindex(in_period, fill_value=0).astype("int64")
    frame["on_time_rate"] = [rate(o, r) for o, r in zip(frame["on_time"], frame["resolved"], strict=True)]
    return frame


# --- shaping ----------------------------------------------------------------------------------


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    frame["c3"] = frame["c4"] + frame["c5"] + frame["c6"]
    frame["c7"] = frame["c8"] + frame["c9"] + frame["c10"]
    frame["c11"] = frame["c12"] + frame["c13"]
    return frame


def _derived(sums: dict) -> dict:
    sums["c3"] = sums["c4"] + sums["c5"] + sums["c6"]
    sums["c7"] = sums["c8"] + sums["c9"] + sums["c10"]
    sums["c11"] = sums["c12"] + sums["c13"]
    return sums


def _indicators(row: dict) -> dict:
    row["on_time_rate"] = rate(row["c8"] + row["c9"], row["c7"])
    row["online_rate"] = rate(row["c4"], row["c4"] + row["c5"])
    row["avg_working_days"] = rate(row["wd_sum"], row["c7"])
    return row


def bieu06(
    *, period: Period, units: Iterable[Unit] | None = None, group_by: str = GroupBy.UNIT,
    as_of: datetime.date | None = None, user=None, today: datetime.date | None = None,
) -> Bieu06:
    """
    Biểu 06 for `period` over `units` (each with its descendants and predecessors; None = all the
    user may see), one row per unit, field or procedure. With `as_of`, dossiers of units that had
    been merged by that date count under the unit in force then. A period that ends after `today`
    (default: the local date) is counted as of `today`.
    """
    units = list(units) if units is not None else None
    unit_ids = scope_unit_ids(units, user)
    base = aggregate(period, unit_ids, today=today, by_procedure=group_by != GroupBy.UNIT)
    report = Bieu06(period=period, group_by=group_by, as_of=as_of, unit_ids=unit_ids, units=units or [],
                    counted_to=period.counted_to(today))
    if len(base):
        if group_by == GroupBy.UNIT:
            key = base["unit_id"]
            if as_of is not None:
                key = key.map(Unit.objects.rollup_map(as_of))
            known = unit_graph().units  # the request's units: no query
            names = {pk: known[pk].name for pk in set(key)}
            codes = {pk: known[pk].code for pk in set(key)}
            base["key"] = key
            label_of, code_of = names, codes
        else:
            procedures = AdministrativeProcedure.objects.filter(pk__in=set(base["procedure_id"]))
            if group_by == GroupBy.FIELD:
                field_of = dict(procedures.values_list("pk", "field"))
                base["key"] = base["procedure_id"].map(field_of)
                label_of = {f: f for f in field_of.values()}
                code_of = dict.fromkeys(field_of.values(), "")
            elif group_by == GroupBy.PROCEDURE:
                base["key"] = base["procedure_id"]
                label_of = dict(procedures.values_list("pk", "name"))
                code_of = dict(procedures.values_list("pk", "code"))
            else:
                raise ValueError(group_by)
        grouped = _finish(base.groupby("key")[BASE_COLUMNS].sum())
        order = sorted(grouped.index, key=lambda k: (fold(label_of[k]), str(code_of[k])))
        for number, key in enumerate(order, start=1):
            row = {"stt": number, "key": key, "label": label_of[key], "code": code_of[key]}
            row.update({c: int(v) for c, v in grouped.loc[key].items()})
            report.rows.append(_indicators(row))
    totals = _derived({c: sum(r[c] for r in report.rows) for c in BASE_COLUMNS})
    report.totals = _indicators({"stt": None, "label": "Tổng cộng", "code": "", **totals})
    satisfaction_ids = unit_ids if unit_ids is not None else Unit.objects.values_list("pk", flat=True)
    report.satisfaction = satisfaction_summary(unit_ids=satisfaction_ids, date_from=period.date_from, date_to=period.date_to)
    return report


def totals_for(*, period: Period, unit_ids, today: datetime.date | None = None) -> dict:
    """Just the totals row over `unit_ids` (quality objectives), counted as `bieu06` counts."""
    base = aggregate(period, unit_ids, today=today, by_procedure=False)
    return _indicators(_derived({c: int(base[c].sum()) if len(base) else 0 for c in BASE_COLUMNS}))


def totals_grouped(*, period: Period, groups: dict) -> dict:
    """
    `totals_for` of several sets of units (`groups`: key → unit ids) from one aggregate over their union,
    grouped by unit: the objectives of every unit a page shows cost one query, not one each. A key whose
    units had no dossier row in the period maps to None (a Biểu 06 grouped by unit would have no row for it).
    """
    union = frozenset().union(*groups.values()) if groups else frozenset()
    base = aggregate(period, union, by_procedure=False)
    # Per unit as plain integers: a province's 200 groups sum a few units each (pandas per group cost 1 s).
    by_unit = {}
    if len(base):
        sums = base.groupby("unit_id")[BASE_COLUMNS].sum()
        by_unit = dict(zip(sums.index.tolist(), sums.to_numpy().tolist(), strict=True))
    out = {}
    for key, ids in groups.items():
        found = [by_unit[pk] for pk in ids if pk in by_unit]
        sums = [sum(column) for column in zip(*found, strict=True)]
        out[key] = _indicators(_derived(dict(zip(BASE_COLUMNS, sums, strict=True)))) if found else None
    return out


def totals_empty() -> dict:
    """The totals of no dossier at all (as `totals_for` gives them)."""
    return _indicators(_derived(dict.fromkeys(BASE_COLUMNS, 0)))
