"""
Nonconformity status rules, in the services and in the database: open → analysed → actions planned →
awaiting verification → closed; no closing with open actions or without an effective check; no due
date before detection; not effective reopens the analysis; overdue is computed.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audits import services
from audits.models import CauseCategory, CorrectiveAction, NcSource, NcStatus, Nonconformity
from tests.audits.factories import open_nc

pytestmark = pytest.mark.django_db

D = datetime.date
ANALYSED_ON, DUE_ON, DONE_ON = D(2024, 9, 5), D(2024, 10, 15), D(2024, 10, 10)


@pytest.fixture
def nc(people, units):
    return open_nc(unit=units["07288"], by=people.qo, detected_on=D(2024, 9, 3))


def analyse(nc, by, on=ANALYSED_ON):
    return services.nonconformity_analyse(
        nc=nc, whys=["Công chức không gửi văn bản xin lỗi", "Không biết quy định", "Chưa được tập huấn"],
        cause_category=CauseCategory.PEOPLE, on=on, by=by,
    )


def add_action(nc, by, due=DUE_ON, responsible=None):
    return services.corrective_action_add(
        nc=nc, description="Tập huấn lại quy trình xử lý hồ sơ trễ hạn", responsible=responsible or by, due_on=due, by=by,
    )


def complete(action, by, on=DONE_ON):
    return services.corrective_action_complete(action=action, done_on=on, evidence="Biên bản tập huấn ngày 10/10/2024", by=by)


def test_the_whole_way_to_closed(nc, people):
    assert nc.status == NcStatus.OPEN and nc.reference == "KPH-2024-001"
    assert nc.due_on == D(2024, 10, 3), "a minor nonconformity is due in 30 days by default"
    services.nonconformity_record_correction(nc=nc, correction="Đã gọi điện xin lỗi người dân", on=D(2024, 9, 4), by=people.staff)
    analyse(nc, people.staff)
    assert nc.status == NcStatus.ANALYSED and nc.whys()[2] == "Chưa được tập huấn"
    first = add_action(nc, people.staff)
    second = add_action(nc, people.staff, due=D(2024, 10, 20))
    assert nc.status == NcStatus.ACTIONS_PLANNED
    complete(first, people.staff)
    nc.refresh_from_db()
    assert nc.status == NcStatus.ACTIONS_PLANNED, "one action is still open"
    complete(second, people.staff, on=D(2024, 10, 18))
    nc.refresh_from_db()
    assert nc.status == NcStatus.AWAITING_VERIFICATION
    services.nonconformity_verify(nc=nc, effective=True, on=D(2024, 11, 20), notes="Không còn hồ sơ trễ hạn thiếu văn bản xin lỗi", by=people.qo)
    nc.refresh_from_db()
    assert nc.status == NcStatus.CLOSED and nc.closed_on == D(2024, 11, 20) and nc.verified_by == people.qo


def test_no_actions_before_the_root_cause(nc, people):
    with pytest.raises(ValidationError, match="Ghi nguyên nhân gốc rễ trước khi lập kế hoạch hành động khắc phục"):
        add_action(nc, people.staff)


def test_the_root_cause_needs_a_why_and_a_category(nc, people):
    with pytest.raises(ValidationError, match="Nêu ít nhất câu “tại sao\\?” thứ nhất"):
        services.nonconformity_analyse(nc=nc, whys=["", "x"], cause_category=CauseCategory.PEOPLE, on=D(2024, 9, 5), by=people.staff)
    with pytest.raises(ValidationError, match="Chọn nhóm nguyên nhân"):
        services.nonconformity_analyse(nc=nc, whys=["x"], cause_category="", on=D(2024, 9, 5), by=people.staff)
    nc.refresh_from_db()
    assert nc.status == NcStatus.OPEN


def test_no_verification_while_an_action_is_open(nc, people):
    analyse(nc, people.staff)
    add_action(nc, people.staff)
    with pytest.raises(ValidationError, match="vẫn còn hành động khắc phục chưa hoàn thành"):
        services.nonconformity_verify(nc=nc, effective=True, on=D(2024, 11, 1), by=people.qo)
    with pytest.raises(ValidationError, match="chỉ được kiểm tra khi mọi hành động khắc phục đã hoàn thành"):
        services.nonconformity_verify(nc=open_nc(unit=nc.unit, by=people.qo, detected_on=D(2024, 9, 3)),
                                      effective=True, on=D(2024, 11, 1), by=people.qo)


def test_not_effective_reopens_the_analysis(nc, people):
    analyse(nc, people.staff)
    complete(add_action(nc, people.staff), people.staff)
    nc.refresh_from_db()
    services.nonconformity_verify(nc=nc, effective=False, on=D(2024, 11, 1), notes="Vẫn còn hồ sơ trễ hạn", by=people.qo)
    nc.refresh_from_db()
    assert nc.status == NcStatus.OPEN and nc.reopened_count == 1 and nc.effective is False
    assert nc.why_1, "the old analysis stays as a draft to revise"
    with pytest.raises(ValidationError, match="Ghi nguyên nhân gốc rễ"):
        add_action(nc, people.staff, due=D(2024, 12, 1))
    analyse(nc, people.staff, on=D(2024, 11, 2))
    complete(add_action(nc, people.staff, due=D(2024, 12, 1)), people.staff, on=D(2024, 11, 25))
    nc.refresh_from_db()
    assert nc.status == NcStatus.AWAITING_VERIFICATION
    services.nonconformity_verify(nc=nc, effective=True, on=D(2024, 12, 10), by=people.qo)
    assert nc.status == NcStatus.CLOSED


def test_a_new_action_moves_it_back_from_awaiting_verification(nc, people):
    analyse(nc, people.staff)
    complete(add_action(nc, people.staff), people.staff)
    nc.refresh_from_db()
    assert nc.status == NcStatus.AWAITING_VERIFICATION
    add_action(nc, people.staff, due=D(2024, 11, 30))
    assert nc.status == NcStatus.ACTIONS_PLANNED


def test_closed_is_final(nc, people):
    analyse(nc, people.staff)
    complete(add_action(nc, people.staff), people.staff)
    nc.refresh_from_db()
    services.nonconformity_verify(nc=nc, effective=True, on=D(2024, 11, 1), by=people.qo)
    for attempt in (
        lambda: add_action(nc, people.staff),
        lambda: services.nonconformity_record_correction(nc=nc, correction="x", on=D(2024, 11, 2), by=people.staff),
        lambda: services.nonconformity_verify(nc=nc, effective=True, on=D(2024, 11, 2), by=people.qo),
    ):
        with pytest.raises(ValidationError):
            attempt()
    with pytest.raises(ValidationError, match="Điểm không phù hợp đã đóng"):
        add_action(nc, people.staff)


def test_no_due_date_before_detection(people, units, nc):
    with pytest.raises(ValidationError, match="Hạn hoàn thành trước ngày phát hiện \\(03/09/2024\\)"):
        open_nc(unit=units["07288"], by=people.qo, detected_on=D(2024, 9, 3), due_on=D(2024, 9, 1))
    analyse(nc, people.staff)
    with pytest.raises(ValidationError, match="Hạn hoàn thành trước ngày phát hiện"):
        add_action(nc, people.staff, due=D(2024, 9, 2))
    with pytest.raises(ValidationError, match="trước ngày phát hiện"):
        services.nonconformity_record_correction(nc=nc, correction="x", on=D(2024, 9, 1), by=people.staff)


def test_no_dates_in_the_future(nc, people, today):
    with pytest.raises(ValidationError, match="Ngày không được ở tương lai"):
        services.nonconformity_record_correction(nc=nc, correction="x", on=today + datetime.timedelta(days=1), by=people.staff)


# --- the same rules, in the database ---------------------------------------------------------


def test_database_refuses_a_due_date_before_detection(nc):
    with pytest.raises(IntegrityError), transaction.atomic():
        Nonconformity.objects.filter(pk=nc.pk).update(due_on=D(2024, 1, 1))


def test_database_refuses_an_action_due_before_detection(nc, people):
    analyse(nc, people.staff)
    with pytest.raises(IntegrityError, match="audits_action_due_not_before_detection"), transaction.atomic():
        CorrectiveAction.objects.create(nonconformity=nc, description="x", responsible=people.staff, due_on=D(2024, 9, 1))
    action = add_action(nc, people.staff)
    with pytest.raises(IntegrityError, match="audits_action_due_not_before_detection"), transaction.atomic():
        CorrectiveAction.objects.filter(pk=action.pk).update(due_on=D(2024, 9, 1))
    with pytest.raises(IntegrityError, match="audits_action_due_not_before_detection"), transaction.atomic():
        Nonconformity.objects.filter(pk=nc.pk).update(detected_on=D(2024, 10, 20), due_on=D(2024, 10, 30))


def test_database_refuses_closing_with_an_open_action(nc, people):
    analyse(nc, people.staff)
    add_action(nc, people.staff)
    with pytest.raises(IntegrityError, match="audits_nc_no_close_with_open_actions"), transaction.atomic():
        Nonconformity.objects.filter(pk=nc.pk).update(
            status=NcStatus.CLOSED, closed_on=D(2024, 11, 1), effective=True, verified_on=D(2024, 11, 1), verified_by=people.qo,
        )


def test_database_refuses_an_open_action_on_a_closed_nonconformity(nc, people):
    analyse(nc, people.staff)
    complete(add_action(nc, people.staff), people.staff)
    nc.refresh_from_db()
    services.nonconformity_verify(nc=nc, effective=True, on=D(2024, 11, 1), by=people.qo)
    with pytest.raises(IntegrityError, match="audits_nc_no_close_with_open_actions"), transaction.atomic():
        CorrectiveAction.objects.create(nonconformity=nc, description="x", responsible=people.staff, due_on=D(2024, 12, 1))


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"status": NcStatus.CLOSED, "closed_on": D(2024, 11, 1)}, "nc_closed_only_when_effective"),
        ({"effective": False, "verified_on": D(2024, 11, 1)}, "nc_effectiveness_check_complete"),
        ({"status": NcStatus.ANALYSED}, "nc_analysed_has_root_cause"),
        ({"correction": "Đã xin lỗi"}, "nc_correction_dated_after_detection"),
        ({"correction": "Đã xin lỗi", "correction_on": D(2024, 9, 1)}, "nc_correction_dated_after_detection"),
        ({"source": NcSource.AUDIT}, "nc_audit_source_has_finding"),
        ({"closed_on": D(2024, 11, 1)}, "nc_closed_only_when_effective"),
        ({"status": "lost"}, "nc_status_valid"),
    ],
)
def test_database_check_constraints(nc, change, constraint):
    with pytest.raises(IntegrityError), transaction.atomic():
        Nonconformity.objects.filter(pk=nc.pk).update(**change)
    # The same rule holds in full_clean(), which every service calls.
    for name, value in change.items():
        setattr(nc, name, value)
    with pytest.raises(ValidationError):
        nc.full_clean()


def test_database_refuses_closing_without_an_effective_check(nc, people):
    analyse(nc, people.staff)
    complete(add_action(nc, people.staff), people.staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nonconformity.objects.filter(pk=nc.pk).update(
            status=NcStatus.CLOSED, closed_on=D(2024, 11, 1), effective=False, verified_on=D(2024, 11, 1), verified_by=people.qo,
        )


def test_database_refuses_a_done_action_without_evidence(nc, people):
    analyse(nc, people.staff)
    action = add_action(nc, people.staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectiveAction.objects.filter(pk=action.pk).update(done_on=D(2024, 10, 1))


def test_overdue_is_computed_from_today(nc, people):
    analyse(nc, people.staff)
    action = add_action(nc, people.staff, due=D(2024, 10, 15))
    assert list(Nonconformity.objects.overdue(D(2024, 10, 4))) == [nc]
    assert list(Nonconformity.objects.overdue(D(2024, 10, 3))) == []
    assert list(CorrectiveAction.objects.overdue(D(2024, 10, 16))) == [action]
    assert list(CorrectiveAction.objects.overdue(D(2024, 10, 15))) == []
    assert action.is_overdue(D(2024, 10, 16)) and not action.is_overdue(D(2024, 10, 15))
    complete(action, people.staff)
    assert not CorrectiveAction.objects.overdue(D(2024, 10, 16)).exists()
