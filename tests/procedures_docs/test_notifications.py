"""The document workflow tells the people who act: reviewers and approvers when a step starts, the drafter
when the document is approved or sent back (with the comment). Each once, in Vietnamese, with a link that
opens the document for them, and never to another unit."""

import pytest
from django.core import mail

from procedures_docs import services

pytestmark = pytest.mark.django_db
BASE = "https://iso.yenthe.example"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE + "/"


@pytest.fixture
def draft(make_document, people):
    page = make_document(code="QT-06", title="Quy trình đăng ký khai sinh")
    services.document_edit(page=page, by=people.yt_officer, change_summary="Ban hành lần đầu")
    mail.outbox.clear()
    return page


def sent(capture, action):
    """Run `action` as a committed request would, and return the mails it sent."""
    before = len(mail.outbox)
    with capture(execute=True):
        action()
    return mail.outbox[before:]


def path_of(body: str, page) -> str:
    link = f"{BASE}/admin/pages/{page.pk}/edit/"
    assert link in body, body
    return link.removeprefix(BASE)


def test_the_whole_round_tells_each_person_once(draft, people, client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks

    # Submitted: the review step belongs to quality officers; the drafter may not review her own draft,
    # so the province's officer is told. Nobody of Xã Bố Hạ, and not the superuser (Wagtail's own mail).
    messages = sent(capture, lambda: services.document_submit(page=draft, by=people.yt_officer))
    assert [m.to for m in messages] == [[people.reviewer.email]]
    assert messages[0].subject == "[ISO] Cần soát xét: QT-06 – Quy trình đăng ký khai sinh"
    assert "Xã Yên Thế. Nguyễn Thị Hoa trình ngày" in messages[0].body
    client.force_login(people.reviewer)
    assert client.get(path_of(messages[0].body, draft)).status_code == 200, "the link opens the document for the reviewer"

    # Reviewed: the approval step belongs to the unit's leader.
    messages = sent(capture, lambda: services.document_review(page=draft, by=people.reviewer, approve=True))
    assert [m.to for m in messages] == [[people.yt_leader.email]]
    assert messages[0].subject == "[ISO] Cần phê duyệt: QT-06 – Quy trình đăng ký khai sinh"

    # Sent back with a comment: the drafter is told what to change.
    messages = sent(capture, lambda: services.document_review(
        page=draft, by=people.yt_leader, approve=False, comment="Bổ sung bước trả kết quả qua bưu chính."))
    assert [m.to for m in messages] == [[people.yt_officer.email]]
    assert messages[0].subject == "[ISO] Yêu cầu chỉnh sửa: QT-06 – Quy trình đăng ký khai sinh"
    assert "Trần Văn Minh yêu cầu chỉnh sửa" in messages[0].body
    assert "“Bổ sung bước trả kết quả qua bưu chính.”" in messages[0].body
    client.force_login(people.yt_officer)
    assert client.get(path_of(messages[0].body, draft)).status_code == 200, "the link opens the draft for the drafter"

    # Resubmitted: the step that asked for changes starts again, and its holder is told again.
    services.document_edit(page=draft, by=people.yt_officer, change_summary="Ban hành lần đầu")
    messages = sent(capture, lambda: services.document_submit(page=draft, by=people.yt_officer))
    assert [m.to for m in messages] == [[people.yt_leader.email]]

    # Approved: the drafter is told.
    messages = sent(capture, lambda: services.document_review(page=draft, by=people.yt_leader, approve=True))
    assert [m.to for m in messages] == [[people.yt_officer.email]]
    assert messages[0].subject == "[ISO] Đã phê duyệt: QT-06 – Quy trình đăng ký khai sinh"
    assert "Trần Văn Minh đã phê duyệt ngày" in messages[0].body

    everyone = {address for m in mail.outbox for address in m.to}
    assert people.bh_officer.email not in everyone and people.bh_leader.email not in everyone
    assert people.admin.email not in everyone
    assert len(mail.outbox) == 5
    from qms.notifications.services import notifications_daily

    notifications_daily()
    assert len(mail.outbox) == 5, "the daily run sends nothing already sent"


def test_a_daily_digest_reviewer_gets_it_in_the_digest(draft, people, django_capture_on_commit_callbacks):
    from qms.notifications.models import Delivery
    from qms.notifications.services import notifications_daily, preference_save

    preference_save(user=people.reviewer, delivery=Delivery.DAILY)
    assert sent(django_capture_on_commit_callbacks, lambda: services.document_submit(page=draft, by=people.yt_officer)) == []
    notifications_daily()
    assert [m.to for m in mail.outbox] == [[people.reviewer.email]]
    assert mail.outbox[0].subject == "[ISO] Cần soát xét: QT-06 – Quy trình đăng ký khai sinh"
