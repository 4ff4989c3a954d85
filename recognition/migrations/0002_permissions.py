"""Who does what in the QMS journey: quality officers prepare reviews and record announcements;
leaders chair reviews and follow actions; everyone reads what concerns their units."""

from django.db import migrations

from qms.core.migration_helpers import grant

QUALITY_OFFICER = "Cán bộ phụ trách ISO"
LEADER = "Lãnh đạo"
AUDITOR = "Chuyên gia đánh giá nội bộ"
UNIT_STAFF = "Công chức một cửa"
READ = ["recognition.view_managementreview", "recognition.view_reviewaction", "recognition.view_conformityannouncement"]


def grant_roles(apps, schema_editor):
    grant(apps, QUALITY_OFFICER, [*READ, "recognition.add_managementreview", "recognition.change_managementreview",
                                  "recognition.change_reviewaction", "recognition.add_conformityannouncement"])
    grant(apps, LEADER, [*READ, "recognition.change_reviewaction"])
    grant(apps, AUDITOR, READ)
    grant(apps, UNIT_STAFF, [*READ, "recognition.change_reviewaction"])


class Migration(migrations.Migration):
    dependencies = [("recognition", "0001_initial"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
