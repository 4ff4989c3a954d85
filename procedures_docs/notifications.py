"""
What the document workflow tells whom (through `qms.notifications`, docs/notifications.md):

- a step starts (submission, or the review passed on to approval) → whoever can act on it;
- the workflow is approved, or changes are requested (with the comment) → whoever submitted it;
- the daily run: documents due for periodic review → their owners, one e-mail per person listing them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qms.core.roles import Role
from qms.core.text import person_name
from qms.notifications.models import NotificationKind
from qms.notifications.services import notify, unit_role_holders

#: Days ahead that count as "due soon" for periodic review.
REVIEW_DAYS_AHEAD = 30


def _document(obj):
    from procedures_docs.models import ControlledDocumentPage

    specific = getattr(obj, "specific", obj)
    return specific if isinstance(specific, ControlledDocumentPage) else None


def _edit_link(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _label(page) -> str:
    return f"{page.code} – {page.title}"


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""


def step_started_notify(*, task_state) -> None:
    """A workflow step started on a document: tell those who can act on it (not the drafters)."""
    from procedures_docs.models import UnitRoleApprovalTask

    page = _document(task_state.workflow_state.content_object)
    task = task_state.task.specific
    if page is None or not isinstance(task, UnitRoleApprovalTask):
        return  # the project's workflow has only these steps; another kind names no unit role
    state = task_state.workflow_state
    role = Role(task.role)
    with translation.override(settings.LANGUAGE_CODE):
        subject = (_("[ISO] To approve: %(document)s") if role == Role.LEADER else _("[ISO] To review: %(document)s")) % {
            "document": _label(page)}
        body = _("%(unit)s. Submitted by %(name)s on %(date)s; step “%(step)s”.") % {
            "unit": page.owner_unit.name, "name": person_name(state.requested_by), "date": _day(task_state.started_at),
            "step": task.name,
        }
    notify(
        recipients=unit_role_holders(page.owner_unit, role, can=lambda user: task.user_can_act(page, user)),
        kind=NotificationKind.DOCUMENT_SUBMITTED, key=f"document-step:{task_state.pk}", subject=subject, body=body,
        link=_edit_link(page), unit=page.owner_unit,
    )


def workflow_approved_notify(*, workflow_state, by) -> None:
    """The last step approved the document: tell whoever submitted it."""
    page = _document(workflow_state.content_object)
    if page is None:
        return
    last = workflow_state.task_states.order_by("-started_at", "-pk").first()
    comment = (last.comment if last else "") or ""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[ISO] Approved: %(document)s") % {"document": _label(page)}
        body = _("Approved by %(name)s on %(date)s.") % {"name": person_name(by), "date": _day(timezone.now())}
        if comment:
            body += "\n" + _("Comment: “%(comment)s”") % {"comment": comment}
    notify(
        recipients=[workflow_state.requested_by], exclude=[by], kind=NotificationKind.DOCUMENT_APPROVED,
        key=f"document-approved:{workflow_state.pk}", subject=subject, body=body, link=_edit_link(page),
        unit=page.owner_unit,
    )


def workflow_rejected_notify(*, workflow_state, by) -> None:
    """A reviewer or approver asked for changes: tell whoever submitted it, with the comment."""
    page = _document(workflow_state.content_object)
    task_state = workflow_state.current_task_state
    if page is None or task_state is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[ISO] Changes requested: %(document)s") % {"document": _label(page)}
        body = _("%(name)s asks for changes (%(date)s): “%(comment)s”") % {
            "name": person_name(by), "date": _day(task_state.finished_at), "comment": task_state.comment or ""}
        body += "\n" + _("Edit the draft and submit it again.")
    notify(
        recipients=[workflow_state.requested_by], exclude=[by], kind=NotificationKind.DOCUMENT_REJECTED,
        key=f"document-rejected:{task_state.pk}", subject=subject, body=body, link=_edit_link(page),
        unit=page.owner_unit,
    )


def reviews_due_notify(*, today: datetime.date) -> None:
    """
    The daily check: the owners of each document in force whose review is overdue or due within 30 days
    are told once per document and review period (the due date names the period). The daily run mails
    each person one e-mail listing all of them.
    """
    from procedures_docs.selectors import documents_in_force, with_review_due
    from procedures_docs.services import review_recipients

    horizon = today + datetime.timedelta(days=REVIEW_DAYS_AHEAD)
    pages = with_review_due(documents_in_force()).filter(review_due_on__lte=horizon).select_related("owner_unit")
    for page in pages.order_by("review_due_on", "code"):
        due_on = page.review_due_on
        legal = page.demand_due_on is not None and page.demand_due_on == due_on
        with translation.override(settings.LANGUAGE_CODE):
            if due_on < today:
                subject = _("[ISO] Review overdue since %(date)s: %(document)s")
            else:
                subject = _("[ISO] Review due on %(date)s: %(document)s")
            subject = subject % {"date": due_on.strftime("%d/%m/%Y"), "document": _label(page)}
            body = page.owner_unit.name + ". " + (
                _("The legal basis of a procedure it governs changed: update it within 3 months.") if legal
                else _("Review it; draft a new revision if needed and submit it for approval.")
            )
        notify(
            recipients=review_recipients(page), kind=NotificationKind.REVIEW_DUE,
            key=f"review-due:{page.pk}:{due_on.isoformat()}", subject=subject, body=body, link=_edit_link(page),
            unit=page.owner_unit,
        )
