"""Met / expiring / missing to the day, the computed expiry, withdrawal, and the service's rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from qms.competence import services
from qms.competence.models import INTERNAL_AUDITOR, ISO_AWARENESS, CompetenceRequirement, TrainingRecord
from qms.competence.selectors import EXPIRING, MET, MISSING, competence_matrix
from qms.core.roles import Role
from tests.competence.factories import train

pytestmark = pytest.mark.django_db

D = datetime.date


def requirement(code):
    return CompetenceRequirement.objects.get(code=code)


def status(unit, user, code, on):
    matrix = competence_matrix(unit, on)
    row = next(r for r in matrix.rows if r.person == user)
    cell = row.cells.get(requirement(code).pk)
    return cell.status if cell else None


def test_the_defaults_are_seeded_per_role():
    auditor = requirement(INTERNAL_AUDITOR)
    assert auditor.name == "Chứng chỉ đánh giá viên nội bộ ISO 9001"
    assert auditor.validity_months == 36
    assert [g.name for g in auditor.roles.all()] == [Role.AUDITOR.value]
    assert Role.UNIT_STAFF.value in {g.name for g in requirement(ISO_AWARENESS).roles.all()}
    assert Role.UNIT_STAFF.value in {g.name for g in requirement("unit-procedures").roles.all()}


def test_computed_expiry_is_the_day_before_the_anniversary():
    assert services.computed_expiry(completed_on=D(2024, 3, 15), requirements=[requirement(INTERNAL_AUDITOR)]) == D(2027, 3, 14)
    assert services.computed_expiry(completed_on=D(2024, 3, 15), requirements=[requirement(ISO_AWARENESS)]) is None


def test_met_expiring_missing_to_the_day(units, make_user, settings):
    settings.QMS_COMPETENCE_EXPIRING_DAYS = 60
    unit = units["BN-BOHA"]
    auditor = make_user(Role.AUDITOR, unit, certified=False)
    train(auditor, INTERNAL_AUDITOR, unit=unit, completed_on=D(2024, 1, 10), expires_on=D(2026, 12, 31))
    assert status(unit, auditor, INTERNAL_AUDITOR, D(2024, 1, 9)) == MISSING  # not yet trained
    assert status(unit, auditor, INTERNAL_AUDITOR, D(2024, 1, 10)) == MET
    assert status(unit, auditor, INTERNAL_AUDITOR, D(2026, 10, 31)) == MET  # valid 61 more days
    assert status(unit, auditor, INTERNAL_AUDITOR, D(2026, 11, 1)) == EXPIRING  # valid 60 more days
    assert status(unit, auditor, INTERNAL_AUDITOR, D(2026, 12, 31)) == EXPIRING  # the last valid day
    assert status(unit, auditor, INTERNAL_AUDITOR, D(2027, 1, 1)) == MISSING


def test_the_setting_moves_the_expiring_window(units, make_user, settings):
    unit = units["BN-BOHA"]
    auditor = make_user(Role.AUDITOR, unit, certified=False)
    train(auditor, INTERNAL_AUDITOR, unit=unit, completed_on=D(2024, 1, 10), expires_on=D(2026, 12, 31))
    settings.QMS_COMPETENCE_EXPIRING_DAYS = 10
    assert status(unit, auditor, INTERNAL_AUDITOR, D(2026, 12, 20)) == MET
    assert status(unit, auditor, INTERNAL_AUDITOR, D(2026, 12, 21)) == EXPIRING


def test_a_later_certificate_replaces_an_expiring_one(units, make_user):
    unit = units["BN-BOHA"]
    auditor = make_user(Role.AUDITOR, unit, certified=False)
    train(auditor, INTERNAL_AUDITOR, unit=unit, completed_on=D(2024, 1, 10), expires_on=D(2026, 12, 31))
    train(auditor, INTERNAL_AUDITOR, unit=unit, completed_on=D(2026, 11, 20), expires_on=D(2029, 11, 19))
    assert status(unit, auditor, INTERNAL_AUDITOR, D(2026, 12, 1)) == MET


def test_a_requirement_of_another_role_is_not_in_the_persons_row(units, make_user):
    unit = units["BN-BOHA"]
    staff = make_user(Role.UNIT_STAFF, unit)
    assert status(unit, staff, INTERNAL_AUDITOR, D(2026, 1, 1)) is None
    assert status(unit, staff, ISO_AWARENESS, D(2026, 1, 1)) == MISSING
    train(staff, ISO_AWARENESS, unit=unit, completed_on=D(2025, 5, 1))
    assert status(unit, staff, ISO_AWARENESS, D(2026, 1, 1)) == MET  # no validity: never expiring


def test_a_withdrawn_record_stops_counting_from_its_day(units, make_user):
    unit = units["BN-BOHA"]
    qo = make_user(Role.QUALITY_OFFICER, unit)
    auditor = make_user(Role.AUDITOR, unit, certified=False)
    record = train(auditor, INTERNAL_AUDITOR, unit=unit, completed_on=D(2024, 1, 10))
    with pytest.raises(ValidationError) as exc:
        services.training_record_withdraw(record=record, reason=" ", by=qo, on=D(2025, 6, 1))
    assert "Hãy nêu lý do thu hồi." in exc.value.messages
    services.training_record_withdraw(record=record, reason="Chứng chỉ cấp nhầm người", by=qo, on=D(2025, 6, 1))
    assert status(unit, auditor, INTERNAL_AUDITOR, D(2025, 5, 31)) == MET
    assert status(unit, auditor, INTERNAL_AUDITOR, D(2025, 6, 1)) == MISSING
    record.refresh_from_db()
    assert TrainingRecord.objects.filter(pk=record.pk).exists()  # kept
    assert [h.withdrawn_on for h in record.history.order_by("history_id")] == [None, D(2025, 6, 1)]
    assert record.history.latest().history_user == qo
    with pytest.raises(ValidationError) as exc:
        services.training_record_withdraw(record=record, reason="lần nữa", by=qo)
    assert "Hồ sơ đã được thu hồi." in exc.value.messages


def test_the_service_computes_the_expiry_and_checks_the_person(units, make_user):
    unit = units["BN-BOHA"]
    qo = make_user(Role.QUALITY_OFFICER, unit)
    auditor = make_user(Role.AUDITOR, unit, certified=False, first_name="Thu", last_name="Đỗ Thị")
    record = services.training_record_save(
        record=TrainingRecord(person=auditor, unit=unit, course="Đánh giá viên nội bộ", completed_on=D(2024, 3, 15)),
        requirements=[requirement(INTERNAL_AUDITOR)], by=qo,
    )
    assert record.expires_on == D(2027, 3, 14)
    assert record.recorded_by == qo
    record.completed_on = D(2024, 4, 1)  # a typing error corrected: the computed expiry follows
    record = services.training_record_save(record=record, requirements=[requirement(INTERNAL_AUDITOR)], by=qo)
    assert record.expires_on == D(2027, 3, 31)
    record.expires_on = D(2026, 12, 31)  # typed from the certificate: kept when the date changes
    record = services.training_record_save(record=record, requirements=[requirement(INTERNAL_AUDITOR)], by=qo)
    record.completed_on = D(2024, 4, 2)
    record = services.training_record_save(record=record, requirements=[requirement(INTERNAL_AUDITOR)], by=qo)
    assert record.expires_on == D(2026, 12, 31)
    with pytest.raises(ValidationError) as exc:
        services.training_record_save(
            record=TrainingRecord(person=auditor, unit=units["BN-TAMTIEN"], course="x", completed_on=D(2024, 3, 15)),
            requirements=[requirement("unit-procedures")], by=qo,
        )
    assert exc.value.message_dict["person"] == ["Đỗ Thị Thu không công tác tại Xã Tam Tiến."]
    assert exc.value.message_dict["requirements"] == [
        "“Nắm quy trình của đơn vị” được đáp ứng bằng việc đọc các quy trình của đơn vị, không bằng hồ sơ đào tạo."]
