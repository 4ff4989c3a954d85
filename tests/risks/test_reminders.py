"""The daily run reminds an action's owner once per event: due within 7 days, then overdue."""

import datetime

from qms.core.roles import Role
from qms.notifications.models import Notification
from qms.notifications.services import notifications_daily
from qms.risks.services import risk_action_complete
from tests.risks.helpers import make_action, make_risk

D = datetime.date


def test_owner_is_reminded_once_per_event(units, make_user):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"], email="hoa@example.test")
    staff = make_user(Role.UNIT_STAFF, units["BN-BOHA"], email="nam@example.test")
    action = make_action(make_risk(units["BN-BOHA"], officer), staff, due_on=D(2026, 4, 10))
    notifications_daily(today=D(2026, 4, 1))  # 9 days ahead: nothing yet
    assert not Notification.objects.filter(recipient=staff).exists()
    notifications_daily(today=D(2026, 4, 3))
    notifications_daily(today=D(2026, 4, 4))
    told = Notification.objects.filter(recipient=staff)
    assert told.count() == 1 and "hạn 10/04/2026" in told.get().subject
    notifications_daily(today=D(2026, 4, 11))
    notifications_daily(today=D(2026, 4, 12))
    assert told.count() == 2 and "quá hạn" in told.order_by("-pk").first().subject
    assert not Notification.objects.filter(recipient=officer).exists()  # the owner is the one told
    risk_action_complete(action=action, by=staff, done_on=D(2026, 4, 12), result="Đã phân công")
    notifications_daily(today=D(2026, 4, 20))
    assert told.count() == 2
