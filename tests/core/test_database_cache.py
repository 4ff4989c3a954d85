"""
The database cache writes what one request keeps together (qms.core.cache, qms.core.freshness; issue 11): the
dashboard seen first after a change wrote its 16 panels one transaction each, 80 statements and, on SQLite,
16 turns of the write lock.
"""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.core import freshness

pytestmark = pytest.mark.django_db

CACHE_TABLE = "qms_cache_together"


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {"default": {**settings.DATABASE_CACHE, "LOCATION": CACHE_TABLE}}
    freshness.create_cache_table(using="default")
    return caches["default"]


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if f'INSERT INTO "{CACHE_TABLE}"' in q["sql"]]


def test_set_many_writes_every_entry_at_once_and_replaces_what_was_there(database_cache):
    database_cache.set("report", "last week's")
    with CaptureQueriesContext(connection) as queries:
        failed = database_cache.set_many({"report": {"received": 12}, "panel": "<p>Đã duyệt</p>", "rows": [1, 2]}, 60)
    assert failed == []
    assert len(writes(queries)) == 1
    assert database_cache.get_many(["report", "panel", "rows"]) == {
        "report": {"received": 12}, "panel": "<p>Đã duyệt</p>", "rows": [1, 2],
    }


def test_entries_written_together_expire_and_the_table_stays_within_its_size(settings, database_cache):
    database_cache.set_many({"a": 1, "b": 2}, 0)  # expired at once
    assert database_cache.get_many(["a", "b"]) == {}

    settings.CACHES = {"default": {**settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 10}}}
    small = caches["default"]
    for batch in range(6):
        small.set_many({f"{batch}-{i}": i for i in range(4)}, 60)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(*) FROM "{CACHE_TABLE}"')  # noqa: S608 - the test's own table
        assert cursor.fetchone()[0] <= 10 + 4
    assert small.get_many(["5-0", "5-3"]) == {"5-0": 0, "5-3": 3}  # room is made before writing


def test_the_dashboard_seen_after_a_change_writes_its_panels_together(client, demo_users, database_cache):
    client.force_login(demo_users["qlcl"])
    first = client.get(reverse("wagtailadmin_home"))
    freshness.records_changed()
    with CaptureQueriesContext(connection) as queries:
        after_change = client.get(reverse("wagtailadmin_home"))
    # The panels kept an hour in one write, the page and the panels saying "5 minutes ago" in another.
    assert len(writes(queries)) <= 2
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("wagtailadmin_home"))
    assert not writes(queries) and len(queries.captured_queries) <= 4  # the kept page
    assert again.content == after_change.content
    assert headings(first) == headings(after_change) and len(headings(first)) > 5  # every panel shown


def headings(response) -> list[bytes]:
    return re.findall(rb"<h2[^>]*>(.*?)</h2>", response.content, re.S)
