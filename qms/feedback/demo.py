"""
Demo citizen feedback: a survey page for each of the five communes in force, and answers from
2024 (the 19 old units, collected on paper) to today. Seeded, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from qms.core.demo import MERGER_DAY, NEW_COMMUNES, OLD_UNITS
from qms.core.models import HomePage, Unit
from qms.feedback.models import CitizenFeedback, FeedbackPage
from qms.feedback.services import feedback_build

START = datetime.date(2024, 1, 1)
ANSWERS_PER_UNIT_MONTH = 12

GOOD = [
    "Cán bộ hướng dẫn tận tình, trả kết quả đúng hẹn.",
    "Thủ tục nhanh gọn, không phải đi lại nhiều lần.",
    "Nộp hồ sơ trực tuyến rất tiện, nhận kết quả sớm hơn hẹn.",
    "Phòng một cửa sạch sẽ, có chỗ ngồi chờ.",
    "",
    "",
]
NEUTRAL = ["Phải chờ khá lâu vào buổi sáng.", "Nên niêm yết thêm mẫu tờ khai đã điền sẵn.", ""]
BAD = [
    "Hồ sơ bị trả chậm so với ngày hẹn mà không được báo trước.",
    "Bị yêu cầu bổ sung giấy tờ nhiều lần, mỗi lần một loại.",
    "Cán bộ tiếp nhận chưa niềm nở.",
]


def _pages(home: HomePage) -> None:
    for code, name in NEW_COMMUNES:
        unit = Unit.objects.get(code=code)
        slug = f"y-kien-{code.lower()}"
        if FeedbackPage.objects.filter(slug=slug).exists():
            continue
        page = FeedbackPage(
            title=f"Khảo sát sự hài lòng – {name}",
            slug=slug,
            unit=unit,
            intro="<p>Xin Ông/Bà dành một phút cho biết mức độ hài lòng khi giải quyết thủ tục hành chính "
            f"tại Bộ phận Một cửa {name}. Ý kiến được gửi ẩn danh.</p>",
        )
        home.add_child(instance=page)
        page.save_revision().publish()


def _answers(unit: Unit, first: datetime.date, last: datetime.date, rng: random.Random, scale: float) -> int:
    page = FeedbackPage.objects.filter(unit=unit).first()
    answers = []
    month = first.replace(day=1)
    while month <= last:
        for _ in range(max(1, round(ANSWERS_PER_UNIT_MONTH * scale))):
            day = month + datetime.timedelta(days=rng.randrange(28))
            if not first <= day <= last:
                continue
            roll = rng.random()
            if roll < 0.62:
                rating, comment, complaint = 5, rng.choice(GOOD), False
            elif roll < 0.88:
                rating, comment, complaint = 4, rng.choice(GOOD), False
            elif roll < 0.96:
                rating, comment, complaint = 3, rng.choice(NEUTRAL), False
            else:
                rating, comment, complaint = rng.choice([1, 2]), rng.choice(BAD), rng.random() < 0.6
            at = datetime.datetime.combine(day, datetime.time(8 + rng.randrange(9), rng.randrange(60)),
                                           tzinfo=timezone.get_current_timezone())
            answers.append(feedback_build(unit=unit, page=page, rating=rating, comment=comment,
                                          is_complaint=complaint, submitted_at=at))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    CitizenFeedback.objects.bulk_create(answers)  # demo bulk: the values come from feedback_build
    return len(answers)


def load(*, stdout, scale: float = 1.0) -> None:
    _pages(HomePage.objects.get())
    today = timezone.localdate()
    created = 0
    for code, *_rest in OLD_UNITS:
        unit = Unit.objects.get(code=code)
        if not CitizenFeedback.objects.filter(unit=unit).exists():
            created += _answers(unit, START, MERGER_DAY - datetime.timedelta(days=1), random.Random(code), scale)
    for code, _name in NEW_COMMUNES:
        unit = Unit.objects.get(code=code)
        if not CitizenFeedback.objects.filter(unit=unit).exists():
            created += _answers(unit, MERGER_DAY, today, random.Random(code), scale)
    stdout.write(f"  feedback: {FeedbackPage.objects.count()} survey pages, {created} answers added")
