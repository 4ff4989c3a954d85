"""The notification service: once per person and event, immediately / daily digest / off, only within scope."""

import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from qms.core.models import Membership
from qms.core.roles import Role
from qms.notifications import services
from qms.notifications.models import Delivery, Notification, NotificationKind, NotificationPreference

pytestmark = pytest.mark.django_db
LINK = "/admin/units/"


@pytest.fixture
def yt_officer(make_user, units):
    return make_user(Role.QUALITY_OFFICER, units["BN-YENTHE"], username="yt_officer", first_name="Hoa", last_name="Nguyễn Thị",
                     email="hoa@yenthe.example")


@pytest.fixture
def bh_officer(make_user, units):
    return make_user(Role.QUALITY_OFFICER, units["BN-BOHA"], username="bh_officer", email="bh@boha.example")


def tell(users, units, key="nc-opened:1", subject="[ISO] Mở điểm không phù hợp KPH-2026-001: Xã Yên Thế"):
    return services.notify(recipients=users, kind=NotificationKind.NC_OPENED, key=key, subject=subject,
                           body="Nhẹ, phát hiện ngày 01/11/2026.", link=LINK, unit=units["BN-YENTHE"])


def test_immediately_is_one_mail_when_the_event_commits_and_never_again(yt_officer, units, django_capture_on_commit_callbacks,
                                                                        settings):
    settings.WAGTAILADMIN_BASE_URL = "https://iso.yenthe.example/"
    with django_capture_on_commit_callbacks(execute=True):
        tell([yt_officer], units)
        assert mail.outbox == [], "nothing is said before the event is committed"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hoa@yenthe.example"]
    assert message.subject == "[ISO] Mở điểm không phù hợp KPH-2026-001: Xã Yên Thế"
    assert message.body.startswith("Kính gửi đồng chí Nguyễn Thị Hoa,")
    assert "https://iso.yenthe.example/admin/units/" in message.body
    assert "https://iso.yenthe.example/admin/account/" in message.body, "where to change the preference"
    with django_capture_on_commit_callbacks(execute=True):
        assert tell([yt_officer], units) == [], "the same event is not told twice"
    assert services.notifications_daily().emails == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is not None


def test_daily_digest_is_one_mail_with_everything_then_nothing(yt_officer, units, django_capture_on_commit_callbacks):
    services.preference_save(user=yt_officer, delivery=Delivery.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        tell([yt_officer], units, key="nc-opened:1")
        tell([yt_officer], units, key="nc-opened:2", subject="[ISO] Mở điểm không phù hợp KPH-2026-002: Xã Yên Thế")
    assert mail.outbox == [], "a digest reader is not mailed at once"
    report = services.notifications_daily()
    assert (report.emails, report.notifications) == (1, 2)
    message = mail.outbox[0]
    assert message.subject == f"[ISO] 2 thông báo, ngày {timezone.localdate():%d/%m/%Y}"
    assert "1. [ISO] Mở điểm không phù hợp KPH-2026-001" in message.body
    assert "2. [ISO] Mở điểm không phù hợp KPH-2026-002" in message.body
    assert services.notifications_daily().emails == 0
    assert len(mail.outbox) == 1, "running the daily run twice sends nothing new"


def test_off_silences_the_mail_but_the_list_keeps_it(yt_officer, units, client, django_capture_on_commit_callbacks):
    services.preference_save(user=yt_officer, delivery=Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        tell([yt_officer], units)
    services.notifications_daily()
    assert mail.outbox == []
    client.force_login(yt_officer)
    body = client.get(reverse("notifications_list")).content.decode()
    assert "Mở điểm không phù hợp KPH-2026-001" in body and "Không (đã tắt e-mail)" in body


def test_a_user_of_another_unit_is_not_told(yt_officer, bh_officer, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = tell([yt_officer, bh_officer], units)
    assert [n.recipient for n in created] == [yt_officer]
    assert [m.to for m in mail.outbox] == [["hoa@yenthe.example"]]


def test_a_pending_notification_is_withheld_once_the_recipient_left_the_unit(yt_officer, units):
    services.preference_save(user=yt_officer, delivery=Delivery.DAILY)
    tell([yt_officer], units)
    Membership.objects.filter(user=yt_officer).delete()
    services.notifications_daily()
    assert mail.outbox == []
    assert Notification.objects.get().delivery == Delivery.OFF


def test_a_failed_mail_stays_pending_and_goes_on_the_next_run(yt_officer, units, monkeypatch):
    tell([yt_officer], units)  # the commit never comes in this test: it waits for the daily run
    real = services.send_mail

    def down(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(services, "send_mail", down)
    report = services.notifications_daily()
    assert report.failed == ["yt_officer"] and Notification.objects.get().sent_at is None
    monkeypatch.setattr(services, "send_mail", real)
    assert services.notifications_daily().emails == 1 and len(mail.outbox) == 1


def test_the_command_reports_and_a_second_run_sends_nothing(yt_officer, units, capsys):
    tell([yt_officer], units)
    call_command("send_notifications")
    call_command("send_notifications")
    out = capsys.readouterr().out
    assert "1 e-mail(s) with 1 notification(s)." in out and "0 e-mail(s) with 0 notification(s)." in out
    assert len(mail.outbox) == 1


def test_the_account_screen_sets_the_preference(client, yt_officer):
    client.force_login(yt_officer)
    url = reverse("wagtailadmin_account")
    body = client.get(url).content.decode()
    assert "Thông báo qua e-mail của hệ thống quản lý chất lượng" in body
    assert "Tổng hợp hằng ngày" in body
    assert "submitted_notifications" not in body and "approved_notifications" not in body, "Wagtail's own workflow mails are replaced"
    response = client.post(url, {"qms_notifications-delivery": Delivery.DAILY, "name_email-first_name": "Hoa",
                                 "name_email-last_name": "Nguyễn Thị", "name_email-email": "hoa@yenthe.example",
                                 "locale-preferred_language": "", "locale-current_time_zone": "",
                                 "theme-theme": "system", "theme-density": "default", "theme-contrast": "system",
                                 "theme-keyboard_shortcuts": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert NotificationPreference.objects.get(user=yt_officer).delivery == Delivery.DAILY


def test_the_list_shows_only_ones_own(client, yt_officer, make_user, units):
    other = make_user(Role.QUALITY_OFFICER, units["BN-YENTHE"], username="other")
    tell([other], units)
    client.force_login(yt_officer)
    body = client.get(reverse("notifications_list")).content.decode()
    assert "KPH-2026-001" not in body and "Chưa có thông báo nào." in body
    assert reverse("notifications_list") in client.get(reverse("wagtailadmin_home")).content.decode(), "in the main menu"


def test_the_demo_history_tells_nobody(yt_officer, units):
    with services.notifications_muted():
        assert tell([yt_officer], units) == []
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_daily_run_mails_one_mail_per_person_also_to_immediate_readers(yt_officer, units, monkeypatch):
    """Outside a test transaction every notify() commits at once: the daily run must still gather its
    findings into one e-mail per person instead of one per finding."""

    def two_findings(*, today):
        tell([yt_officer], units, key="a")
        tell([yt_officer], units, key="b", subject="[ISO] Mở điểm không phù hợp KPH-2026-002: Xã Yên Thế")

    monkeypatch.setattr(services, "_daily_checks", [two_findings])
    report = services.notifications_daily()
    assert (report.emails, len(mail.outbox)) == (1, 1)
    assert "KPH-2026-001" in mail.outbox[0].body and "KPH-2026-002" in mail.outbox[0].body
