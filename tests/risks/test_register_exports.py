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


@needs_poppler
def test_two_communes_printed_at_once_give_two_registers_each_under_its_own_heading(client, units, make_user, tmp_path):
    """A register is a unit's own paper, signed by its leader: never one headed by the first commune of the list."""
    import subprocess

    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"], units["BN-YENTHE"])
    make_risk(units["BN-BOHA"], officer, title="Rủi ro của Bố Hạ")
    make_risk(units["BN-YENTHE"], officer, title="Rủi ro của Yên Thế")
    client.force_login(officer)
    path = tmp_path / "register.pdf"
    path.write_bytes(client.get(reverse("risks:register_pdf")).content)
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    headed = [(" ".join(p.split()), i) for i, p in enumerate(pages) if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in p]
    assert len(headed) == 2
    (first, at_first), (second, at_second) = headed
    assert "ỦY BAN NHÂN DÂN XÃ BỐ HẠ" in first and "YÊN THẾ" not in first
    assert "ỦY BAN NHÂN DÂN XÃ YÊN THẾ" in second and "BỐ HẠ" not in second
    bo_ha = " ".join(" ".join(p.split()) for p in pages[at_first:at_second])
    yen_the = " ".join(" ".join(p.split()) for p in pages[at_second:])
    assert "Rủi ro của Bố Hạ" in bo_ha and "Rủi ro của Yên Thế" not in bo_ha
    assert "Rủi ro của Yên Thế" in yen_the and "Rủi ro của Bố Hạ" not in yen_the
    assert bo_ha.count("LÃNH ĐẠO ĐƠN VỊ") == 1 and yen_the.count("LÃNH ĐẠO ĐƠN VỊ") == 1  # each signed on its own


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
