"""Biểu 06 column by column on hand-built dossiers at the period's edges; rates; working days over Tết; the 2025 roll-up."""

import datetime

import pytest

from qms.dossiers import workdays
from qms.reporting import engine
from qms.reporting.engine import GroupBy, Period
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import import_rows

MARCH = Period(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
COLS = ["c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13", "c14"]


@pytest.fixture
def catalogue(db, units):
    return {
        "P3": AdministrativeProcedureFactory(code="P3", processing_days=3, field="Hộ tịch"),
        "P10": AdministrativeProcedureFactory(code="P10", processing_days=10, field="Đất đai"),
    }


def row(code, received, due, processed="", returned="", status="", channel="truc_tiep", unit="07288", procedure="P3"):
    return (code, unit, procedure, channel, received, due, processed, returned, status)


def columns_of(report_row):
    return [report_row[c] for c in COLS]


@pytest.mark.parametrize(
    ("dossier", "expected"),
    [
        # received at 23:59 on the last day, online, not resolved: received and pending within the deadline
        (row("a", "31/03/2025 23:59", "03/04/2025", channel="truc_tuyen"), {"c3": 1, "c4": 1, "c11": 1, "c12": 1}),
        # received 00:00 the day after: outside the period altogether
        (row("b", "01/04/2025 00:00", "04/04/2025"), {}),
        # received before, resolved on its due date inside: carried over, resolved on time
        (row("c", "27/02/2025 10:00", "05/03/2025", "05/03/2025 16:00", "06/03/2025"), {"c3": 1, "c6": 1, "c7": 1, "c9": 1}),
        # received and resolved before the period: not in it
        (row("d", "10/02/2025", "13/02/2025", "12/02/2025"), {}),
        # due on the last day and resolved at 23:00 that day: on time
        (row("e", "26/03/2025", "31/03/2025", "31/03/2025 23:00"), {"c3": 1, "c5": 1, "c7": 1, "c9": 1}),
        # resolved after the due date: late
        (row("f", "10/03/2025", "13/03/2025", "20/03/2025"), {"c3": 1, "c5": 1, "c7": 1, "c10": 1}),
        # resolved before the due date: early
        (row("g", "10/03/2025", "13/03/2025", "12/03/2025"), {"c3": 1, "c5": 1, "c7": 1, "c8": 1}),
        # pending, due on the last day: within the deadline (due ≥ to)
        (row("h", "26/03/2025", "31/03/2025"), {"c3": 1, "c5": 1, "c11": 1, "c12": 1}),
        # pending, due the day before the last: overdue
        (row("i", "25/03/2025", "30/03/2025"), {"c3": 1, "c5": 1, "c11": 1, "c13": 1}),
        # withdrawn within the period: counts in col 14 only, never as resolved
        (row("j", "10/03/2025", "13/03/2025", "11/03/2025", "12/03/2025", 7), {"c3": 1, "c5": 1, "c14": 1}),
        # withdrawn after the period: pending during it
        (row("k", "10/03/2025", "13/03/2025", "", "02/04/2025", 7), {"c3": 1, "c5": 1, "c11": 1, "c13": 1}),
        # withdrawn before the period: gone
        (row("l", "10/02/2025", "13/02/2025", "", "20/02/2025", 7), {}),
        # not accepted (3) and submitted, not accepted yet (1): left out entirely
        (row("m", "10/03/2025", "13/03/2025", "", "", 3, channel="truc_tuyen"), {}),
        (row("n", "10/03/2025", "13/03/2025", "", "", 1, channel="truc_tuyen"), {}),
        # processed inside, returned after: the result date is the processing date
        (row("o", "10/03/2025", "13/03/2025", "13/03/2025", "02/04/2025"), {"c3": 1, "c5": 1, "c7": 1, "c9": 1}),
        # processed after the period: pending at its end
        (row("p", "20/03/2025", "25/03/2025", "02/04/2025"), {"c3": 1, "c5": 1, "c11": 1, "c13": 1}),
        # by post: col 5
        (row("q", "03/03/2025", "06/03/2025", "05/03/2025", channel="buu_chinh"), {"c3": 1, "c5": 1, "c7": 1, "c8": 1}),
        # carried over and still pending at the end
        (row("r", "20/12/2024", "20/01/2025"), {"c3": 1, "c6": 1, "c11": 1, "c13": 1}),
        # returned only (no processing date): the return is the result
        (row("s", "03/03/2025", "06/03/2025", "", "07/03/2025"), {"c3": 1, "c5": 1, "c7": 1, "c10": 1}),
    ],
)
def test_each_column_at_the_period_edges(tmp_path, catalogue, dossier, expected):
    import_rows(tmp_path, [dossier])
    report = engine.bieu06(period=MARCH, group_by=GroupBy.UNIT)
    assert {c: v for c, v in report.totals.items() if c in COLS and v} == expected
    assert report.identity_holds


def test_all_together_in_one_row_with_totals_and_indicators(tmp_path, catalogue):
    import_rows(tmp_path, [
        row("a", "31/03/2025 23:59", "03/04/2025", channel="truc_tuyen"),
        row("c", "27/02/2025 10:00", "05/03/2025", "05/03/2025 16:00", "06/03/2025"),
        row("e", "26/03/2025", "31/03/2025", "31/03/2025 23:00"),
        row("f", "10/03/2025", "13/03/2025", "20/03/2025"),
        row("g", "10/03/2025", "13/03/2025", "12/03/2025", channel="truc_tuyen"),
        row("j", "10/03/2025", "13/03/2025", "11/03/2025", "12/03/2025", 7),
        row("x", "10/03/2025", "13/03/2025", "12/03/2025", unit="07294"),
    ])
    report = engine.bieu06(period=MARCH, group_by=GroupBy.UNIT)
    assert [r["label"] for r in report.rows] == ["Thị trấn Bố Hạ", "Thị trấn Phồn Xương"]
    phon_xuong = report.rows[1]
    assert columns_of(phon_xuong) == [6, 2, 3, 1, 4, 1, 2, 1, 1, 1, 0, 1]
    assert columns_of(report.totals) == [7, 2, 4, 1, 5, 2, 2, 1, 1, 1, 0, 1]
    assert report.totals["on_time_rate"] == pytest.approx(4 / 5)
    assert report.totals["online_rate"] == pytest.approx(2 / 6)
    assert report.identity_holds


def test_rates_with_nothing_to_divide_are_none_and_shown_as_a_dash(tmp_path, catalogue):
    from qms.reporting import renderers

    empty = engine.bieu06(period=MARCH)
    assert empty.rows == [] and empty.totals["c3"] == 0
    assert (empty.totals["on_time_rate"], empty.totals["online_rate"], empty.totals["avg_working_days"]) == (None, None, None)
    import_rows(tmp_path, [row("r", "20/12/2024", "20/01/2025")])  # carried over, nothing received or resolved
    report = engine.bieu06(period=MARCH)
    assert report.totals["c3"] == 1 and report.totals["on_time_rate"] is None and report.totals["online_rate"] is None
    shown = renderers.display_rows(report)[-1]
    assert (shown["on_time"], shown["online"], shown["days"]) == ("–", "–", "–")
    assert renderers.fmt_rate(0.0) == "0,0%" and renderers.fmt_rate(1.0) == "100,0%"


def test_working_days_skip_weekends_and_tet(tmp_path, catalogue):
    # Tết 2025: Mon 27/1 – Sat 1/2 are public holidays. Received Fri 24/1, resolved Mon 3/2: 1 working day.
    assert workdays.between(datetime.date(2025, 1, 24), datetime.date(2025, 2, 3)) == 1
    assert workdays.add(datetime.date(2025, 1, 24), 1) == datetime.date(2025, 2, 3)
    assert workdays.add(datetime.date(2025, 1, 25), 0) == datetime.date(2025, 2, 3)  # a Saturday rolls forward
    import_rows(tmp_path, [
        row("t1", "24/01/2025 09:00", "04/02/2025", "03/02/2025 10:00"),
        row("t2", "20/01/2025 09:00", "23/01/2025", "23/01/2025 10:00"),  # Mon → Thu: 3 working days
    ])
    report = engine.bieu06(period=Period(datetime.date(2025, 1, 1), datetime.date(2025, 2, 28)))
    assert report.totals["avg_working_days"] == pytest.approx((1 + 3) / 2)


def test_rollup_across_the_2025_merger(tmp_path, catalogue, units):
    import_rows(tmp_path, [
        row("old-1", "05/05/2025", "08/05/2025", "07/05/2025", unit="07288"),  # TT Phồn Xương → xã Yên Thế
        row("old-2", "05/05/2025", "08/05/2025", "09/05/2025", unit="07291"),  # Tân Sỏi → xã Yên Thế
        row("new-1", "05/08/2025", "08/08/2025", "07/08/2025", unit="BN-YENTHE"),
        row("boha", "05/05/2025", "08/05/2025", "07/05/2025", unit="07294"),  # Bố Hạ → xã Bố Hạ
    ])
    year = Period.year(2025)
    yen_the = units["BN-YENTHE"]
    rolled = engine.bieu06(period=year, units=[yen_the], as_of=datetime.date(2025, 12, 31))
    assert [(r["label"], r["c3"], r["c7"], r["c10"]) for r in rolled.rows] == [("Xã Yên Thế", 3, 3, 1)]
    separate = engine.bieu06(period=year, units=[yen_the])
    assert [(r["label"], r["c3"]) for r in separate.rows] == [
        ("Thị trấn Phồn Xương", 1), ("Xã Tân Sỏi", 1), ("Xã Yên Thế", 1)]
    # Before the merger took effect the old units stand on their own even with roll-up.
    before = engine.bieu06(period=year, units=[yen_the], as_of=datetime.date(2025, 6, 30))
    assert len(before.rows) == 3
    district = engine.bieu06(period=year, units=[units["215"]], as_of=datetime.date(2025, 12, 31))
    assert {r["label"]: r["c3"] for r in district.rows} == {"Xã Yên Thế": 2, "Xã Bố Hạ": 1}


def test_grouping_by_field_and_by_procedure(tmp_path, catalogue):
    import_rows(tmp_path, [
        row("f1", "03/03/2025", "06/03/2025", "05/03/2025"),
        row("f2", "03/03/2025", "17/03/2025", "20/03/2025", procedure="P10"),
        row("f3", "03/03/2025", "17/03/2025", "", procedure="P10"),
    ])
    by_field = engine.bieu06(period=MARCH, group_by=GroupBy.FIELD)
    assert [(r["label"], r["c3"], r["c7"]) for r in by_field.rows] == [("Đất đai", 2, 1), ("Hộ tịch", 1, 1)]
    by_procedure = engine.bieu06(period=MARCH, group_by=GroupBy.PROCEDURE)
    assert sorted((r["code"], r["c3"]) for r in by_procedure.rows) == [("P10", 2), ("P3", 1)]


def test_unit_staff_report_only_their_units(tmp_path, catalogue, units, make_user):
    from qms.core.roles import Role

    import_rows(tmp_path, [
        row("y", "05/03/2025", "08/03/2025", "07/03/2025", unit="07288"),
        row("b", "05/03/2025", "08/03/2025", "07/03/2025", unit="07294"),
    ])
    staff = make_user(Role.UNIT_STAFF, units["BN-YENTHE"])
    report = engine.bieu06(period=MARCH, user=staff)
    assert [r["label"] for r in report.rows] == ["Thị trấn Phồn Xương"]
    # Asking for another unit gives nothing of it.
    assert engine.bieu06(period=MARCH, units=[units["BN-BOHA"]], user=staff).rows == []
