"""
The everyday lists kept whole until a record changes (qms.core.freshness.KeptPageMiddleware, issue 11): seen
again, a list is the kept page, yet every change, every permission taken away and every message shows at once,
and no user is ever shown another's page.
"""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qms.core.roles import Role
from tests.audits.factories import open_nc

pytestmark = pytest.mark.django_db

NC_LIST = "nonconformities:index"


def visit(client, name=NC_LIST):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    return response, len(queries.captured_queries)


@pytest.fixture
def officer(client, demo_users):
    cache.clear()
    client.force_login(demo_users["qlcl"])
    client.get(reverse(NC_LIST))  # the browser's first page gives it the CSRF cookie
    return demo_users["qlcl"]


def test_a_list_seen_again_is_the_kept_page_and_a_new_finding_shows_at_once(client, officer, units):
    first, computed = visit(client)
    again, kept = visit(client)
    assert again.status_code == 200 and again.content == first.content
    assert kept <= 4 < computed  # the session, the user, the records version, the page: the view did not run

    nc = open_nc(unit=units["BN-YENTHE"], by=officer, detected_on=timezone.localdate())
    after, _ = visit(client)
    assert nc.reference in after.content.decode() and nc.reference not in first.content.decode()


def test_another_user_never_gets_the_kept_page_of_the_first(client, officer, make_user, units):
    nc = open_nc(unit=units["BN-YENTHE"], by=officer, detected_on=timezone.localdate())
    visit(client)
    seen, _ = visit(client)
    assert nc.reference in seen.content.decode()

    other_commune = make_user(Role.UNIT_STAFF, units["07243"])
    client.force_login(other_commune)
    client.get(reverse(NC_LIST))
    theirs, _ = visit(client)
    assert theirs.status_code == 200 and nc.reference not in theirs.content.decode()


def test_a_permission_taken_away_refuses_the_kept_list(client, make_user, units):
    cache.clear()
    staff = make_user(Role.UNIT_STAFF, units["BN-YENTHE"])
    client.force_login(staff)
    client.get(reverse(NC_LIST))
    assert visit(client)[0].status_code == 200
    assert visit(client)[0].status_code == 200  # kept

    staff.groups.clear()
    refused, _ = visit(client)
    assert refused.status_code in (302, 403)


def test_a_waiting_message_is_shown_on_a_kept_list(client, officer):
    visit(client)
    visit(client)  # kept now
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Đã lưu điểm không phù hợp NC-TEST")])

    shown, _ = visit(client)
    assert "Đã lưu điểm không phù hợp NC-TEST" in shown.content.decode()
    after, _ = visit(client)
    assert "NC-TEST" not in after.content.decode()  # once only, as on any page


def test_a_page_made_with_a_new_csrf_cookie_is_not_kept_for_a_browser_without_it(client, demo_users):
    """Its forms' token belongs to the cookie that page sets: a kept copy would refuse the next POST."""
    cache.clear()
    client.force_login(demo_users["qlcl"])
    for _ in range(2):
        client.cookies.pop("csrftoken", None)
        response, queries = visit(client)
        cookie = response.cookies["csrftoken"].value
        token = re.search(r'"CSRF_TOKEN": "(\w+)"', response.content.decode()).group(1)  # wagtailConfig
        assert _unmask_cipher_token(token) == cookie  # the page's forms post with this browser's new cookie
        assert queries > 4  # computed each time


def test_the_dashboard_report_and_overview_are_kept(client, officer):
    for name in ("wagtailadmin_home", "readiness:index", "reports:index"):
        cache.clear()
        first, computed = visit(client, name)
        again, kept = visit(client, name)
        assert again.content == first.content and kept <= 4 < computed, name
