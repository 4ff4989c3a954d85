import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_report_cache():
    """The report page keeps computed reports in the cache; each test starts without them."""
    cache.clear()
    yield
    cache.clear()
