"""
Wagtail's site root paths read once per request (issue 11, queries per page).

Every page URL Wagtail builds (each row of the explorer, the breadcrumbs, the "view live" links) asks
`Site.get_site_root_paths()`, which reads them from the cache each time: the explorer of 19 documents read
them 21 times, each a query under the database cache. They change only when a site or a site's root page is
saved, and then Wagtail calls `Site.clear_site_root_paths_cache()`, which drops the request's copy too; the
save also changes the records version, under which they are shared with other requests (`shared_fact`).
"""

from wagtail.models import Site

from qms.core.freshness import forget_fact, shared_fact

KEY = "wagtail-site-root-paths"

_read = Site.get_site_root_paths
_clear = Site.clear_site_root_paths_cache


def _get_site_root_paths():
    return shared_fact(KEY, _read)


def _clear_site_root_paths_cache():
    _clear()
    forget_fact(KEY)


def read_site_root_paths_once_per_request() -> None:
    """Patch Wagtail's two static methods (AppConfig.ready)."""
    Site.get_site_root_paths = staticmethod(_get_site_root_paths)
    Site.clear_site_root_paths_cache = staticmethod(_clear_site_root_paths_cache)
