"""Importing dossier records: formats, every rejection rule with its message, all or nothing, keep-valid, re-import, unit staff's limits."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from qms.core.roles import Role
from qms.dossiers.models import Dossier, ImportBatch
from qms.dossiers.services import dossier_import
from tests.core.factories import AdministrativeProcedureFactory

HEADER = "Mã hồ sơ;Mã đơn vị;Mã thủ tục;Kênh nộp;Ngày tiếp nhận;Ngày hẹn trả;Ngày kết thúc xử lý;Ngày trả kết quả;Trạng thái;Đã số hóa;Kết quả điện tử\n"


@pytest.fixture
def catalogue(db, units):
    return {
        "P0": AdministrativeProcedureFactory(code="P0", processing_days=0, field="Chứng thực"),
        "P3": AdministrativeProcedureFactory(code="P3", processing_days=3, field="Hộ tịch"),
    }


def run(tmp_path, text, *, name="ho-so.csv", bom=False, encoding="utf-8", **kwargs):
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode(encoding))
    return dossier_import(path=path, **kwargs)


def errors_of(batch):
    return {(e["row"], e["column"]): (e["value"], e["message"]) for e in batch.errors}


def test_semicolon_csv_with_bom_and_vietnamese_headers(tmp_path, catalogue):
    batch = run(tmp_path, HEADER
                + "000123;07288;P3;Trực tuyến;02/01/2024 08:30;05/01/2024 17:00;04/01/2024 10:00;05/01/2024 09:00;;có;x\n"
                + "000124;07288;P3;truc_tiep;02/01/2024;05/01/2024;04/01/2024 10:00;;;0;\n"
                + "000125;BN-YENTHE;P0;Bưu chính;2025-08-01T09:15:00;2025-08-01;;;;;\n", bom=True)
    assert batch.state == ImportBatch.State.DONE and batch.error_count == 0
    assert (batch.rows, batch.created, batch.updated) == (3, 3, 0)
    first = Dossier.objects.get(code="000123")  # leading zeros kept
    assert first.unit.code == "07288" and first.channel == "truc_tuyen" and first.status == 10
    assert first.digitised and first.electronic_result
    assert first.received_at == datetime.datetime(2024, 1, 2, 1, 30, tzinfo=datetime.UTC)  # 08:30 in Hà Nội
    assert (first.received_on, first.due_on, first.result_on) == (
        datetime.date(2024, 1, 2), datetime.date(2024, 1, 5), datetime.date(2024, 1, 4))
    assert first.working_days == 2 and first.due_working_days == 3
    assert Dossier.objects.get(code="000124").status == 9  # derived: processed, not returned
    assert Dossier.objects.get(code="000125").status == 4  # derived: no result date
    assert Dossier.objects.get(code="000125").channel == "buu_chinh"


def test_comma_csv_without_bom_english_and_unaccented_headers(tmp_path, catalogue):
    text = ("DOSSIER_CODE,unit_code,ma thu tuc,KENH NOP,received_at,Ngay hen tra,processed_at,returned_at,status\n"
            "A1,07243,P0,truc tiep,01/03/2024 07:00:00,01/03/2024 17:00:00,01/03/2024 16:00,,\n")
    batch = run(tmp_path, text)
    assert batch.error_count == 0, batch.errors
    assert Dossier.objects.get(code="A1").status == 9


def test_xlsx_with_date_cells_and_excel_serial_numbers(tmp_path, catalogue):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ma_ho_so", "ma_don_vi", "ma_thu_tuc", "kenh_nop", "ngay_tiep_nhan", "ngay_hen_tra", "ngay_tra_ket_qua", "trang_thai"])
    sheet.append(["X-1", "07288", "P3", "truc_tuyen", datetime.datetime(2024, 3, 4, 9, 0), datetime.date(2024, 3, 7), 45359.5, 10])
    path = tmp_path / "hs.xlsx"
    workbook.save(path)
    batch = dossier_import(path=path)
    assert batch.error_count == 0, batch.errors
    dossier = Dossier.objects.get(code="X-1")
    assert dossier.received_at == datetime.datetime(2024, 3, 4, 2, 0, tzinfo=datetime.UTC)
    assert dossier.due_on == datetime.date(2024, 3, 7)
    assert dossier.returned_at == datetime.datetime(2024, 3, 8, 5, 0, tzinfo=datetime.UTC)  # serial 45359.5 = 8/3/2024 12:00
    assert dossier.status == 10


def test_every_rejection_names_row_column_value_and_reason(tmp_path, catalogue):
    batch = run(tmp_path, HEADER
                + "OK;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n"  # 2: valid, but nothing is written
                + ";07288;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n"  # 3: no code
                + "B4;99999;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n"  # 4: unknown unit
                + "B5;07288;NOPE;truc_tiep;02/01/2024;05/01/2024;;;;;\n"  # 5: unknown procedure
                + "B6;07288;P3;fax;02/01/2024;05/01/2024;;;;;\n"  # 6: unknown channel
                + "B7;07288;P3;truc_tiep;32/01/2024;05/01/2024;;;;;\n"  # 7: not a date
                + "B8;07288;P3;truc_tiep;05/01/2024;02/01/2024;;;;;\n"  # 8: due before received
                + "B9;07288;P3;truc_tiep;05/01/2024;08/01/2024;04/01/2024;;;;\n"  # 9: processed before received
                + "B10;07288;P3;truc_tiep;05/01/2024;08/01/2024;;03/01/2024;;;\n"  # 10: returned before received
                + "B11;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;10;;\n"  # 11: 10 without a result date
                + "B12;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;9;;\n"  # 12: 9 without a result date
                + "B13;07288;P3;truc_tiep;02/01/2024;05/01/2024;04/01/2024;;7;;\n"  # 13: withdrawn without returned_at
                + "B14;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;11;;\n"  # 14: no such status
                + "B15;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;;có lẽ;\n"  # 15: not yes/no
                + "OK;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n"  # 16: code again
                + ";;;;;;;;;;\n"  # 17: blank line, skipped
                + "B18;;P3;;02/01/2024;;;;;;\n"  # 18: required values missing
                + f"{'L' * 65};07288;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n")  # 19: code too long
    assert batch.state == ImportBatch.State.DONE
    assert not Dossier.objects.exists()
    assert (batch.created, batch.updated) == (0, 0)
    errors = errors_of(batch)
    assert errors[(3, "Mã hồ sơ")] == ("", "Bắt buộc phải có giá trị.")
    assert errors[(4, "Mã đơn vị")] == ("99999", "Không có đơn vị nào mang mã này.")
    assert errors[(5, "Mã thủ tục")] == ("NOPE", "Không có thủ tục nào trong danh mục TTHC mang mã này.")
    assert errors[(6, "Kênh nộp")] == ("fax", "Kênh nộp không hợp lệ: dùng truc_tiep, truc_tuyen hoặc buu_chinh.")
    assert errors[(7, "Ngày tiếp nhận")] == ("32/01/2024", "Không phải ngày hợp lệ: dùng dd/mm/yyyy, dd/mm/yyyy HH:MM hoặc yyyy-mm-dd.")
    assert errors[(8, "Ngày hẹn trả")] == ("02/01/2024", "Ngày hẹn trả trước ngày tiếp nhận.")
    assert errors[(9, "Ngày kết thúc xử lý")] == ("04/01/2024", "Ngày này trước ngày tiếp nhận.")
    assert errors[(10, "Ngày trả kết quả")] == ("03/01/2024", "Ngày này trước ngày tiếp nhận.")
    assert errors[(11, "Trạng thái")] == ("10", "Trạng thái 10 phải có ngày có kết quả (ngày kết thúc xử lý hoặc ngày trả kết quả).")
    assert errors[(12, "Trạng thái")] == ("9", "Trạng thái 9 phải có ngày có kết quả (ngày kết thúc xử lý hoặc ngày trả kết quả).")
    assert errors[(13, "Trạng thái")] == ("7", "Trạng thái 7 (rút hồ sơ) phải có ngày trả lại hồ sơ.")
    assert errors[(14, "Trạng thái")] == ("11", "Trạng thái không hợp lệ: dùng mã trạng thái quốc gia từ 1 đến 10.")
    assert errors[(15, "Đã số hóa")] == ("có lẽ", "Dùng 1/0, có/không hoặc x/để trống.")
    assert errors[(16, "Mã hồ sơ")] == ("OK", "Mã hồ sơ này đã có ở dòng 2.")
    assert errors[(18, "Mã đơn vị")] == ("", "Bắt buộc phải có giá trị.")
    assert errors[(18, "Kênh nộp")] == ("", "Bắt buộc phải có giá trị.")
    assert errors[(18, "Ngày hẹn trả")] == ("", "Bắt buộc phải có giá trị.")
    assert errors[(19, "Mã hồ sơ")] == ("L" * 65, "Quá dài: tối đa 64 ký tự.")
    assert not any(row == 17 for row, _column in errors)
    assert batch.error_rows == 16 and batch.error_count == len(batch.errors) == 18
    # Rows in order, as a user reads the file.
    assert [e["row"] for e in batch.errors] == sorted(e["row"] for e in batch.errors)


def test_a_date_only_due_date_on_the_day_of_receipt_is_accepted(tmp_path, catalogue):
    batch = run(tmp_path, HEADER + "S1;07288;P0;truc_tiep;02/01/2024 10:15;02/01/2024;02/01/2024 15:00;;;;\n")
    assert batch.error_count == 0
    assert Dossier.objects.get(code="S1").working_days == 0


def test_all_or_nothing_by_default_and_keep_valid_on_request(tmp_path, catalogue):
    text = HEADER + "G1;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n" + "G2;99999;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n"
    batch = run(tmp_path, text)
    assert batch.error_count == 1 and not Dossier.objects.exists()
    kept = run(tmp_path, text, keep_valid=True)
    assert kept.error_count == 1 and (kept.created, kept.updated) == (1, 0)
    assert list(Dossier.objects.values_list("code", flat=True)) == ["G1"]
    assert Dossier.objects.get(code="G1").batch == kept


def test_dry_run_writes_nothing(tmp_path, catalogue):
    batch = run(tmp_path, HEADER + "D1;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n", dry_run=True)
    assert batch.error_count == 0 and batch.rows == 1 and not Dossier.objects.exists()


def test_reimport_updates_by_code_and_never_duplicates(tmp_path, catalogue):
    run(tmp_path, HEADER + "R1;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n")
    assert Dossier.objects.get(code="R1").result_on is None
    batch = run(tmp_path, HEADER + "R1;07288;P3;truc_tiep;02/01/2024;05/01/2024;04/01/2024;05/01/2024;;;\n"
                + "R2;07288;P3;truc_tuyen;03/01/2024;08/01/2024;;;;;\n")
    assert (batch.created, batch.updated) == (1, 1)
    assert Dossier.objects.filter(code="R1").count() == 1 and Dossier.objects.count() == 2
    updated = Dossier.objects.get(code="R1")
    assert updated.result_on == datetime.date(2024, 1, 4) and updated.status == 10 and updated.batch == batch


def test_unit_staff_import_only_their_units_rows(tmp_path, catalogue, units, make_user):
    other = make_user(Role.UNIT_STAFF, units["BN-BOHA"])
    run(tmp_path, HEADER + "BH-1;07294;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n", by=other)
    staff = make_user(Role.UNIT_STAFF, units["BN-YENTHE"])
    batch = run(tmp_path, HEADER
                + "YT-1;BN-YENTHE;P3;truc_tiep;02/08/2025;05/08/2025;;;;;\n"  # their commune
                + "YT-2;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n"  # Phồn Xương: merged into it, theirs
                + "BH-2;07294;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n"  # Bố Hạ: not theirs
                + "BH-1;BN-YENTHE;P3;truc_tiep;02/08/2025;05/08/2025;;;;;\n", by=staff)  # another unit's dossier
    errors = errors_of(batch)
    assert errors == {
        (4, "Mã đơn vị"): ("07294", "Bạn chỉ được nhập hồ sơ của đơn vị mình."),
        (5, "Mã hồ sơ"): ("BH-1", "Hồ sơ có mã này thuộc một đơn vị không phải của bạn."),
    }
    assert not Dossier.objects.filter(code__startswith="YT").exists()  # all or nothing
    assert Dossier.objects.get(code="BH-1").unit.code == "07294"


def test_a_file_that_cannot_be_read_fails_with_a_reason(tmp_path, catalogue):
    batch = run(tmp_path, "Mã hồ sơ;Mã đơn vị\nA;07288\n")
    assert batch.state == ImportBatch.State.FAILED
    assert batch.message.startswith("Thiếu cột bắt buộc: Mã thủ tục")
    latin = run(tmp_path, "Mã số hồ sơ;Ngày".encode("cp1258", "replace").decode("latin-1"), encoding="latin-1")
    assert latin.state == ImportBatch.State.FAILED and "UTF-8" in latin.message


def test_batch_records_who_when_file_and_sha256(tmp_path, catalogue, make_user):
    user = make_user(Role.QUALITY_OFFICER)
    batch = run(tmp_path, HEADER + "H1;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n", name="thang-1.csv", by=user)
    import hashlib

    assert batch.created_by == user and batch.file_name == "thang-1.csv" and batch.finished_at
    assert batch.sha256 == hashlib.sha256((tmp_path / "thang-1.csv").read_bytes()).hexdigest()


def test_command_imports_with_a_summary_and_fails_on_errors(tmp_path, catalogue):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "C1;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_dossiers", str(good), "--no-progress", stdout=out)
    assert "1 rows, 0 errors" in out.getvalue() and "1 added" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "C2;99999;P3;truc_tiep;02/01/2024;05/01/2024;;;;;\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing written"):
        call_command("import_dossiers", str(bad), "--no-progress", stdout=out)
    assert "Không có đơn vị nào mang mã này." in out.getvalue()
    call_command("import_dossiers", str(bad), "--keep-valid", "--no-progress", stdout=io.StringIO())
    assert Dossier.objects.count() == 1
