"""Wagtail's site root paths are read once per request (qms.core.site_paths, issue 11): under the database
cache each read was a query, 21 of the explorer's 61."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from qms.core.freshness import create_cache_table
from qms.core.models.units import unit_graph_per_request

pytestmark = pytest.mark.django_db

CACHE_TABLE = "qms_cache_site_paths"


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}
    create_cache_table(using="default")
    Site.get_site_root_paths()  # in the cache: what follows only reads them


def cache_reads(queries) -> int:
    """Reads of the paths from the cache (a SELECT naming their key; a miss also writes them back)."""
    return sum(q["sql"].startswith('SELECT "cache_key"') and "wagtail_site_root_paths" in q["sql"]
               for q in queries.captured_queries)


def test_a_request_reads_them_once_and_again_after_a_site_changes(database_cache):
    home = Page.objects.get(depth=2)
    with unit_graph_per_request():  # what UnitGraphMiddleware does for each request
        with CaptureQueriesContext(connection) as queries:
            for _ in range(5):
                assert home.get_url() == "/"
                Page.objects.get(pk=home.pk).get_url()  # a new instance, as each row of a listing is
        assert cache_reads(queries) == 1

        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = "iso.yenthe.gov.vn", 443
        site.save()  # Wagtail clears the cached paths: the request's copy goes with them
        assert [path.root_url for path in Site.get_site_root_paths()] == ["https://iso.yenthe.gov.vn"]


def test_outside_a_request_they_are_read_each_time(database_cache):
    with CaptureQueriesContext(connection) as queries:
        Site.get_site_root_paths()
        Site.get_site_root_paths()
    assert cache_reads(queries) == 2
