"""The readiness item "every one-stop officer trained in ISO awareness, every auditor certified", to the day."""

import datetime

import pytest

from qms.competence.models import INTERNAL_AUDITOR, ISO_AWARENESS
from qms.core.roles import Role
from recognition.readiness import readiness_of_units, unit_readiness
from tests.competence.factories import train

pytestmark = pytest.mark.django_db

D = datetime.date


def item(unit, on):
    return unit_readiness(unit, on).item("competence")


def test_every_officer_trained_and_every_auditor_certified_to_the_day(units, make_user):
    unit = units["BN-BOHA"]
    staff = make_user(Role.UNIT_STAFF, unit, first_name="Nam", last_name="Hoàng Văn")
    auditor = make_user(Role.AUDITOR, unit, certified=False, first_name="Thu", last_name="Đỗ Thị")
    make_user(Role.UNIT_STAFF, units["BN-TAMTIEN"])  # another commune's officer does not count here
    found = item(unit, D(2026, 6, 1))
    assert found.title == "Mọi cán bộ một cửa đã được đào tạo nhận thức ISO, mọi đánh giá viên có chứng chỉ"
    assert not found.ok
    assert found.detail == ("0/1 công chức một cửa đã được đào tạo, 0/1 đánh giá viên có chứng chỉ. "
                            "Còn thiếu: Hoàng Văn Nam, Đỗ Thị Thu.")
    assert found.next_step
    train(staff, ISO_AWARENESS, unit=unit, completed_on=D(2026, 3, 2))
    train(auditor, INTERNAL_AUDITOR, unit=unit, completed_on=D(2023, 6, 2), expires_on=D(2026, 6, 1))
    assert not item(unit, D(2026, 3, 1)).ok  # the officer trained the next day
    assert item(unit, D(2026, 3, 2)).ok
    assert item(unit, D(2026, 6, 1)).ok  # the certificate's last valid day
    late = item(unit, D(2026, 6, 2))
    assert not late.ok and late.detail.endswith("Còn thiếu: Đỗ Thị Thu.")


def test_a_unit_without_gaps_and_one_with_gaps_side_by_side(units, make_user):
    boha, tamtien = units["BN-BOHA"], units["BN-TAMTIEN"]
    trained = make_user(Role.UNIT_STAFF, boha)
    train(trained, ISO_AWARENESS, unit=boha, completed_on=D(2025, 1, 1))
    make_user(Role.UNIT_STAFF, tamtien)
    make_user(Role.AUDITOR, tamtien)  # certified (the fixture's default)
    found = readiness_of_units([boha, tamtien], D(2026, 1, 1))
    assert found[boha.pk].item("competence").ok
    assert not found[tamtien.pk].item("competence").ok
    assert found[tamtien.pk].item("competence").short_title == "Đào tạo cán bộ"
