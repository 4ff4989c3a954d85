"""The per-unit library groups follow roles and memberships: one service keeps them in step."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from procedures_docs.models import LibraryAccessGroup
from qms.core.models import Membership
from qms.core.roles import Role

pytestmark = pytest.mark.django_db


def library_groups(user):
    return set(user.groups.filter(document_library_access__isnull=False).values_list("name", flat=True))


def test_each_library_gets_one_group_per_role_with_page_permissions_there(libraries):
    links = LibraryAccessGroup.objects.filter(library=libraries.yt)
    assert {link.role for link in links} == {Role.QUALITY_OFFICER.value, Role.LEADER.value}
    officer = links.get(role=Role.QUALITY_OFFICER.value).group
    perms = set(GroupPagePermission.objects.filter(group=officer).values_list("page_id", "permission__codename"))
    assert perms == {(libraries.yt.pk, c) for c in ("add_page", "change_page", "lock_page", "unlock_page")}
    leader = links.get(role=Role.LEADER.value).group
    assert set(GroupPagePermission.objects.filter(group=leader).values_list("permission__codename", flat=True)) == {"change_page"}


def test_groups_follow_memberships_and_roles(libraries, people, units):
    assert library_groups(people.yt_officer) == {"Cán bộ phụ trách ISO · Xã Yên Thế (BN-YENTHE)"}
    assert library_groups(people.yt_staff) == set()
    assert library_groups(people.auditor) == set()
    Membership.objects.create(user=people.yt_officer, unit=units["BN-BOHA"])
    assert len(library_groups(people.yt_officer)) == 2
    Membership.objects.filter(user=people.yt_officer, unit=units["BN-BOHA"]).delete()
    assert len(library_groups(people.yt_officer)) == 1
    people.yt_officer.groups.remove(Group.objects.get(name=Role.QUALITY_OFFICER.value))
    assert library_groups(people.yt_officer) == set()


def test_district_members_cover_the_units_below_and_successors_their_predecessors(libraries, make_user, units, people):
    from procedures_docs import services

    old_commune = services.library_create(unit=units["07288"], by=people.admin)  # TT Phồn Xương, merged into Xã Yên Thế
    district_officer = make_user(Role.QUALITY_OFFICER, units["215"])
    assert library_groups(district_officer) == {f"Cán bộ phụ trách ISO · {units['07288'].name} (07288)"}
    assert f"Cán bộ phụ trách ISO · {units['07288'].name} (07288)" in library_groups(people.yt_officer)
    assert old_commune.permissions_for_user(people.yt_officer).can_add_subpage()
