"""
Demo of the QMS journey: the district and 12 of its 19 units announced conformity in 2020 (as the
district's 2020 report counted); after the 2025 merger the five new communes are at their own stages, none announced yet;
management reviews with their packs, issued and in draft. Idempotent: matched by natural keys.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from procedures_docs.demo import ADDED_LATER
from qms.core.demo import ANNOUNCED_2020, DISTRICT_CODE
from qms.core.models import QmsStatus, Unit, UnitQmsStatus
from recognition.models import ConformityAnnouncement, ManagementReview, ReviewActionKind
from recognition.selectors import unit_procedures
from recognition.services import announcement_record, review_action_add, review_create, review_issue_minutes

D = datetime.date
#: Which announced units announced before the later TTHC came into their scope (demo's choice): their
#: procedures now cover them, so the page of their announcement asks for a re-announcement.
ANNOUNCED_BEFORE_ADDITIONS = {"07243", "07252", "07264"}

PARTICIPANTS = (
    "Trần Văn Minh – Phó Chủ tịch UBND, chủ trì\n"
    "Nguyễn Thị Hoa – thư ký ISO\n"
    "Lê Quang Huy – chuyên gia đánh giá nội bộ\n"
    "Công chức các bộ phận chuyên môn"
)


def _announce(unit: Unit, on: datetime.date, number: str, signer: str, *, leave_out=frozenset(), by=None) -> None:
    if ConformityAnnouncement.objects.filter(unit=unit, decision_number=number).exists():
        return
    procedures = [p for p in unit_procedures(unit, on) if p.code not in leave_out]
    # The 2020 announcements predate the records the readiness check reads (they start in 2024).
    announcement_record(unit=unit, announced_on=on, decision_number=number, signer_name=signer,
                        procedures=procedures, gaps_confirmed=True, by=by)


def _status(unit: Unit, since: datetime.date, status: QmsStatus, note: str = "") -> None:
    UnitQmsStatus.objects.get_or_create(unit=unit, since=since, status=status, defaults={"note": note})


def _review(unit: Unit, held_on: datetime.date, *, chair, officer, conclusions: str, actions, issue: bool) -> None:
    if ManagementReview.objects.filter(unit=unit, held_on=held_on).exists():
        return
    review = review_create(
        unit=unit, held_on=held_on, chair=chair, chair_title="Phó Chủ tịch UBND", participants=PARTICIPANTS,
        risks_and_opportunities=(
            "Rủi ro: hồ sơ đất đai quá hạn do phải xác minh nguồn gốc đất.\n"
            "Cơ hội: mở rộng nộp hồ sơ trực tuyến toàn trình đối với thủ tục hộ tịch."
        ),
        by=officer,
    )
    review.conclusions = conclusions
    review.save()
    for kind, text, owner, due, done, result in actions:
        action = review_action_add(review=review, kind=kind, description=text, owner=owner, due_on=due, by=officer)
        if done:
            action.done_on, action.result = done, result
            action.save()
    if issue:
        review_issue_minutes(review=review, by=officer)


def load(*, stdout, scale: float = 1.0) -> None:
    User = get_user_model()
    officer, leader = User.objects.get(username="qlcl"), User.objects.get(username="lanhdao")
    units = {u.code: u for u in Unit.objects.all()}

    _announce(units[DISTRICT_CODE], D(2020, 2, 20), "35/QĐ-UBND", "Hoàng Văn Thắng", by=officer)
    for code in sorted(ANNOUNCED_2020):
        leave_out = ADDED_LATER if code in ANNOUNCED_BEFORE_ADDITIONS else frozenset()
        _announce(units[code], D(2020, 6, 10), f"{int(code[-3:])}/QĐ-UBND", "Chủ tịch UBND (demo)", leave_out=leave_out, by=officer)

    # After the merger each new commune rebuilds its QMS at its own pace.
    # Xã Yên Thế applies its rebuilt system and prepares to announce once its first internal audit (under
    # way now) is reported; no successor commune has announced yet.
    _status(units["BN-YENTHE"], D(2025, 10, 1), QmsStatus.APPLYING)
    _status(units["BN-BOHA"], D(2026, 1, 5), QmsStatus.APPLYING)
    _status(units["BN-XUANLUONG"], D(2026, 6, 1), QmsStatus.APPLYING)

    _review(
        units[DISTRICT_CODE], D(2024, 12, 20), chair=leader, officer=officer, issue=True,
        conclusions="Hệ thống quản lý chất lượng được duy trì và có hiệu lực; cần giảm hồ sơ đất đai quá hạn.",
        actions=[
            (ReviewActionKind.IMPROVEMENT, "Rà soát, rút ngắn thời gian xác minh hồ sơ đất đai", officer, D(2025, 3, 31), D(2025, 3, 20), "Đã ban hành quy trình nội bộ sửa đổi."),
            (ReviewActionKind.QMS_CHANGE, "Cập nhật quy trình theo Luật Đất đai năm 2024", officer, D(2025, 2, 28), None, ""),
            (ReviewActionKind.RESOURCE, "Bổ sung máy quét cho Bộ phận Một cửa các xã", leader, D(2025, 6, 30), None, ""),
        ],
    )
    for code in sorted(ANNOUNCED_2020)[:8]:
        _review(units[code], D(2024, 11, 25), chair=leader, officer=officer, issue=True,
                conclusions="Duy trì hệ thống; tiếp tục nâng tỷ lệ hồ sơ trực tuyến.",
                actions=[(ReviewActionKind.IMPROVEMENT, "Hướng dẫn người dân nộp hồ sơ trực tuyến", officer, D(2025, 4, 30), D(2025, 4, 15), "Đã bố trí 01 công chức hướng dẫn tại quầy.")])
    _review(
        units["BN-YENTHE"], D(2026, 2, 10), chair=leader, officer=officer, issue=True,
        conclusions="Hệ thống sau sắp xếp đã vận hành ổn định; tổ chức đánh giá nội bộ toàn bộ hệ thống trước khi công bố phù hợp.",
        actions=[
            (ReviewActionKind.QMS_CHANGE, "Ban hành lại chính sách, mục tiêu chất lượng của xã mới", officer, D(2026, 3, 10), D(2026, 3, 5), "Đã ban hành."),
            (ReviewActionKind.RESOURCE, "Đào tạo chuyên gia đánh giá nội bộ cho công chức mới", leader, D(2026, 9, 30), None, ""),
        ],
    )
    _review(
        units["BN-BOHA"], D(2026, 11, 20), chair=leader, officer=officer, issue=False,
        conclusions="", actions=[(ReviewActionKind.IMPROVEMENT, "Rà soát danh mục TTHC sau sắp xếp", officer, D(2026, 12, 31), None, "")],
    )
    stdout.write(
        f"  recognition: {ConformityAnnouncement.objects.count()} announcements, "
        f"{ManagementReview.objects.count()} management reviews"
    )
