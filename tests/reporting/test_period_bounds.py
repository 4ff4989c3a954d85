"""
A report costs its period, not the history before it (issue 15): Biểu 06's query reaches the dossiers through
the period's index ranges, the dossiers closed long before the period are never read, and a dossier that stayed
open for months is still carried over.
"""

import datetime
import json

import pytest
from django.db import connection

from qms.core import demo as core_demo
from qms.dossiers.demo import generate
from qms.dossiers.importer import statistics_refresh
from qms.dossiers.models import Dossier, DossierMonth, DossierUnitMonth
from qms.reporting import engine
from qms.reporting.engine import Period
from tests.dossiers.helpers import import_frame, import_rows

QUARTER = Period.quarter(2025, 1)
TABLE = Dossier._meta.db_table


def reached(period) -> int:
    """How many dossiers the query's index ranges reach (before the closed-on filter): the rows it reads."""
    earliest = period.date_from - datetime.timedelta(days=92)
    return Dossier.objects.filter(long_open=False, received_on__gte=earliest, received_on__lte=period.date_to).count() + \
        Dossier.objects.filter(long_open=True, received_on__lte=period.date_to).count()


def plan(period, unit_ids) -> str:
    sql, params = engine.aggregate_sql(period, unit_ids, today=datetime.date(2026, 1, 1))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is small enough to scan whole
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            return json.dumps(cursor.fetchone()[0])
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[-1] for row in cursor.fetchall())


@pytest.fixture
def history(db, units):
    core_demo.load_procedures()
    import_frame(generate(600, seed=7, start=datetime.date(2024, 10, 1), end=datetime.date(2025, 3, 31)))
    # As every import that writes does: without it PostgreSQL plans with whatever an earlier test left in
    # pg_class (ANALYZE's row counts outlive a rolled-back test) and may take the table for empty.
    statistics_refresh()


def test_five_years_of_older_history_add_only_the_dossiers_the_quarter_counts(history, units):
    before = reached(QUARTER)
    recent = set(Dossier.objects.values_list("pk", flat=True))
    report_before = engine.bieu06(period=QUARTER, today=datetime.date(2026, 1, 1))
    import_frame(generate(2000, seed=8, start=datetime.date(2019, 1, 1), end=datetime.date(2023, 12, 31),
                          first_index=100_000))
    older = Dossier.objects.exclude(pk__in=recent)
    still_open = older.exclude(closed_on__lt=QUARTER.date_from).count()
    assert older.count() >= 2000 and 0 < still_open < 40  # a few were stuck and never closed
    # Of 2,000 older dossiers the query reads only those still open at the quarter's start: it counts every one.
    assert reached(QUARTER) == before + still_open
    report_after = engine.bieu06(period=QUARTER, today=datetime.date(2026, 1, 1))
    assert report_after.totals["c6"] == report_before.totals["c6"] + older.filter(status__in=[2, 4, 5, 6, 8, 9, 10]).exclude(
        closed_on__lt=QUARTER.date_from).count()
    assert report_after.identity_holds


@pytest.mark.parametrize("scope", ["all", "commune"])
def test_the_query_searches_the_period_index_and_never_scans_the_table(history, units, scope):
    # Dossiers received after the quarter too, as when a past quarter is reported: "closed after the quarter
    # began" then matches all of them, and only the period's own index ranges stay narrow.
    import_frame(generate(1500, seed=9, start=datetime.date(2025, 4, 1), end=datetime.date(2025, 12, 31),
                          first_index=200_000))
    statistics_refresh()
    unit_ids = None if scope == "all" else engine.scope_unit_ids([units["BN-YENTHE"]])
    text = plan(QUARTER, unit_ids)
    assert "dossier_reach" in text or "dossier_unit_reach" in text, text
    if connection.vendor == "postgresql":
        assert "Seq Scan" not in text, text
    else:
        assert f"SCAN {TABLE}" not in text, text


def test_a_dossier_open_for_months_is_carried_over_then_resolved(db, units, tmp_path):
    core_demo.load_procedures()
    # Received in January 2024, resolved in November: 300 days open, so outside the short range of any later quarter.
    import_rows(tmp_path, [
        ("LONG-1", "07243", "DEMO-HT-01", "truc_tiep", "10/01/2024 08:00", "12/01/2024 08:00", "05/11/2024 09:00", "", ""),
        ("SHORT-1", "07243", "DEMO-HT-01", "truc_tiep", "10/01/2024 08:00", "12/01/2024 08:00", "11/01/2024 09:00", "", ""),
    ])
    assert list(Dossier.objects.order_by("code").values_list("code", "long_open")) == [("LONG-1", True), ("SHORT-1", False)]
    q3 = engine.bieu06(period=Period.quarter(2024, 3), today=datetime.date(2026, 1, 1)).totals
    assert (q3["c6"], q3["c7"], q3["c11"], q3["c13"]) == (1, 0, 1, 1)
    q4 = engine.bieu06(period=Period.quarter(2024, 4), today=datetime.date(2026, 1, 1)).totals
    assert (q4["c6"], q4["c7"], q4["c10"], q4["c11"]) == (1, 1, 1, 0)
    assert Dossier.objects.pending_on(datetime.date(2024, 10, 1)).count() == 1


@pytest.mark.parametrize("by_procedure", [True, False])
@pytest.mark.parametrize("scope", ["all", "commune"])
def test_over_the_monthly_cells_the_query_reads_the_periods_cells_and_days_through_indexes(history, units, scope,
                                                                                        by_procedure):
    """Whole months from the cells, the days of a month entered or left mid-way from the dossiers: every table
    reached through an index (the months of the period, the days' receipt and closing dates), none scanned."""
    unit_ids = None if scope == "all" else engine.scope_unit_ids([units["BN-YENTHE"]])
    cells_tables = [DossierMonth._meta.db_table, DossierUnitMonth._meta.db_table]
    for period, today in ((QUARTER, datetime.date(2026, 1, 1)),
                          (Period(datetime.date(2024, 11, 12), datetime.date(2025, 3, 31)), datetime.date(2025, 3, 20))):
        sql, params = engine.cells_sql(period, unit_ids, today=today, by_procedure=by_procedure)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert any(row[0] == "cells" for row in cursor.fetchall())  # the cells answer: no fallback
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
                text = json.dumps(cursor.fetchone()[0])
                assert "Seq Scan" not in text, text
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                text = "\n".join(row[-1] for row in cursor.fetchall())
                # Scanning the open dossiers' partial index reads those rows only, not the table.
                scans = text.replace(f"SCAN {TABLE} USING COVERING INDEX dossier_open", "")
                assert not any(f"SCAN {table}" in scans for table in [TABLE, *cells_tables]), text
            if period is not QUARTER:  # a first and a last month entered mid-way: their days by closing date
                assert "dossier_closed_on" in text, text
                # never through the units' index, which for a province's units spans whole histories
                assert "dossier_unit_reach" not in text, text
                # the stock at today of the unfinished month: the open dossiers from their own index
                assert "dossier_open" in text, text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT compilation is PostgreSQL's")
def test_postgresql_compiles_no_report_query_just_in_time(db):
    """The settings turn JIT off: at 10M dossiers it spent 1.4 s compiling a query of 0.4 s (docs/scale.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
