"""Biểu 06 as XLSX and CSV writes procedure names as text, never as formulas; its figures stay numbers."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from qms.reporting import engine, renderers
from qms.reporting.engine import GroupBy, Period
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import import_rows
from tests.spreadsheets import PAYLOADS, assert_csv_inert, assert_xlsx_inert
from tests.utils import needs_poppler

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


# --- Biểu 06 XLSX printable as the official form; its CSV for a Vietnamese-locale Excel ---------------

REPORT = "reports:index"
PAGE_QUERY = {"preset": "month", "on": "2025-03-15", "group_by": "unit", "rollup": "on"}


@pytest.fixture
def data(db, units, tmp_path):
    AdministrativeProcedureFactory(code="P3", processing_days=3, field="Hộ tịch")
    import_rows(tmp_path, [
        ("yt1", "07288", "P3", "truc_tuyen", "03/03/2025", "06/03/2025", "05/03/2025", "", ""),
        ("yt2", "07288", "P3", "truc_tiep", "03/03/2025", "06/03/2025", "04/03/2025", "", ""),
        ("yt3", "07288", "P3", "truc_tiep", "03/03/2025", "06/03/2025", "10/03/2025", "", ""),
        ("bh", "07294", "P3", "truc_tiep", "03/03/2025", "06/03/2025", "", "", ""),
    ])
    return units


def _cells(sheet) -> dict[str, tuple[int, int]]:
    return {cell.value: (cell.row, cell.column) for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}


def test_xlsx_prints_as_the_official_form_heading_header_on_every_page_signatures(client, data, make_user):
    from django.urls import reverse
    from django.utils import timezone
    from openpyxl import load_workbook

    from qms.core.roles import Role
    from qms.core.templatetags.qms_tags import place_date
    from qms.core.text import person_name
    from qms.reporting.views import issuer_for

    leader = make_user(Role.LEADER, data["215"], first_name="Minh", last_name="Trần Văn")
    client.force_login(leader)
    response = client.get(reverse(REPORT), {**PAGE_QUERY, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = _cells(sheet)

    # Printed: A4 landscape scaled to one page wide; the two header rows and the numbering row on every page.
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$10:$12"
    assert sheet["C10"].value == "Số hồ sơ nhận giải quyết" and sheet["A12"].value == "(1)" and sheet["N12"].value == "(14)"

    # Decree 30 heading: the issuing body (as the page names it) left, the motto and the place-date right.
    head = renderers.heading(engine.bieu06(period=MARCH, units=None, user=leader), issuer_for(leader))
    assert head["issuer"] and sheet["A2"].value == head["issuer"].upper() and sheet["A1"].value == head["issuer_parent"].upper()
    assert sheet["J1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and sheet["J2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert sheet["J3"].value == place_date(head["place"], timezone.localdate()) and sheet["J3"].font.i
    assert sheet["J4"].value == "Biểu số 06/VPCP/KSTT" and sheet["A5"].value == renderers.TITLE

    # Totals, then the signature block below them, inside what prints.
    total_row = cells["Tổng cộng"][0]
    assert sheet.cell(total_row, 2).font.b and sheet.cell(total_row, 3).value == 4
    for text in ("NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký, ghi rõ họ tên và đóng dấu)"):
        assert cells[text][0] > total_row, text
    name_row = cells[person_name(leader)][0]
    assert name_row >= cells["NGƯỜI LẬP BIỂU"][0] + 5  # room to sign
    assert sheet.print_area == f"'Biểu 06'!$A$1:$Q${name_row}"


def test_xlsx_for_units_of_several_bodies_names_the_rules_place_never_a_bare_comma(data):
    # Phồn Xương and Bố Hạ went to different communes on 1/7/2025: the rule picks one (printing.issuing_body).
    report = engine.bieu06(period=MARCH, units=[data["07288"], data["07294"]])
    sheet = load_workbook(io.BytesIO(renderers.xlsx(report))).active
    place = renderers.heading(report)["place"]
    assert place and sheet["J3"].value.startswith(f"{place}, ngày ")
    # With no body in force at all, the date alone (never ", ngày …").
    assert renderers.place_date_line("", datetime.date(2026, 11, 30)) == "Ngày 30 tháng 11 năm 2026"


def test_csv_opens_in_columns_with_the_page_figures_as_numbers(client, data, make_user):
    """Read with ";" (a Vietnamese-locale Excel's list separator), each row has the page's figures, rates as numbers."""
    from django.urls import reverse

    from qms.core.roles import Role

    client.force_login(make_user(Role.QUALITY_OFFICER, data["215"]))
    page_rows = client.get(reverse(REPORT), PAGE_QUERY).context["rows"]
    content = client.get(reverse(REPORT), {**PAGE_QUERY, "format": "csv"}).content
    assert content.startswith(b"\xef\xbb\xbf")
    header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    assert len(header) == 18 and header[15] == "Tỷ lệ giải quyết đúng hạn (%)"
    assert len(rows) == len(page_rows) >= 3
    for row, shown in zip(rows, page_rows, strict=True):
        assert row[1] == shown["label"]
        assert [int(n) for n in row[3:15]] == shown["numbers"]
        for cell, on_page in ((row[15], shown["on_time"]), (row[16], shown["online"]), (row[17], shown["days"])):
            # "66,7" in the file is the page's "66,7%"; a rate the page shows as "–" is an empty cell.
            if on_page == "–":
                assert cell == ""
            else:
                assert float(cell.replace(",", ".")) == float(on_page.removesuffix("%").replace(",", "."))


def _pdf_lines(content: bytes, tmp_path) -> list[str]:
    from tests.utils import pdftotext

    path = tmp_path / "bieu06.pdf"
    path.write_bytes(content)
    return [line.strip() for line in pdftotext(path).splitlines() if line.strip()]


def _xlsx_signature_blocks(sheet, total_row: int) -> list[list[str]]:
    """The texts under the note, left block (columns A–F) and right block (J–Q), top to bottom."""
    blocks = [[], []]
    for row in sheet.iter_rows(min_row=total_row + 1):
        for cell in row:
            if isinstance(cell.value, str) and not cell.value.startswith(("Ghi chú", "Mức độ hài lòng")):
                blocks[0 if cell.column <= 6 else 1].append(cell.value)
    return blocks


@needs_poppler
def test_xlsx_signature_lines_are_the_pdfs(client, data, make_user, tmp_path):
    """One source for the blocks (`renderers.signatures`): each XLSX block is, line for line, a block of the PDF."""
    from django.urls import reverse

    from qms.core.roles import Role
    from qms.core.text import person_name

    officer = make_user(Role.QUALITY_OFFICER, data["215"], first_name="Hoa", last_name="Nguyễn Thị")
    client.force_login(officer)
    pdf_lines = _pdf_lines(client.get(reverse(REPORT), {**PAGE_QUERY, "format": "pdf"}).content, tmp_path)
    sheet = load_workbook(io.BytesIO(client.get(reverse(REPORT), {**PAGE_QUERY, "format": "xlsx"}).content)).active
    total_row = _cells(sheet)["Tổng cộng"][0]
    left, right = _xlsx_signature_blocks(sheet, total_row)
    assert left == ["NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", person_name(officer)]
    assert right[-1] == "(Ký, ghi rõ họ tên và đóng dấu)" and len(right) >= 2
    # The PDF's lines from the first of the blocks to the charts are these, each block in its order.
    first = min(pdf_lines.index(left[0]), pdf_lines.index(right[0]))
    end = pdf_lines.index("BIỂU ĐỒ KÈM THEO") if "BIỂU ĐỒ KÈM THEO" in pdf_lines else len(pdf_lines)
    printed = [line for line in pdf_lines[first:end] if not line.isdigit()]  # a page number
    assert sorted(printed) == sorted(left + right), printed
    for block in (left, right):
        assert [line for line in printed if line in block] == block, printed
