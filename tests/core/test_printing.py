"""
Every kind of PDF, printed from the demo as the people who print it, read back as an official reads it
(`pdftotext -bbox-layout` for the words, pdfplumber for the table rules): nothing outside the text frame
or across a rule, the issuer is the body in force on the paper's date, no page holds a signature block
alone, an obsolete copy says so on every page, in its banner and across the page (the watermark). Set QMS_PRINT_OUT=/some/dir to keep the PDFs (to look at
them as PNG pages: `pdftoppm -r 60 -png`).
"""

from __future__ import annotations

import datetime
import io
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from audits.models import Audit, AuditStatus, Nonconformity
from procedures_docs.models import ControlledDocumentPage, DocumentType
from qms.core.models import Unit
from qms.core.pdf import DEFAULT_FONTS
from qms.core.printing import issuing_body, place_of
from qms.feedback.models import FeedbackPage
from recognition.models import ConformityAnnouncement, ManagementReview
from tests.utils import needs_poppler

MM = 72 / 25.4
#: Decree 30 frame (templates/core/pdf/base.html): left 30 mm, right 15 mm, bottom 20 mm; the top margin holds
#: only the page number (6–13 mm, centred, from page 2) and a banner frame (from 6 mm).
LEFT, RIGHT, TOP, BOTTOM = 30 * MM, 15 * MM, 6 * MM, 20 * MM
NUMBER_TOP, NUMBER_BOTTOM, TEXT_TOP = 6 * MM, 13 * MM, 20 * MM
SLACK = 1.0  # pt: glyph side bearings
SIGN_HINT = "(Ký,"
#: Glyphs this tall are the watermark's (qms.core.pdf._draw_watermark): no text of a paper is above 14 pt.
WATERMARK_HEIGHT = 30

pytestmark = [
    needs_poppler,
    pytest.mark.django_db,
    # The geometry of a paper does not depend on the database; the PDFs' data is tested on both elsewhere
    # (test_pdf.py, reporting/test_outputs.py...). Saves minutes of CI's PostgreSQL run.
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="PDF layout is checked on the SQLite run only",
    ),
]


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]
    watermark: str = ""  # its letters, left to right, without spaces

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def read_words(path: Path) -> list[Page]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in ET.fromstring(xml).iter(  # noqa: S314 (our own pdftotext output)
        "{http://www.w3.org/1999/xhtml}page"):
        words = [
            Word(w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")))
            for w in page.iterfind(".//h:word", ns)
        ]
        mark = sorted((w for w in words if w.y1 - w.y0 > WATERMARK_HEIGHT), key=lambda w: w.x0)
        pages.append(Page(float(page.get("width")), float(page.get("height")),
                          [w for w in words if w.y1 - w.y0 <= WATERMARK_HEIGHT], "".join(w.text for w in mark)))
    return pages


def layout_faults(path: Path) -> list[str]:
    """
    Words outside the text frame or across a table rule, pages that hold only a signature block, and page
    numbers that are not in Arabic figures, 13 pt, centred in the top margin from page 2 (none on page 1).
    """
    faults = []
    pages = read_words(path)
    for number, page in enumerate(pages, start=1):
        numbers = [w for w in page.words if w.text.isdigit() and w.y1 < TEXT_TOP]
        centre = (LEFT + page.width - RIGHT) / 2
        if number == 1 and numbers:
            faults.append(f"p1: a page number {numbers[0].text!r} on the first page")
        if number > 1 and not [
            w for w in numbers if w.text == str(number) and w.y0 >= NUMBER_TOP - SLACK and w.y1 <= NUMBER_BOTTOM + SLACK
            and abs((w.x0 + w.x1) / 2 - centre) < 2 * MM and w.y1 - w.y0 > 12
        ]:
            faults.append(f"p{number}: no page number centred in the top margin ({[w.text for w in numbers]})")
    with pdfplumber.open(path) as pdf:
        rules = [[e for e in p.edges if (e["x1"] - e["x0"]) > 3 or (e["bottom"] - e["top"]) > 3] for p in pdf.pages]
    for number, (page, edges) in enumerate(zip(pages, rules, strict=True), start=1):
        for w in page.words:
            if w.x0 < LEFT - SLACK or w.x1 > page.width - RIGHT + SLACK or w.y0 < TOP - SLACK or w.y1 > page.height - BOTTOM + SLACK:
                faults.append(f"p{number}: '{w.text}' outside the frame ({w.x0:.0f}–{w.x1:.0f}, {w.y0:.0f}–{w.y1:.0f})")
            for e in edges:
                vertical = (e["bottom"] - e["top"]) > (e["x1"] - e["x0"])
                if vertical:
                    x = e["x0"]
                    overlap = min(w.y1, e["bottom"]) - max(w.y0, e["top"])
                    if w.x0 + SLACK < x < w.x1 - SLACK and overlap > (w.y1 - w.y0) / 2:
                        faults.append(f"p{number}: '{w.text}' across a rule at x={x:.0f}")
                else:
                    y, third = e["top"], (w.y1 - w.y0) / 3
                    overlap = min(w.x1, e["x1"]) - max(w.x0, e["x0"])
                    if w.y0 + third < y < w.y1 - third and overlap > (w.x1 - w.x0) / 2:
                        faults.append(f"p{number}: '{w.text}' across a rule at y={y:.0f}")
        signs = [w for w in page.words if w.text == SIGN_HINT]
        if number > 1 and signs:
            # Lines above the lowest "(Ký, …)": the block's own are at most its authority and title (and the
            # "Nơi nhận" lines beside them); a page whose body has nothing more holds the block alone.
            above = {round(w.y0 / 4) for w in page.words
                     if w.y0 > 20 * MM and w.y1 <= max(s.y0 for s in signs) and not w.text.startswith(("-", "Nơi"))}
            if len(above) <= 2:
                faults.append(f"p{number}: the signature block is alone on its page")
    return faults


def heading_of(page: Page) -> str:
    """The words of the Decree 30 heading's left column (the issuing body), top of page 1."""
    cut = LEFT + (page.width - LEFT - RIGHT) * 0.4
    return " ".join(w.text for w in page.words if w.x1 < cut and w.y1 < page.height * 0.25)


def date_of(page: Page) -> datetime.date:
    match = re.search(r"ngày (\d+) tháng (\d+) năm (\d{4})", page.text)
    assert match, page.text[:300]
    day, month, year = map(int, match.groups())
    return datetime.date(year, month, day)


def assert_issuer_in_force(page: Page, expected: Unit):
    """The heading names `expected` in full, its parent abbreviated above, nothing else; both in force on the date."""
    on = date_of(page)
    heading = heading_of(page).replace("\u00a0", " ")
    assert expected.is_in_force(on), f"{expected} not in force on {on}"
    assert f"ỦY BAN NHÂN DÂN {expected.name.upper()}" in heading, heading
    if expected.parent and expected.parent.is_in_force(on):
        assert f"UBND {expected.parent.name.upper()}" in heading, heading
    assert f"{place_of(expected)}, ngày" in page.text


# --- the demo and what is printed from it -----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--scale", "0.02", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    path = Path(os.environ["QMS_PRINT_OUT"]) if os.environ.get("QMS_PRINT_OUT") else tmp_path_factory.mktemp("pdf")
    path.mkdir(parents=True, exist_ok=True)
    return path


def client_for(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # official papers are Vietnamese whatever the reader's language
    client.force_login(get_user_model().objects.get(username=username))
    return client


def fetch(client: Client, url: str, out: Path, name: str) -> Path:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/pdf"), url
    path = out / f"{name}.pdf"
    path.write_bytes(b"".join(response) if response.streaming else response.content)
    return path


def bieu06_url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"format": "pdf", "rollup": "on", **params}.items())
    return f"{reverse('reports:index')}?{query}"


BIEU06 = [
    # name, user, query; the heading must be the body in force today
    ("bieu06-district-2026-unit", "qlcl", {"preset": "year", "on": "2026-06-30", "group_by": "unit"}),
    ("bieu06-district-2025-field", "qlcl", {"preset": "year", "on": "2025-06-30", "group_by": "field"}),
    ("bieu06-district-2025-procedure", "qlcl", {"preset": "year", "on": "2025-06-30", "group_by": "procedure"}),
    ("bieu06-admin-2024-unit", "admin", {"preset": "year", "on": "2024-06-30", "group_by": "unit"}),
    ("bieu06-commune-2026-unit", "motcua.boha", {"preset": "year", "on": "2026-06-30", "group_by": "unit"}),
    ("bieu06-commune-2025-procedure", "motcua.boha", {"preset": "year", "on": "2025-06-30", "group_by": "procedure"}),
]


def test_bieu06_every_grouping_across_the_merger(demo, out_dir):
    for name, username, query in BIEU06:
        path = fetch(client_for(username), bieu06_url(**query), out_dir, name)
        pages = read_words(path)
        assert layout_faults(path) == [], name
        user = get_user_model().objects.get(username=username)
        units = [m.unit for m in user.memberships.all()] or list(Unit.objects.exclude(kind__in=["province", "office"]))
        expected = issuing_body(units=units, on=date_of(pages[0])).unit
        assert_issuer_in_force(pages[0], expected)
        assert "HUYỆN YÊN THẾ" not in heading_of(pages[0]), "the district ceased on 30/6/2025"
        if username == "motcua.boha":
            assert "Đơn vị báo cáo: Xã Bố Hạ" in pages[0].text and "Tất cả đơn vị" not in pages[0].text


def test_master_lists(demo, out_dir):
    client = client_for("qlcl")
    whole = fetch(client, reverse("procedures_docs:master_list_pdf"), out_dir, "master-list-all")
    assert layout_faults(whole) == []
    first = read_words(whole)[0]
    assert_issuer_in_force(first, Unit.objects.get(code="BN-YENTHE"))  # the district's namesake successor
    library = ControlledDocumentPage.objects.filter(owner_unit__code="BN-BOHA").first().library
    own = fetch(client, library.url + "danh-muc/pdf/", out_dir, "master-list-boha")
    assert layout_faults(own) == []
    assert_issuer_in_force(read_words(own)[0], Unit.objects.get(code="BN-BOHA"))


def _readable(**filters):
    return ControlledDocumentPage.objects.live().filter(owner_unit__code="BN-YENTHE", **filters)


def test_reading_copies_longest_title_obsolete_withdrawn_and_form(demo, out_dir):
    client = client_for("qlcl")
    documents = list(_readable(issues__isnull=False).distinct())
    longest = max(documents, key=lambda d: len(d.title))
    path = fetch(client, longest.url + "pdf/", out_dir, "reading-longest-title")
    assert layout_faults(path) == []
    pages = read_words(path)
    for page in pages:  # the ISO header at full size on every page: its title in 12 pt, not shrunk
        assert page.watermark == ("LỖITHỜI" if "TÀI LIỆU LỖI THỜI" in page.text else "")
        title_words = [w for w in page.words if w.text == longest.title.split()[0].upper()]
        assert title_words and all(w.y1 - w.y0 > 11 for w in title_words), longest.title

    revised = next(d for d in documents if d.issues.count() >= 2 and not d.is_obsolete)
    path = fetch(client, revised.url + "pdf/", out_dir, "reading-current")
    assert [page.watermark for page in read_words(path)] == [""] * len(read_words(path))  # the copy in force: none
    path = fetch(client, f"{revised.url}lan-ban-hanh/1/pdf/", out_dir, "reading-superseded")
    assert layout_faults(path) == []
    for page in read_words(path):
        assert "TÀI LIỆU LỖI THỜI" in page.text and "thay thế bởi lần ban hành 02" in page.text
        assert page.watermark == "LỖITHỜI"

    withdrawn = ControlledDocumentPage.objects.filter(withdrawal__isnull=False, owner_unit__code="BN-YENTHE").first()
    path = fetch(client, withdrawn.url + "pdf/", out_dir, "reading-withdrawn")
    assert layout_faults(path) == []
    for page in read_words(path):
        assert "TÀI LIỆU LỖI THỜI – KHÔNG SỬ DỤNG" in page.text
        assert page.watermark == "LỖITHỜI"

    form = _readable(doc_type=DocumentType.FORM, issues__isnull=False).first()
    path = fetch(client, form.url + "pdf/", out_dir, "reading-form")
    text = " ".join(p.text for p in read_words(path))
    assert layout_faults(path) == []
    assert "Người soạn thảo" not in text and "BẢNG THEO DÕI SỬA ĐỔI" not in text  # the form itself, no cover


def test_audit_reports_nc_form(demo, out_dir):
    client = client_for("qlcl")
    open_audit = Audit.objects.filter(status=AuditStatus.IN_PROGRESS).first() or Audit.objects.exclude(status=AuditStatus.CLOSED).first()
    closed = Audit.objects.filter(status=AuditStatus.CLOSED).order_by("-actual_end").first()
    for name, audit in (("audit-report-in-progress", open_audit), ("audit-report-closed", closed)):
        path = fetch(client, reverse("audits:report_pdf", args=[audit.pk]), out_dir, name)
        assert layout_faults(path) == [], name
        pages = read_words(path)
        assert "Số:" in pages[0].text
        draft = audit.status != AuditStatus.CLOSED
        assert [("DỰ THẢO" in page.text, page.watermark) for page in pages] == [(draft, "DỰTHẢO" if draft else "")] * len(pages), name
    nc = Nonconformity.objects.filter(actions__isnull=False).order_by("-pk").first()
    path = fetch(client, reverse("nonconformities:pdf", args=[nc.pk]), out_dir, "nc-form")
    assert layout_faults(path) == []
    page = read_words(path)[0]
    assert_issuer_in_force(page, issuing_body(units=[nc.unit], on=nc.detected_on).unit)


def test_minutes_announcement_poster(demo, out_dir):
    client = client_for("qlcl")
    issued = ManagementReview.objects.filter(minutes_issued_at__isnull=False).first()
    draft = ManagementReview.objects.filter(minutes_issued_at__isnull=True).first()
    for name, review in (("minutes-issued", issued), ("minutes-draft", draft)):
        path = fetch(client, reverse("reviews:minutes", args=[review.pk]), out_dir, name)
        assert layout_faults(path) == [], name
        pages = read_words(path)
        assert "Số:" in pages[0].text and "THƯ KÝ" in pages[-1].text
        assert all("DỰ THẢO" in p.text for p in pages) == (review is draft), name
        assert all(p.watermark == ("DỰTHẢO" if review is draft else "") for p in pages), name
        text = " ".join(p.text for p in pages)
        assert "Opportunity for improvement" not in text and "Resource need" not in text
    announcement = ConformityAnnouncement.objects.filter(unit__code="BN-YENTHE").first() or ConformityAnnouncement.objects.first()
    path = fetch(client, reverse("announcements:pdf", args=[announcement.pk]), out_dir, "announcement")
    assert layout_faults(path) == []
    pages = read_words(path)
    assert_issuer_in_force(pages[0], issuing_body(units=[announcement.unit], on=announcement.announced_on).unit)
    text = " ".join(p.text for p in pages)
    assert "Nơi nhận:" in text and "DANH MỤC THỦ TỤC HÀNH CHÍNH" in text
    assert "TM. ỦY BAN NHÂN DÂN" not in text  # the chairman decides in his own name
    poster = FeedbackPage.objects.filter(unit__code="BN-YENTHE").first()
    path = fetch(client, reverse("feedback_poster", args=[poster.pk]), out_dir, "poster")
    assert layout_faults(path) == []


def test_a_font_without_vietnamese_is_refused_with_the_reason(demo, tmp_path):
    import matplotlib

    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "cmr10.ttf"  # Computer Modern: no ư, ơ, Đ
    client = client_for("qlcl")
    with override_settings(QMS_PDF_FONTS={**DEFAULT_FONTS, "regular": latin}):
        response = client.get(reverse("procedures_docs:master_list_pdf"))
    assert response.status_code == 503
    message = response.content.decode()
    assert "cmr10.ttf" in message and "không vẽ được chữ tiếng Việt" in message
