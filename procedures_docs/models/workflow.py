"""
The step type of the document workflow (review by a quality officer, approval by a leader): whoever
holds the step's role for the document's owning unit acts on it, except whoever drafted the revision
(separation of duties, ISO 9001 7.5.2). A Wagtail group task cannot say "leaders of this unit": group
membership knows roles but not units.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.forms import TaskStateCommentForm
from wagtail.locks import WorkflowLock
from wagtail.models import Page, Revision, Task, TaskState

from qms.core.models.units import unit_ids_for_user
from qms.core.roles import Role, has_role

#: The name of the workflow that the data migration creates and every library uses.
DOCUMENT_WORKFLOW_NAME = "Soát xét và phê duyệt tài liệu"

MSG_COMMENT_REQUIRED = _("Say what must change: the drafter sees this comment.")
MSG_OWN_DRAFT = _(
    "You drafted this revision, so you can neither review nor approve it: another holder of this step's "
    "role in the owning unit must (separation of duties, ISO 9001 clause 7.5.2)."
)


def separation_of_duties() -> bool:
    """Whether drafters are kept off the review and approval of their own revisions. On unless the
    install sets `QMS_SEPARATION_OF_DUTIES = False` (one install serves one district)."""
    return getattr(settings, "QMS_SEPARATION_OF_DUTIES", True)


def drafters_of(obj) -> set[int]:
    """
    Ids of the users who drafted the revision now in the workflow: whoever submitted it, the author of
    the revision under moderation, and whoever saved any revision of the document since its last issue
    (a reviewer who rewrites it becomes one of its drafters too).
    """
    ids = set()
    state = obj.current_workflow_state
    if state is not None:
        ids.add(state.requested_by_id)
        task_state = state.current_task_state
        if task_state is not None and task_state.revision_id:
            ids.add(Revision.objects.filter(pk=task_state.revision_id).values_list("user_id", flat=True).first())
    revisions = Revision.objects.filter(base_content_type=obj.get_base_content_type(), object_id=str(obj.pk))
    if obj.live_revision_id:
        revisions = revisions.filter(pk__gt=obj.live_revision_id)  # pks, not dates: the demo back-dates revisions
    ids.update(revisions.values_list("user_id", flat=True))
    ids.discard(None)
    return ids


def drafted_by(user):
    """The pages `user` drafted since their last issue (the queryset form of `drafters_of`, for lists)."""
    own = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), user=user,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        pk__gt=Coalesce(OuterRef("live_revision_id"), 0),
    )
    return Page.objects.filter(Exists(own))


class RequestChangesForm(TaskStateCommentForm):
    """Requesting changes needs a comment: the drafter must know what to fix."""

    comment = forms.CharField(label=pgettext_lazy("approval", "Comment"), widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": MSG_COMMENT_REQUIRED})


def unit_of(obj) -> int | None:
    """The owning unit of a document, or the unit of a library. Wagtail's workflow views and the
    workflow state pass a base `Page`, which has neither field: read them from the specific page."""
    specific = obj.specific_deferred if isinstance(obj, Page) else obj
    return getattr(specific, "owner_unit_id", None) or getattr(specific, "unit_id", None)


class DutiesWorkflowLock(WorkflowLock):
    """Wagtail's lock of a page in a workflow step, telling a drafter why they cannot act on it."""

    def get_message(self, user):
        if self.for_user(user) and self.task.refuses_drafter(self.object, user):
            return str(MSG_OWN_DRAFT)
        return super().get_message(user)


class UnitRoleApprovalTask(Task):
    """A workflow step performed by the holders of `role` for the document's owning unit."""

    ROLE_CHOICES = [(Role.QUALITY_OFFICER.value, Role.QUALITY_OFFICER.label), (Role.LEADER.value, Role.LEADER.label)]

    role = models.CharField(_("role"), max_length=64, choices=ROLE_CHOICES)

    admin_form_fields = [*Task.admin_form_fields, "role"]
    lock_class = DutiesWorkflowLock

    class Meta:
        verbose_name = _("approval by a role of the owning unit")
        verbose_name_plural = _("approvals by a role of the owning unit")

    def holds_step(self, obj, user) -> bool:
        """Holds this step's role for the document's owning unit (superusers hold every step)."""
        if not getattr(user, "is_active", False):
            return False
        if user.is_superuser:
            return True
        return has_role(user, Role(self.role)) and unit_of(obj) in unit_ids_for_user(user)

    def refuses_drafter(self, obj, user) -> bool:
        """True when `user` would hold this step but drafted the revision (separation of duties)."""
        return separation_of_duties() and self.holds_step(obj, user) and user.pk in drafters_of(obj)

    def user_can_act(self, obj, user) -> bool:
        if not self.holds_step(obj, user):
            return False
        return not (separation_of_duties() and user.pk in drafters_of(obj))

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        # The admin's views check get_actions before calling this; the page editor may save the actor's
        # own changes first (approve with edits), which makes them a drafter: check again, atomically.
        obj = task_state.workflow_state.content_object
        if action_name in ("approve", "reject") and not self.user_can_act(obj, user):
            raise PermissionDenied(MSG_OWN_DRAFT) if self.refuses_drafter(obj, user) else PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

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
            ("approve", pgettext_lazy("approval", "Approve"), False),
            ("approve", pgettext_lazy("approval", "Approve with comment"), True),
        ]

    def get_form_for_action(self, action):
        return RequestChangesForm if action == "reject" else TaskStateCommentForm

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if not getattr(user, "is_active", False):
            return TaskState.objects.none()
        if not user.is_superuser:
            if not has_role(user, Role(self.role)):
                return TaskState.objects.none()
            from procedures_docs.models.pages import ControlledDocumentPage

            units = unit_ids_for_user(user)
            page_ids = ControlledDocumentPage.objects.filter(owner_unit__in=units).values_list("pk", flat=True)
            states = states.filter(workflow_state__object_id__in=[str(pk) for pk in page_ids])
        if separation_of_duties():
            drafted = [str(pk) for pk in drafted_by(user).values_list("pk", flat=True)]
            states = states.exclude(
                Q(workflow_state__requested_by=user) | Q(revision__user=user) | Q(workflow_state__object_id__in=drafted)
            )
        return states

    @classmethod
    def get_description(cls):
        return _("Users with the chosen role in the document's owning unit review or approve it")
