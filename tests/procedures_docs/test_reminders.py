"""`manage.py send_review_reminders`: each owner is mailed once per document and review period."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from procedures_docs.models import ReviewReminder, add_months

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_document(make_document, issue):
    page = make_document(title="Quy trình đăng ký khai sinh", code="QT-06")
    issue(page)
    page.issues.update(effective_date=add_months(timezone.localdate(), -12) + datetime.timedelta(days=10),
                       next_review_on=timezone.localdate() + datetime.timedelta(days=10))
    mail.outbox.clear()  # the workflow's own notifications
    return page


def run(**options):
    out = io.StringIO()
    call_command("send_review_reminders", stdout=out, **options)
    return out.getvalue()


def test_reminders_are_sent_once_per_owner_document_and_period(due_document, people, make_user, units):
    from qms.core.roles import Role

    second_officer = make_user(Role.QUALITY_OFFICER, units["BN-YENTHE"], username="yt_officer2")
    output = run()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([people.yt_officer.email, second_officer.email])
    assert "2" in output
    message = mail.outbox[0]
    assert message.subject == "[Sắp đến hạn soát xét] QT-06 – Quy trình đăng ký khai sinh"
    due = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    assert f"Hạn soát xét là ngày {due}." in message.body
    # Running again (the cron runs daily) sends nothing more for this period.
    run()
    assert len(mail.outbox) == 2
    assert ReviewReminder.objects.count() == 2


def test_a_new_period_is_reminded_again(due_document, people):
    run()
    assert len(mail.outbox) == 1
    due_document.issues.update(next_review_on=timezone.localdate() - datetime.timedelta(days=1))  # another period
    run()
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("[Quá hạn soát xét]")


def test_documents_not_due_and_obsolete_ones_are_not_reminded(due_document, people):
    from procedures_docs import services

    due_document.issues.update(next_review_on=timezone.localdate() + datetime.timedelta(days=31))
    run()
    assert mail.outbox == []
    due_document.issues.update(next_review_on=timezone.localdate())
    services.document_withdraw(page=due_document, on=timezone.localdate(), reason="Bãi bỏ", by=people.yt_leader)
    run()
    assert mail.outbox == []


def test_today_can_be_given(due_document):
    run(today=(timezone.localdate() - datetime.timedelta(days=30)).isoformat())
    assert mail.outbox == []
