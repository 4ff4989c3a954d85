"""
Who may do what to which record. Django permissions (granted per role in migration 0004) say what a
role may do at all; these add the object rules: auditors work the audits they are on, unit staff
answer their units' nonconformities but never close them, leaders approve programmes. Which records
a user sees at all is `Model.objects.for_user(user)`; every view starts from it (another unit's
record by id is a 404).
"""

from django.contrib.auth import get_user_model
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from audits.models import (
    Audit,
    AuditProgramme,
    AuditStatus,
    CorrectiveAction,
    NcStatus,
    Nonconformity,
    ProgrammeStatus,
    audits_on_team,
)
from qms.core.pagescope import documents_of_other_units


def can_manage_audits(user) -> bool:
    """Quality officers: plan any audit in scope, close audits, run the programme."""
    return user.has_perm("audits.manage_audit")


def can_edit_programme(user, programme: AuditProgramme) -> bool:
    return user.has_perm("audits.change_auditprogramme") and programme.status == ProgrammeStatus.DRAFT


def can_approve_programme(user, programme: AuditProgramme) -> bool:
    return user.has_perm("audits.approve_auditprogramme") and programme.status == ProgrammeStatus.DRAFT


def can_copy_programme(user) -> bool:
    return user.has_perm("audits.add_auditprogramme")


def is_on_team(user, audit: Audit) -> bool:
    return user.is_superuser or audit.is_on_team(user)


def units_audited_now(user) -> set[int]:
    """Ids of the units audited by an audit that `user` leads or is on and that is not closed yet
    (planned ones included: the team reads the documents before going on site). Registered with
    `qms.core.roles.register_audit_scope` so the documents app lets the team read them."""
    return set(
        Audit.objects.exclude(status=AuditStatus.CLOSED)
        .filter(pk__in=audits_on_team(user)).values_list("unit_id", flat=True)
    )


def can_edit_plan(user, audit: Audit) -> bool:
    """The quality officer, or the audit's lead auditor, until the audit is reported."""
    if audit.status not in (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS):
        return False
    return can_manage_audits(user) or (user.has_perm("audits.change_audit") and audit.lead_auditor_id == user.pk)


def can_generate_checklist(user, audit: Audit) -> bool:
    if audit.status not in (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS):
        return False
    return can_manage_audits(user) or (user.has_perm("audits.change_checklistitem") and is_on_team(user, audit))


def can_work_checklist(user, audit: Audit) -> bool:
    """Record answers and findings: only the audit team, only while the audit is in progress."""
    return (
        audit.status == AuditStatus.IN_PROGRESS
        and user.has_perm("audits.change_checklistitem")
        and is_on_team(user, audit)
    )


def can_record_findings(user, audit: Audit) -> bool:
    return can_work_checklist(user, audit) and user.has_perm("audits.add_finding")


def can_start_audit(user, audit: Audit) -> bool:
    return audit.status == AuditStatus.PLANNED and (can_manage_audits(user) or audit.lead_auditor_id == user.pk)


def can_report_audit(user, audit: Audit) -> bool:
    return audit.status == AuditStatus.IN_PROGRESS and (user.is_superuser or audit.lead_auditor_id == user.pk)


def can_close_audit(user, audit: Audit) -> bool:
    return audit.status == AuditStatus.REPORTED and can_manage_audits(user)


def can_delete_audit(user, audit: Audit) -> bool:
    """Only a planned audit without any record is deleted; anything started is history."""
    return (
        user.has_perm("audits.delete_audit")
        and audit.status == AuditStatus.PLANNED
        and not audit.findings.exists()
        and not audit.checklist.exclude(result="").exists()
    )


def can_respond(user, nc: Nonconformity) -> bool:
    """Record correction, root cause and actions: the unit's staff and the quality officer."""
    return nc.status != NcStatus.CLOSED and user.has_perm("audits.change_nonconformity")


def can_plan_actions(user, nc: Nonconformity) -> bool:
    return can_respond(user, nc) and user.has_perm("audits.add_correctiveaction") and nc.status != NcStatus.OPEN


def can_complete_action(user, action: CorrectiveAction) -> bool:
    return (
        action.done_on is None
        and action.nonconformity.status != NcStatus.CLOSED
        and user.has_perm("audits.change_correctiveaction")
    )


def can_edit_nonconformity(user, nc: Nonconformity) -> bool:
    """Change the description, severity, due date: the quality officer, while it is not closed."""
    return nc.status != NcStatus.CLOSED and user.has_perm("audits.close_nonconformity")


def can_verify(user, nc: Nonconformity) -> bool:
    """The effectiveness check closes the nonconformity: quality officers only, never the unit's staff."""
    return nc.status == NcStatus.AWAITING_VERIFICATION and user.has_perm("audits.close_nonconformity")


def can_transfer(user) -> bool:
    return user.has_perm("audits.close_nonconformity")


# --- Evidence documents ------------------------------------------------------------------------


def _evidence_tree_path() -> str | None:
    """The tree path of the evidence parent collection (None before the first evidence upload)."""
    from wagtail.models import Collection

    from audits.services import EVIDENCE_COLLECTION

    return Collection.objects.filter(depth=2, name=EVIDENCE_COLLECTION).values_list("path", flat=True).first()


def evidence_collection_ids() -> set[int]:
    """The evidence collections (the parent and the units'), and any collection holding a fingerprinted
    evidence document."""
    from wagtail.models import Collection

    from audits.models import EvidenceFile

    ids = set(EvidenceFile.objects.values_list("document__collection_id", flat=True).distinct())
    path = _evidence_tree_path()
    if path:
        ids |= set(Collection.objects.filter(path__startswith=path).values_list("pk", flat=True))
    return ids


def without_evidence(documents):
    """`documents` minus evidence. By collection only: the document chooser's search can filter on
    no other field (Document.search_fields)."""
    return documents.exclude(collection__in=evidence_collection_ids())


def is_evidence(document) -> bool:
    from audits.models import EvidenceFile

    if EvidenceFile.objects.filter(document_id=document.pk).exists():
        return True
    path = _evidence_tree_path()
    return bool(path) and document.collection.path.startswith(path)


class DocumentPolicy(CollectionOwnershipPermissionPolicy):
    """
    Wagtail's permission policy for documents (collection permissions, uploaders edit their own),
    except that evidence is out of everyone's reach, superusers included: it is listed in no document
    index or chooser, and nobody edits, replaces, moves, tags or deletes it through a Wagtail URL
    (single or bulk), nor uploads into an evidence collection. Evidence is created by
    `audits.services.evidence_document_create` and read through `audits:attachment` only.
    Registered for the document model in `audits.wagtail_hooks`.
    """

    def __init__(self):
        from wagtail.documents import get_document_model, get_document_model_string

        super().__init__(get_document_model(), auth_model=get_document_model_string(), owner_field_name="uploaded_by_user")

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if is_evidence(instance) or instance.pk in documents_of_other_units(user):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def users_with_any_permission_for_instance(self, actions, instance):
        if is_evidence(instance):
            return get_user_model().objects.none()
        return super().users_with_any_permission_for_instance(actions, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        # Another unit's originals are not listed either (their titles and file names are its records).
        documents = without_evidence(super().instances_user_has_any_permission_for(user, actions))
        return documents.exclude(pk__in=documents_of_other_units(user))

    def collections_user_has_any_permission_for(self, user, actions):
        return super().collections_user_has_any_permission_for(user, actions).exclude(pk__in=evidence_collection_ids())
