"""
Separation of duties (ISO 9001 7.5.2): whoever drafted a revision can neither review nor approve it,
in the services and through Wagtail's own workflow screens (the action URLs, the dashboard's list of
pages awaiting review, the page editor, which says why). QMS_SEPARATION_OF_DUTIES = False turns it off.
"""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from wagtail.models import TaskState

from procedures_docs import services
from procedures_docs.models import ControlledDocumentPage
from procedures_docs.models.workflow import drafters_of
from qms.core.roles import Role
from tests.utils import assert_forbidden

pytestmark = pytest.mark.django_db

#: What the drafter is told, in the editor and by the services.
OWN_DRAFT = "Bạn là người soạn thảo bản sửa đổi này nên không được soát xét hay phê duyệt"


@pytest.fixture
def more(make_user, units, libraries):
    """A second quality officer and a second leader of Xã Yên Thế."""
    yt = units["BN-YENTHE"]
    return type("More", (), {
        "officer": make_user(Role.QUALITY_OFFICER, yt, username="yt_officer2", first_name="Mai", last_name="Đỗ Thị"),
        "leader": make_user(Role.LEADER, yt, username="yt_leader2", first_name="Hùng", last_name="Vũ Văn"),
    })


def submitted(make_document, by, summary="Ban hành lần đầu", *, page=None):
    """`page` (default: a new Yên Thế procedure created by `by`) drafted and submitted by `by`, at the review step."""
    page = page or make_document(by=by)
    services.document_edit(page=page, by=by, change_summary=summary, purpose="<p>Nội dung dự thảo.</p>")
    services.document_submit(page=page, by=by)
    return ControlledDocumentPage.objects.get(pk=page.pk)


def action_url(page, action="approve"):
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, page.current_workflow_task_state.pk])


def step_of(page):
    return ControlledDocumentPage.objects.get(pk=page.pk).current_workflow_task.specific.role


def test_the_drafter_is_who_submitted_and_who_saved_since_the_last_issue(make_document, people, more):
    page = submitted(make_document, people.yt_officer)
    assert drafters_of(page) == {people.yt_officer.pk}
    services.document_edit(page=page, by=more.officer, change_summary="Ban hành lần đầu", scope="<p>Sửa khi soát xét.</p>")
    assert drafters_of(ControlledDocumentPage.objects.get(pk=page.pk)) == {people.yt_officer.pk, more.officer.pk}


def test_drafter_cannot_review_her_own_revision_and_is_told_why(make_document, people, more):
    page = submitted(make_document, people.yt_officer)
    with pytest.raises(PermissionDenied) as refused:
        services.document_review(page=page, by=people.yt_officer, approve=True)
    assert OWN_DRAFT in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.document_review(page=page, by=people.yt_officer, approve=False, comment="Tự yêu cầu sửa")
    services.document_review(page=page, by=more.officer, approve=True)  # another officer of the unit reviews
    assert step_of(page) == Role.LEADER.value


def test_drafter_is_refused_on_the_workflow_screens(client, make_document, people, more):
    page = submitted(make_document, people.yt_officer)
    client.force_login(people.yt_officer)
    for action in ("approve", "reject"):
        assert_forbidden(client.get(action_url(page, action)))
        assert_forbidden(client.post(action_url(page, action), {"comment": "Đồng ý"}))
        assert_forbidden(client.get(reverse(
            "wagtailadmin_pages:collect_workflow_action_data",
            args=[page.pk, action, page.current_workflow_task_state.pk])))
    assert step_of(page) == Role.QUALITY_OFFICER.value  # nothing moved
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert action_url(page) not in dashboard  # not offered as "awaiting your review"
    assert not TaskState.objects.reviewable_by(people.yt_officer).exists()
    editor = html.unescape(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode())
    assert OWN_DRAFT in editor
    assert 'data-workflow-action-name="approve"' not in editor


def test_another_officer_then_a_leader_act_through_the_real_action_urls(client, make_document, people, more):
    """Non-superusers acting through Wagtail's views (which pass a base Page to the task)."""
    page = submitted(make_document, people.yt_officer)
    client.force_login(more.officer)
    assert action_url(page) in client.get(reverse("wagtailadmin_home")).content.decode()
    editor = html.unescape(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode())
    assert OWN_DRAFT not in editor and 'data-workflow-action-name="approve"' in editor
    response = client.post(action_url(page), {"comment": ""})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert step_of(page) == Role.LEADER.value
    client.force_login(people.yt_leader)
    assert client.post(action_url(page), {"comment": ""}).status_code == 302
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    issue = page.issues.get()
    assert (issue.drafted_by, issue.reviewed_by, issue.approved_by) == (people.yt_officer, more.officer, people.yt_leader)


def test_a_leader_who_drafted_cannot_approve_another_leader_can(client, make_document, people, more):
    page = submitted(make_document, people.yt_leader, page=make_document(by=people.yt_officer))  # officers create pages
    services.document_review(page=page, by=more.officer, approve=True)
    assert step_of(page) == Role.LEADER.value
    with pytest.raises(PermissionDenied) as refused:
        services.document_review(page=page, by=people.yt_leader, approve=True)
    assert OWN_DRAFT in str(refused.value)
    client.force_login(people.yt_leader)
    assert_forbidden(client.post(action_url(page), {"comment": ""}))
    assert action_url(page) not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert OWN_DRAFT in html.unescape(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode())
    assert not ControlledDocumentPage.objects.get(pk=page.pk).live
    client.force_login(more.leader)
    assert client.post(action_url(page), {"comment": ""}).status_code == 302
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert page.live and page.issues.get().approved_by == more.leader


def test_a_reviewer_who_rewrites_the_draft_becomes_a_drafter(make_document, people, more):
    page = submitted(make_document, people.yt_officer)
    services.document_edit(page=page, by=more.officer, change_summary="Ban hành lần đầu", scope="<p>Viết lại.</p>")
    with pytest.raises(PermissionDenied):
        services.document_review(page=page, by=more.officer, approve=True)
    services.document_review(page=page, by=people.reviewer, approve=True)  # a third officer (of the province)
    assert step_of(page) == Role.LEADER.value


def test_the_next_revision_starts_afresh(make_document, issue, people, more):
    """Who drafted revision 1 may review revision 2 drafted by somebody else."""
    page = make_document()
    issue(page)  # drafted by yt_officer
    page = submitted(make_document, more.officer, "Sửa đổi mục 1", page=page)
    services.document_review(page=page, by=people.yt_officer, approve=True)
    assert step_of(page) == Role.LEADER.value


@override_settings(QMS_SEPARATION_OF_DUTIES=False)
def test_the_setting_off_restores_self_review(client, make_document, people):
    page = submitted(make_document, people.yt_officer)
    client.force_login(people.yt_officer)
    assert action_url(page) in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.post(action_url(page), {"comment": ""}).status_code == 302
    assert step_of(page) == Role.LEADER.value
    other = submitted(make_document, people.yt_leader, page=make_document(code="QT-02", by=people.yt_officer))
    services.document_review(page=other, by=people.yt_officer, approve=True)
    services.document_review(page=other, by=people.yt_leader, approve=True)  # the leader approves his own draft
    assert ControlledDocumentPage.objects.get(pk=other.pk).live
