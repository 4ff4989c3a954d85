"""After the 2025 merger, open nonconformities of merged units are listed for transfer to the successor;
a transfer keeps the reference, the history and the original unit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits import selectors, services
from audits.models import CauseCategory, HistoryStep, Nonconformity
from tests.audits.factories import open_nc

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def open_at_merger(people, units):
    """Two open nonconformities of Thị trấn Phồn Xương (→ Xã Yên Thế) and Xã Đông Sơn (→ Xã Bố Hạ), one closed."""
    nc = open_nc(unit=units["07288"], by=people.qo, detected_on=D(2025, 5, 6))
    services.nonconformity_analyse(nc=nc, whys=["x"], cause_category=CauseCategory.METHOD, on=D(2025, 5, 8), by=people.staff)
    services.corrective_action_add(nc=nc, description="Sửa quy trình", responsible=people.staff, due_on=D(2025, 6, 30), by=people.staff)
    other = open_nc(unit=units["07273"], by=people.qo, detected_on=D(2025, 6, 2))
    closed = open_nc(unit=units["07294"], by=people.qo, detected_on=D(2025, 3, 2))
    services.nonconformity_analyse(nc=closed, whys=["x"], cause_category=CauseCategory.METHOD, on=D(2025, 3, 3), by=people.qo)
    action = services.corrective_action_add(nc=closed, description="x", responsible=people.qo, due_on=D(2025, 4, 1), by=people.qo)
    services.corrective_action_complete(action=action, done_on=D(2025, 3, 20), evidence="x", by=people.qo)
    closed.refresh_from_db()
    services.nonconformity_verify(nc=closed, effective=True, on=D(2025, 4, 20), by=people.qo)
    return nc, other


def test_open_nonconformities_of_merged_units_are_listed_with_their_successor(open_at_merger, people, units):
    nc, other = open_at_merger
    assert selectors.nonconformities_to_transfer(people.qo, on=D(2025, 6, 30)) == []
    candidates = {c.nonconformity.reference: (c.successor.code, c.open_actions) for c in selectors.nonconformities_to_transfer(people.qo, on=D(2025, 7, 2))}
    assert candidates == {nc.reference: ("BN-YENTHE", 1), other.reference: ("BN-BOHA", 0)}
    staff_view = selectors.nonconformities_to_transfer(people.staff, on=D(2025, 7, 2))
    assert [c.nonconformity for c in staff_view] == [nc], "each unit's staff see only their predecessors'"


def test_transfer_keeps_history_and_the_original_unit(open_at_merger, people, units):
    nc, _ = open_at_merger
    before = nc.history.count()
    services.nonconformity_transfer(nc=nc, to_unit=units["BN-YENTHE"], on=D(2025, 7, 15), by=people.qo)
    nc.refresh_from_db()
    assert (nc.unit, nc.original_unit, nc.transferred_on) == (units["BN-YENTHE"], units["07288"], D(2025, 7, 15))
    assert nc.reference.startswith("KPH-2025-") and nc.actions.count() == 1
    assert nc.history.count() == before + 1
    last = nc.history.first()
    assert last.history_change_reason == HistoryStep.NC_TRANSFERRED and last.history_user == people.qo
    assert nc.history.last().unit_id == units["07288"].pk, "the first history row still names the original unit"
    # It is no longer waiting, and the successor's register lists it with its original unit.
    assert nc not in [c.nonconformity for c in selectors.nonconformities_to_transfer(people.qo, on=D(2025, 7, 16))]
    assert Nonconformity.objects.filter(unit=units["BN-YENTHE"]).get() == nc


def test_transfer_only_to_the_successor(open_at_merger, people, units):
    nc, _ = open_at_merger
    with pytest.raises(ValidationError, match="Xã Bố Hạ không phải là đơn vị kế thừa của Thị trấn Phồn Xương"):
        services.nonconformity_transfer(nc=nc, to_unit=units["BN-BOHA"], on=D(2025, 7, 15), by=people.qo)


def test_transfer_through_the_screen(client_for, open_at_merger, people, units):
    nc, other = open_at_merger
    client = client_for(people.qo)
    page = client.get(reverse("nonconformities:transfer")).content.decode()
    assert nc.reference in page and "→ Xã Yên Thế" in page and "→ Xã Bố Hạ" in page
    response = client.post(reverse("nonconformities:transfer"), {"nonconformities": [nc.pk]}, follow=True)
    assert "Đã chuyển 1 điểm không phù hợp cho đơn vị kế thừa." in response.content.decode()
    nc.refresh_from_db()
    other.refresh_from_db()
    assert nc.unit == units["BN-YENTHE"] and other.unit == units["07273"]
    detail = client.get(reverse("nonconformities:detail", args=[nc.pk])).content.decode()
    assert "chuyển từ Thị trấn Phồn Xương ngày" in detail
