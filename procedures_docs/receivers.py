"""
Where this app listens to events it does not own. Each receiver only hands over to a service:

- Wagtail publishes a document revision (workflow approval): write the issue register row, in the
  same transaction, whatever path the publication took.
- core says a TTHC's legal basis changed: the documents governing it are due for review.
- Wagtail starts a workflow step, approves a workflow or has changes requested: the people concerned
  are notified (procedures_docs.notifications).
- core's roles, memberships, units or successions change: the per-unit library groups that carry
  the page permissions follow (they are derived data; core cannot call this app).
- A document is withdrawn: what the request knew of the obsolete documents is read again.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import WorkflowState
from wagtail.signals import page_published, task_submitted, workflow_approved, workflow_rejected

from qms.core.models import Membership, Unit, UnitSuccession
from qms.core.models.units import per_request_forget
from qms.core.signals import legal_basis_changed


def on_page_published(sender, instance, revision, **kwargs):
    from procedures_docs.services import document_issue_record

    document_issue_record(page=instance, revision=revision)


def on_legal_basis_changed(sender, procedure, by=None, **kwargs):
    from procedures_docs.services import documents_demand_legal_update

    documents_demand_legal_update(procedure=procedure)


def on_task_submitted(sender, instance, user=None, **kwargs):
    from procedures_docs.notifications import step_started_notify

    step_started_notify(task_state=instance)


def on_workflow_approved(sender, instance, user=None, **kwargs):
    from procedures_docs.notifications import workflow_approved_notify

    workflow_approved_notify(workflow_state=instance, by=user)


def on_workflow_rejected(sender, instance, user=None, **kwargs):
    from procedures_docs.notifications import workflow_rejected_notify

    workflow_rejected_notify(workflow_state=instance, by=user)


def _sync(users=None):
    from procedures_docs.services import document_access_sync

    document_access_sync(users=users)


def on_membership_changed(sender, instance, **kwargs):
    _sync([instance.user])


def on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from procedures_docs.models import LibraryAccessGroup

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    User = get_user_model()
    if not reverse:
        # instance is a user; ignore the sync's own changes to library groups
        if pk_set and set(pk_set) <= set(LibraryAccessGroup.objects.values_list("group_id", flat=True)):
            return
        _sync([instance])
    elif not LibraryAccessGroup.objects.filter(group=instance).exists():
        _sync(User.objects.filter(pk__in=pk_set or []))


def on_units_changed(sender, **kwargs):
    _sync()


def on_withdrawal_changed(sender, **kwargs):
    from procedures_docs.models.pages import WITHDRAWN_KEY

    per_request_forget(WITHDRAWN_KEY)


def connect():
    from procedures_docs.models import ControlledDocumentPage, DocumentWithdrawal

    page_published.connect(on_page_published, sender=ControlledDocumentPage, dispatch_uid="procedures_docs_issue")
    task_submitted.connect(on_task_submitted, dispatch_uid="procedures_docs_step_notify")
    workflow_approved.connect(on_workflow_approved, sender=WorkflowState, dispatch_uid="procedures_docs_approved_notify")
    workflow_rejected.connect(on_workflow_rejected, sender=WorkflowState, dispatch_uid="procedures_docs_rejected_notify")
    legal_basis_changed.connect(on_legal_basis_changed, dispatch_uid="procedures_docs_legal_update")
    for signal in (post_save, post_delete):
        signal.connect(on_membership_changed, sender=Membership, dispatch_uid=f"procedures_docs_membership_{signal}")
        signal.connect(on_units_changed, sender=UnitSuccession, dispatch_uid=f"procedures_docs_succession_{signal}")
        signal.connect(on_withdrawal_changed, sender=DocumentWithdrawal, dispatch_uid=f"procedures_docs_withdrawal_{signal}")
    post_save.connect(on_units_changed, sender=Unit, dispatch_uid="procedures_docs_unit")
    m2m_changed.connect(on_groups_changed, sender=get_user_model().groups.through, dispatch_uid="procedures_docs_groups")
