"""A certificate about to expire tells the person and the unit's quality officer, once."""

import datetime

import pytest

from qms.competence.models import INTERNAL_AUDITOR
from qms.core.roles import Role
from qms.notifications.models import Notification, NotificationKind
from qms.notifications.services import notifications_daily
from tests.competence.factories import train

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 30)


@pytest.fixture
def boha(units, make_user):
    unit = units["BN-BOHA"]
    officer = make_user(Role.QUALITY_OFFICER, unit, username="qo.boha")
    auditor = make_user(Role.AUDITOR, unit, certified=False, username="auditor.boha", first_name="Thu", last_name="Đỗ Thị")
    make_user(Role.QUALITY_OFFICER, units["BN-TAMTIEN"], username="qo.tamtien")
    return officer, auditor


def told():
    return sorted(Notification.objects.filter(kind=NotificationKind.CERTIFICATE_EXPIRING).values_list("recipient__username", flat=True))


def test_the_person_and_the_officer_are_told_once(boha, settings):
    settings.QMS_COMPETENCE_EXPIRING_DAYS = 60
    _officer, auditor = boha
    train(auditor, INTERNAL_AUDITOR, completed_on=D(2023, 1, 29), expires_on=D(2027, 1, 29))  # 60 days on TODAY
    notifications_daily(today=TODAY - datetime.timedelta(days=1))
    assert told() == []  # 61 days left: not yet
    notifications_daily(today=TODAY)
    notifications_daily(today=TODAY + datetime.timedelta(days=1))
    assert told() == ["auditor.boha", "qo.boha"]
    notification = Notification.objects.get(recipient=auditor)
    assert notification.subject == "[ISO] Chứng chỉ hết hạn ngày 29/01/2027: Đỗ Thị Thu"
    assert "Hãy bố trí đào tạo bồi dưỡng lại." in notification.body


def test_a_renewed_certificate_is_not_announced(boha):
    _officer, auditor = boha
    train(auditor, INTERNAL_AUDITOR, completed_on=D(2023, 1, 29), expires_on=D(2027, 1, 10))
    train(auditor, INTERNAL_AUDITOR, completed_on=D(2026, 11, 1), expires_on=D(2029, 10, 31))
    notifications_daily(today=TODAY)
    assert told() == []
