"""Biểu 06 as XLSX and CSV writes procedure names as text, never as formulas; its figures stay numbers."""

import csv
import datetime
import io

import pytest

from qms.reporting import engine, renderers
from qms.reporting.engine import GroupBy, Period
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import import_rows
from tests.spreadsheets import PAYLOADS, assert_csv_inert, assert_xlsx_inert

MARCH = Period(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))


@pytest.fixture
def report(db, units, tmp_path):
    """Biểu 06 by procedure, one procedure per payload (a district catalogue entry someone mistyped or worse)."""
    rows = []
    for number, payload in enumerate(PAYLOADS):
        AdministrativeProcedureFactory(code=f"P{number}", name=payload, processing_days=3)
        rows.append((f"hs{number}", "07288", f"P{number}", "truc_tiep", "03/03/2025", "06/03/2025", "05/03/2025", "", ""))
    import_rows(tmp_path, rows)
    return engine.bieu06(period=MARCH, units=[units["215"]], group_by=GroupBy.PROCEDURE)


def test_xlsx_writes_names_as_text_and_figures_as_numbers(report):
    sheet = assert_xlsx_inert(renderers.xlsx(report)).active
    received = [row[2] for row in sheet.iter_rows(min_row=13) if isinstance(row[0].value, int)]  # column (3), numbered rows
    assert [cell.value for cell in received] == [1, 1, 1, 1] and all(cell.data_type == "n" for cell in received)


def test_csv_marks_names_and_keeps_figures(report):
    content = renderers.csv_bytes(report)
    assert_csv_inert(content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [row[3] for row in rows[1:5]] == ["1", "1", "1", "1"]
