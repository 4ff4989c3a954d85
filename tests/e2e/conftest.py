"""
Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against the live
server. `make test` installs Chromium when it can; without it these tests are skipped, loudly.
The sync Playwright API needs DJANGO_ALLOW_ASYNC_UNSAFE (scripts/pytest.sh sets it).
"""

import io
import os
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections

CHROMIUM = os.environ.get("QMS_CHROMIUM", "/usr/bin/chromium")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: run `make test` as root to install it")
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 1366, "height": 900}}


@pytest.fixture(scope="session")
def migrated_data(django_db_setup, django_db_blocker):
    """What migrations put in the test database (groups, clauses, home page), serialised once."""
    with django_db_blocker.unblock():
        return connections["default"].creation.serialize_db_to_string()


def _reset_sequences(connection):
    """The flush restarted PostgreSQL's id sequences and the restore wrote rows with their own ids (the home
    page is 2): move the sequences past them, as loaddata does, or the next page created gets id 1 again."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def demo_site(live_server, transactional_db, migrated_data):
    """
    The live server with the demo district loaded; returns its URL. A browser test flushes the
    database when it ends, so each one first restores what migrations created. Django would do
    that itself (`serialized_rollback`), but Playwright's greenlet hands the test a fresh
    connection object without Django's serialised copy, so the restore is done here: empty the
    tables (post_migrate off, or content types clash) and load the copy taken at setup.
    """
    if not Group.objects.exists():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connections["default"].creation.deserialize_db_from_string(migrated_data)
        _reset_sequences(connections["default"])
    call_command("load_demo", "--scale", "0.05", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def login(page, demo_site):
    """login("qlcl") signs in through the admin login form and lands on the dashboard."""

    def sign_in(username, password="demo@2026"):  # noqa: S107 - the published demo password
        page.goto(f"{demo_site}/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{demo_site}/admin/")
        return page

    return sign_in


#: Chromium's console message for anything the Content-Security-Policy blocked.
CSP_VIOLATION = "Content Security Policy"


@pytest.fixture
def csp_violations(page):
    """The console messages of everything the Content-Security-Policy blocked on `page`, across navigations."""
    found = []
    page.on("console", lambda message: found.append(message.text) if CSP_VIOLATION in message.text else None)
    return found


@pytest.fixture(autouse=True)
def _no_csp_violation(request):
    """Every browser test driving `page` fails when the policy blocked something: the suite runs under the CSP."""
    if "page" not in request.fixturenames:
        yield
        return
    found = request.getfixturevalue("csp_violations")
    yield
    assert not found, "blocked by the Content-Security-Policy:\n" + "\n".join(found)
