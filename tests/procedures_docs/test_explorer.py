"""
The page explorer (qms.core.explorer, issue 11): its filters name only the people of pages the user may reach,
it lists exactly the pages Wagtail's own lists, and it costs no more queries than the issue allows.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, PageLogEntry

from qms.core.models import Membership

pytestmark = pytest.mark.django_db


def explore(client, page, **params):
    response = client.get(reverse("wagtailadmin_explore", args=[page.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def choices(html: str, name: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'name="{name}" value="(\d+)"', html)}


def test_owner_and_editor_filters_name_only_people_of_the_users_units(client, people, libraries, make_document):
    yt = make_document(code="QT-91", title="Quy trình riêng của Yên Thế")
    bh = make_document(code="QT-92", title="Quy trình riêng của Bố Hạ", library=libraries.bh)
    PageLogEntry.objects.log_action(yt, "wagtail.edit", user=people.yt_officer)
    PageLogEntry.objects.log_action(bh, "wagtail.edit", user=people.bh_officer)

    client.force_login(people.yt_officer)
    html = explore(client, libraries.yt)
    assert people.yt_officer.pk in choices(html, "owner") and people.yt_officer.pk in choices(html, "edited_by")
    assert people.bh_officer.pk not in choices(html, "owner") | choices(html, "edited_by")
    assert 'name="site"' not in html  # one site: nothing to choose

    client.force_login(people.admin)
    html = explore(client, libraries.yt)
    assert {people.yt_officer.pk, people.bh_officer.pk} <= choices(html, "owner")


def test_filtering_by_owner_lists_that_owners_pages(client, people, libraries, make_document):
    mine = make_document(code="QT-93", title="Quy trình do Hoa soạn")
    theirs = make_document(code="QT-94", title="Quy trình do trưởng phòng soạn", by=people.reviewer)
    client.force_login(people.yt_officer)
    html = explore(client, libraries.yt, owner=people.yt_officer.pk)
    assert mine.title in html and theirs.title not in html


def test_a_permission_on_some_pages_lists_only_those(client, people, libraries, make_document, make_user, units):
    """A drafter allowed two documents of the library, not the library itself: Wagtail's own filter applies."""
    first = make_document(code="QT-95", title="Quy trình được giao thứ nhất")
    second = make_document(code="QT-96", title="Quy trình được giao thứ hai")
    other = make_document(code="QT-97", title="Quy trình không được giao")
    drafters = Group.objects.create(name="Soạn thảo hai quy trình")
    drafters.permissions.add(Permission.objects.get(codename="access_admin"))
    change = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    for page in (first, second):
        GroupPagePermission.objects.create(group=drafters, page=page, permission=change)
    drafter = make_user(None, username="drafter")
    drafter.groups.add(drafters)
    Membership.objects.create(user=drafter, unit=units["BN-YENTHE"])

    client.force_login(drafter)
    html = explore(client, libraries.yt)
    assert first.title in html and second.title in html and other.title not in html

    client.force_login(people.yt_officer)  # allowed the whole library: every document
    html = explore(client, libraries.yt)
    assert first.title in html and second.title in html and other.title in html
