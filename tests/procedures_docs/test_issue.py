"""Approval is the issue of a revision: numbering, the register row, what stays a draft, change summaries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import WorkflowState

from procedures_docs import services
from procedures_docs.models import ControlledDocumentPage

pytestmark = pytest.mark.django_db


def test_approval_issues_revision_1_with_who_and_when(make_document, issue, people):
    page = make_document()
    assert not page.live and page.current_issue is None
    first = issue(page)
    page.refresh_from_db()
    assert page.live
    assert first.number == 1
    assert first.effective_date == timezone.localdate()
    assert first.next_review_on == first.effective_date.replace(year=first.effective_date.year + 1)
    assert (first.drafted_by, first.reviewed_by, first.approved_by) == (people.yt_officer, people.reviewer, people.yt_leader)
    assert first.approved_by_name == "Trần Văn Minh"  # family name first
    assert first.drafted_by_name == "Nguyễn Thị Hoa"
    assert first.change_summary == "Ban hành lần đầu"
    assert first.approved_at and first.reviewed_at and first.submitted_at


def test_each_approval_increments_the_revision_number(make_document, issue):
    page = make_document()
    numbers = [issue(page, f"Sửa đổi lần {n}", purpose=f"<p>Nội dung {n}</p>").number for n in range(1, 4)]
    assert numbers == [1, 2, 3]
    assert list(page.issues.values_list("number", flat=True)) == [1, 2, 3]
    assert page.issues.get(number=2).change_summary == "Sửa đổi lần 2"


def test_an_edit_after_approval_stays_a_draft_until_approved_again(make_document, issue, people, client):
    page = make_document(purpose="<p>Bản được phê duyệt.</p>")
    issue(page)
    services.document_edit(page=page, by=people.yt_officer, change_summary="Sửa mục 1", purpose="<p>Bản nháp mới.</p>")
    services.document_submit(page=page, by=people.yt_officer)
    services.document_review(page=page, by=people.reviewer, approve=True)
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert page.issues.count() == 1
    assert "Bản được phê duyệt." in page.purpose and page.has_unpublished_changes
    client.force_login(people.yt_staff)
    body = client.get(page.url).content.decode()
    assert "Bản được phê duyệt." in body and "Bản nháp mới." not in body
    services.document_review(page=page, by=people.yt_leader, approve=True)
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert page.issues.count() == 2 and "Bản nháp mới." in page.purpose
    assert "Bản nháp mới." in client.get(page.url).content.decode()


def test_submitting_needs_a_change_summary_that_says_what_changed(make_document, issue, people):
    page = make_document()
    with pytest.raises(ValidationError) as error:
        services.document_submit(page=page, by=people.yt_officer)
    assert error.value.message_dict["change_summary"] == ["Hãy nêu nội dung sửa đổi của lần ban hành này trước khi trình soát xét."]
    issue(page, "Ban hành lần đầu")
    services.document_edit(page=page, by=people.yt_officer, purpose="<p>Sửa mục đích.</p>")  # summary left as it was
    with pytest.raises(ValidationError) as error:
        services.document_submit(page=page, by=people.yt_officer)
    assert "lần ban hành đang áp dụng" in error.value.message_dict["change_summary"][0]


def test_request_changes_needs_a_comment_and_the_resubmission_resumes(make_document, people):
    page = make_document(change_summary="Ban hành lần đầu")
    services.document_edit(page=page, by=people.yt_officer, change_summary="Ban hành lần đầu")
    services.document_submit(page=page, by=people.yt_officer)
    services.document_review(page=page, by=people.reviewer, approve=True)
    with pytest.raises(ValidationError):
        services.document_review(page=page, by=people.yt_leader, approve=False, comment=" ")
    services.document_review(page=page, by=people.yt_leader, approve=False, comment="Bổ sung căn cứ pháp lý.")
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not page.live and page.issues.count() == 0
    services.document_edit(page=page, by=people.yt_officer, references="<p>Luật Hộ tịch năm 2014.</p>")
    services.document_submit(page=page, by=people.yt_officer)
    # Resumed at the step that asked for changes: the leader approves, and revision 1 is issued.
    services.document_review(page=page, by=people.yt_leader, approve=True)
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert page.live and page.issues.get().number == 1


def test_steps_are_taken_by_their_role_of_the_owning_unit_only(make_document, people):
    page = make_document()
    services.document_edit(page=page, by=people.yt_officer, change_summary="Ban hành lần đầu")
    services.document_submit(page=page, by=people.yt_officer)
    for outsider in (people.yt_leader, people.bh_officer, people.yt_staff, people.auditor):
        with pytest.raises(PermissionDenied):
            services.document_review(page=page, by=outsider, approve=True)
    services.document_review(page=page, by=people.reviewer, approve=True)
    for outsider in (people.yt_officer, people.bh_leader, people.yt_staff, people.auditor):
        with pytest.raises(PermissionDenied):
            services.document_review(page=page, by=outsider, approve=True)
    services.document_review(page=page, by=people.yt_leader, approve=True)
    assert ControlledDocumentPage.objects.get(pk=page.pk).issues.count() == 1


def test_issue_register_rows_cannot_be_written_twice_for_a_revision(issued):
    from procedures_docs.services import document_issue_record

    issue = issued.page.current_issue
    again = document_issue_record(page=issued.page, revision=issue.revision)
    assert again == issue and issued.page.issues.count() == 1


def test_review_date_follows_the_interval_and_clamps_month_ends():
    from procedures_docs.models import add_months

    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2025, 11, 15), 3) == datetime.date(2026, 2, 15)
    assert add_months(datetime.date(2025, 8, 15), 24) == datetime.date(2027, 8, 15)


def test_each_revision_builds_on_the_previous_one(make_document, issue):
    page = make_document()
    issue(page)
    issue(page, "Sửa mục 3", references="<p>Luật Hộ tịch năm 2014</p>")
    issue(page, "Sửa mục 2", scope="<p>Toàn xã</p>")  # the same (now stale) page object
    live = ControlledDocumentPage.objects.get(pk=page.pk)
    assert "Luật Hộ tịch năm 2014" in live.references and "Toàn xã" in live.scope


def test_the_reading_copy_shows_the_issue_and_who_approved_it_when(make_document, issue, people, client):
    page = make_document()
    first = issue(page)
    client.force_login(people.yt_staff)
    body = client.get(page.url).content.decode()
    approved = timezone.localtime(first.approved_at).strftime("%d/%m/%Y %H:%M")
    for text in ("Lần ban hành: 01", f"Ngày hiệu lực: {first.effective_date:%d/%m/%Y}", "BẢN KIỂM SOÁT",
                 "Trần Văn Minh", f"Đã phê duyệt trên hệ thống {approved}", "Ban hành lần đầu"):
        assert text in body, text


def test_drafts_are_previewed_in_the_admin_marked_as_drafts(make_document, people, client):
    from django.urls import reverse

    from tests.utils import assert_forbidden

    page = make_document()
    url = reverse("wagtailadmin_pages:view_draft", args=[page.pk])
    client.force_login(people.yt_officer)
    body = client.get(url).content.decode()
    assert "BẢN DỰ THẢO" in body and "Lần ban hành: dự thảo" in body
    client.force_login(people.yt_staff)
    assert_forbidden(client.get(url))
