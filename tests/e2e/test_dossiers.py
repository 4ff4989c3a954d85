"""A one-stop officer imports a file with errors, sees them, fixes it, imports it, opens Biểu 06 and downloads the PDF and XLSX."""

import io

import pytest
from openpyxl import load_workbook

from tests.utils import HAVE_POPPLER, pdf_words

pytestmark = pytest.mark.e2e

HEADER = "Mã hồ sơ;Mã đơn vị;Mã thủ tục;Kênh nộp;Ngày tiếp nhận;Ngày hẹn trả;Ngày kết thúc xử lý;Ngày trả kết quả;Trạng thái\n"
GOOD_ROW = "E2E-001;BN-YENTHE;DEMO-HT-08;Trực tuyến;05/10/2026 08:00;08/10/2026 17:00;07/10/2026 10:00;08/10/2026 09:00;10\n"


def upload(page, base, text, name="ho-so-thang-10.csv"):
    page.goto(f"{base}/admin/dossier_import/")
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}])
    page.get_by_role("button", name="Nhập", exact=True).click()
    page.wait_for_url("**/admin/dossier_import/*/")


def test_import_fix_import_report_and_downloads(login, demo_site, tmp_path):
    page = login("motcua")
    bad = HEADER + GOOD_ROW + "E2E-002;07294;DEMO-HT-08;truc_tiep;05/10/2026;04/10/2026;;;\n"
    upload(page, demo_site, bad)
    errors = page.get_by_test_id("import-errors")
    assert "Bạn chỉ được nhập hồ sơ của đơn vị mình." in errors.inner_text()
    assert "Ngày hẹn trả trước ngày tiếp nhận." in errors.inner_text()
    assert "Chưa ghi dữ liệu nào" in page.get_by_test_id("import-summary").inner_text()
    with page.expect_download() as csv_download:
        page.get_by_test_id("errors-csv").click()
    assert "Dòng,Cột,Giá trị,Lỗi" in csv_download.value.path().read_text(encoding="utf-8-sig")

    fixed = HEADER + GOOD_ROW + "E2E-002;07288;DEMO-HT-08;truc_tiep;05/06/2025;10/06/2025;;;\n"
    upload(page, demo_site, fixed)
    assert "Đã nhập 2 dòng: thêm mới 2, cập nhật 0." in page.get_by_test_id("import-summary").inner_text()

    page.goto(f"{demo_site}/admin/")
    page.get_by_role("button", name="Hồ sơ và báo cáo").click()
    page.get_by_role("link", name="Báo cáo Biểu 06").click()
    page.select_option("select[name=preset]", "month")
    page.fill("input[name=on]", "2026-10")  # the month picker
    page.get_by_role("button", name="Xem báo cáo").click()
    table = page.get_by_test_id("bieu06")
    assert "Xã Yên Thế" in table.inner_text() and "Xã Bố Hạ" not in table.inner_text()
    assert "Kỳ báo cáo: từ ngày 01/10/2026 đến ngày 31/10/2026" in page.get_by_test_id("period").inner_text()
    assert page.get_by_test_id("chart-rows").is_visible() and page.get_by_test_id("chart-trend").is_visible()

    with page.expect_download() as pdf_download:
        page.get_by_test_id("download-pdf").click()
    pdf = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf)
    assert pdf.name == "bieu-06-20261001-20261031.pdf" and pdf.read_bytes()[:5] == b"%PDF-"
    if HAVE_POPPLER:
        text = pdf_words(pdf)
        assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text and "Xã Yên Thế" in text
        assert "Kỳ báo cáo: từ ngày 01/10/2026 đến ngày 31/10/2026" in text

    with page.expect_download() as xlsx_download:
        page.get_by_test_id("download-xlsx").click()
    sheet = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes())).active
    assert "C10:F10" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["C10"].value == "Số hồ sơ nhận giải quyết"
    assert any(str(sheet.cell(r, 2).value).startswith("Xã Yên Thế") for r in range(13, 22))
