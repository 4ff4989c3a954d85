"""
Wagtail mails on workflow events itself (English templates; submissions only to superusers). This app
sends those notifications instead, in Vietnamese, to the people who act: Wagtail's workflow mails are
disconnected and its Account switches for them hidden, so nobody is told twice or offered a switch
that does nothing. Its page-comment switch stays.
"""

from wagtail.admin.views import account
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

WAGTAIL_WORKFLOW_MAILS = (
    (task_submitted, TaskState, "group_approval_task_submitted_email_notification"),
    (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification"),
    (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification"),
    (workflow_approved, WorkflowState, "workflow_state_approved_email_notification"),
)


def apply():
    from .forms import CommentNotificationsForm

    # Runs after wagtail.admin's ready() (INSTALLED_APPS order), which connected the handlers.
    account.NotificationsSettingsPanel.form_class = CommentNotificationsForm
    disconnect_wagtail_mails()


def disconnect_wagtail_mails():
    for signal, sender, uid in WAGTAIL_WORKFLOW_MAILS:
        signal.disconnect(sender=sender, dispatch_uid=uid)
