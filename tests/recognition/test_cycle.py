"""The annual cycle: units without audit or review in 11 months, overdue legal updates, mailed once a month."""

import datetime

from django.core import mail
from django.urls import reverse

from recognition.cycle import cycle_gaps, send_cycle_reminders
from recognition.services import review_create

D = datetime.date


def test_gaps_warn_at_eleven_months(units):
    unit = units["BN-BOHA"]
    review_create(unit=unit, held_on=D(2025, 12, 28))
    ids = [unit.pk]
    assert unit not in [u for u, _ in cycle_gaps(ids, D(2026, 11, 28)).no_review]
    assert unit in [u for u, _ in cycle_gaps(ids, D(2026, 11, 29)).no_review]
    assert unit in [u for u, _ in cycle_gaps(ids, D(2026, 11, 28)).no_audit]


def test_reminders_go_once_a_month_to_quality_officers(demo_users, units):
    assert send_cycle_reminders(on=D(2026, 11, 27)) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["qlcl@yenthe.example"]
    assert "Xã Tam Tiến" in mail.outbox[0].body and "chưa từng được đánh giá" in mail.outbox[0].body
    assert send_cycle_reminders(on=D(2026, 11, 28)) == 0  # same month
    assert send_cycle_reminders(on=D(2026, 12, 1)) == 1  # next month
    assert len(mail.outbox) == 2


def test_cycle_screen(client, demo_users, units):
    client.force_login(demo_users["motcua.boha"])
    html = client.get(reverse("readiness:cycle"), {"on": "2026-11-27"}).content.decode()
    assert "Xã Bố Hạ" in html and "Xã Tam Tiến" not in html


def test_cycle_screen_says_the_reminders_come_by_themselves(client, demo_users):
    """No user is told to run a command: the server's daily job sends the reminders (deploy/qms-notify.*)."""
    client.force_login(demo_users["qlcl"])
    html = client.get(reverse("readiness:cycle"), {"on": "2026-11-27"}).content.decode()
    assert "manage.py" not in html
    assert "hệ thống tự gửi vào mỗi buổi sáng" in html
    from pathlib import Path

    from django.conf import settings
    from django.core.management import get_commands

    service = (Path(settings.BASE_DIR) / "deploy" / "qms-notify.service").read_text()
    commands = [line.split("manage.py ", 1)[1] for line in service.splitlines() if line.startswith("ExecStart=")]
    assert "send_cycle_reminders" in commands and set(commands) <= set(get_commands())
