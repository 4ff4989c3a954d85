"""send_action_reminders: actions due within 7 days or overdue, one e-mail per person, once per action per day."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from audits import services
from audits.models import CauseCategory, ReminderKind, ReminderLog
from tests.audits.factories import open_nc

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2024, 10, 20)


@pytest.fixture
def actions(people, units):
    nc = open_nc(unit=units["07288"], by=people.qo, detected_on=D(2024, 9, 3))
    services.nonconformity_analyse(nc=nc, whys=["x"], cause_category=CauseCategory.PEOPLE, on=D(2024, 9, 4), by=people.staff)

    def add(text, due, who):
        return services.corrective_action_add(nc=nc, description=text, responsible=who, due_on=due, by=people.staff)

    return {
        "overdue": add("Tập huấn lại quy trình", D(2024, 10, 15), people.staff),
        "soon": add("Sửa biểu mẫu", D(2024, 10, 27), people.staff),
        "later": add("Rà soát niêm yết", D(2024, 10, 28), people.staff),
        "other": add("Mua máy quét", D(2024, 10, 21), people.staff_boha),
        "done": services.corrective_action_complete(
            action=add("Đã xong", D(2024, 10, 1), people.staff), done_on=D(2024, 9, 30), evidence="Biên bản", by=people.staff,
        ),
    }


def test_reminders_go_once_per_action_per_day(actions, people):
    first = services.action_reminders_send(today=TODAY)
    assert (first.emails, first.actions) == (2, 3)
    assert len(mail.outbox) == 2
    to_staff = next(m for m in mail.outbox if m.to == [people.staff.email])
    assert to_staff.subject == "[ISO] Nhắc việc: 2 hành động khắc phục sắp đến hạn hoặc quá hạn"
    assert "Kính gửi đồng chí Phạm Thị Lan," in to_staff.body
    assert "Tập huấn lại quy trình" in to_staff.body and "Hạn 15/10/2024: QUÁ HẠN 5 ngày." in to_staff.body
    assert "Sửa biểu mẫu" in to_staff.body and "Hạn 27/10/2024." in to_staff.body
    assert "Rà soát niêm yết" not in to_staff.body, "due in 8 days: not yet"
    assert "Đã xong" not in to_staff.body
    assert f"/admin/nonconformities/detail/{actions['overdue'].nonconformity_id}/" in to_staff.body
    assert ReminderLog.objects.get(action=actions["overdue"]).kind == ReminderKind.OVERDUE
    assert ReminderLog.objects.get(action=actions["soon"]).kind == ReminderKind.DUE_SOON

    again = services.action_reminders_send(today=TODAY)
    assert (again.emails, again.actions) == (0, 0) and len(mail.outbox) == 2, "the same day: nothing new"

    next_day = services.action_reminders_send(today=TODAY + datetime.timedelta(days=1))
    assert next_day.actions == 4 and len(mail.outbox) == 4, "the next day they are reminded again, with the one now in range"


def test_the_command_runs_twice_and_sends_once(actions):
    out = io.StringIO()
    call_command("send_action_reminders", "--date", TODAY.isoformat(), stdout=out)
    call_command("send_action_reminders", "--date", TODAY.isoformat(), stdout=out)
    assert len(mail.outbox) == 2
    assert out.getvalue().splitlines() == ["2 e-mail(s) about 3 action(s).", "0 e-mail(s) about 0 action(s)."]
    assert ReminderLog.objects.count() == 3


def test_the_database_allows_one_reminder_per_action_and_day(actions):
    from django.db import IntegrityError, transaction

    ReminderLog.objects.create(action=actions["soon"], sent_on=TODAY, kind=ReminderKind.DUE_SOON, recipient="a@b.vn")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(action=actions["soon"], sent_on=TODAY, kind=ReminderKind.DUE_SOON, recipient="a@b.vn")


def test_people_without_e_mail_are_reported_and_retried(actions, people):
    people.staff_boha.email = ""
    people.staff_boha.save()
    report = services.action_reminders_send(today=TODAY)
    assert report.without_email == ["staff.boha"]
    assert not ReminderLog.objects.filter(action=actions["other"]).exists()


def test_a_failed_mail_logs_nothing_and_the_others_still_go(actions, people, monkeypatch):
    real = services.send_mail

    def flaky(subject, body, sender, recipients):
        if recipients == [people.staff.email]:
            raise OSError("SMTP down")
        return real(subject, body, sender, recipients)

    monkeypatch.setattr(services, "send_mail", flaky)
    report = services.action_reminders_send(today=TODAY)
    assert report.failed == ["staff"] and report.emails == 1
    assert list(ReminderLog.objects.values_list("action__responsible__username", flat=True)) == ["staff.boha"]
    monkeypatch.setattr(services, "send_mail", real)
    assert services.action_reminders_send(today=TODAY).actions == 2, "a rerun the same day sends what failed"
