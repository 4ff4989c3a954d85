"""
State changes of controlled documents (STYLE.md habit 3). The admin, the site, the demo loader,
the management command and the tests all call these; each validates, writes and logs in one place.

The review-and-approval itself is Wagtail's workflow (`document_submit`, `document_review` drive it
the way the editor's buttons do); the issue register row is written when the approval publishes
(`document_issue_record`, called from the `page_published` signal, in the same transaction).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import GroupPagePermission, Revision, TaskState, Workflow, WorkflowPage, WorkflowState

from procedures_docs.models import (
    DOCUMENT_WORKFLOW_NAME,
    Acknowledgement,
    ControlledDocumentPage,
    DocumentLibraryPage,
    DocumentType,
    DocumentWithdrawal,
    IssuedRevision,
    LibraryAccessGroup,
    ReviewDemand,
    UnitRoleApprovalTask,
    add_months,
)
from procedures_docs.models.workflow import MSG_OWN_DRAFT
from procedures_docs.permissions import workflow_states_of
from qms.core.freshness import records_changed
from qms.core.models import AdministrativeProcedure, HomePage, Membership, Unit
from qms.core.models.units import unit_ids_for_user
from qms.core.roles import Role, has_role, roles_of
from qms.core.text import ascii_slug, person_name

MSG_SUMMARY_REQUIRED = _("Say what this revision changes before submitting it for review.")
MSG_SUMMARY_UNCHANGED = _("The change summary is the one of the issue in force: say what this revision changes.")
MSG_OBSOLETE = _("This document is obsolete: it can no longer be changed.")
MSG_NOT_IN_FORCE = _("Only a document in force can be withdrawn.")
MSG_REASON_REQUIRED = _("Give the reason for withdrawing the document.")
MSG_WITHDRAW_DENIED = _("Only a leader of the owning unit can withdraw this document.")
MSG_NOT_YOUR_STEP = _("You cannot act on the current step of this document's review.")
MSG_NO_STEP = _("This document is not under review.")
MSG_NOTHING_TO_READ = _("This document has no issue in force to acknowledge.")
MSG_READ_DENIED = _("You cannot read this document.")
MSG_CHANGE_COMMENT_REQUIRED = _("Say what must change: the drafter sees this comment.")

#: Page permissions that each role's library group holds at its unit's library. Leaders hold no
#: publish permission: the approval step publishes (see permissions.DocumentPermissionTester).
LIBRARY_ROLE_PERMISSIONS = {
    Role.QUALITY_OFFICER: ["add_page", "change_page", "lock_page", "unlock_page"],
    Role.LEADER: ["change_page"],
}

#: A change of a TTHC's legal basis must be reflected in its procedures within 3 months (Decision 19/2014).
LEGAL_UPDATE_MONTHS = 3


# --- libraries and access ------------------------------------------------------------------------

def document_workflow() -> Workflow:
    return Workflow.objects.get(name=DOCUMENT_WORKFLOW_NAME)


def library_access_ensure(*, library: DocumentLibraryPage) -> dict[Role, Group]:
    """
    The groups that carry each role's page permissions at `library`, created when missing, and
    the document workflow attached to it. The one place that decides who may do what in the tree.
    """
    groups = {}
    for role, codenames in LIBRARY_ROLE_PERMISSIONS.items():
        link = LibraryAccessGroup.objects.filter(library=library, role=role.value).select_related("group").first()
        if link is None:
            group, _created = Group.objects.get_or_create(name=f"{role.value} · {library.unit.name} ({library.unit.code})")
            link = LibraryAccessGroup.objects.create(library=library, role=role.value, group=group)
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=link.group, page=library, permission=permission)
        groups[role] = link.group
    WorkflowPage.objects.get_or_create(page=library, defaults={"workflow": document_workflow()})
    return groups


def document_access_sync(*, users: Iterable | None = None) -> None:
    """
    Put each user in the library groups of the units they act on for their role (their memberships,
    the units below them and the units they succeeded: `unit_ids_for_user`), and out of the others.
    Called when a library is created and when roles, memberships or successions change.
    """
    User = get_user_model()
    links = list(LibraryAccessGroup.objects.select_related("library", "group"))
    if not links:
        return
    managed = {link.group_id for link in links}
    users = User.objects.all() if users is None else users
    for user in users:
        for cache in ("_qms_unit_ids", "_qms_member_unit_ids", "_qms_foreign_documents", "_qms_roles", "_qms_district_level", "_page_permission_cache", "_explorable_root_page_cache"):
            if hasattr(user, cache):
                delattr(user, cache)  # memberships, roles or groups may just have changed
        roles = {role.value for role in roles_of(user)} if user.is_active else set()
        units = unit_ids_for_user(user)
        wanted = {link.group_id for link in links if link.role in roles and link.library.unit_id in units}
        current = set(user.groups.filter(pk__in=managed).values_list("pk", flat=True))
        if wanted - current:
            user.groups.add(*(wanted - current))
        if current - wanted:
            user.groups.remove(*(current - wanted))


def library_create(*, unit: Unit, by=None, title: str = "", intro: str = "") -> DocumentLibraryPage:
    """A unit's document library under the home page, with its access groups and workflow."""
    home = HomePage.objects.first()
    title = title or f"Tài liệu HTQLCL – {unit.name}"
    library = DocumentLibraryPage(title=title, slug=ascii_slug(unit.name), unit=unit, intro=intro, owner=by)
    with transaction.atomic():
        home.add_child(instance=library)
        library.save_revision(user=by).publish(user=by, skip_permission_checks=True)
        library_setup(library=library)
    return library


def library_setup(*, library: DocumentLibraryPage) -> None:
    """What a new library needs, however it was created (this service or the page editor)."""
    library_access_ensure(library=library)
    document_access_sync()


# --- drafting and the workflow ----------------------------------------------------------------------

def check_change_summary(*, page: ControlledDocumentPage, summary: str) -> None:
    """A revision goes to review only with a summary of what it changes, not the previous one's."""
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"change_summary": MSG_SUMMARY_REQUIRED})
    current = page.current_issue if page.pk else None
    if current and summary == current.change_summary.strip():
        raise ValidationError({"change_summary": MSG_SUMMARY_UNCHANGED})


#: Set by the page tree when the page is added; not there yet when a new page is validated.
TREE_FIELDS = ["path", "depth", "numchild", "url_path"]


def _set_fields(page: ControlledDocumentPage, fields: dict) -> None:
    for name, value in fields.items():
        setattr(page, name, value)


def document_create(*, parent, by, code: str, title: str, doc_type: str = DocumentType.PROCEDURE, **fields) -> ControlledDocumentPage:
    """
    A new draft document under a library (or a form under a procedure). `fields` are page fields;
    applies_to, procedures and iso_clauses take lists. Nothing is issued until approved.
    """
    page = ControlledDocumentPage(
        code=code, title=title, doc_type=doc_type, slug=ascii_slug(code), owner=by, live=False, has_unpublished_changes=True,
    )
    _set_fields(page, fields)
    page._parent_for_clean = parent.specific
    page.full_clean(exclude=TREE_FIELDS)  # a draft is saved with a minimal clean: check it all here
    with transaction.atomic():
        parent.add_child(instance=page)
        page.save_revision(user=by, log_action=True)
    log(page, "wagtail.create", user=by)
    return page


def document_edit(*, page: ControlledDocumentPage, by, **fields) -> Revision:
    """Save a new draft revision of `page` on top of its latest one. The version in force is untouched."""
    page = ControlledDocumentPage.objects.get(pk=page.pk)  # the caller's copy may not know the latest revision
    if page.is_obsolete:
        raise ValidationError(MSG_OBSOLETE)
    draft = page.get_latest_revision_as_object()
    _set_fields(draft, fields)
    draft.full_clean()
    return draft.save_revision(user=by, log_action=True)


def document_submit(*, page: ControlledDocumentPage, by) -> WorkflowState:
    """Send the latest draft to review (or back to it after changes were requested)."""
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    if page.is_obsolete:
        raise ValidationError(MSG_OBSOLETE)
    if not page.permissions_for_user(by).can_edit():
        raise PermissionDenied
    check_change_summary(page=page, summary=page.get_latest_revision_as_object().change_summary)
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=by)
        return state
    return page.get_workflow().start(page, by)


def document_review(*, page: ControlledDocumentPage, by, approve: bool, comment: str = "") -> None:
    """Approve the current step (review or approval) or request changes with a comment."""
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    task = page.current_workflow_task
    if task is None:
        raise ValidationError(MSG_NO_STEP)
    task = task.specific
    if task.refuses_drafter(page, by):
        raise PermissionDenied(MSG_OWN_DRAFT)  # separation of duties: somebody else reviews and approves
    if not task.user_can_act(page, by):
        raise PermissionDenied(MSG_NOT_YOUR_STEP)
    if not approve and not comment.strip():
        raise ValidationError({"comment": MSG_CHANGE_COMMENT_REQUIRED})
    task.on_action(page.current_workflow_task_state, by, "approve" if approve else "reject", comment=comment)


def _position(user, unit_id: int | None) -> str:
    """The user's position in the owning unit (or their first membership), for the sign-off table."""
    if user is None:
        return ""
    memberships = Membership.objects.filter(user=user).order_by("pk")
    own = memberships.filter(unit_id=unit_id).first() if unit_id else None
    membership = own or memberships.first()
    return membership.position if membership else ""


def _issuing_workflow(page, revision) -> WorkflowState | None:
    """The approved workflow that publishes `revision` now, if this issue came through one."""
    state = workflow_states_of(page).order_by("-created_at", "-pk").first()
    if state is None or state.status != WorkflowState.STATUS_APPROVED:
        return None
    if IssuedRevision.objects.filter(workflow_state=state).exists():
        return None  # that approval already issued an earlier revision
    return state


def document_issue_record(*, page: ControlledDocumentPage, revision: Revision) -> IssuedRevision | None:
    """
    Write the register row of a revision that was just published: the next revision number, the
    effective date (today), who drafted, reviewed and approved it, and the change summary. Called
    inside the publishing transaction. A publication scheduled for later is not an issue yet.
    """
    with transaction.atomic():  # a superuser's direct publish runs outside any transaction
        return _issue_record(page=page, revision=revision)


def _issue_record(*, page: ControlledDocumentPage, revision: Revision) -> IssuedRevision | None:
    page = ControlledDocumentPage.objects.select_for_update().get(pk=page.pk)  # numbers are given one at a time
    if not (page.live and page.live_revision_id == revision.pk):
        return None
    existing = IssuedRevision.objects.filter(revision=revision).first()
    if existing:
        return existing
    content = revision.as_object()
    state = _issuing_workflow(page, revision)
    drafter = reviewer = approver = None
    reviewed_at = submitted_at = None
    now = timezone.now()
    if state is not None:
        drafter, submitted_at = state.requested_by, state.created_at
        steps = list(
            state.task_states.filter(status=TaskState.STATUS_APPROVED).select_related("finished_by").order_by("finished_at", "pk")
        )
        roles = {t.pk: t.role for t in UnitRoleApprovalTask.objects.filter(pk__in=[s.task_id for s in steps])}
        review = next((s for s in steps if roles.get(s.task_id) == Role.QUALITY_OFFICER.value), None)
        if review is not None:
            reviewer, reviewed_at = review.finished_by, review.finished_at
        if steps:
            approver = steps[-1].finished_by
    else:
        drafter = approver = revision.user  # published directly (superuser repair)
    number = (page.issues.aggregate(n=Max("number"))["n"] or 0) + 1
    effective = timezone.localdate(now)
    issue = IssuedRevision(
        document=page, number=number, revision=revision, workflow_state=state,
        effective_date=effective, next_review_on=add_months(effective, content.review_interval_months),
        code=content.code, title=content.title,
        change_summary=content.change_summary.strip(), change_location=content.change_location,
        drafted_by=drafter, drafted_by_name=person_name(drafter), drafted_by_position=_position(drafter, page.owner_unit_id),
        submitted_at=submitted_at,
        reviewed_by=reviewer, reviewed_by_name=person_name(reviewer), reviewed_at=reviewed_at,
        reviewed_by_position=_position(reviewer, page.owner_unit_id),
        approved_by=approver, approved_by_name=person_name(approver), approved_at=now,
        approved_by_position=_position(approver, page.owner_unit_id),
    )
    issue.full_clean()
    issue.save()
    page.review_demands.filter(met_by__isnull=True).update(met_by=issue)
    records_changed(ReviewDemand)  # an UPDATE sends no signal: the panels of reviews due (qms.core.freshness)
    log(page, "procedures_docs.issue", user=approver, revision=revision,
        data={"number": number, "effective_date": effective.isoformat()})
    return issue


# --- obsolete documents -------------------------------------------------------------------------

def can_withdraw(user, page: ControlledDocumentPage) -> bool:
    if not getattr(user, "is_active", False):
        return False
    return user.is_superuser or (has_role(user, Role.LEADER) and page.owner_unit_id in unit_ids_for_user(user))


def document_withdraw(*, page: ControlledDocumentPage, on: datetime.date, reason: str, by) -> DocumentWithdrawal:
    """
    Make a document in force obsolete from `on`, with its issued forms. It stays readable with an
    "obsolete" banner, leaves the master list, and any review in progress on it is cancelled.
    """
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    if not can_withdraw(by, page):
        raise PermissionDenied(MSG_WITHDRAW_DENIED)
    if page.is_obsolete:
        raise ValidationError(MSG_OBSOLETE)
    if not page.live or page.current_issue is None:
        raise ValidationError(MSG_NOT_IN_FORCE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": MSG_REASON_REQUIRED})
    pages = [page] + [
        form for form in ControlledDocumentPage.objects.child_of(page).live()
        if form.current_issue is not None and not form.is_obsolete
    ]
    with transaction.atomic():
        for target in pages:
            record = DocumentWithdrawal(
                document=target, withdrawn_on=on, reason=reason, last_issue=target.current_issue,
                withdrawn_by=by, withdrawn_by_name=person_name(by),
            )
            record.full_clean()
            record.save()
            if (state := target.current_workflow_state) is not None:
                state.cancel(user=by)
            log(target, "procedures_docs.withdraw", user=by, data={"on": on.isoformat(), "reason": reason})
    return DocumentWithdrawal.objects.get(document=page)


# --- reading ----------------------------------------------------------------------------------

def document_acknowledge(*, page: ControlledDocumentPage, by, at: datetime.datetime | None = None) -> Acknowledgement:
    """"Tôi đã đọc và hiểu": `by` read the issue in force. Clicking again records nothing new."""
    from procedures_docs.selectors import can_read

    page = ControlledDocumentPage.objects.get(pk=page.pk)
    issue = page.current_issue
    if issue is None or page.is_obsolete or not page.live:
        raise ValidationError(MSG_NOTHING_TO_READ)
    if not can_read(by, page):
        raise PermissionDenied(MSG_READ_DENIED)
    acknowledgement, created = Acknowledgement.objects.get_or_create(
        user=by, issue=issue, defaults={"acknowledged_at": at or timezone.now()}
    )
    if created:
        log(page, "procedures_docs.acknowledge", user=by, data={"number": issue.number})
    return acknowledgement


# --- periodic review ------------------------------------------------------------------------------

def document_demand_review(
    *, page: ControlledDocumentPage, reason: str, raised_on: datetime.date, due_on: datetime.date,
    procedure: AdministrativeProcedure | None = None,
) -> ReviewDemand:
    """Mark a document for review by `due_on`, sooner than its periodic date if need be."""
    demand = ReviewDemand(document=page, procedure=procedure, reason=reason, raised_on=raised_on, due_on=due_on)
    demand.full_clean()
    demand.save()
    log(page, "procedures_docs.review_demand", data={"due_on": due_on.isoformat(), "reason": reason})
    return demand


def documents_demand_legal_update(*, procedure: AdministrativeProcedure, changed_on: datetime.date | None = None) -> list[ReviewDemand]:
    """
    The legal basis of `procedure` changed: every document in force that governs it is due for
    review within 3 months of the change. Documents already carrying an open demand for this change
    are left alone.
    """
    changed_on = changed_on or procedure.legal_basis_changed_on or timezone.localdate()
    due_on = add_months(changed_on, LEGAL_UPDATE_MONTHS)
    reason = str(_("The legal basis of %(code)s changed on %(date)s.") % {
        "code": procedure.code, "date": changed_on.strftime("%d/%m/%Y"),
    })
    demands = []
    documents = ControlledDocumentPage.objects.live().filter(procedures=procedure, withdrawal__isnull=True).distinct()
    for page in documents:
        if page.review_demands.filter(procedure=procedure, raised_on=changed_on, met_by__isnull=True).exists():
            continue
        demands.append(document_demand_review(page=page, reason=reason, raised_on=changed_on, due_on=due_on, procedure=procedure))
    return demands


def review_recipients(page: ControlledDocumentPage) -> list:
    """The owners of a document: the quality officers of its owning unit, and whoever created it if still one."""
    User = get_user_model()
    officers = User.objects.filter(
        is_active=True, groups__name=Role.QUALITY_OFFICER.value, memberships__unit_id=page.owner_unit_id
    ).exclude(email="")
    recipients = {user.pk: user for user in officers}
    owner = page.owner
    if owner and owner.is_active and owner.email and has_role(owner, Role.QUALITY_OFFICER) and (
        page.owner_unit_id in unit_ids_for_user(owner)
    ):
        recipients.setdefault(owner.pk, owner)
    return sorted(recipients.values(), key=lambda u: u.username)
