"""qms.core.permissions.OneQueryModelBackend: the same permissions as Django's ModelBackend, in one query."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms.core.permissions import OneQueryModelBackend
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # no permission cache


def test_own_and_group_permissions_as_django_reads_them_in_one_query():
    editors, readers = Group.objects.create(name="Sửa"), Group.objects.create(name="Đọc")
    editors.permissions.add(*Permission.objects.filter(codename__in=["change_nonconformity", "add_nonconformity"]))
    readers.permissions.add(*Permission.objects.filter(codename__in=["view_nonconformity", "change_nonconformity"]))
    user = UserFactory()
    user.groups.add(editors, readers)
    user.user_permissions.add(Permission.objects.get(codename="view_audit"))
    outsider = UserFactory()

    reader = fresh(user)
    with CaptureQueriesContext(connection) as ctx:
        ours = OneQueryModelBackend().get_all_permissions(reader)
    assert len(ctx.captured_queries) == 1  # Django's: 2
    assert ours == ModelBackend().get_all_permissions(fresh(user))
    assert {"audits.change_nonconformity", "audits.add_nonconformity", "audits.view_nonconformity", "audits.view_audit"} <= ours
    assert OneQueryModelBackend().get_all_permissions(fresh(outsider)) == set()
    assert fresh(user).has_perm("audits.view_audit") and not fresh(outsider).has_perm("audits.view_audit")


def test_superuser_and_inactive_users_as_django():
    admin, gone = UserFactory(is_superuser=True), UserFactory(is_active=False)
    gone.user_permissions.add(Permission.objects.get(codename="view_audit"))
    for user in (admin, gone):
        assert OneQueryModelBackend().get_all_permissions(fresh(user)) == ModelBackend().get_all_permissions(fresh(user))
    assert not fresh(gone).has_perm("audits.view_audit")
