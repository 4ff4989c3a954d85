"""Reports are read by every role; quality officers set the quality objectives."""

from django.db import migrations

from qms.core.migration_helpers import grant

QUALITY_OFFICER, LEADER, AUDITOR, UNIT_STAFF = (
    "Cán bộ phụ trách ISO", "Lãnh đạo", "Chuyên gia đánh giá nội bộ", "Công chức một cửa",
)
READ = ["reporting.view_report", "reporting.view_qualityobjective"]
MANAGE = [*READ, "reporting.add_qualityobjective", "reporting.change_qualityobjective", "reporting.delete_qualityobjective"]


def forwards(apps, schema_editor):
    grant(apps, QUALITY_OFFICER, MANAGE)
    for group in (LEADER, AUDITOR, UNIT_STAFF):
        grant(apps, group, READ)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial"), ("core", "0002_roles")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
