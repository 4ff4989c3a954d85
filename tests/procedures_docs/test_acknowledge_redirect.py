"""After "Tôi đã đọc và hiểu" the reader goes back where she came from on this site, never to another site."""

import pytest

from procedures_docs.models import Acknowledgement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "http://evil.example/tai-lieu/", "javascript:alert(1)", "/\\evil.example/",
    "https:///evil.example/",
])
def test_a_next_outside_the_site_lands_on_the_document(issued, people, client, target):
    client.force_login(people.yt_staff)
    response = client.post(issued.page.url + "da-doc/", {"next": target})
    assert response.status_code == 302 and response.url == issued.page.url
    assert Acknowledgement.objects.filter(user=people.yt_staff).count() == 1  # the acknowledgement itself is kept


def test_a_next_on_this_site_is_followed(issued, people, client):
    client.force_login(people.yt_staff)
    response = client.post(issued.page.url + "da-doc/", {"next": "/tai-lieu/viec-can-doc/"})
    assert response.url == "/tai-lieu/viec-can-doc/"
