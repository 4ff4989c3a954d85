"""Fixtures shared by every app's tests: the demo district's units and users of each role."""

import shutil

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from qms.core import demo
from qms.core.roles import Role
from tests.competence.factories import certify
from tests.core.factories import MembershipFactory, UserFactory
from tests.utils import restore_migrated_data


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def migrated_data(django_db_setup, django_db_blocker):
    """What migrations put in the test database (groups, clauses, home page), serialised once at the
    start, before any test could empty it."""
    with django_db_blocker.unblock():
        return connections["default"].creation.serialize_db_to_string()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with Django flushing every table, migrations' rows included; with
    pytest-xdist's work stealing any test may run after it, so what migrations created is put back."""
    yield
    if nextitem is None:
        return  # the session ends: the test database has just been destroyed, nothing to put back
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or "transactional_db" in getattr(
        item, "fixturenames", ()
    )
    serialized = getattr(item.session, "_qms_migrated_data", None)
    if transactional and serialized is not None:
        with item.config.stash[blocking_manager_key].unblock():
            restore_migrated_data(serialized)


@pytest.fixture(autouse=True)
def _keep_migrated_data(request, migrated_data):
    request.session._qms_migrated_data = migrated_data


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as a new server's: the database is rolled back after each test
    without announcing it, so what an earlier test kept (a page, a user's facts under the same user id) would
    otherwise be served as current (qms.core.freshness)."""
    caches["default"].clear()


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
    """make_user(Role.UNIT_STAFF, unit, ...) → a user with that role and memberships. An internal auditor
    holds a valid internal-auditor certificate (qms.competence) unless made with `certified=False`."""

    def make(role: Role | None = None, *member_of, certified: bool = True, **fields):
        user = UserFactory(**fields)
        if role is not None:
            user.groups.add(role.group())
        for unit in member_of:
            MembershipFactory(user=user, unit=unit)
        if role == Role.AUDITOR and certified:
            certify(user)
        return user

    return make


@pytest.fixture
def demo_users(db, units):
    """The demo accounts (admin, qlcl, lanhdao, danhgia, motcua, motcua.boha) by username."""
    demo.load_users(units)
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    for user in get_user_model().objects.filter(groups__name=Role.AUDITOR.value):
        certify(user)  # as the demo does (qms.competence.demo)
    return users


@pytest.fixture
def media_mount(tmp_path, settings):
    """A media folder on a small tmpfs of its own (size in bytes), so a read-only or full disk is real:
    `mount(size)` points MEDIA_ROOT at it; `.read_only()` remounts it read-only. Needs root (CI is)."""
    import subprocess

    folder = tmp_path / "media"
    folder.mkdir()
    mounted = []

    class Mount:
        path = folder

        def __call__(self, size: int):
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
            if done.returncode:
                pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
            mounted.append(folder)
            settings.MEDIA_ROOT = settings.SENDFILE_ROOT = folder
            return self

        def read_only(self):
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            return self

        def files(self) -> list:
            return sorted(p for p in folder.rglob("*") if p.is_file())

    yield Mount()
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], check=False)
