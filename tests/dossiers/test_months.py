"""
The monthly cells (issue 15): a report over whole months sums them instead of reading its dossiers, and they
always say what the dossier table says, after a first import, a re-import that changes rows, a dossier written
outside the import, and a month that ended since the last import.
"""

import datetime
import re
from unittest import mock

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms.core import demo as core_demo
from qms.core.models import Unit
from qms.core.models.units import unit_graph_per_request
from qms.dossiers import months
from qms.dossiers.demo import generate
from qms.dossiers.models import Dossier, DossierDataVersion
from qms.reporting import engine
from qms.reporting.engine import BASE_COLUMNS, Period
from tests.dossiers.helpers import import_frame

TODAY = datetime.date(2026, 1, 15)
PERIODS = [
    Period.month(2024, 11), Period.month(2025, 2), Period.quarter(2025, 1), Period.quarter(2025, 4),
    Period.half(2025, 1), Period.year(2024), Period.year(2025), Period(datetime.date(2024, 12, 1), datetime.date(2025, 2, 28)),
    # From a day within a month (the overview's 12 months to a day), to a month's end or to another day.
    Period(datetime.date(2024, 11, 21), datetime.date(2025, 11, 20)), Period(datetime.date(2025, 2, 10), datetime.date(2025, 6, 30)),
    Period(datetime.date(2025, 9, 30), datetime.date(2025, 10, 2)),
]


#: Days the counts are taken on: after every period (whole months), and within one (the cells and the last
#: month's days from the dossiers), on a month's first day among them.
TODAYS = [TODAY, datetime.date(2025, 11, 20), datetime.date(2025, 3, 1)]


def _frame(data, by_procedure=True) -> pd.DataFrame:
    frame = pd.DataFrame(data, columns=["unit_id", "procedure_id", *BASE_COLUMNS])
    frame = frame.astype(dict.fromkeys(BASE_COLUMNS, "int64"))
    frame = frame.groupby(["unit_id", "procedure_id"], as_index=False)[BASE_COLUMNS].sum()
    frame = frame[(frame["c4"] + frame["c5"] + frame["c6"]) > 0]
    if not by_procedure:
        frame = frame.groupby("unit_id", as_index=False)[BASE_COLUMNS].sum()
    return frame.reset_index(drop=True)


def _rows(sql_params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(*sql_params)
        return cursor.fetchall()


def from_dossiers(period, unit_ids=None, today=TODAY, by_procedure=True):
    return _frame(_rows(engine.aggregate_sql(period, unit_ids, today=today)), by_procedure)


def from_cells(period, unit_ids=None, today=TODAY, by_procedure=True):
    """The cells' query alone (no fallback to the dossiers): it must answer."""
    query = engine.cells_sql(period, unit_ids, today=today, by_procedure=by_procedure)
    assert query is not None, "a period from a month's first day"
    rows = _rows(query)
    assert any(row[0] == "cells" for row in rows), f"the cells should answer {period} as of {today}"
    return _frame([row[1:] for row in rows], by_procedure)


def cells_answer(period, today=TODAY) -> bool:
    query = engine.cells_sql(period, None, today=today)
    return query is not None and any(row[0] == "cells" for row in _rows(query))


def assert_cells_agree(unit_ids=None, todays=TODAYS):
    """Per unit and procedure, and per unit from the cells summed over the procedures: as from the dossiers."""
    for today in todays:
        for period in PERIODS:
            if period.date_from > today:
                continue
            for by_procedure in (True, False):
                expected = from_dossiers(period, unit_ids, today, by_procedure)
                assert len(expected), period
                label = f"{period} as of {today}, by procedure: {by_procedure}"
                pd.testing.assert_frame_equal(from_cells(period, unit_ids, today, by_procedure), expected, obj=label)
                aggregated = _frame(engine.aggregate(period, unit_ids, today=today, by_procedure=by_procedure)
                                    .itertuples(index=False, name=None), by_procedure)
                pd.testing.assert_frame_equal(aggregated, expected, obj=label)


def stored_cells() -> list[pd.DataFrame]:
    """Both cell tables, in a stable order."""
    out = []
    for model, key in months.TABLES:
        columns = [f"{k}" for k in key] + months.CELL_COLUMNS
        frame = pd.DataFrame(list(model.objects.values_list(*columns)), columns=columns)
        out.append(frame.sort_values(key).reset_index(drop=True))
    return out


def assert_same_cells(kept, now):
    for before, after in zip(kept, now, strict=True):
        assert len(before)
        pd.testing.assert_frame_equal(before, after)


@pytest.fixture
def history(db, units):
    core_demo.load_procedures()
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        # Two years, then a third older one: some dossiers stay open for months, a few never close.
        import_frame(generate(3000, seed=11, start=datetime.date(2024, 7, 1), end=datetime.date(2025, 12, 31)))
        import_frame(generate(1500, seed=12, start=datetime.date(2023, 6, 1), end=datetime.date(2024, 6, 30),
                              first_index=100_000))


def test_reports_over_whole_months_read_the_cells_and_count_as_the_dossiers_do(history):
    assert DossierDataVersion.objects.get(pk=1).months_ok
    assert_cells_agree()
    commune = Unit.objects.filter(pk__in=Dossier.objects.values("unit")).order_by("code").first()
    assert_cells_agree(engine.scope_unit_ids([commune]))
    # A whole report, as the page shows it, is the same by either road.
    period = Period.year(2025)
    by_cells = engine.bieu06(period=period, today=TODAY)
    with mock.patch.object(engine, "cells_sql", return_value=None):
        by_dossiers = engine.bieu06(period=period, today=TODAY)
    assert by_cells.as_json() == by_dossiers.as_json()
    assert by_cells.totals["c3"] > 1000 and by_cells.totals["c13"] > 0 and by_cells.totals["c6"] > 0


def test_a_pages_year_quarter_and_month_to_today_read_the_days_of_this_month_once(history):
    """The dashboard measures objectives over the year, quarter and month counted to today: their whole months
    come from the cells, and the days of the unfinished month are read from the dossiers once for all three, with
    the first period's cells."""
    today = datetime.date(2025, 11, 20)
    periods = [Period(kind(2025, *number).date_from, today) for kind, number in
               ((Period.year, ()), (Period.quarter, (4,)), (Period.month, (11,)))]
    with unit_graph_per_request(), CaptureQueriesContext(connection) as queries:
        counted = [engine.aggregate(period, None, today=today, by_procedure=False) for period in periods]
    reading_dossiers = [q["sql"] for q in queries.captured_queries
                        if re.search(rf'FROM "?{Dossier._meta.db_table}\b', q["sql"])]
    assert len(queries.captured_queries) == 3 and len(reading_dossiers) == 1, reading_dossiers
    for period, frame in zip(periods, counted, strict=True):
        expected = from_dossiers(period, today=today, by_procedure=False)
        pd.testing.assert_frame_equal(_frame(frame.itertuples(index=False, name=None), by_procedure=False), expected)


def test_the_monthly_trend_reads_the_cells_and_agrees(history):
    period = Period.year(2025)
    by_cells = engine.monthly(period, None)
    DossierDataVersion.objects.filter(pk=1).update(months_ok=False)
    by_dossiers = engine.monthly(period, None)
    pd.testing.assert_frame_equal(by_cells, by_dossiers)
    assert by_cells["resolved"].sum() > 1000


def test_periods_the_cells_cannot_answer_count_from_the_dossiers(history):
    # Within one month, from a day after its first; ending after the last month end with stocks.
    assert engine.cells_sql(Period(datetime.date(2025, 3, 5), datetime.date(2025, 3, 31)), None, today=TODAY) is None
    # Stocks are counted up to January 2026 (the month of the imports): not at the end of February.
    assert cells_answer(Period.month(2025, 12)) and not cells_answer(Period.month(2026, 2), datetime.date(2026, 3, 10))


def test_a_reimport_that_changes_rows_leaves_the_cells_as_a_rebuild_would(history):
    # Same codes, other values: another unit, another receipt (a week earlier), withdrawn or still open.
    frame = generate(3000, seed=11, start=datetime.date(2024, 7, 1), end=datetime.date(2025, 12, 31)).iloc[::4].copy()
    moved = generate(len(frame), seed=99, start=datetime.date(2024, 1, 1), end=datetime.date(2025, 12, 31))
    for column in frame.columns:
        if column != "ma_ho_so":
            frame[column] = moved[column].to_numpy()[:len(frame)]
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        import_frame(frame)
        kept = stored_cells()
        months.rebuild()
    assert_same_cells(kept, stored_cells())
    assert_cells_agree()


def test_a_dossier_written_outside_the_import_puts_reports_back_on_the_dossiers_until_the_next_import(history):
    dossier = Dossier.objects.filter(closed_on__isnull=False, received_on__year=2025).first()
    dossier.closed_on = dossier.result_on = None
    dossier.long_open = True
    dossier.save()
    assert not DossierDataVersion.objects.get(pk=1).months_ok
    assert not cells_answer(Period.year(2025))
    expected = from_dossiers(Period.year(2025))
    assert (expected["c12"] + expected["c13"]).sum() > 0
    pd.testing.assert_frame_equal(
        engine.aggregate(Period.year(2025), None, today=TODAY).sort_values(["unit_id", "procedure_id"])
        .reset_index(drop=True), expected)
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        import_frame(generate(50, seed=5, start=datetime.date(2025, 12, 1), end=datetime.date(2025, 12, 31),
                              first_index=200_000))
    assert DossierDataVersion.objects.get(pk=1).months_ok
    assert_cells_agree()


def test_a_month_ended_since_the_last_import_gets_its_stocks_at_the_next_one(db, units):
    core_demo.load_procedures()
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2025, 10, 20)):
        import_frame(generate(2000, seed=3, start=datetime.date(2024, 7, 1), end=datetime.date(2025, 10, 20)))
    assert DossierDataVersion.objects.get(pk=1).months_through == datetime.date(2025, 10, 1)
    # November ended: its stocks are not counted yet, so its report counts from the dossiers.
    assert not cells_answer(Period.month(2025, 11)) and cells_answer(Period.month(2025, 10))
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        import_frame(generate(30, seed=4, start=datetime.date(2025, 12, 1), end=datetime.date(2026, 1, 10),
                              first_index=300_000))
        assert DossierDataVersion.objects.get(pk=1).months_through == datetime.date(2026, 1, 1)
        for period in (Period.month(2025, 11), Period.month(2025, 12), Period.quarter(2025, 4), Period.year(2025)):
            pd.testing.assert_frame_equal(from_cells(period), from_dossiers(period), obj=str(period))
        kept = stored_cells()
        months.rebuild()
    assert_same_cells(kept, stored_cells())
