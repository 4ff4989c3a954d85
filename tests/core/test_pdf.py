"""The shared PDF renderer: Vietnamese text survives, fonts are embedded, the Decree 30 header is there."""

import datetime
import subprocess

from django.template import engines

from qms.core.pdf import html_to_pdf
from tests.utils import needs_poppler, pdftotext

SAMPLE = """{% extends "core/pdf/base.html" %}
{% block header %}{% include "core/pdf/_admin_header.html" %}{% endblock %}
{% block content %}<h1>Báo cáo tình hình</h1><p>Kiểm soát thông tin dạng văn bản: ấ ế ư ơ Đ ỹ ự.</p>
<p><b>Đậm</b> <i>Nghiêng</i></p>{% include "core/pdf/_signature.html" %}{% endblock %}"""


def render(tmp_path):
    from qms.core.models import Unit, UnitKind
    from qms.core.printing import IssuingBody, signature

    province = Unit(name="Tỉnh Bắc Giang", kind=UnitKind.PROVINCE)
    body = IssuingBody(unit=Unit(name="Huyện Yên Thế", kind=UnitKind.DISTRICT, parent=province), parent=province,
                       on=datetime.date(2020, 6, 10))
    html = engines["django"].from_string(SAMPLE).render({
        "body": body, "date": datetime.date(2020, 6, 10),
        "signatures": [signature(authority="TM. Ủy ban nhân dân", title="Chủ tịch", name="Nguyễn Văn An")],
    })
    path = tmp_path / "sample.pdf"
    path.write_bytes(html_to_pdf(html))
    return path


@needs_poppler
def test_vietnamese_text_round_trips_and_fonts_are_embedded(tmp_path):
    path = render(tmp_path)
    text = pdftotext(path)
    for line in ("UBND TỈNH BẮC GIANG", "ỦY BAN NHÂN DÂN", "HUYỆN YÊN THẾ", "TM. ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Yên Thế, ngày 10 tháng 6 năm 2020", "BÁO CÁO TÌNH HÌNH",
                 "Kiểm soát thông tin dạng văn bản: ấ ế ư ơ Đ ỹ ự.", "Nguyễn Văn An"):
        assert line in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts, "no fonts listed"
    assert all(" yes yes yes " in line for line in fonts), fonts
    assert any("Bold" in line for line in fonts) and any("Italic" in line for line in fonts)


@needs_poppler
def test_decomposed_input_is_normalised(tmp_path):
    import unicodedata

    path = tmp_path / "nfd.pdf"
    source = '{% extends "core/pdf/base.html" %}{% block content %}<p>Tiếng Việt có dấu</p>{% endblock %}'
    html = engines["django"].from_string(source).render({})
    path.write_bytes(html_to_pdf(unicodedata.normalize("NFD", html)))
    text = pdftotext(path)
    assert "Tiếng Việt có dấu" in text  # composed (NFC) again


def test_place_and_date_line_follows_decree_30():
    from qms.core.templatetags.qms_tags import place_date, vn_number

    assert place_date("Yên Thế", datetime.date(2020, 6, 10)) == "Yên Thế, ngày 10 tháng 6 năm 2020"
    assert place_date("Yên Thế", datetime.date(2024, 2, 5)) == "Yên Thế, ngày 05 tháng 02 năm 2024"
    assert vn_number(1234567.5, 1) == "1.234.567,5"
