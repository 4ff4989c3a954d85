"""The original (Word, PDF) attached to a controlled document downloads for whoever may read that
document, and for nobody else: not a visitor, not another commune, not staff while it is a draft."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, ReferenceIndex

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(people):
    return get_document_model().objects.create(
        title="QT-01 bản gốc", file=ContentFile(b"ban goc QT-01", name="qt-01.docx"),
        collection=Collection.get_first_root_node(), uploaded_by_user=people.yt_officer,
    )


@pytest.fixture
def draft(make_document, original):
    page = make_document(attachments=[("original", original)])
    # The index is normally updated by a background task after the save.
    ReferenceIndex.create_or_update_for_object(page)
    return page


def fetch(client, user, document):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(document.url)


def test_original_of_a_draft(client, people, draft, original):
    for user in (people.yt_officer, people.yt_leader, people.admin):
        response = fetch(client, user, original)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"ban goc QT-01", user
    # Staff read issues, not drafts; another commune sees nothing.
    for user in (people.yt_staff, people.bh_staff, people.bh_officer, people.bh_leader):
        assert fetch(client, user, original).status_code == 404, user
    response = fetch(client, None, original)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_original_of_an_issued_document(client, people, draft, original, issue):
    issue(draft)
    ReferenceIndex.create_or_update_for_object(draft.specific_class.objects.get(pk=draft.pk))
    for user in (people.yt_staff, people.yt_officer):
        assert fetch(client, user, original).status_code == 200, user
    for user in (people.bh_staff, people.bh_officer):
        assert fetch(client, user, original).status_code == 404, user
    assert fetch(client, None, original).status_code == 302


def test_another_communes_originals_are_not_listed_chosen_or_edited(client, people, draft, original):
    from django.urls import reverse

    unreferenced = get_document_model().objects.create(
        title="Bản gốc chưa gắn", file=ContentFile(b"x", name="chua-gan.docx"),
        collection=Collection.get_first_root_node(), uploaded_by_user=people.yt_officer,
    )
    client.force_login(people.bh_officer)
    for url in (reverse("wagtaildocs:index"), reverse("wagtaildocs_chooser:choose")):
        page = html(client.get(url))
        assert original.title not in page and unreferenced.title not in page, url
    for name in ("wagtaildocs:edit", "wagtaildocs:delete"):
        assert client.get(reverse(name, args=[original.pk])).status_code in (302, 403, 404), name
    client.force_login(people.yt_officer)
    page = html(client.get(reverse("wagtaildocs_chooser:choose")))
    assert original.title in page and unreferenced.title in page


def html(response) -> str:
    """The page, or the chooser's HTML inside its JSON answer."""
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]
    return response.content.decode()
