"""Every change of audits, findings, nonconformities and actions is kept with its user and step."""

import datetime

import pytest

from audits import services
from audits.models import CauseCategory, ChecklistResult, HistoryStep
from audits.selectors import timeline_for_audit, timeline_for_nonconformity
from tests.audits.factories import record_nc_finding, start_audit

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def closed_nc(audit_2024, people):
    audit = start_audit(audit_2024, by=people.auditor)
    finding = record_nc_finding(audit, by=people.auditor)
    nc = finding.nonconformity
    services.nonconformity_record_correction(nc=nc, correction="Đã gửi văn bản xin lỗi", on=D(2024, 5, 13), by=people.staff)
    services.nonconformity_analyse(nc=nc, whys=["Không nắm quy định"], cause_category=CauseCategory.PEOPLE, on=D(2024, 5, 14), by=people.staff)
    action = services.corrective_action_add(nc=nc, description="Tập huấn", responsible=people.staff, due_on=D(2024, 6, 1), by=people.staff)
    services.corrective_action_complete(action=action, done_on=D(2024, 5, 30), evidence="Biên bản tập huấn", by=people.staff)
    nc.refresh_from_db()
    services.nonconformity_verify(nc=nc, effective=True, on=D(2024, 7, 1), by=people.qo)
    return nc


def test_each_step_is_a_history_row_with_its_user(closed_nc, people):
    rows = list(closed_nc.history.order_by("history_date", "history_id"))
    assert [(r.history_change_reason, r.history_user) for r in rows] == [
        (HistoryStep.NC_OPENED, people.auditor),
        (HistoryStep.NC_CORRECTION, people.staff),
        (HistoryStep.NC_ANALYSED, people.staff),
        (HistoryStep.NC_ACTIONS_PLANNED, people.staff),
        (HistoryStep.NC_AWAITING_VERIFICATION, people.staff),
        (HistoryStep.NC_CLOSED, people.qo),
    ]
    action = closed_nc.actions.get()
    assert [(r.history_change_reason, r.history_user) for r in action.history.order_by("history_date", "history_id")] == [
        (HistoryStep.ACTION_ADDED, people.staff), (HistoryStep.ACTION_DONE, people.staff),
    ]


def test_the_nonconformity_timeline_reads_as_the_story(closed_nc, people):
    entries = timeline_for_nonconformity(closed_nc)
    steps = [(e.step_label, e.user_name) for e in entries]
    assert steps == [
        ("Ghi nhận phát hiện", "Lê Quang Huy"),
        ("Mở điểm không phù hợp", "Lê Quang Huy"),
        ("Ghi nhận khắc phục tức thời", "Phạm Thị Lan"),
        ("Phân tích nguyên nhân gốc rễ", "Phạm Thị Lan"),
        ("Lập kế hoạch hành động khắc phục", "Phạm Thị Lan"),
        ("Đã lập kế hoạch hành động khắc phục", "Phạm Thị Lan"),
        ("Hoàn thành hành động khắc phục", "Phạm Thị Lan"),
        ("Mọi hành động đã hoàn thành: chờ kiểm tra hiệu lực", "Phạm Thị Lan"),
        ("Kiểm tra có hiệu lực và đóng", "Nguyễn Thị Hoa"),
    ]
    closing = entries[-1]
    changes = {c.label: (c.old, c.new) for c in closing.changes}
    assert changes["Trạng thái"] == ("Chờ kiểm tra hiệu lực", "Đã đóng")
    assert changes["Có hiệu lực"] == ("", "Có")
    assert changes["Ngày kiểm tra hiệu lực"] == ("", "01/07/2024")
    assert changes["Người kiểm tra hiệu lực"] == ("", "Nguyễn Thị Hoa")
    correction = entries[2]
    assert {c.label: c.new for c in correction.changes}["Khắc phục tức thời"] == "Đã gửi văn bản xin lỗi"


def test_the_audit_timeline_shows_team_changes_and_answers(audit_2024, people):
    audit_2024.criteria = "TCVN ISO 9001:2015; quy trình nội bộ"
    services.audit_save(audit=audit_2024, auditors=[people.auditor_boha], clauses=audit_2024.clauses.all(), by=people.qo)
    audit = start_audit(audit_2024, by=people.auditor)
    services.checklist_item_record(item=audit.checklist.first(), result=ChecklistResult.CONFORMS, notes="Đủ", by=people.auditor)
    entries = timeline_for_audit(audit)
    team_change = next(e for e in entries if any(c.label == "Đoàn đánh giá" for c in e.changes))
    assert team_change.user_name == "Nguyễn Thị Hoa"
    assert {c.label: c.new for c in team_change.changes}["Đoàn đánh giá"] == "Đỗ Thị Thu"
    answer = entries[-1]
    assert answer.step_label == "Ghi kết quả câu hỏi kiểm tra" and answer.user_name == "Lê Quang Huy"
    assert {c.label: c.new for c in answer.changes}["Kết quả"] == "Phù hợp"


def test_history_rows_keep_the_request_user_through_the_admin(client, audit_2024, people):
    """Through the admin, the user comes from the request (HistoryRequestMiddleware and the service)."""
    from django.urls import reverse

    client.force_login(people.auditor)
    response = client.post(reverse("audits:start", args=[audit_2024.pk]), {"on": "10/05/2024"})
    assert response.status_code == 302
    assert audit_2024.history.latest("history_date").history_user == people.auditor
