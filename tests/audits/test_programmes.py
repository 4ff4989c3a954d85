"""Audit programme: approval by a leader (who, when), locked afterwards, created from last year's."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audits import services
from audits.models import Audit, AuditProgramme, AuditStatus, ChecklistResult, ProgrammeStatus
from tests.audits.factories import clauses, make_audit, make_programme, start_audit

pytestmark = pytest.mark.django_db


def test_a_leader_approves_and_the_programme_is_then_locked(programme_2024, audit_2024, people):
    programme = services.programme_approve(programme=programme_2024, by=people.leader)
    assert programme.status == ProgrammeStatus.APPROVED and programme.approved_by == people.leader
    assert programme.approved_at is not None
    programme.objectives = "Khác"
    with pytest.raises(ValidationError, match="Chương trình đã được phê duyệt: không thể thay đổi nội dung"):
        services.programme_save(programme=programme, units=programme.units.all(), by=people.qo)
    with pytest.raises(ValidationError, match="đã được phê duyệt"):
        services.programme_approve(programme=programme, by=people.leader)


def test_an_empty_programme_is_not_approved(programme_2024, people):
    with pytest.raises(ValidationError, match="chưa có cuộc đánh giá nào"):
        services.programme_approve(programme=programme_2024, by=people.leader)


def test_database_refuses_approval_without_who_and_when(programme_2024):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditProgramme.objects.filter(pk=programme_2024.pk).update(status=ProgrammeStatus.APPROVED)


def test_copy_from_last_year_moves_dates_and_resets_statuses(programme_2024, audit_2024, people, units):
    other = make_audit(programme=programme_2024, unit=units["07294"], by=people.qo, lead=people.auditor,
                       start=datetime.date(2024, 2, 29), clause_numbers=("9.2", "10.2"))
    start_audit(audit_2024, by=people.auditor)
    for item in audit_2024.checklist.all():
        services.checklist_item_record(item=item, result=ChecklistResult.CONFORMS, by=people.auditor)
    services.audit_report(audit=audit_2024, conclusion="Phù hợp", by=people.auditor, on=datetime.date(2024, 5, 11))
    services.programme_approve(programme=programme_2024, by=people.leader)

    copy = services.programme_copy(source=programme_2024, by=people.qo)
    assert copy.year == 2025 and copy.title == "Chương trình đánh giá nội bộ năm 2025"
    assert copy.status == ProgrammeStatus.DRAFT and copy.approved_by is None and copy.copied_from == programme_2024
    assert copy.objectives == programme_2024.objectives and copy.criteria == programme_2024.criteria
    assert set(copy.units.all()) == set(programme_2024.units.all())
    audits = {a.unit.code: a for a in copy.audits.all()}
    assert audits.keys() == {"07288", "07294"}
    moved = audits["07288"]
    assert (moved.planned_start, moved.planned_end) == (datetime.date(2025, 5, 10), datetime.date(2025, 5, 11))
    assert moved.status == AuditStatus.PLANNED and moved.actual_start is None and moved.actual_end is None
    assert moved.lead_auditor is None and not moved.auditors.exists() and not moved.checklist.exists()
    assert set(moved.clauses.all()) == set(audit_2024.clauses.all())
    assert audits["07294"].planned_start == datetime.date(2025, 2, 28), "29 February becomes the 28th"
    assert set(audits["07294"].clauses.all()) == set(other.clauses.all())
    # The source is untouched.
    audit_2024.refresh_from_db()
    assert audit_2024.status == AuditStatus.REPORTED and programme_2024.audits.count() == 2
    with pytest.raises(ValidationError, match="đã có chương trình"):
        services.programme_copy(source=programme_2024, by=people.qo)


def test_copy_replaces_merged_units_by_their_successor_once(people, units):
    """2025's programme copied to 2026: three communes merged into Xã Xuân Lương are audited as one."""
    programme = make_programme(year=2025, units=[units[c] for c in ("07243", "07246", "07249")], by=people.qo)
    for code, month in (("07243", 3), ("07246", 4), ("07249", 5)):
        make_audit(programme=programme, unit=units[code], by=people.qo, start=datetime.date(2025, month, 10))
    copy = services.programme_copy(source=programme, by=people.qo)
    assert [a.unit.code for a in copy.audits.all()] == ["BN-XUANLUONG"]
    assert copy.audits.get().planned_start == datetime.date(2026, 3, 10)
    assert [u.code for u in copy.units.all()] == ["BN-XUANLUONG"]


def test_audit_unit_must_be_in_the_programme(programme_2024, people, units):
    with pytest.raises(ValidationError):
        services.audit_save(
            audit=Audit(programme=programme_2024, unit=units["07273"], planned_start=datetime.date(2024, 3, 1),
                        planned_end=datetime.date(2024, 3, 1)),
            clauses=clauses("7.5"), by=people.qo,
        )
