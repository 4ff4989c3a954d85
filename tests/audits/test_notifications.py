"""Nonconformities tell the unit: its quality officer and leader when one is opened against it, and again
(escalated) when a corrective action is overdue or an overdue nonconformity has no action. Each once."""

import datetime

import pytest
from django.core import mail

from audits import services
from audits.models import CauseCategory
from qms.core.roles import Role
from qms.notifications.services import notifications_daily
from tests.audits.factories import open_nc

pytestmark = pytest.mark.django_db
BASE = "https://iso.yenthe.example"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE


@pytest.fixture
def boha(make_user, units):
    """Xã Bố Hạ's own officer and leader: nothing of Xã Yên Thế concerns them."""
    return [make_user(Role.QUALITY_OFFICER, units["BN-BOHA"], username="qo.boha"),
            make_user(Role.LEADER, units["BN-BOHA"], username="leader.boha")]


def test_an_nc_opened_tells_the_units_officer_and_leader_once(people, units, boha, client, recent,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        nc = open_nc(unit=units["BN-YENTHE"], by=people.auditor, detected_on=recent)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people.qo.email, people.leader.email])
    message = next(m for m in mail.outbox if m.to == [people.qo.email])
    assert message.subject == f"[ISO] Mở điểm không phù hợp {nc.reference}: Xã Yên Thế"
    assert f"phát hiện ngày {recent:%d/%m/%Y}, người phát hiện Lê Quang Huy" in message.body
    link = f"{BASE}/admin/nonconformities/detail/{nc.pk}/"
    assert link in message.body
    client.force_login(people.qo)
    assert client.get(link.removeprefix(BASE)).status_code == 200
    notifications_daily(today=recent)
    assert len(mail.outbox) == 2, "told once"
    assert not {u.email for u in boha} & {m.to[0] for m in mail.outbox}
    assert people.staff.email not in {m.to[0] for m in mail.outbox}


def test_who_opens_it_is_not_told_about_it(people, units, django_capture_on_commit_callbacks, recent):
    with django_capture_on_commit_callbacks(execute=True):
        open_nc(unit=units["BN-YENTHE"], by=people.qo, detected_on=recent)
    assert [m.to for m in mail.outbox] == [[people.leader.email]]


def test_overdue_actions_and_ncs_without_action_are_escalated_once(people, units, boha, recent,
                                                                    django_capture_on_commit_callbacks):
    today = recent + datetime.timedelta(days=60)
    late = open_nc(unit=units["BN-YENTHE"], by=people.auditor, detected_on=recent)
    services.nonconformity_analyse(nc=late, whys=["x"], cause_category=CauseCategory.PEOPLE, on=recent, by=people.staff)
    action = services.corrective_action_add(nc=late, description="Tập huấn lại quy trình", responsible=people.staff,
                                            due_on=recent + datetime.timedelta(days=5), by=people.qo)
    bare = open_nc(unit=units["BN-BOHA"], by=people.auditor, detected_on=recent)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):  # what waits for a commit goes too
        report = notifications_daily(today=today)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {people.qo.email, people.leader.email, *(u.email for u in boha)}
    assert report.emails == 4
    # Xã Yên Thế's officer covers both communes: one e-mail with both (plus the openings, never mailed here).
    body = by_person[people.qo.email].body
    assert f"[ISO] Hành động khắc phục quá hạn: {late.reference} (Xã Yên Thế)" in body
    assert "“Tập huấn lại quy trình”, người thực hiện Phạm Thị Lan" in body and "quá hạn 55 ngày" in body
    assert f"[ISO] Điểm không phù hợp {bare.reference} quá hạn mà chưa có hành động khắc phục (Xã Bố Hạ)" in body
    # Bố Hạ's own officer hears of Bố Hạ's nonconformity only.
    boha_body = by_person[boha[0].email].body
    assert bare.reference in boha_body and late.reference not in boha_body
    assert people.staff.email not in by_person, "the responsible person has the action reminders"

    notifications_daily(today=today + datetime.timedelta(days=1))
    assert len(mail.outbox) == 4, "escalated once, not every day"
    services.corrective_action_update(action=action, description=action.description, responsible=people.staff,
                                      due_on=today + datetime.timedelta(days=3), by=people.qo)
    notifications_daily(today=today + datetime.timedelta(days=5))
    assert len(mail.outbox) == 6, "a new due date that passes is escalated again"


def test_turning_e_mail_off_also_stops_the_action_reminders(people, units, recent):
    from qms.notifications.models import Delivery
    from qms.notifications.services import preference_save

    nc = open_nc(unit=units["BN-YENTHE"], by=people.auditor, detected_on=recent)
    services.nonconformity_analyse(nc=nc, whys=["x"], cause_category=CauseCategory.PEOPLE, on=recent, by=people.staff)
    services.corrective_action_add(nc=nc, description="Tập huấn lại quy trình", responsible=people.staff,
                                   due_on=recent + datetime.timedelta(days=5), by=people.qo)
    today = recent + datetime.timedelta(days=10)
    preference_save(user=people.staff, delivery=Delivery.OFF)
    assert services.action_reminders_send(today=today).emails == 0
    preference_save(user=people.staff, delivery=Delivery.DAILY)
    assert services.action_reminders_send(today=today).emails == 1
    assert mail.outbox[-1].to == [people.staff.email]
