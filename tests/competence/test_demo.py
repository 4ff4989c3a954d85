"""The demo's training: auditors certified (the demo audits stay valid), gaps in two communes, idempotent."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from qms.competence.models import INTERNAL_AUDITOR, CompetenceRequirement, TrainingRecord
from qms.competence.selectors import EXPIRING, competence_matrix
from qms.core.models import Unit
from recognition.readiness import readiness_of_units

pytestmark = pytest.mark.django_db


def test_the_demo_shows_complete_and_missing_units_and_loads_twice_alike():
    call_command("load_demo", "--scale", "0.02", stdout=io.StringIO())
    count = TrainingRecord.objects.count()
    call_command("load_demo", "--scale", "0.02", stdout=io.StringIO())
    assert TrainingRecord.objects.count() == count > 0
    today = timezone.localdate()
    units = {u.code: u for u in Unit.objects.filter(code__in=["BN-YENTHE", "BN-DONGKY", "BN-BOHA", "BN-TAMTIEN"])}
    found = readiness_of_units(list(units.values()), today)
    ok = {code: found[unit.pk].item("competence").ok for code, unit in units.items()}
    assert ok == {"BN-YENTHE": True, "BN-DONGKY": True, "BN-BOHA": False, "BN-TAMTIEN": False}
    assert "Hoàng Văn Nam" in found[units["BN-BOHA"].pk].item("competence").detail
    # Bố Hạ's auditor's refresher certificate runs out within weeks.
    matrix = competence_matrix(units["BN-BOHA"], today)
    row = next(r for r in matrix.rows if r.person.username == "danhgia.boha")
    assert row.cells[CompetenceRequirement.objects.get(code=INTERNAL_AUDITOR).pk].status == EXPIRING
    # Certificates come with their file.
    assert TrainingRecord.objects.filter(person__username="danhgia", certificate__startswith="competence/").exists()
