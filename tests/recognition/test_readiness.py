"""Readiness of a unit: each rule at its boundary (12 months to the day)."""

import datetime

from django.urls import reverse

from qms.core.models.units import unit_graph_per_request
from recognition.readiness import readiness_of_units, twelve_months_before, unit_readiness
from recognition.services import review_create

D = datetime.date


def test_twelve_months_is_to_the_day():
    assert twelve_months_before(D(2026, 11, 27)) == D(2025, 11, 27)
    assert twelve_months_before(D(2024, 2, 29)) == D(2023, 2, 28)


def test_management_review_counts_for_twelve_months_to_the_day(units):
    unit = units["BN-BOHA"]
    assert not unit_readiness(unit, D(2026, 11, 27)).item("management_review").ok
    review_create(unit=unit, held_on=D(2025, 11, 27))
    assert unit_readiness(unit, D(2026, 11, 27)).item("management_review").ok
    item = unit_readiness(unit, D(2026, 11, 28)).item("management_review")
    assert not item.ok and "27/11/2025" in item.detail and item.next_step


def test_each_units_evidence_links_to_its_own_lists_within_one_request(units):
    """The lists' addresses are reversed once per request; each unit's link still names that unit."""
    bo_ha, yen_the = units["BN-BOHA"], units["BN-YENTHE"]
    with unit_graph_per_request():
        readiness = readiness_of_units([bo_ha, yen_the], D(2026, 11, 27))
    for unit in (bo_ha, yen_the):
        items = readiness[unit.pk]
        assert items.item("policy").evidence_url == f"{reverse('documents:master_list')}?unit={unit.pk}"
        assert items.item("risks").evidence_url.startswith(f"{reverse('risks:index')}?unit={unit.pk}")
        assert items.item("management_review").evidence_url == reverse("reviews:add")


def test_last_complete_period():
    from recognition.readiness import last_complete_period

    assert last_complete_period("year", D(2026, 11, 27)).date_from == D(2025, 1, 1)
    assert last_complete_period("year", D(2024, 12, 31)).date_from == D(2024, 1, 1)
    assert last_complete_period("quarter", D(2026, 10, 1)).date_to == D(2026, 9, 30)
    assert last_complete_period("month", D(2026, 11, 30)).date_from == D(2026, 11, 1)


def test_objectives_must_apply_and_be_measurable(units, tmp_path):
    from decimal import Decimal

    from qms.reporting.models import Comparator, Indicator, ObjectiveScope, PeriodKind, QualityObjective
    from tests.core.factories import AdministrativeProcedureFactory
    from tests.dossiers.helpers import import_rows

    unit = units["07288"]
    item = unit_readiness(unit, D(2025, 4, 1)).item("objectives")
    assert not item.ok and "Không có mục tiêu chất lượng" in item.detail
    QualityObjective.objects.create(title="Đúng hạn", unit=units["215"], scope=ObjectiveScope.EACH, indicator=Indicator.ON_TIME_RATE,
                                    comparator=Comparator.GTE, target=Decimal(98), period_kind=PeriodKind.MONTH)
    assert not unit_readiness(unit, D(2025, 4, 1)).item("objectives").ok  # applies, but March has no dossier
    AdministrativeProcedureFactory(code="P3", processing_days=3)
    import_rows(tmp_path, [("a", "07288", "P3", "truc_tiep", "03/03/2025", "06/03/2025", "05/03/2025", "", "")])
    item = unit_readiness(unit, D(2025, 4, 1)).item("objectives")
    assert item.ok and "1 đạt" in item.detail
    assert not unit_readiness(units["07294"], D(2025, 4, 1)).item("objectives").ok  # no dossier of Bố Hạ


def reported_audit(unit, *, on, clause_numbers, by, lead, title="Chương trình thử"):
    from audits import services
    from audits.models import ChecklistResult
    from tests.audits.factories import make_audit, make_programme, start_audit

    programme = make_programme(year=on.year, units=[unit], by=by, title=title)
    audit = make_audit(programme=programme, unit=unit, by=by, lead=lead, start=on, clause_numbers=clause_numbers)
    start_audit(audit, by=by, on=on)
    audit.checklist.update(result=ChecklistResult.CONFORMS)
    return services.audit_report(audit=audit, conclusion="Hệ thống phù hợp", by=by, on=on)


def test_internal_audit_must_cover_clauses_4_to_10_within_twelve_months(units, make_user):
    from qms.core.roles import Role

    officer = make_user(Role.QUALITY_OFFICER, units["215"], units["BN-BOHA"])
    lead = make_user(Role.AUDITOR, units["215"])
    unit = units["BN-BOHA"]
    assert "Chưa được đánh giá nội bộ" in unit_readiness(unit, D(2026, 11, 27)).item("internal_audit").detail
    reported_audit(unit, on=D(2025, 11, 27), clause_numbers=("7.5", "8.5"), by=officer, lead=lead)
    item = unit_readiness(unit, D(2026, 11, 27)).item("internal_audit")
    assert not item.ok and "4, 5, 6, 9, 10" in item.detail
    reported_audit(unit, on=D(2025, 11, 27), clause_numbers=("4", "5", "6", "9", "10.2"), by=officer, lead=lead,
                   title="Chương trình bổ sung")
    assert unit_readiness(unit, D(2026, 11, 27)).item("internal_audit").ok
    assert not unit_readiness(unit, D(2026, 11, 28)).item("internal_audit").ok  # twelve months and a day


def test_open_major_or_overdue_nonconformity_blocks(units, make_user):
    from audits import services
    from audits.models import NcSeverity
    from qms.core.roles import Role
    from tests.audits.factories import open_nc

    officer = make_user(Role.QUALITY_OFFICER, units["215"], units["BN-BOHA"])
    nc = open_nc(unit=units["07294"], by=officer, detected_on=D(2025, 3, 1), severity=NcSeverity.MAJOR, due_on=D(2025, 4, 30))
    boha = units["BN-BOHA"]  # carries Thị trấn Bố Hạ's history
    item = unit_readiness(boha, D(2025, 3, 1)).item("nonconformities")
    assert not item.ok and "1 nặng" in item.detail
    assert unit_readiness(boha, D(2025, 2, 28)).item("nonconformities").ok  # not detected yet
    nc.severity = NcSeverity.MINOR
    services.nonconformity_update(nc=nc, by=officer)
    assert unit_readiness(boha, D(2025, 4, 30)).item("nonconformities").ok  # due today: not overdue yet
    assert not unit_readiness(boha, D(2025, 5, 1)).item("nonconformities").ok
