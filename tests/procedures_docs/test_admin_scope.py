"""Another unit's documents never reach a user through the admin's page screens, choosers and reports."""

import pytest
from django.urls import reverse

from audits.forms import NonconformityEditForm
from qms.core.models.pages import HomePage
from tests.utils import assert_forbidden

pytestmark = pytest.mark.django_db

MOVE_CONFIRM = "wagtailadmin_pages:move_confirm"


@pytest.fixture
def documents(make_document, libraries):
    """A draft of Xã Yên Thế and one of Xã Bố Hạ, with titles that cannot appear by chance."""
    yt = make_document(code="QT-91", title="Quy trình riêng của Yên Thế", library=libraries.yt)
    bh = make_document(code="QT-92", title="Quy trình riêng của Bố Hạ", library=libraries.bh)
    return yt, bh


def test_page_chooser_offers_only_the_users_units(client, people, libraries, documents):
    yt, bh = documents
    client.force_login(people.bh_officer)
    home = HomePage.objects.get()
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[home.pk])).json()["html"]
    assert libraries.bh.title in browse and libraries.yt.title not in browse
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Quy trình riêng"}).content.decode()
    assert bh.title in search and yt.title not in search
    assert_forbidden(client.get(reverse("wagtailadmin_choose_page_child", args=[libraries.yt.pk])))


def test_explorer_lists_only_the_users_libraries(client, people, libraries, documents):
    client.force_login(people.bh_officer)
    # Wagtail sends a user who may not explore the home page to the top of what they may explore.
    listing = client.get(reverse("wagtailadmin_explore", args=[HomePage.objects.get().pk]), follow=True).content.decode()
    assert libraries.bh.title in listing and libraries.yt.title not in listing


@pytest.mark.parametrize("url_name", [
    "wagtailadmin_pages:edit", "wagtailadmin_pages:history", "wagtailadmin_pages:revisions_index",
    "wagtailadmin_pages:workflow_history", "wagtailadmin_pages:confirm_workflow_cancellation",
    "wagtailadmin_pages:view_draft", "wagtailadmin_pages:usage", "documents:register",
])
def test_another_units_page_is_not_found(client, people, documents, url_name):
    yt, bh = documents
    client.force_login(people.bh_officer)
    assert client.get(reverse(url_name, args=[yt.pk])).status_code == 404
    assert client.get(reverse(url_name, args=[bh.pk])).status_code < 400


def test_move_confirm_names_no_page_of_another_unit(client, people, libraries, documents):
    yt, bh = documents
    client.force_login(people.bh_officer)
    assert client.get(reverse(MOVE_CONFIRM, args=[yt.pk, libraries.bh.pk])).status_code == 404
    assert client.get(reverse(MOVE_CONFIRM, args=[bh.pk, libraries.yt.pk])).status_code == 404


def test_bulk_actions_take_only_the_users_pages(client, people, documents):
    yt, bh = documents
    client.force_login(people.bh_officer)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    assert client.get(url, {"id": yt.pk}).status_code == 404
    assert client.get(url, {"id": "all"}).status_code == 404
    assert yt.title not in client.get(url, {"id": bh.pk}).content.decode()


def test_wagtail_reports_are_for_superusers(client, people, documents):
    client.force_login(people.bh_officer)
    assert client.get(reverse("wagtailadmin_reports:page_types_usage")).status_code == 404
    assert client.get(reverse("wagtailadmin_reports:site_history")).status_code == 404
    assert client.get(reverse("wagtailadmin_pages:type_use", args=("procedures_docs", "controlleddocumentpage"))).status_code == 404
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailadmin_reports:site_history") not in home
    client.force_login(people.admin)
    assert client.get(reverse("wagtailadmin_reports:page_types_usage")).status_code == 200


def test_nonconformity_form_offers_only_the_users_documents(people, documents):
    yt, bh = documents
    choices = NonconformityEditForm(for_user=people.bh_officer).fields["related_document"].queryset
    assert bh.pk in {page.pk for page in choices} and yt.pk not in {page.pk for page in choices}
