"""Documents due for periodic review: each owner gets one e-mail listing all their documents due, with
links, once per document and review period (`manage.py send_notifications`, the daily run)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from procedures_docs.models import add_months
from qms.core.roles import Role
from qms.notifications.models import Notification

pytestmark = pytest.mark.django_db


def due_in(page, days):
    page.issues.update(effective_date=add_months(timezone.localdate(), -12) + datetime.timedelta(days=days),
                       next_review_on=timezone.localdate() + datetime.timedelta(days=days))


@pytest.fixture
def due_documents(make_document, issue):
    pages = []
    for code, title, days in (("QT-06", "Quy trình đăng ký khai sinh", 10), ("QT-07", "Quy trình đăng ký kết hôn", -3)):
        page = make_document(code=code, title=title)
        issue(page)
        due_in(page, days)
        pages.append(page)
    # The workflow's notifications went out when each step committed (the test never commits).
    Notification.objects.update(sent_at=timezone.now())
    return pages


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """The daily command, with the mails that wait for a commit sent at its end (one e-mail per person
    even when every notification commits at once: tests/notifications, transactional test)."""

    def command(**options):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_notifications", stdout=out, **options)
        return out.getvalue()

    return command


def test_each_owner_gets_one_mail_listing_every_document_due_once(due_documents, people, make_user, units, settings, run):
    settings.WAGTAILADMIN_BASE_URL = "https://iso.yenthe.example"
    second_officer = make_user(Role.QUALITY_OFFICER, units["BN-YENTHE"], username="yt_officer2")
    output = run()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people.yt_officer.email, second_officer.email])
    assert "2 e-mail(s) with 4 notification(s)." in output
    message = next(m for m in mail.outbox if m.to == [people.yt_officer.email])
    assert message.subject == f"[ISO] 2 thông báo, ngày {timezone.localdate():%d/%m/%Y}"
    due = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    overdue = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    assert f"[ISO] Quá hạn soát xét từ ngày {overdue}: QT-07 – Quy trình đăng ký kết hôn" in message.body
    assert f"[ISO] Đến hạn soát xét ngày {due}: QT-06 – Quy trình đăng ký khai sinh" in message.body
    for page in due_documents:
        assert f"https://iso.yenthe.example/admin/pages/{page.pk}/edit/" in message.body
    assert people.bh_officer.email not in {m.to[0] for m in mail.outbox}, "another unit's officer is not told"
    # The daily run again (the timer, or someone by hand) sends nothing more for this period.
    run()
    assert len(mail.outbox) == 2


def test_the_link_opens_the_document_for_its_owner(due_documents, people, client, run):
    run()
    message = next(m for m in mail.outbox if m.to == [people.yt_officer.email])
    client.force_login(people.yt_officer)
    path = f"/admin/pages/{due_documents[0].pk}/edit/"
    assert path in message.body and client.get(path).status_code == 200


def test_a_new_period_is_reminded_again(due_documents, people, run):
    run()
    assert len(mail.outbox) == 1
    due_in(due_documents[0], -1)  # another period
    run()
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("[ISO] Quá hạn soát xét từ ngày")


def test_documents_not_due_and_obsolete_ones_are_not_reminded(due_documents, people, run):
    from procedures_docs import services

    due_in(due_documents[0], 31)
    services.document_withdraw(page=due_documents[1], on=timezone.localdate(), reason="Bãi bỏ", by=people.yt_leader)
    run()
    assert mail.outbox == []


def test_the_date_can_be_given(due_documents, run):
    run(date=(timezone.localdate() - datetime.timedelta(days=40)).isoformat())
    assert mail.outbox == []
