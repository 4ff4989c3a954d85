"""A document that was ever in force is never deleted, by anyone: superusers and the database included."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from procedures_docs.models import ControlledDocumentPage, DocumentLibraryPage
from tests.utils import assert_forbidden

pytestmark = pytest.mark.django_db

def test_superuser_cannot_delete_an_issued_document_in_the_admin(client, people, issued):
    client.force_login(people.admin)
    url = reverse("wagtailadmin_pages:delete", args=[issued.page.pk])
    assert_forbidden(client.get(url))
    assert_forbidden(client.post(url))
    assert ControlledDocumentPage.objects.filter(pk=issued.page.pk).exists()
    assert not issued.page.permissions_for_user(people.admin).can_delete()
    # The explorer does not even offer the button.
    listing = client.get(reverse("wagtailadmin_explore", args=[issued.page.get_parent().pk])).content.decode()
    assert url not in listing


def test_superuser_cannot_delete_an_issued_form_or_the_library_holding_it(client, people, issued, libraries):
    client.force_login(people.admin)
    for page in (issued.form, libraries.yt):
        client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
        assert type(page).objects.filter(pk=page.pk).exists()
        assert not page.specific.permissions_for_user(people.admin).can_delete()


def test_bulk_actions_see_the_same_ban(people, issued, libraries):
    """Bulk delete and the explorer check the plain Page, which defers to the document's own rules."""
    from wagtail.models import Page

    for page in (issued.page, issued.form, libraries.yt):
        assert not Page.objects.get(pk=page.pk).permissions_for_user(people.admin).can_delete()


def test_deleting_in_code_is_refused_before_the_tree_is_touched(issued, libraries):
    with pytest.raises(ProtectedError):
        ControlledDocumentPage.objects.get(pk=issued.page.pk).delete()
    with pytest.raises(ProtectedError):
        DocumentLibraryPage.objects.get(pk=libraries.yt.pk).delete()
    assert ControlledDocumentPage.objects.filter(pk=issued.page.pk).exists()
    assert DocumentLibraryPage.objects.get(pk=libraries.yt.pk).numchild == 1


def test_the_database_refuses_too(issued):
    """Deleting through a plain queryset skips the model's guard; PROTECT on the issue register holds."""
    from wagtail.models import Page

    with pytest.raises(ProtectedError), transaction.atomic():
        Page.objects.filter(pk=issued.page.pk).delete()
    assert ControlledDocumentPage.objects.filter(pk=issued.page.pk).exists()


def test_obsolete_documents_cannot_be_deleted_either(client, people, issued):
    from procedures_docs import services

    services.document_withdraw(page=issued.page, on=issued.page.current_issue.effective_date, reason="Thay thế", by=people.yt_leader)
    client.force_login(people.admin)
    client.post(reverse("wagtailadmin_pages:delete", args=[issued.page.pk]))
    assert ControlledDocumentPage.objects.filter(pk=issued.page.pk).exists()


def test_a_draft_never_issued_can_be_deleted_by_its_quality_officer(client, people, make_document):
    draft = make_document(code="QT-50", title="Dự thảo bỏ đi")
    client.force_login(people.yt_officer)
    assert draft.permissions_for_user(people.yt_officer).can_delete()
    client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    assert not ControlledDocumentPage.objects.filter(pk=draft.pk).exists()
