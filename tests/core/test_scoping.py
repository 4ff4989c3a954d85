"""`.for_user(user)`: each role sees exactly its units, and the records owned by them."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from qms.core.models import Membership, QmsStatus, Unit, UnitQmsStatus
from qms.core.roles import Role, has_role

OLD_19 = {
    "07288", "07294", "07243", "07246", "07249", "07252", "07255", "07258", "07260", "07261",
    "07264", "07267", "07270", "07273", "07276", "07279", "07282", "07285", "07291",
}
NEW_5 = {"BN-YENTHE", "BN-BOHA", "BN-DONGKY", "BN-XUANLUONG", "BN-TAMTIEN"}
DISTRICT_SCOPE = {"215", "215-MC"} | OLD_19 | NEW_5


def visible(user):
    return set(Unit.objects.for_user(user).values_list("code", flat=True))


@pytest.mark.parametrize("username", ["qlcl", "lanhdao", "danhgia"])
def test_district_roles_see_the_district_and_its_successors(demo_users, username):
    assert visible(demo_users[username]) == DISTRICT_SCOPE


def test_staff_of_a_merged_commune_see_it_and_its_predecessors_only(demo_users):
    assert visible(demo_users["motcua"]) == {"BN-YENTHE", "07288", "07260", "07261", "07267", "07270", "07276", "07291"}
    assert visible(demo_users["motcua.boha"]) == {"BN-BOHA", "07294", "07273", "07279"}


def test_admin_sees_everything_and_strangers_nothing(demo_users, make_user):
    assert visible(demo_users["admin"]) == set(Unit.objects.values_list("code", flat=True))
    assert visible(AnonymousUser()) == set()
    assert visible(make_user(Role.UNIT_STAFF)) == set()


def test_each_demo_user_has_exactly_their_role(demo_users):
    assert has_role(demo_users["qlcl"], Role.QUALITY_OFFICER)
    assert not has_role(demo_users["qlcl"], Role.LEADER)
    assert has_role(demo_users["lanhdao"], Role.LEADER)
    assert has_role(demo_users["danhgia"], Role.AUDITOR)
    assert has_role(demo_users["motcua"], Role.UNIT_STAFF)
    assert not has_role(demo_users["motcua"], Role.QUALITY_OFFICER, Role.LEADER, Role.AUDITOR)


def test_unit_scoped_records_follow_the_same_rule(demo_users, units):
    on = datetime.date(2020, 1, 1)
    for code in ("07288", "07294", "07243"):
        UnitQmsStatus.objects.create(unit=units[code], status=QmsStatus.BUILDING, since=on)
    statuses = UnitQmsStatus.objects.filter(since=on)
    assert {s.unit.code for s in statuses.for_user(demo_users["motcua"])} == {"07288"}
    assert {s.unit.code for s in statuses.for_user(demo_users["motcua.boha"])} == {"07294"}
    assert statuses.for_user(demo_users["qlcl"]).count() == 3
    # Memberships too: a commune's staff see who works in their commune, not who works elsewhere.
    seen = set(Membership.objects.for_user(demo_users["motcua"]).values_list("unit__code", "user__username"))
    assert ("BN-YENTHE", "motcua") in seen and ("BN-YENTHE", "qlcl") in seen
    assert {code for code, _ in seen} == {"BN-YENTHE"}
