"""Importing the TTHC catalogue: formats, aliases, all-or-nothing, row-level errors, legal-basis changes."""

import datetime
import io

import pytest
from openpyxl import Workbook

from qms.core.models import AdministrativeProcedure
from qms.core.services import procedure_catalogue_import, procedure_save
from qms.core.signals import legal_basis_changed
from qms.core.tabular import TableError
from tests.core.factories import AdministrativeProcedureFactory

HEADER = "Mã thủ tục;Tên thủ tục;Lĩnh vực;Cấp thực hiện;Mức độ trực tuyến;Thời hạn giải quyết;Căn cứ pháp lý\n"


def csv_file(text: str, *, bom: bool = True) -> io.BytesIO:
    return io.BytesIO(("\ufeff" if bom else "").encode() + text.encode("utf-8"))


def run(text, **kwargs):
    return procedure_catalogue_import(file=csv_file(text), filename="danh-muc.csv", **kwargs)


def test_semicolon_csv_with_bom_creates_procedures(db):
    report = run(
        HEADER
        + "1.001193;Thủ tục đăng ký khai sinh;Hộ tịch;Cấp xã;Toàn trình;0;Luật Hộ tịch 2014\n"
        + "2.000001;Thủ tục cấp giấy phép xây dựng;Xây dựng;huyện;một phần;15,5;\n"
    )
    assert report.ok and report.created == 2
    permit = AdministrativeProcedure.objects.get(code="2.000001")
    assert permit.level == "district" and permit.online_level == "mot_phan"
    assert str(permit.processing_days) == "15.5"
    assert AdministrativeProcedure.objects.get(code="1.001193").online_level == "toan_trinh"


def test_headers_match_without_case_or_diacritics_and_comma_csv(db):
    text = "MA THU TUC,ten thu tuc,LINH VUC,cap,thoi han giai quyet\nX-1,Thủ tục A,Chứng thực,xa,2\n"
    report = procedure_catalogue_import(file=csv_file(text, bom=False), filename="a.CSV")
    assert report.ok and AdministrativeProcedure.objects.get(code="X-1").online_level == "khong"


def test_xlsx_with_date_cells(db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ma_thu_tuc", "ten_thu_tuc", "linh_vuc", "cap_thuc_hien", "thoi_han_giai_quyet", "hieu_luc_tu"])
    sheet.append(["0012", "Thủ tục B", "Hộ tịch", "xã", 3, datetime.datetime(2024, 7, 1)])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    report = procedure_catalogue_import(file=out, filename="catalogue.xlsx")
    assert report.ok
    procedure = AdministrativeProcedure.objects.get(code="0012")
    assert procedure.valid_from == datetime.date(2024, 7, 1)


def test_reimport_updates_and_never_duplicates(db):
    run(HEADER + "A-1;Thủ tục A;Hộ tịch;xã;;3;Luật cũ\n")
    report = run(HEADER + "A-1;Thủ tục A (sửa);Hộ tịch;xã;;3;Luật cũ\nA-2;Thủ tục B;Hộ tịch;xã;;1;\n")
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert AdministrativeProcedure.objects.filter(code="A-1").count() == 1
    assert AdministrativeProcedure.objects.get(code="A-1").name == "Thủ tục A (sửa)"
    again = run(HEADER + "A-1;Thủ tục A (sửa);Hộ tịch;xã;;3;Luật cũ\n")
    assert again.unchanged == 1 and again.updated == 0


def test_a_bad_file_writes_nothing_and_names_every_bad_row(db):
    report = run(
        HEADER
        + "OK-1;Thủ tục tốt;Hộ tịch;xã;;3;\n"  # row 2: valid, but must not be written either
        + ";Thiếu mã;Hộ tịch;xã;;3;\n"  # row 3
        + "B-2;Sai cấp;Hộ tịch;thôn;;3;\n"  # row 4
        + "B-3;Sai số ngày;Hộ tịch;xã;;ba ngày;\n"  # row 5
        + "B-4;Âm;Hộ tịch;xã;;-1;\n"  # row 6
        + "OK-1;Trùng mã;Hộ tịch;xã;;3;\n"  # row 7
        + "B-5;Sai mức độ;Hộ tịch;xã;nửa chừng;3;\n"  # row 8
    )
    assert not report.ok
    assert AdministrativeProcedure.objects.count() == 0
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert errors[(3, "Mã thủ tục")] == "Bắt buộc phải có giá trị."
    assert errors[(4, "Cấp thực hiện")] == "Cấp không hợp lệ: dùng tỉnh, huyện hoặc xã."
    assert errors[(5, "Thời hạn giải quyết")] == "Không phải là số."
    assert errors[(6, "Thời hạn giải quyết")] == "Không được là số âm."
    assert errors[(7, "Mã thủ tục")] == "Mã này đã có ở dòng 2."
    assert errors[(8, "Mức độ trực tuyến")] == "Mức độ trực tuyến không hợp lệ: dùng toàn trình, một phần hoặc không."
    assert next(e for e in report.errors if e.row == 5).value == "ba ngày"


def test_missing_required_column_is_a_file_error(db):
    with pytest.raises(TableError, match="Thiếu cột bắt buộc: Tên thủ tục"):
        run("Mã thủ tục;Lĩnh vực;Cấp thực hiện;Thời hạn giải quyết\nA;Hộ tịch;xã;1\n")


def test_other_file_types_and_encodings_are_refused(db):
    with pytest.raises(TableError, match="Chỉ nhập được tệp .csv và .xlsx"):
        procedure_catalogue_import(file=io.BytesIO(b"x"), filename="danh-muc.pdf")
    with pytest.raises(TableError, match="UTF-8"):
        procedure_catalogue_import(file=io.BytesIO("Mã thủ tục".encode("latin-1", "replace")), filename="a.csv")


def test_dry_run_checks_without_writing(db):
    report = run(HEADER + "A-1;Thủ tục A;Hộ tịch;xã;;3;\n", dry_run=True)
    assert report.ok and report.rows == 1
    assert not AdministrativeProcedure.objects.exists()


def test_changing_the_legal_basis_is_dated_recorded_and_announced(db, make_user):
    procedure = AdministrativeProcedureFactory(legal_basis="Nghị định 23/2015/NĐ-CP")
    received = []

    def receiver(sender, procedure, by, **kwargs):
        received.append((procedure.code, by))

    legal_basis_changed.connect(receiver)
    try:
        officer = make_user()
        procedure.name = "Tên mới"
        procedure_save(procedure=procedure, by=officer)
        assert received == [] and procedure.legal_basis_changed_on is None
        procedure.legal_basis = "Nghị định 07/2025/NĐ-CP"
        procedure_save(procedure=procedure, by=officer)
    finally:
        legal_basis_changed.disconnect(receiver)
    assert received == [(procedure.code, officer)]
    procedure.refresh_from_db()
    assert procedure.legal_basis_changed_on is not None
    latest = procedure.history.first()
    assert latest.legal_basis == "Nghị định 07/2025/NĐ-CP" and latest.history_user == officer


def test_search_ignores_diacritics(db):
    AdministrativeProcedureFactory(code="HT-1", name="Thủ tục đăng ký khai sinh", field="Hộ tịch")
    AdministrativeProcedureFactory(code="CT-1", name="Thủ tục chứng thực chữ ký", field="Chứng thực")
    assert [p.code for p in AdministrativeProcedure.objects.search("dang ky khai sinh")] == ["HT-1"]
    assert [p.code for p in AdministrativeProcedure.objects.search("CHỨNG THỰC")] == ["CT-1"]
    assert [p.code for p in AdministrativeProcedure.objects.search("ho tich")] == ["HT-1"]
