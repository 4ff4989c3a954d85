"""Who may do what with dossier records: import (quality officers, unit staff), read (every role)."""

from django.db import migrations

from qms.core.migration_helpers import grant

QUALITY_OFFICER, LEADER, AUDITOR, UNIT_STAFF = (
    "Cán bộ phụ trách ISO", "Lãnh đạo", "Chuyên gia đánh giá nội bộ", "Công chức một cửa",
)
READ = ["dossiers.view_dossier"]
IMPORT = ["dossiers.view_dossier", "dossiers.add_importbatch", "dossiers.view_importbatch"]


def forwards(apps, schema_editor):
    for group in (QUALITY_OFFICER, UNIT_STAFF):
        grant(apps, group, IMPORT)
    for group in (LEADER, AUDITOR):
        grant(apps, group, READ)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial"), ("core", "0002_roles")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
