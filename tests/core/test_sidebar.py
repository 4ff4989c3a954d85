"""
Wagtail's sidebar served from the cache (qms.core.sidebar): each user gets exactly the menu Wagtail would
render for them, never another user's, and a change of role or unit shows on the next page.
"""

import json
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from qms.core import sidebar
from qms.core.roles import Role

pytestmark = pytest.mark.django_db

PAGE = "/admin/reports/"


def menu_of(response) -> dict:
    found = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    assert found, "no sidebar on the page"
    return json.loads(found.group(1))


def labels(menu) -> set[str]:
    return set(re.findall(r'"label": "([^"]+)"', json.dumps(menu, ensure_ascii=False)))


def wagtails_own(user) -> dict:
    request = RequestFactory().get(PAGE)
    request.user = type(user).objects.get(pk=user.pk)
    html = sidebar._wagtail_sidebar_props({"request": request})
    return json.loads(re.search(r">(.*)</script>", str(html), re.S).group(1))


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_each_user_gets_wagtails_own_menu_and_never_another_users(client, make_user, units):
    officer = make_user(Role.QUALITY_OFFICER, units["215"], first_name="Lan", last_name="Trần Thị")
    clerk = make_user(Role.UNIT_STAFF, units["07243"], first_name="Bình", last_name="Lê Văn")
    client.force_login(officer)
    officer_menu = menu_of(client.get(PAGE))
    client.force_login(clerk)
    clerk_menu = menu_of(client.get(PAGE))
    clerk_again = menu_of(client.get(PAGE))  # from the cache

    assert officer_menu == wagtails_own(officer)
    assert clerk_menu == clerk_again == wagtails_own(clerk)
    assert labels(officer_menu) - labels(clerk_menu), "the officer's menu has items the clerk's has not"
    assert "Lan" not in json.dumps(clerk_menu, ensure_ascii=False) and officer.email not in json.dumps(clerk_menu)


def test_the_second_page_does_not_build_the_menu_again(client, make_user, units):
    client.force_login(make_user(Role.LEADER, units["07243"]))
    with mock.patch.object(sidebar, "_wagtail_sidebar_props", wraps=sidebar._wagtail_sidebar_props) as build:
        client.get(PAGE)
        client.get(reverse("wagtailadmin_home"))
    assert build.call_count == 1


def test_a_new_role_or_unit_shows_on_the_next_page(client, make_user, units):
    from django.contrib.auth.models import Permission

    from qms.core.models import Membership

    user = make_user(Role.UNIT_STAFF, units["07243"])
    client.force_login(user)
    before = menu_of(client.get(PAGE))
    user.groups.add(Role.QUALITY_OFFICER.group())
    promoted = menu_of(client.get(PAGE))
    assert promoted != before and promoted == wagtails_own(user)

    user.user_permissions.add(Permission.objects.get(codename="change_user"))  # Settings > Users
    Membership.objects.create(user=user, unit=units["215"])
    may_edit_users = menu_of(client.get(PAGE))
    assert may_edit_users != promoted and may_edit_users == wagtails_own(user)

    user.first_name = "Thu"
    user.save()
    assert '"name": "Thu' in json.dumps(menu_of(client.get(PAGE)), ensure_ascii=False)  # the account menu
