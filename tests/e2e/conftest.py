"""
Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against the live
server. `make test` installs Chromium when it can; without it these tests are skipped, loudly.
The sync Playwright API needs DJANGO_ALLOW_ASYNC_UNSAFE (scripts/pytest.sh sets it).
"""

import io
import os
import shutil

import pytest
from django.core.management import call_command

from tests.utils import restore_migrated_data

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


@pytest.fixture
def demo_site(live_server, transactional_db, migrated_data):
    """
    The live server with the demo district loaded; returns its URL. A browser test flushes the
    database when it ends, so each one first restores what migrations created (when a test before
    it left the tables empty). Django would do that itself (`serialized_rollback`), but Playwright's
    greenlet hands the test a fresh connection object without Django's serialised copy.
    """
    restore_migrated_data(migrated_data)
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


#: The commonest office screen (issue 13): every role's walk runs at this size.
OFFICE_SCREEN = {"width": 1366, "height": 768}


@pytest.fixture
def as_user(browser, browser_context_args, demo_site):
    """as_user("qlcl") → a page of a fresh browser context (1366×768) logged in as that demo user."""
    contexts = []

    def sign_in(username):
        context = browser.new_context(**{**browser_context_args, "viewport": OFFICE_SCREEN})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{demo_site}/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "demo@2026")  # the published demo password
        page.click("button[type=submit]")
        page.wait_for_url(f"{demo_site}/admin/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


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
