"""
Leaders (not only superusers) request changes with a comment and approve with a comment through Wagtail's
own workflow screens (the modal's collect_action_data URL, then the action URL), from the editor and from
the dashboard; a leader of another unit is refused; "request changes" without a comment is refused.
"""

import html
import json

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from procedures_docs import services
from procedures_docs.models import ControlledDocumentPage
from qms.core.roles import Role
from tests.utils import assert_forbidden

pytestmark = pytest.mark.django_db

#: The Vietnamese of MSG_COMMENT_REQUIRED.
COMMENT_REQUIRED = "Hãy nêu rõ nội dung cần sửa: người soạn thảo sẽ đọc ý kiến này."


def at_leader_step(make_document, people):
    page = make_document(by=people.yt_officer)
    services.document_edit(page=page, by=people.yt_officer, change_summary="Ban hành lần đầu", purpose="<p>Dự thảo.</p>")
    services.document_submit(page=page, by=people.yt_officer)
    services.document_review(page=page, by=people.reviewer, approve=True)
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert page.current_workflow_task.specific.role == Role.LEADER.value
    return page


def urls(page, action):
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    args = [page.pk, action, page.current_workflow_task_state.pk]
    return (reverse("wagtailadmin_pages:collect_workflow_action_data", args=args),
            reverse("wagtailadmin_pages:workflow_action", args=args))


def modal(response):
    assert response.status_code == 200, response.status_code
    return html.unescape(json.loads(response.content)["html"])


def test_leader_requests_changes_drafter_resubmits_leader_approves_with_comment(client, make_document, people):
    page = at_leader_step(make_document, people)
    client.force_login(people.yt_leader)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    collect, act = urls(page, "reject")
    assert collect in html.unescape(dashboard) or act in html.unescape(dashboard)  # offered on the dashboard
    editor = html.unescape(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode())
    assert 'data-workflow-action-name="reject"' in editor
    assert "<textarea" in modal(client.get(collect))  # the modal asks for the comment

    # Without a comment: refused, and told why, in Vietnamese.
    refused = client.post(collect, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
    assert COMMENT_REQUIRED in modal(refused)
    refused = client.post(act, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
    assert COMMENT_REQUIRED in modal(refused)
    assert ControlledDocumentPage.objects.get(pk=page.pk).current_workflow_task.specific.role == Role.LEADER.value

    # With a comment, through the modal's real URLs: the collect view validates, the action view acts.
    collected = client.post(collect, {"comment": "Bổ sung căn cứ pháp lý"}, headers={"x-requested-with": "XMLHttpRequest"})
    assert json.loads(collected.content)["step"] == "success"
    response = client.post(act, {"comment": "Bổ sung căn cứ pháp lý"})
    assert response.status_code == 302
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Bổ sung căn cứ pháp lý"

    # The drafter sees the comment, fixes the draft and resubmits: the step the leader sent back resumes.
    client.force_login(people.yt_officer)
    editor = html.unescape(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode())
    assert "Bổ sung căn cứ pháp lý" in editor
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    services.document_edit(page=page, by=people.yt_officer, change_summary="Ban hành lần đầu", purpose="<p>Đã bổ sung.</p>")
    services.document_submit(page=page, by=people.yt_officer)
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert page.current_workflow_task.specific.role == Role.LEADER.value

    # The leader approves with a comment.
    client.force_login(people.yt_leader)
    collect, act = urls(page, "approve")
    assert "<textarea" in modal(client.get(collect))
    assert client.post(act, {"comment": "Đồng ý ban hành"}).status_code == 302
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert page.live and page.issues.get().approved_by == people.yt_leader


def test_a_leader_of_another_unit_is_refused(client, make_document, people):
    page = at_leader_step(make_document, people)
    client.force_login(people.bh_leader)
    for action in ("reject", "approve"):
        collect, act = urls(page, action)
        assert_forbidden(client.get(collect))
        assert_forbidden(client.post(act, {"comment": "Không được"}))
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert page.workflow_in_progress and page.current_workflow_task.specific.role == Role.LEADER.value
