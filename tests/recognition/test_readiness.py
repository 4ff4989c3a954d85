"""Readiness of a unit: each rule at its boundary (12 months to the day)."""

import datetime

from recognition.readiness import twelve_months_before, unit_readiness
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
