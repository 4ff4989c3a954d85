"""The register as PDF (Decree 30 heading, heat map, signatures) and XLSX, of the user's units only."""

import io

import openpyxl
from django.urls import reverse

from qms.core.roles import Role
from tests.risks.helpers import make_action, make_risk
from tests.utils import needs_poppler, pdf_words


@needs_poppler
def test_the_pdf_register(client, units, make_user, tmp_path):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    risk = make_risk(units["BN-BOHA"], officer, likelihood=4, impact=4, title="Đất trễ hạn")
    make_action(risk, officer, description="Phối hợp địa chính")
    make_risk(units["BN-BOHA"], officer, likelihood=5, impact=3, title="Nghỉ phép")
    client.force_login(officer)
    response = client.get(reverse("risks:register_pdf"))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "register.pdf"
    path.write_bytes(response.content)
    words = pdf_words(path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words and "DANH MỤC RỦI RO VÀ CƠ HỘI" in words
    assert "Đất trễ hạn" in words and "Phối hợp địa chính" in words and "4×4=16" in words
    assert "Chưa có biện pháp" in words  # the flagged one
    assert "Ma trận rủi ro" in words and "NGƯỜI LẬP" in words


def test_the_xlsx_register(client, units, make_user):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    make_risk(units["BN-BOHA"], officer, likelihood=4, impact=4, title="=HYPERLINK(\"x\")")
    client.force_login(officer)
    response = client.get(reverse("risks:register_xlsx") + "?level=high")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header = next(i for i, row in enumerate(rows) if row[0].value == "STT")
    cells = rows[header + 1]
    assert cells[3].data_type == "s" and cells[3].quotePrefix  # typed text is never run as a formula
    row = [cell.value for cell in cells]
    assert row[8] == 16 and row[9] == "Cao" and row[17] == "Rủi ro cao chưa có biện pháp"
