"""
Wagtail creates two groups and a default workflow with English names; users see them (the group list, the
page editor's "Submit to Moderators approval"). Give them Vietnamese names.
"""

from django.db import migrations

GROUPS = {"Editors": "Biên tập viên trang", "Moderators": "Kiểm duyệt viên trang"}
WORKFLOWS = {"Moderators approval": "Phê duyệt của kiểm duyệt viên trang"}


def rename(apps, groups, workflows):
    Group = apps.get_model("auth", "Group")
    for old, new in groups.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    for model in ("Workflow", "Task"):
        for old, new in workflows.items():
            apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    rename(apps, GROUPS, WORKFLOWS)


def backwards(apps, schema_editor):
    rename(apps, {v: k for k, v in GROUPS.items()}, {v: k for k, v in WORKFLOWS.items()})


class Migration(migrations.Migration):
    dependencies = [("core", "0004_home_page"), ("wagtailcore", "0048_add_default_workflows")]
    operations = [migrations.RunPython(forwards, backwards)]
