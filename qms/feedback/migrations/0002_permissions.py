"""Every role reads the citizen feedback of its units (the listing scopes by unit)."""

from django.db import migrations

from qms.core.migration_helpers import grant

ROLES = ["Cán bộ phụ trách ISO", "Lãnh đạo", "Chuyên gia đánh giá nội bộ", "Công chức một cửa"]


def grant_view(apps, schema_editor):
    for role in ROLES:
        grant(apps, role, ["feedback.view_citizenfeedback"])


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]
