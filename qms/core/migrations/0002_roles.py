"""The four role groups of DOMAIN.md and their shared-domain permissions."""

from django.db import migrations

from qms.core.migration_helpers import grant

QUALITY_OFFICER = "Cán bộ phụ trách ISO"
LEADER = "Lãnh đạo"
AUDITOR = "Chuyên gia đánh giá nội bộ"
UNIT_STAFF = "Công chức một cửa"

READ_CATALOGUES = [
    "wagtailadmin.access_admin",
    "core.view_unit",
    "core.view_isoclause",
    "core.view_administrativeprocedure",
    "core.view_membership",
]


def create_roles(apps, schema_editor):
    grant(apps, QUALITY_OFFICER, [*READ_CATALOGUES, "core.add_administrativeprocedure", "core.change_administrativeprocedure"])
    grant(apps, LEADER, READ_CATALOGUES)
    grant(apps, AUDITOR, READ_CATALOGUES)
    grant(apps, UNIT_STAFF, READ_CATALOGUES)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[QUALITY_OFFICER, LEADER, AUDITOR, UNIT_STAFF]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
