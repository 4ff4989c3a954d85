"""Readiness items of the registers, to the day (12 months), and the annual cycle's reminders."""

import datetime

from qms.core.roles import Role
from qms.risks.services import context_review_record
from recognition.cycle import cycle_gaps
from recognition.readiness import readiness_of_units, unit_readiness
from tests.risks.helpers import make_action, make_risk

D = datetime.date


def test_context_reviewed_within_twelve_months_to_the_day(units, make_user):
    unit = units["BN-BOHA"]
    officer = make_user(Role.QUALITY_OFFICER, unit)
    item = unit_readiness(unit, D(2026, 11, 27)).item("context")
    assert not item.ok and item.detail == "Chưa xem xét lần nào." and item.next_step
    context_review_record(unit=unit, by=officer, on=D(2025, 11, 27))
    assert unit_readiness(unit, D(2026, 11, 27)).item("context").ok
    item = unit_readiness(unit, D(2026, 11, 28)).item("context")
    assert not item.ok and "27/11/2025" in item.detail


def test_risks_assessed_within_twelve_months_and_high_ones_treated(units, make_user):
    unit = units["BN-BOHA"]
    officer = make_user(Role.QUALITY_OFFICER, unit)
    assert not unit_readiness(unit, D(2026, 11, 27)).item("risks").ok
    high = make_risk(unit, officer, likelihood=4, impact=4, assessed_on=D(2025, 11, 27))
    item = unit_readiness(unit, D(2026, 11, 27)).item("risks")
    assert not item.ok and "1 rủi ro cao chưa có biện pháp xử lý" in item.detail
    assert item.next_step == "Lập biện pháp xử lý cho mọi rủi ro cao." and "flagged=true" in item.evidence_url
    make_action(high, officer, due_on=D(2026, 1, 1))
    assert unit_readiness(unit, D(2026, 11, 27)).item("risks").ok
    item = unit_readiness(unit, D(2026, 11, 28)).item("risks")
    assert not item.ok and "27/11/2025" in item.detail


def test_the_overview_reads_the_registers_of_all_units_at_once(units, make_user, django_assert_max_num_queries):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    context_review_record(unit=units["BN-BOHA"], by=officer, on=D(2026, 6, 1))
    readiness = readiness_of_units([units["BN-BOHA"], units["BN-YENTHE"]], D(2026, 11, 27))
    assert readiness[units["BN-BOHA"].pk].item("context").ok
    assert not readiness[units["BN-YENTHE"].pk].item("context").ok


def test_the_cycle_reminds_of_the_yearly_reviews(units, make_user):
    unit = units["BN-BOHA"]
    officer = make_user(Role.QUALITY_OFFICER, unit)
    gaps = cycle_gaps([unit.pk], D(2026, 11, 27))
    assert [u for u, _last in gaps.no_context_review] == [unit] and [u for u, _last in gaps.no_risk_review] == [unit]
    context_review_record(unit=unit, by=officer, on=D(2026, 1, 5))
    make_risk(unit, officer, assessed_on=D(2025, 12, 1))  # 11 months and more: reminded a month ahead
    gaps = cycle_gaps([unit.pk], D(2026, 11, 27))
    assert not gaps.no_context_review and gaps.no_risk_review == [(unit, D(2025, 12, 1))]
