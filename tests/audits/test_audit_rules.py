"""Audit plan and status rules: impartiality (ISO 9.2.2 c), dates, planned → in progress → reported → closed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audits import services
from audits.models import Audit, AuditStatus, ChecklistResult, FindingKind, NcStatus
from tests.audits.factories import clauses, make_audit, record_nc_finding, start_audit

pytestmark = pytest.mark.django_db


def messages(exc_info):
    return " ".join(exc_info.value.messages)


def test_an_auditor_cannot_be_on_the_team_of_a_unit_they_are_a_member_of(programme_now, people, units, recent):
    with pytest.raises(ValidationError) as exc:
        make_audit(programme=programme_now, unit=units["BN-BOHA"], by=people.qo, lead=people.auditor_boha, start=recent)
    assert "Đỗ Thị Thu là thành viên của Xã Bố Hạ nên không được đánh giá đơn vị này (ISO 9001, 9.2.2 c)." in messages(exc)
    assert exc.value.error_dict.keys() == {"lead_auditor"}
    # …nor as a team member under another lead.
    with pytest.raises(ValidationError) as exc:
        make_audit(programme=programme_now, unit=units["BN-BOHA"], by=people.qo, lead=people.auditor,
                   team=[people.auditor_boha], start=recent)
    assert exc.value.error_dict.keys() == {"auditors"}
    assert not Audit.objects.filter(unit=units["BN-BOHA"]).exists()


def test_cross_auditing_another_commune_is_allowed(audit_now, people):
    assert audit_now.lead_auditor == people.auditor_boha


def test_a_district_member_may_audit_a_commune_below_it(audit_2024, people):
    """Membership of the district does not disqualify from auditing its communes."""
    assert audit_2024.lead_auditor == people.auditor


def test_a_member_of_the_units_one_stop_office_cannot_audit_the_unit(programme_now, people, units, recent, make_user):
    from qms.core.models import Unit, UnitKind
    from qms.core.roles import Role

    office = Unit.objects.create(code="BN-BOHA-MC", name="Bộ phận Một cửa xã Bố Hạ", kind=UnitKind.OFFICE,
                                 parent=units["BN-BOHA"], valid_from=datetime.date(2025, 7, 1))
    office_auditor = make_user(Role.AUDITOR, office, first_name="Hà", last_name="Vũ Thị")
    with pytest.raises(ValidationError, match="Vũ Thị Hà là thành viên của Xã Bố Hạ"):
        make_audit(programme=programme_now, unit=units["BN-BOHA"], by=people.qo, lead=office_auditor, start=recent)
    # The office's auditor may still audit another commune.
    assert make_audit(programme=programme_now, unit=units["BN-YENTHE"], by=people.qo, lead=office_auditor, start=recent).pk


def test_team_members_must_be_auditors(programme_now, people, units, recent):
    with pytest.raises(ValidationError) as exc:
        make_audit(programme=programme_now, unit=units["BN-YENTHE"], by=people.qo, lead=people.staff_boha, start=recent)
    assert "Hoàng Văn Nam không phải là chuyên gia đánh giá nội bộ." in messages(exc)


def test_impartiality_is_checked_again_when_the_audit_starts(audit_now, people, units):
    from qms.core.models import Membership

    Membership.objects.create(user=people.auditor_boha, unit=units["BN-YENTHE"])  # moved to the audited commune
    with pytest.raises(ValidationError, match="không được đánh giá"):
        start_audit(audit_now, by=people.auditor_boha)
    audit_now.refresh_from_db()
    assert audit_now.status == AuditStatus.PLANNED


def test_audit_dates_stay_within_the_programme_year_and_the_units_life(programme_2024, people, units):
    with pytest.raises(ValidationError, match="trong năm của chương trình \\(2024\\)"):
        make_audit(programme=programme_2024, unit=units["07288"], by=people.qo, start=datetime.date(2025, 1, 5))
    programme_2024.units.add(units["BN-YENTHE"])
    with pytest.raises(ValidationError, match="Xã Yên Thế không tồn tại vào ngày 10/05/2024"):
        make_audit(programme=programme_2024, unit=units["BN-YENTHE"], by=people.qo)
    with pytest.raises(ValidationError, match="Xã Đông Sơn không thuộc phạm vi của chương trình"):
        make_audit(programme=programme_2024, unit=units["07273"], by=people.qo)


def test_the_database_refuses_an_end_before_the_start(audit_2024):
    with pytest.raises(IntegrityError), transaction.atomic():
        Audit.objects.filter(pk=audit_2024.pk).update(planned_end=datetime.date(2024, 1, 1))


def test_the_database_refuses_a_started_audit_without_a_start_date(audit_2024):
    with pytest.raises(IntegrityError), transaction.atomic():
        Audit.objects.filter(pk=audit_2024.pk).update(status=AuditStatus.IN_PROGRESS)


def test_status_order_planned_in_progress_reported_closed(audit_2024, people):
    with pytest.raises(ValidationError, match="Chỉ đóng được cuộc đánh giá đã báo cáo"):
        services.audit_close(audit=audit_2024, by=people.qo, on=datetime.date(2024, 6, 1))
    with pytest.raises(ValidationError, match="không ở trạng thái đang đánh giá"):
        services.audit_report(audit=audit_2024, conclusion="Phù hợp", by=people.auditor, on=datetime.date(2024, 5, 11))
    audit = start_audit(audit_2024, by=people.auditor)
    assert audit.status == AuditStatus.IN_PROGRESS and audit.actual_start == datetime.date(2024, 5, 10)
    assert audit.checklist.count() > 0, "starting generates the checklist from the question bank"
    with pytest.raises(ValidationError, match="Chỉ bắt đầu được cuộc đánh giá đang ở trạng thái kế hoạch"):
        start_audit(audit, by=people.auditor)
    with pytest.raises(ValidationError, match=r"\d+ câu hỏi trong danh mục kiểm tra chưa có kết quả"):
        services.audit_report(audit=audit, conclusion="Phù hợp", by=people.auditor, on=datetime.date(2024, 5, 11))
    for item in audit.checklist.all():
        services.checklist_item_record(item=item, result=ChecklistResult.CONFORMS, by=people.auditor)
    with pytest.raises(ValidationError, match="Ghi kết luận"):
        services.audit_report(audit=audit, conclusion=" ", by=people.auditor, on=datetime.date(2024, 5, 11))
    with pytest.raises(ValidationError, match="trước ngày bắt đầu"):
        services.audit_report(audit=audit, conclusion="Phù hợp", by=people.auditor, on=datetime.date(2024, 5, 1))
    audit = services.audit_report(audit=audit, conclusion="Hệ thống phù hợp", by=people.auditor, on=datetime.date(2024, 5, 11))
    assert audit.status == AuditStatus.REPORTED
    with pytest.raises(ValidationError, match="đã báo cáo: không thể thay đổi kế hoạch"):
        services.audit_save(audit=audit, clauses=clauses("7.5"), by=people.qo)
    audit = services.audit_close(audit=audit, by=people.qo, on=datetime.date(2024, 6, 1))
    assert audit.status == AuditStatus.CLOSED and audit.closed_on == datetime.date(2024, 6, 1)


def test_an_audit_cannot_start_without_a_lead_or_clauses(programme_2024, people, units):
    audit = make_audit(programme=programme_2024, unit=units["07294"], by=people.qo, lead=None)
    with pytest.raises(ValidationError, match="Chỉ định trưởng đoàn"):
        start_audit(audit, by=people.qo)
    audit = make_audit(programme=programme_2024, unit=units["07243"], by=people.qo, lead=people.auditor, clause_numbers=())
    with pytest.raises(ValidationError, match="Chọn các điều khoản"):
        start_audit(audit, by=people.auditor)


def test_a_nonconformity_answer_needs_its_finding_before_the_report(audit_2024, people):
    audit = start_audit(audit_2024, by=people.auditor)
    items = list(audit.checklist.all())
    for item in items:
        services.checklist_item_record(item=item, result=ChecklistResult.CONFORMS, by=people.auditor)
    services.checklist_item_record(item=items[1], result=ChecklistResult.NONCONFORMITY, by=people.auditor)
    with pytest.raises(ValidationError, match="Câu hỏi số 2 được đánh dấu không phù hợp nhưng chưa có phát hiện"):
        services.audit_report(audit=audit, conclusion="Có điểm KPH", by=people.auditor, on=datetime.date(2024, 5, 11))
    record_nc_finding(audit, by=people.auditor, item=items[1])
    services.audit_report(audit=audit, conclusion="Có điểm KPH", by=people.auditor, on=datetime.date(2024, 5, 11))


def test_a_nonconformity_finding_opens_its_nonconformity_in_the_same_step(audit_2024, people, units):
    audit = start_audit(audit_2024, by=people.auditor)
    item = audit.checklist.first()
    finding = record_nc_finding(audit, by=people.auditor, item=item, kind=FindingKind.MAJOR_NC)
    nc = finding.nonconformity
    assert nc.status == NcStatus.OPEN and nc.unit == units["07288"] and nc.severity == "major"
    assert nc.detected_by == people.auditor and nc.detected_on == datetime.date(2024, 5, 10)
    assert nc.reference == "KPH-2024-001" and nc.clause == item.clause
    assert nc.due_on == datetime.date(2024, 5, 25), "a major nonconformity is due in 15 days by default"
    item.refresh_from_db()
    assert item.result == ChecklistResult.NONCONFORMITY
    observation = services.finding_record(audit=audit, kind=FindingKind.GOOD_PRACTICE, clause=item.clause,
                                          statement="Niêm yết TTHC đầy đủ", by=people.auditor, on=audit.actual_start)
    assert not hasattr(observation, "nonconformity") or observation.nonconformity is None


def test_a_failed_nonconformity_leaves_no_finding_behind(audit_2024, people, monkeypatch):
    """One transaction: if opening the nonconformity fails, the finding is not kept either."""
    audit = start_audit(audit_2024, by=people.auditor)

    def boom(**kwargs):
        raise ValidationError("boom")

    monkeypatch.setattr(services, "nonconformity_open", boom)
    with pytest.raises(ValidationError):
        record_nc_finding(audit, by=people.auditor)
    assert not audit.findings.exists()


def test_findings_only_while_the_audit_is_in_progress(audit_2024, people):
    with pytest.raises(ValidationError, match="không ở trạng thái đang đánh giá"):
        record_nc_finding(audit_2024, by=people.auditor, on=datetime.date(2024, 5, 10), item=None)


def test_checklist_from_the_question_bank_covers_sub_clauses(audit_2024, people):
    items = services.checklist_generate(audit=audit_2024, by=people.qo)
    numbers = {item.clause.number for item in items}
    assert {"7.5", "7.5.2", "7.5.3", "8.5.1"} <= numbers
    assert all(n.startswith(("7.5", "8.5")) for n in numbers)
    assert [item.position for item in items] == list(range(1, len(items) + 1))


def test_checklist_copied_from_the_units_previous_audit_even_before_a_merger(audit_2024, people, units, recent):
    """Xã Yên Thế's first audit copies the questions of Phồn Xương's, the unit it succeeded."""
    start_audit(audit_2024, by=people.auditor)
    first = audit_2024.checklist.first()
    first.question = "Câu hỏi riêng của lần đánh giá trước"
    first.save()
    from tests.audits.factories import make_programme

    programme = make_programme(year=recent.year, units=[units["BN-YENTHE"]], by=people.qo, title="Chương trình sau sáp nhập")
    audit = make_audit(programme=programme, unit=units["BN-YENTHE"], by=people.qo, lead=people.auditor_boha, start=recent)
    items = services.checklist_generate(audit=audit, by=people.auditor_boha, from_previous=True)
    assert [i.question for i in items] == list(audit_2024.checklist.values_list("question", flat=True))
    assert all(i.result == "" for i in items)


def test_no_previous_audit_to_copy(audit_now, people):
    with pytest.raises(ValidationError, match="chưa có cuộc đánh giá nào trước đây"):
        services.checklist_generate(audit=audit_now, by=people.qo, from_previous=True)


def test_an_answered_checklist_is_not_regenerated(audit_2024, people):
    audit = start_audit(audit_2024, by=people.auditor)
    services.checklist_item_record(item=audit.checklist.first(), result=ChecklistResult.CONFORMS, by=people.auditor)
    with pytest.raises(ValidationError, match="đã có kết quả"):
        services.checklist_generate(audit=audit, by=people.auditor)
