"""The site's home page holds everything: it cannot be deleted, unpublished or moved, even by a superuser."""

import pytest
from wagtail.models import Site

from tests.utils import assert_forbidden


@pytest.fixture
def home(db):
    return Site.objects.get(is_default_site=True).root_page


def test_superuser_is_not_offered_and_cannot_delete_the_home_page(client, django_user_model, home):
    admin = django_user_model.objects.create_superuser("root", "root@example.vn", "pw")
    client.force_login(admin)

    explorer = client.get(f"/admin/pages/{home.pk}/edit/")
    assert explorer.status_code == 200
    assert f"/admin/pages/{home.pk}/delete/" not in explorer.content.decode()

    for url in (f"/admin/pages/{home.pk}/delete/", f"/admin/pages/{home.pk}/unpublish/"):
        assert_forbidden(client.get(url))
        assert_forbidden(client.post(url))
    bulk = client.post(f"/admin/bulk/wagtailcore/page/delete/?id={home.pk}")
    assert bulk.status_code != 500

    home.refresh_from_db()
    assert home.live
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk


def test_the_home_page_text_stays_editable(client, django_user_model, home):
    admin = django_user_model.objects.create_superuser("root", "root@example.vn", "pw")
    client.force_login(admin)
    assert home.specific.permissions_for_user(admin).can_edit()
