"""
Reading copies and master lists as PDF: the Vietnamese text round-trips exactly through pdftotext,
every font is embedded, the ISO header block is on every page, and the marking says what the copy is.
"""

import io
import subprocess

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from procedures_docs import services
from tests.utils import needs_poppler, pdftotext

pytestmark = [
    pytest.mark.django_db,
    needs_poppler,
]

LONG_STEP = "Tiếp nhận, kiểm tra tính đầy đủ, hợp lệ của hồ sơ; ấ ế ư ơ Đ ỹ ự."


def pdf_text(content: bytes, tmp_path, page: int | None = None) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return pdftotext(path, *(["-f", str(page), "-l", str(page)] if page else []))


def pdf_fonts(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]


def page_count(content: bytes, tmp_path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


@pytest.fixture
def long_document(make_document, issue):
    steps = [("process_step", {"step": f"B{n}", "action": f"<p>{LONG_STEP}</p>", "responsible": "Công chức Bộ phận Một cửa",
                               "time_limit": "0,5 ngày làm việc", "output": "Giấy tiếp nhận hồ sơ", "form": None})
             for n in range(1, 25)]
    page = make_document(code="QT-06", title="Quy trình đăng ký khai sinh", body=steps,
                         purpose="<p>Quy định trình tự giải quyết thủ tục đăng ký khai sinh tại Bộ phận Một cửa.</p>"
                                 "<ul><li>Đúng pháp luật;</li><li>Đúng hạn.</li></ul><ol><li>Tiếp nhận</li><li>Trả kết quả</li></ol>",
                         records=[("record", {"record": "Sổ đăng ký khai sinh", "keeper": "Công chức Tư pháp - Hộ tịch",
                                              "place": "Văn phòng UBND xã", "retention": "Vĩnh viễn"})])
    issue(page)
    return page


def test_reading_copy_pdf_round_trips_with_the_iso_header_on_every_page(client, people, long_document, tmp_path):
    client.force_login(people.yt_staff)
    response = client.get(long_document.url + "pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="qt-06-lan-1.pdf"'
    content = response.content
    pages = page_count(content, tmp_path)
    assert pages >= 2
    text = pdf_text(content, tmp_path)
    flowing = " ".join(text.split())  # paragraphs wrap: compare the words, in order, with exact diacritics
    assert "Quy định trình tự giải quyết thủ tục đăng ký khai sinh tại Bộ phận Một cửa." in flowing
    for line in ("BẢNG THEO DÕI SỬA ĐỔI", "1. MỤC ĐÍCH", "5. NỘI DUNG", "6. HỒ SƠ CẦN LƯU", "Người soạn thảo",
                 "Người phê duyệt", "Nguyễn Thị Hoa", "Trần Văn Minh", "Sổ đăng ký khai sinh", "Vĩnh viễn",
                 "Trình tự thực hiện"):
        assert line in text, line
    assert "ấ ế ư ơ Đ ỹ ự." in text
    assert "– Đúng pháp luật;" in text and "2. Trả kết quả" in text  # lists keep their markers, in the embedded font
    effective = long_document.current_issue.effective_date.strftime("%d/%m/%Y")
    for number in range(1, pages + 1):
        page_text = pdf_text(content, tmp_path, page=number)
        for line in ("Mã hiệu: QT-06", "Lần ban hành: 01", f"Ngày hiệu lực: {effective}", f"Trang: {number}/{pages}",
                     "BẢN KIỂM SOÁT"):
            assert line in page_text, (number, line)
    fonts = pdf_fonts(content, tmp_path)
    assert fonts and all(" yes yes " in line for line in fonts), fonts
    assert any("Bold" in line for line in fonts)


def test_obsolete_and_superseded_copies_are_marked(client, people, issued, issue, tmp_path):
    issue(issued.page, "Sửa đổi mục 2", scope="<p>Áp dụng toàn xã.</p>")
    client.force_login(people.auditor)
    old = pdf_text(client.get(issued.page.url + "lan-ban-hanh/1/pdf/").content, tmp_path)
    assert "TÀI LIỆU LỖI THỜI" in old and "BẢN KIỂM SOÁT" not in old and "Lần ban hành: 01" in old
    assert "đã được thay thế bởi lần ban hành 02" in " ".join(old.split())
    services.document_withdraw(page=issued.page, on=timezone.localdate(), reason="Bãi bỏ theo quyết định", by=people.yt_leader)
    current = pdf_text(client.get(issued.page.url + "pdf/").content, tmp_path)
    assert "TÀI LIỆU LỖI THỜI" in current and "BẢN KIỂM SOÁT" not in current
    assert "Lý do: Bãi bỏ theo quyết định" in " ".join(current.split())


def test_master_list_pdf_and_xlsx(client, people, issued, make_document, issue, tmp_path):
    make_document(code="QT-08", title="Quy trình dự thảo")  # drafts are not listed
    old = make_document(code="QT-09", title="Quy trình đã bãi bỏ")
    issue(old)
    services.document_withdraw(page=old, on=timezone.localdate(), reason="Bãi bỏ", by=people.yt_leader)
    client.force_login(people.yt_officer)
    library = issued.page.get_parent()
    response = client.get(library.url + "danh-muc/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    today = timezone.localdate()
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "DANH MỤC TÀI LIỆU NỘI BỘ",
                 f"Yên Thế, ngày {today.day:02d} tháng {month} năm {today.year}", "QT-01", "BM-01-01",
                 "Quy trình kiểm soát tài liệu", "NGƯỜI LẬP DANH MỤC", "Nguyễn Thị Hoa"):
        assert line in text, line
    assert "QT-08" not in text and "QT-09" not in text
    assert all(" yes yes " in line for line in pdf_fonts(response.content, tmp_path))

    workbook = load_workbook(io.BytesIO(client.get(library.url + "danh-muc/xlsx/").content))
    rows = list(workbook.active.values)
    assert rows[0][0] == "DANH MỤC TÀI LIỆU NỘI BỘ"
    header = rows.index(("TT", "Mã hiệu", "Tên tài liệu", "Loại tài liệu", "Lần ban hành", "Ngày hiệu lực",
                         "Người phê duyệt", "Đơn vị sở hữu"))
    listed = [row[1:5] for row in rows[header + 1:]]
    assert listed == [("QT-01", "Quy trình kiểm soát tài liệu", "Quy trình", 1),
                      ("BM-01-01", "Phiếu đề nghị sửa đổi tài liệu", "Biểu mẫu", 1)]
    assert rows[header + 1][5] == today or rows[header + 1][5].date() == today


def test_master_list_page_for_all_units(client, people, issued, libraries, make_document, issue):
    other = make_document(code="QT-01", title="Quy trình kiểm soát tài liệu xã Bố Hạ", library=libraries.bh)
    issue(other)
    from django.urls import reverse

    client.force_login(people.auditor)
    body = client.get(reverse("procedures_docs:master_list")).content.decode()
    assert "Xã Yên Thế" in body and "Xã Bố Hạ" in body and "Quy trình kiểm soát tài liệu xã Bố Hạ" in body
    client.force_login(people.yt_staff)
    body = client.get(reverse("procedures_docs:master_list")).content.decode()
    assert "Quy trình kiểm soát tài liệu xã Bố Hạ" not in body  # staff list only what applies to them


def test_a_form_prints_as_the_form_and_offers_its_original(client, people, issued, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    original = get_document_model().objects.create(
        title="Mẫu phiếu đề nghị", file=ContentFile(b"docx", name="phieu-de-nghi.docx"),
        collection=Collection.get_first_root_node(),
    )
    form = issued.form
    form.attachments = [("original", original)]
    form.save()
    client.force_login(people.yt_staff)
    page = client.get(form.url).content.decode()
    assert f'href="{original.url}"' in page and "BẢN GỐC ĐÍNH KÈM" in page
    text = " ".join(pdf_text(client.get(form.url + "pdf/").content, tmp_path).split())
    assert "PHIẾU ĐỀ NGHỊ SỬA ĐỔI TÀI LIỆU" in text and "Mẫu phiếu đề nghị (DOCX, tải về trên hệ thống)" in text
    assert "Người soạn thảo" not in text and "BẢNG THEO DÕI SỬA ĐỔI" not in text  # no cover page
