"""Fixtures shared by every app's tests: the demo district's units and users of each role."""

import shutil

import pytest
from django.conf import settings
from django.utils import translation

from qms.core import demo
from qms.core.roles import Role
from tests.core.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _vietnamese():
    """Each test starts in Vietnamese: a request with Accept-Language: en leaves English active in the thread."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def units(db):
    """The demo district's units by code: "215" (Huyện Yên Thế), "07243" (Xã Đồng Tiến), "BN-YENTHE"…"""
    return demo.load_units()


@pytest.fixture
def make_user(db):
    """make_user(Role.UNIT_STAFF, unit, ...) → a user with that role and memberships."""

    def make(role: Role | None = None, *member_of, **fields):
        user = UserFactory(**fields)
        if role is not None:
            user.groups.add(role.group())
        for unit in member_of:
            MembershipFactory(user=user, unit=unit)
        return user

    return make


@pytest.fixture
def demo_users(db, units):
    """The demo accounts (admin, qlcl, lanhdao, danhgia, motcua, motcua.boha) by username."""
    demo.load_users(units)
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}
