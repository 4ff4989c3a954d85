"""Who does what in the context and risk registers: quality officers and leaders keep them; auditors
and one-stop officers read their units' (an action's owner records it done through its own screen)."""

from django.db import migrations

from qms.core.migration_helpers import grant

QUALITY_OFFICER = "Cán bộ phụ trách ISO"
LEADER = "Lãnh đạo"
AUDITOR = "Chuyên gia đánh giá nội bộ"
UNIT_STAFF = "Công chức một cửa"
MODELS = ["contextissue", "interestedparty", "contextreview", "risk", "riskaction"]
READ = [f"risks.view_{model}" for model in MODELS]
EDIT = [f"risks.{action}_{model}" for model in MODELS for action in ("add", "change")]


def grant_roles(apps, schema_editor):
    grant(apps, QUALITY_OFFICER, [*READ, *EDIT])
    grant(apps, LEADER, [*READ, *EDIT])
    grant(apps, AUDITOR, READ)
    grant(apps, UNIT_STAFF, READ)


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
