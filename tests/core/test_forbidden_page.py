"""The site's 403 page is in Vietnamese, in the site's own template, and says what to do."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_refused_page_explains_in_vietnamese(client, units, make_user):
    client.force_login(make_user(None, units["BN-YENTHE"]))  # an account with no role yet
    response = client.get(reverse("procedures_docs:master_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Không có quyền truy cập" in html and "403 Forbidden" not in html
    assert 'class="site-header"' in html  # the site's template, with the way back
    assert reverse("wagtailadmin_home") in html
