"""What each role may do with audits and nonconformities (the unit scoping comes on top, in code)."""

from django.db import migrations

from qms.core.migration_helpers import grant

QUALITY_OFFICER = "Cán bộ phụ trách ISO"
LEADER = "Lãnh đạo"
AUDITOR = "Chuyên gia đánh giá nội bộ"
UNIT_STAFF = "Công chức một cửa"


def perms(model, *actions):
    return [f"audits.{action}_{model}" for action in actions]


PERMISSIONS = {
    # Runs the programme, plans and closes audits, verifies and closes nonconformities.
    QUALITY_OFFICER: [
        *perms("auditprogramme", "view", "add", "change", "delete"),
        *perms("audit", "view", "add", "change", "delete"),
        "audits.manage_audit",
        *perms("checklistitem", "view"),
        *perms("finding", "view"),
        *perms("nonconformity", "view", "add", "change"),
        "audits.close_nonconformity",
        *perms("correctiveaction", "view", "add", "change"),
        *perms("questionbankitem", "view", "add", "change"),
        *perms("reminderlog", "view"),
    ],
    # Reads everything in scope; approves the programme.
    LEADER: [
        *perms("auditprogramme", "view"),
        "audits.approve_auditprogramme",
        *perms("audit", "view"),
        *perms("checklistitem", "view"),
        *perms("finding", "view"),
        *perms("nonconformity", "view"),
        *perms("correctiveaction", "view"),
        *perms("questionbankitem", "view"),
    ],
    # Works the audits they are on (the object check is in audits.permissions).
    AUDITOR: [
        *perms("auditprogramme", "view"),
        *perms("audit", "view", "change"),
        *perms("checklistitem", "view", "change"),
        *perms("finding", "view", "add"),
        *perms("nonconformity", "view"),
        *perms("correctiveaction", "view"),
        *perms("questionbankitem", "view"),
    ],
    # Answers their unit's nonconformities: correction, root cause, actions; never closes them.
    UNIT_STAFF: [
        *perms("audit", "view"),
        *perms("checklistitem", "view"),
        *perms("finding", "view"),
        *perms("nonconformity", "view", "change"),
        *perms("correctiveaction", "view", "add", "change"),
    ],
}


def grant_all(apps, schema_editor):
    for group, codenames in PERMISSIONS.items():
        grant(apps, group, codenames)


def revoke_all(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="audits"))


class Migration(migrations.Migration):
    dependencies = [("audits", "0003_question_bank"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant_all, revoke_all)]
