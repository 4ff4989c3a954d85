"""
The document explorer kept whole until a record changes (qms.core.freshness.KeptPageMiddleware, issue 11): a
new document shows at once, and another commune's officer is still refused the library a colleague's page
of which is kept.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def explore(client, library):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("wagtailadmin_explore", args=[library.pk]))
    return response, len(queries.captured_queries)


def test_the_explorer_seen_again_is_kept_and_a_new_document_shows(client, people, libraries, make_document):
    make_document(code="QT-01", title="Quy trình kiểm soát tài liệu")
    cache.clear()
    client.force_login(people.yt_officer)
    client.get(reverse("wagtailadmin_home"))  # the CSRF cookie
    first, computed = explore(client, libraries.yt)
    again, kept = explore(client, libraries.yt)
    assert again.content == first.content and kept <= 4 < computed

    make_document(code="QT-02", title="Quy trình đánh giá nội bộ")
    after, _ = explore(client, libraries.yt)
    assert "Quy trình đánh giá nội bộ" in after.content.decode()
    assert "Quy trình đánh giá nội bộ" not in first.content.decode()

    client.force_login(people.bh_officer)
    client.get(reverse("wagtailadmin_home"))
    assert explore(client, libraries.yt)[0].status_code == 404  # the scoping rule, as for any page of Yên Thế
