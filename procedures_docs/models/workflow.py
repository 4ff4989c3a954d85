"""
The step type of the document workflow (review by a quality officer, approval by a leader): whoever
holds the step's role for the document's owning unit acts on it. A Wagtail group task cannot say
"leaders of this unit": group membership knows roles but not units.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.models import Task, TaskState

from qms.core.models.units import unit_ids_for_user
from qms.core.roles import Role, has_role

#: The name of the workflow that the data migration creates and every library uses.
DOCUMENT_WORKFLOW_NAME = "Soát xét và phê duyệt tài liệu"

MSG_COMMENT_REQUIRED = _("Say what must change: the drafter sees this comment.")


class RequestChangesForm(TaskStateCommentForm):
    """Requesting changes needs a comment: the drafter must know what to fix."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": MSG_COMMENT_REQUIRED})


def unit_of(obj) -> int | None:
    """The owning unit of a document, or the unit of a library."""
    return getattr(obj, "owner_unit_id", None) or getattr(obj, "unit_id", None)


class UnitRoleApprovalTask(Task):
    """A workflow step performed by the holders of `role` for the document's owning unit."""

    ROLE_CHOICES = [(Role.QUALITY_OFFICER.value, Role.QUALITY_OFFICER.label), (Role.LEADER.value, Role.LEADER.label)]

    role = models.CharField(_("role"), max_length=64, choices=ROLE_CHOICES)

    admin_form_fields = [*Task.admin_form_fields, "role"]

    class Meta:
        verbose_name = _("approval by a role of the owning unit")
        verbose_name_plural = _("approvals by a role of the owning unit")

    def user_can_act(self, obj, user) -> bool:
        if not getattr(user, "is_active", False):
            return False
        if user.is_superuser:
            return True
        return has_role(user, Role(self.role)) and unit_of(obj) in unit_ids_for_user(user)

    def start(self, workflow_state, user=None):
        obj = workflow_state.content_object
        if getattr(obj, "locked_by", None) and not self.user_can_act(obj, obj.locked_by):
            # The drafter's lock would keep the reviewer out; the step's actors take over.
            obj.locked, obj.locked_by, obj.locked_at = False, None, None
            obj.save(update_fields=["locked", "locked_by", "locked_at"])
        return super().start(workflow_state, user=user)

    def user_can_access_editor(self, obj, user):
        return self.user_can_act(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_can_act(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_can_act(obj, user)

    def get_actions(self, obj, user):
        if not self.user_can_act(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def get_form_for_action(self, action):
        return RequestChangesForm if action == "reject" else TaskStateCommentForm

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        if not has_role(user, Role(self.role)):
            return TaskState.objects.none()
        from procedures_docs.models.pages import ControlledDocumentPage

        units = unit_ids_for_user(user)
        page_ids = ControlledDocumentPage.objects.filter(owner_unit__in=units).values_list("pk", flat=True)
        return states.filter(workflow_state__object_id__in=[str(pk) for pk in page_ids])

    @classmethod
    def get_description(cls):
        return _("Users with the chosen role in the document's owning unit review or approve it")
