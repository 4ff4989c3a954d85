"""
The audit report and nonconformity form PDFs: Vietnamese text round-trips exactly through pdftotext,
fonts are embedded; the views serve them to those who may see the record.
"""

import datetime
import subprocess

import pytest
from django.urls import reverse

from audits import reports, services
from audits.models import CauseCategory, ChecklistResult, FindingKind
from tests.audits.factories import record_nc_finding, start_audit
from tests.utils import needs_poppler, pdftotext

pytestmark = pytest.mark.django_db
D = datetime.date


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text as pdftotext reads it, one line per text block (a paragraph or a table cell:
    cells side by side would otherwise interleave their wrapped lines), whitespace collapsed."""
    import html
    import re

    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes yes " in line for line in fonts), fonts
    layout = pdftotext(path, "-bbox-layout")
    blocks = re.findall(r"<block [^>]*>(.*?)</block>", layout, flags=re.S)
    words = [[html.unescape(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", block, flags=re.S)] for block in blocks]
    return "\n".join(" ".join(w) for w in words)


@pytest.fixture
def reported_audit(audit_2024, people):
    audit = start_audit(audit_2024, by=people.auditor)
    for item in audit.checklist.all():
        services.checklist_item_record(item=item, result=ChecklistResult.CONFORMS, notes="Đã kiểm tra sổ theo dõi", by=people.auditor)
    record_nc_finding(audit, by=people.auditor, item=audit.checklist.get(position=3))
    services.finding_record(audit=audit, kind=FindingKind.GOOD_PRACTICE, clause=audit.checklist.first().clause,
                            statement="Bố trí ghế ưu tiên cho người cao tuổi", on=D(2024, 5, 10), by=people.auditor)
    return services.audit_report(audit=audit, conclusion="HTQLCL được duy trì phù hợp; có 01 điểm không phù hợp nhẹ.",
                                 on=D(2024, 5, 11), by=people.auditor)


@needs_poppler
def test_audit_report_round_trips_its_vietnamese_text(reported_audit, tmp_path):
    text = pdf_text(reports.audit_report_pdf(reported_audit), tmp_path)
    item = reported_audit.checklist.get(position=3)
    expected = [
        "UBND TỈNH BẮC GIANG", "ỦY BAN NHÂN DÂN", "HUYỆN YÊN THẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Yên Thế, ngày 11 tháng 5 năm 2024", "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ NỘI BỘ", "Thị trấn Phồn Xương",
        "Chương trình: Chương trình đánh giá nội bộ năm 2024.", "từ 10/05/2024 đến 11/05/2024",
        "Lê Quang Huy", "Trưởng đoàn", "7.5 Thông tin dạng văn bản", "8.5 Sản xuất và cung cấp dịch vụ",
        item.question, "Không phù hợp", "Đã kiểm tra sổ theo dõi",
        "Hồ sơ trễ hạn không có văn bản xin lỗi người dân", "Điểm mạnh (thực hành tốt)", "Bố trí ghế ưu tiên cho người cao tuổi",
        "KPH-2024-001", "HTQLCL được duy trì phù hợp; có 01 điểm không phù hợp nhẹ.", "TRƯỞNG ĐOÀN ĐÁNH GIÁ",
    ]
    missing = [line for line in expected if " ".join(line.split()) not in text]
    assert missing == [], text


@pytest.fixture
def closed_nc(reported_audit, people):
    nc = reported_audit.findings.get(kind=FindingKind.MINOR_NC).nonconformity
    services.nonconformity_record_correction(nc=nc, correction="Gửi phiếu xin lỗi cho 03 người dân", on=D(2024, 5, 12), by=people.staff)
    services.nonconformity_analyse(
        nc=nc, whys=["Công chức không lập phiếu xin lỗi", "Chưa nắm quy định về hồ sơ trễ hạn", "Chưa được tập huấn"],
        cause_category=CauseCategory.PEOPLE, on=D(2024, 5, 14), by=people.staff,
    )
    action = services.corrective_action_add(nc=nc, description="Tập huấn quy trình xử lý hồ sơ trễ hạn", responsible=people.staff,
                                            due_on=D(2024, 6, 10), by=people.staff)
    services.corrective_action_complete(action=action, done_on=D(2024, 6, 5), evidence="Biên bản tập huấn ngày 05/6/2024", by=people.staff)
    nc.refresh_from_db()
    return services.nonconformity_verify(nc=nc, effective=True, on=D(2024, 7, 8), notes="Không còn hồ sơ trễ hạn thiếu phiếu", by=people.qo)


@needs_poppler
def test_nonconformity_form_round_trips_its_vietnamese_text(closed_nc, tmp_path):
    text = pdf_text(reports.nonconformity_pdf(closed_nc), tmp_path)
    expected = [
        "UBND HUYỆN YÊN THẾ", "ỦY BAN NHÂN DÂN", "THỊ TRẤN PHỒN XƯƠNG", "Số: KPH-2024-001", "Phồn Xương, ngày 10 tháng 5 năm 2024",
        "PHIẾU BÁO CÁO SỰ KHÔNG PHÙ HỢP VÀ HÀNH ĐỘNG KHẮC PHỤC", "Đánh giá nội bộ Thị trấn Phồn Xương ngày 10/05/2024", "7.5.3 Kiểm soát thông tin dạng văn bản",
        "Nhẹ", "Hồ sơ trễ hạn không có văn bản xin lỗi người dân",
        "Gửi phiếu xin lỗi cho 03 người dân", "Tại sao 1?", "Công chức không lập phiếu xin lỗi", "Tại sao 3?", "Chưa được tập huấn",
        "Con người: năng lực, nhận thức, khối lượng công việc", "Tập huấn quy trình xử lý hồ sơ trễ hạn", "Phạm Thị Lan",
        "Biên bản tập huấn ngày 05/6/2024", "08/07/2024, người kiểm tra: Nguyễn Thị Hoa", "Có hiệu lực.", "Không còn hồ sơ trễ hạn thiếu phiếu", "Đã đóng",
        "NGƯỜI PHÁT HIỆN", "ĐẠI DIỆN ĐƠN VỊ", "NGƯỜI KIỂM TRA HIỆU LỰC", "Lê Quang Huy", "Nguyễn Thị Hoa",
    ]
    missing = [line for line in expected if line not in text]
    assert missing == [], text


def test_pdf_views_serve_the_files(client_for, people, closed_nc, reported_audit):
    client = client_for(people.staff)
    response = client.get(reverse("nonconformities:pdf", args=[closed_nc.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="phieu-kph-2024-001.pdf"'
    response = client.get(reverse("audits:report_pdf", args=[reported_audit.pk]))
    assert response.content.startswith(b"%PDF")
    assert "bao-cao-danh-gia-noi-bo-thi-tran-phon-xuong-2024-05.pdf" in response["Content-Disposition"]
