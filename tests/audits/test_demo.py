"""The audit demo tells the story the issue asks for, and keeps its own rules."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from audits.models import (
    Audit,
    AuditStatus,
    CorrectiveAction,
    FindingKind,
    NcSource,
    NcStatus,
    Nonconformity,
    ProgrammeStatus,
)
from qms.core.demo import MERGER_DAY
from qms.core.models import Membership

pytestmark = pytest.mark.django_db


def test_demo_programmes_audits_and_nonconformities():
    call_command("load_demo", "--scale", "0.05", stdout=io.StringIO())
    today = timezone.localdate()
    audits_2024 = Audit.objects.filter(programme__year=2024)
    assert audits_2024.count() == 19 and audits_2024.values("unit").distinct().count() == 19
    assert set(audits_2024.values_list("status", flat=True)) == {AuditStatus.CLOSED}
    assert all(p == ProgrammeStatus.APPROVED for p in Audit.objects.values_list("programme__status", flat=True))

    this_year = Audit.objects.exclude(programme__year=2024)
    assert sorted(this_year.values_list("unit__code", flat=True)) == ["BN-BOHA", "BN-DONGKY", "BN-TAMTIEN", "BN-XUANLUONG", "BN-YENTHE"]
    assert {AuditStatus.PLANNED, AuditStatus.IN_PROGRESS, AuditStatus.REPORTED, AuditStatus.CLOSED} <= set(this_year.values_list("status", flat=True))

    kinds = set(Audit.objects.values_list("findings__kind", flat=True))
    assert set(FindingKind.values) <= kinds
    assert set(NcStatus.values) == set(Nonconformity.objects.values_list("status", flat=True))
    assert set(NcSource.values) - {NcSource.OTHER} <= set(Nonconformity.objects.values_list("source", flat=True))
    assert Nonconformity.objects.filter(reopened_count__gt=0, status=NcStatus.CLOSED).exists()

    # Some 2024 nonconformities were still open at the merger: some handed over, some still waiting.
    open_at_merger = Nonconformity.objects.filter(detected_on__lt=MERGER_DAY).exclude(closed_on__lt=MERGER_DAY)
    assert open_at_merger.filter(transferred_on__isnull=False).exists()
    assert open_at_merger.filter(transferred_on__isnull=True, unit__valid_to__lt=today).exclude(status=NcStatus.CLOSED).exists()

    # A few actions overdue today, one due within a week.
    assert CorrectiveAction.objects.overdue(today).exists()
    assert CorrectiveAction.objects.due_within(today, 7).exists()

    # Impartiality holds for every audit: no team member is a member of the unit audited.
    for audit in Audit.objects.prefetch_related("auditors"):
        team = [u.pk for u in audit.team()]
        assert not Membership.objects.filter(unit=audit.unit, user__in=team).exists(), audit

    # Every record has a history row with a user.
    assert not Nonconformity.history.filter(history_user__isnull=True).exists()
    assert not Audit.history.filter(history_user__isnull=True).exists()
