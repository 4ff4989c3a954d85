"""
The competence part of the demo (`load_demo`), idempotent. Auditors hold an internal-auditor certificate
from 2023 and a refresher from last December, so every demo audit (2024 and this year) has a certified
team; Bố Hạ's auditor's refresher is about to expire. One-stop officers of Yên Thế, Đồng Kỳ and Xuân
Lương were trained in ISO awareness (Yên Thế's in the course of August 2025), those of Bố Hạ and Tam Tiến not yet: readiness shows both.
The audits demo creates the communes' auditors and officers after this runs and calls `train_person`.
"""

from __future__ import annotations

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from qms.competence.models import INTERNAL_AUDITOR, ISO_AWARENESS, CompetenceRequirement, TrainingRecord
from qms.competence.services import training_record_save
from qms.core.models import Membership
from qms.core.text import person_name

D = datetime.date
PROVIDER_AUDIT = "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng Bắc Giang"
PROVIDER_AWARENESS = "Sở Khoa học và Công nghệ tỉnh Bắc Giang"
COURSE_AUDITOR = "Đào tạo chuyên gia đánh giá nội bộ theo TCVN ISO 9001:2015"
COURSE_REFRESHER = "Bồi dưỡng cập nhật kỹ năng đánh giá nội bộ HTQLCL"
COURSE_AWARENESS = "Đào tạo nhận thức về TCVN ISO 9001:2015 trong cơ quan hành chính nhà nước"


def _refresher_day(today: datetime.date) -> datetime.date:
    """Last December: every demo audit of this year falls after it."""
    return D(today.year - 1, 12, 1)


def _stories(today: datetime.date) -> dict[str, list[tuple]]:
    """username → (requirement code, course, provider, completed on, typed expiry or None, certificate number)."""
    refresher = _refresher_day(today)
    return {
        "qlcl": [(ISO_AWARENESS, COURSE_AWARENESS, PROVIDER_AWARENESS, D(2022, 11, 10), None, "")],
        "soatxet": [(ISO_AWARENESS, COURSE_AWARENESS, PROVIDER_AWARENESS, D(2022, 11, 10), None, "")],
        "lanhdao": [(ISO_AWARENESS, COURSE_AWARENESS, PROVIDER_AWARENESS, D(2022, 11, 10), None, "")],
        "danhgia": [
            (INTERNAL_AUDITOR, COURSE_AUDITOR, PROVIDER_AUDIT, D(2023, 9, 15), None, "ĐGNB-2023-0415"),
            (INTERNAL_AUDITOR, COURSE_REFRESHER, PROVIDER_AUDIT, refresher, None, f"BD-{refresher.year}-0112"),
        ],
        "danhgia.boha": [
            (INTERNAL_AUDITOR, COURSE_AUDITOR, PROVIDER_AUDIT, D(2023, 10, 20), None, "ĐGNB-2023-0533"),
            # A short refresher certificate that runs out within weeks: "expiring" on the matrix.
            (INTERNAL_AUDITOR, COURSE_REFRESHER, PROVIDER_AUDIT, refresher, today + datetime.timedelta(days=40),
             f"BD-{refresher.year}-0117"),
        ],
        "danhgia.xuanluong": [
            (INTERNAL_AUDITOR, COURSE_AUDITOR, PROVIDER_AUDIT, D(2023, 8, 10), None, "ĐGNB-2023-0388"),
            (INTERNAL_AUDITOR, COURSE_REFRESHER, PROVIDER_AUDIT, refresher, None, f"BD-{refresher.year}-0120"),
        ],
        "danhgia.dongky": [
            (INTERNAL_AUDITOR, COURSE_AUDITOR, PROVIDER_AUDIT, D(2023, 11, 2), None, "ĐGNB-2023-0561"),
            (INTERNAL_AUDITOR, COURSE_REFRESHER, PROVIDER_AUDIT, refresher, None, f"BD-{refresher.year}-0124"),
        ],
        "motcua": [(ISO_AWARENESS, COURSE_AWARENESS, PROVIDER_AWARENESS, D(2024, 3, 12), None, "")],
        "yt.diachinh": [(ISO_AWARENESS, COURSE_AWARENESS, PROVIDER_AWARENESS, D(2025, 8, 20), None, "")],
        "yt.vanphong": [(ISO_AWARENESS, COURSE_AWARENESS, PROVIDER_AWARENESS, D(2025, 8, 20), None, "")],
        "yt.vhxh": [(ISO_AWARENESS, COURSE_AWARENESS, PROVIDER_AWARENESS, D(2025, 8, 20), None, "")],
        "motcua.dongky": [(ISO_AWARENESS, COURSE_AWARENESS, PROVIDER_AWARENESS, D(2025, 8, 20), None, "")],
        "motcua.xuanluong": [(ISO_AWARENESS, COURSE_AWARENESS, PROVIDER_AWARENESS, D(2025, 9, 5), None, "")],
        # motcua.boha and motcua.tamtien: not trained yet (the gap readiness shows).
    }


def certificate_pdf(*, person, course: str, provider: str, number: str, completed_on: datetime.date) -> ContentFile:
    """A one-page scan-like certificate (the demo has no real scans), in Vietnamese."""
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from qms.core.pdf import DEFAULT_FONTS

    if "QmsDemoSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("QmsDemoSerif", str(DEFAULT_FONTS["regular"])))
        pdfmetrics.registerFont(TTFont("QmsDemoSerifBold", str(DEFAULT_FONTS["bold"])))
    buffer = io.BytesIO()
    width, height = landscape(A5)
    page = canvas.Canvas(buffer, pagesize=(width, height))
    page.setTitle(f"Chứng chỉ {number}")
    lines = [
        ("QmsDemoSerif", 11, provider.upper()),
        ("QmsDemoSerifBold", 18, "CHỨNG CHỈ"),
        ("QmsDemoSerif", 12, "Chứng nhận ông/bà: " + person_name(person)),
        ("QmsDemoSerif", 11, "Đã hoàn thành khóa: " + course),
        ("QmsDemoSerif", 11, f"Ngày {completed_on:%d/%m/%Y}     Số: {number}"),
    ]
    y = height - 70
    for font, size, text in lines:
        page.setFont(font, size)
        page.drawCentredString(width / 2, y, text)
        y -= 36
    page.showPage()
    page.save()
    return ContentFile(buffer.getvalue(), name=f"chung-chi-{number.lower()}.pdf")


def train_person(user, *, by=None, today: datetime.date | None = None) -> int:
    """Record the demo training of `user` (by username) that is not recorded yet; returns how many were added."""
    today = today or timezone.localdate()
    story = _stories(today).get(user.username, [])
    membership = Membership.objects.filter(user=user).select_related("unit").order_by("-unit__valid_from", "pk").first()
    if not story or membership is None:
        return 0
    by = by or get_user_model().objects.filter(username="qlcl").first()
    added = 0
    for code, course, provider, completed_on, expires_on, number in story:
        if TrainingRecord.objects.filter(person=user, course=course, completed_on=completed_on).exists():
            continue
        record = TrainingRecord(
            person=user, unit=membership.unit, course=course, provider=provider, completed_on=completed_on,
            expires_on=expires_on, certificate_number=number,
        )
        if number:
            record.certificate = certificate_pdf(
                person=user, course=course, provider=provider, number=number, completed_on=completed_on)
        training_record_save(
            record=record,
            requirements=[CompetenceRequirement.objects.get(code=code)], by=by,
        )
        added += 1
    return added


def load(*, stdout, scale: float = 1.0) -> None:
    """Training records of the demo's people who exist now (core's accounts); `scale` does not apply."""
    added = sum(train_person(user) for user in get_user_model().objects.filter(username__in=_stories(timezone.localdate())))
    stdout.write(f"  competence: {added} training records added ({TrainingRecord.objects.count()} in all)")
