"""
The review-and-approval workflow of controlled documents (review by a quality officer of the
owning unit, then approval by a leader of it; the approval publishes = issues the revision), and
what the role groups need beyond the page permissions of their library groups: quality officers
upload the originals (Word, PDF) attached to documents.
"""

from django.db import migrations

WORKFLOW_NAME = "Soát xét và phê duyệt tài liệu"  # = procedures_docs.models.DOCUMENT_WORKFLOW_NAME
QUALITY_OFFICER = "Cán bộ phụ trách ISO"
LEADER = "Lãnh đạo"
STEPS = [
    ("Soát xét (cán bộ phụ trách ISO)", QUALITY_OFFICER),
    ("Phê duyệt (lãnh đạo)", LEADER),
]


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    Task = apps.get_model("procedures_docs", "UnitRoleApprovalTask")
    content_type, _ = ContentType.objects.get_or_create(app_label="procedures_docs", model="unitroleapprovaltask")
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for order, (name, role) in enumerate(STEPS):
        task, _ = Task.objects.get_or_create(name=name, defaults={"role": role, "content_type": content_type, "active": True})
        # STACK.md: create the link row itself; workflow.workflow_tasks.create left a workflow with no tasks.
        WorkflowTask.objects.get_or_create(workflow_id=workflow.pk, task_id=task.pk, defaults={"sort_order": order})

    from qms.core.migration_helpers import ensure_permissions

    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    officers, _ = Group.objects.get_or_create(name=QUALITY_OFFICER)
    for codename in ("add_document", "change_document", "choose_document"):
        permission = Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=officers, collection=root, permission=permission)


def remove_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("procedures_docs", "UnitRoleApprovalTask").objects.filter(name__in=[n for n, _ in STEPS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("procedures_docs", "0001_initial"),
        ("core", "0002_roles"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
