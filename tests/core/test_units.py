"""Units in force on a date, successor chains across the 2025 merger, descendants, QMS status."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from qms.core.models import QmsStatus, Unit, UnitKind, UnitQmsStatus, UnitSuccession
from tests.core.factories import UnitFactory

D = datetime.date


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_in_force_before_and_after_the_2025_merger(units):
    communes = Unit.objects.filter(kind__in=[UnitKind.COMMUNE, UnitKind.TOWNSHIP])
    assert communes.in_force(D(2024, 12, 31)).count() == 19
    # Validity bounds are inclusive: the old units' last day is 30/6/2025.
    assert communes.in_force(D(2025, 6, 30)).count() == 19
    on_merger_day = communes.in_force(D(2025, 7, 1))
    assert codes(on_merger_day) == {"BN-YENTHE", "BN-BOHA", "BN-DONGKY", "BN-XUANLUONG", "BN-TAMTIEN"}
    assert "215" not in codes(Unit.objects.in_force(D(2025, 7, 1)))
    assert "215" in codes(Unit.objects.in_force(D(2020, 1, 1)))


def test_successor_of_each_old_unit_follows_the_2025_merger(units):
    assert units["07243"].successor_as_of(D(2025, 6, 30)) == units["07243"]  # not yet merged
    assert units["07243"].successor_as_of(D(2025, 7, 1)) == units["BN-XUANLUONG"]
    assert units["07288"].successor_as_of(D(2026, 1, 1)) == units["BN-YENTHE"]
    assert units["07294"].successor_as_of(D(2026, 1, 1)) == units["BN-BOHA"]
    assert codes(units["BN-YENTHE"].predecessors()) == {"07288", "07260", "07261", "07267", "07270", "07276", "07291"}


def test_successor_chain_follows_several_mergers(units):
    later = UnitFactory(name="Xã Hợp Nhất", code="FUTURE-1", valid_from=D(2030, 1, 1))
    UnitSuccession.objects.create(predecessor=units["BN-XUANLUONG"], successor=later, effective_on=D(2030, 1, 1))
    assert units["07246"].successor_as_of(D(2029, 12, 31)) == units["BN-XUANLUONG"]
    assert units["07246"].successor_as_of(D(2030, 1, 1)) == later
    assert "07246" in codes(later.predecessors())


def test_abolished_district_has_successors_but_no_single_heir(units):
    district = units["215"]
    assert district.successor_as_of(D(2026, 1, 1)) == district  # no primary successor: keeps its history
    assert district.successors_as_of(D(2026, 1, 1)).count() == 5
    assert district.successors_as_of(D(2025, 6, 30)).count() == 0


def test_rollup_map_sends_old_units_to_successors(units):
    mapping = Unit.objects.rollup_map(D(2025, 12, 31))
    assert mapping[units["07252"].pk] == units["BN-TAMTIEN"].pk
    assert mapping[units["BN-TAMTIEN"].pk] == units["BN-TAMTIEN"].pk
    before = Unit.objects.rollup_map(D(2024, 12, 31))
    assert before[units["07252"].pk] == units["07252"].pk


def test_descendants_of_the_district(units):
    below = units["215"].descendants(include_self=False)
    assert below.count() == 20  # 19 communes and townships + the district one-stop office
    assert units["215"] not in below
    assert set(Unit.objects.descendants_of([units["24"]])) >= set(below)


def test_qms_status_on_a_date(units):
    unit = units["07243"]
    UnitQmsStatus.objects.create(unit=unit, status=QmsStatus.BUILDING, since=D(2019, 6, 1))
    UnitQmsStatus.objects.create(unit=unit, status=QmsStatus.ANNOUNCED, since=D(2020, 6, 10), decision_number="15/QĐ-UBND")
    assert unit.qms_status_on(D(2019, 1, 1)) is None
    assert unit.qms_status_on(D(2020, 6, 9)).status == QmsStatus.BUILDING
    assert unit.qms_status_on(D(2020, 6, 10)).status == QmsStatus.ANNOUNCED


def test_announcement_without_decision_number_is_refused(units):
    status = UnitQmsStatus(unit=units["07243"], status=QmsStatus.ANNOUNCED, since=D(2020, 1, 1))
    with pytest.raises(ValidationError):
        status.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        status.save()


def test_valid_to_before_valid_from_is_refused(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(valid_from=D(2025, 1, 1), valid_to=D(2024, 1, 1))


def test_only_one_successor_carries_the_history(units):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitSuccession.objects.create(predecessor=units["07243"], successor=units["BN-BOHA"], effective_on=D(2025, 7, 1))
    # A second, non-primary successor (a split) is allowed.
    UnitSuccession.objects.create(
        predecessor=units["07243"], successor=units["BN-BOHA"], effective_on=D(2025, 7, 1), is_primary=False
    )


def test_what_a_unit_covers_includes_its_predecessors_and_what_was_below(units):
    covered = set(Unit.objects.covered_by([units["BN-BOHA"]]).values_list("code", flat=True))
    assert covered == {"BN-BOHA", "07294", "07273", "07279"}
    assert set(Unit.objects.covered_by([units["215"]]).values_list("code", flat=True)) >= {"215", "215-MC", "07243"}


def test_place_and_authority_names_for_documents(units):
    assert units["07288"].place_name == "Phồn Xương"
    assert units["BN-YENTHE"].place_name == "Yên Thế"
    assert units["215"].authority_name == "UBND huyện Yên Thế"
    assert units["07288"].authority_name == "UBND thị trấn Phồn Xương"
