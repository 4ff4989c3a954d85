"""The management review reads the registers: 9.3.2 b) context changes and e) the actions on risks."""

import datetime

from qms.core.roles import Role
from qms.risks.models import ContextIssue, IssueCategory, IssueDirection
from qms.risks.services import context_issue_save, risk_action_complete, risk_action_review
from recognition.inputs import gather_review_inputs
from recognition.services import review_create
from tests.risks.helpers import make_action, make_risk

D = datetime.date


def _section(review, key):
    return next(s for s in gather_review_inputs(review)["sections"] if s["key"] == key)


def test_the_review_shows_the_actions_and_their_effectiveness(units, make_user):
    unit = units["BN-BOHA"]
    officer = make_user(Role.QUALITY_OFFICER, unit)
    land = make_risk(unit, officer, likelihood=4, impact=4, title="Hồ sơ đất đai trễ hạn", assessed_on=D(2026, 1, 5))
    done = make_action(land, officer, due_on=D(2026, 3, 1), description="Phối hợp địa chính xác minh sớm")
    risk_action_complete(action=done, by=officer, done_on=D(2026, 2, 20), result="Đã có quy chế phối hợp")
    risk_action_review(action=done, by=officer, effective=True, note="Hồ sơ đúng hạn tăng", on=D(2026, 3, 10))
    make_risk(unit, officer, likelihood=5, impact=3, title="Một cửa chỉ có một người", assessed_on=D(2026, 1, 5))
    review = review_create(unit=unit, held_on=D(2026, 6, 1), risks_and_opportunities="Thảo luận thêm về chuyển đổi số.",
                           period_from=D(2026, 1, 1), period_to=D(2026, 5, 31))
    section = _section(review, "risks")
    assert section["rows"] == [["Hồ sơ đất đai trễ hạn", "Phối hợp địa chính xác minh sớm", "20/02/2026", "có hiệu lực: Hồ sơ đúng hạn tăng"]]
    summary = " ".join(section["summary"])
    assert "1 biện pháp xử lý rủi ro và cơ hội đã hoàn thành: 1 có hiệu lực, 0 không có hiệu lực, 0 chưa xem xét" in summary
    assert "2 rủi ro cao còn mở cuối kỳ, 1 rủi ro trong số đó chưa có biện pháp xử lý." in summary
    assert "Một cửa chỉ có một người" in summary
    assert section["summary"][-2:] == ["Ghi chú bổ sung:", "Thảo luận thêm về chuyển đổi số."]


def test_a_review_after_the_period_does_not_count(units, make_user):
    unit = units["BN-BOHA"]
    officer = make_user(Role.QUALITY_OFFICER, unit)
    action = make_action(make_risk(unit, officer, assessed_on=D(2026, 1, 5)), officer, due_on=D(2026, 3, 1))
    risk_action_complete(action=action, by=officer, done_on=D(2026, 2, 20), result="Xong")
    risk_action_review(action=action, by=officer, effective=False, note="", on=D(2026, 7, 1))
    review = review_create(unit=unit, held_on=D(2026, 6, 1), period_from=D(2026, 1, 1), period_to=D(2026, 5, 31))
    assert _section(review, "risks")["rows"][0][-1] == "chưa xem xét"


def test_the_review_lists_changes_of_the_context(units, make_user):
    unit = units["BN-BOHA"]
    context_issue_save(issue=ContextIssue(unit=unit, direction=IssueDirection.EXTERNAL, category=IssueCategory.LEGAL,
                                          description="Luật Đất đai 2024 có hiệu lực"))
    today = datetime.date.today()
    review = review_create(unit=unit, held_on=today, period_from=today - datetime.timedelta(days=30), period_to=today)
    section = _section(review, "context_changes")
    assert section["rows"][0][1:] == ["Vấn đề bối cảnh", "thêm mới", "Luật Đất đai 2024 có hiệu lực"]
    other = review_create(unit=units["BN-YENTHE"], held_on=today, period_from=today - datetime.timedelta(days=30), period_to=today)
    assert _section(other, "context_changes")["rows"] == []
