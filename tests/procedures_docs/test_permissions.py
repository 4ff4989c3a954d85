"""
Every role's forbidden paths: quality officers edit their own units' documents only, leaders approve
(and publish only by approving), unit staff read the documents in force that apply to them and
nothing else, auditors read everything in their scope and change nothing, visitors log in first.
"""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from procedures_docs import services
from procedures_docs.models import ControlledDocumentPage
from tests.procedures_docs.admin_forms import add_url, edit_url, editor_data
from tests.utils import assert_forbidden

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(make_document, issue, people):
    """QT-01 of Yên Thế issued twice, QT-02 of Yên Thế a draft, QT-09 of Yên Thế obsolete, QT-01 of Bố Hạ issued."""
    yt = make_document()
    issue(yt)
    issue(yt, "Sửa đổi bước B2", purpose="<p>Mục đích lần 2.</p>")
    draft = make_document(code="QT-02", title="Quy trình đánh giá nội bộ")
    old = make_document(code="QT-09", title="Quy trình cũ")
    issue(old)
    services.document_withdraw(page=old, on=old.current_issue.effective_date, reason="Thay thế bởi QT-01", by=people.yt_leader)
    from procedures_docs.models import DocumentLibraryPage

    bh_library = DocumentLibraryPage.objects.get(unit__code="BN-BOHA")
    bh = make_document(library=bh_library, title="Quy trình kiểm soát tài liệu xã Bố Hạ")
    issue(bh)
    return {name: ControlledDocumentPage.objects.get(pk=p.pk) for name, p in
            {"yt": yt, "draft": draft, "old": old, "bh": bh}.items()}


def admin_urls(page):
    return [
        edit_url(page),
        reverse("documents:register", args=[page.pk]),
        reverse("documents:acknowledgements", args=[page.pk]),
        reverse("documents:withdraw", args=[page.pk]),
    ]


def test_quality_officer_cannot_touch_another_units_documents(client, people, docs, libraries):
    client.force_login(people.bh_officer)
    for url in admin_urls(docs["yt"]) + [add_url(libraries.yt), edit_url(docs["draft"])]:
        assert_forbidden(client.get(url))
    assert_forbidden(client.post(add_url(libraries.yt), {"title": "X", "code": "QT-99"}))
    # ...while their own unit's documents open.
    assert client.get(edit_url(docs["bh"])).status_code == 200
    assert client.get(add_url(libraries.bh)).status_code == 200


def test_quality_officer_cannot_withdraw_even_in_their_unit(client, people, docs):
    client.force_login(people.yt_officer)
    assert_forbidden(client.get(reverse("documents:withdraw", args=[docs["yt"].pk])))
    assert_forbidden(client.post(reverse("documents:withdraw", args=[docs["yt"].pk]),
                                 {"withdrawn_on": "2026-01-01", "reason": "Thử"}))
    assert not ControlledDocumentPage.objects.get(pk=docs["yt"].pk).is_obsolete


@pytest.mark.parametrize("who", ["yt_officer", "yt_leader"])
def test_nobody_publishes_a_document_without_the_approval_workflow(client, people, docs, who):
    """The editor's Publish button is not offered, and posting it only saves a draft."""
    page = docs["yt"]
    client.force_login(getattr(people, who))
    data = editor_data(client, edit_url(page), change_summary="Sửa không qua phê duyệt", purpose=rich_text("<p>Lén sửa.</p>"))
    assert 'name="action-publish"' not in client.get(edit_url(page)).content.decode()
    data["action-publish"] = "action-publish"
    client.post(edit_url(page), data)
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert page.issues.count() == 2
    assert "Lén sửa." not in page.purpose and page.has_unpublished_changes


def test_a_leader_cannot_create_documents(client, people, libraries):
    client.force_login(people.yt_leader)
    assert_forbidden(client.get(add_url(libraries.yt)))


def test_unit_staff_read_only_documents_in_force_that_apply_to_them(client, people, docs):
    client.force_login(people.yt_staff)
    assert client.get(docs["yt"].url).status_code == 200
    assert client.get(docs["yt"].url + "pdf/").status_code == 200
    assert client.get(docs["draft"].url).status_code == 404  # a draft is not on the site at all
    assert client.get(docs["bh"].url).status_code == 403  # another unit's document
    assert client.get(docs["old"].url).status_code == 403  # obsolete
    assert client.get(docs["yt"].url + "lan-ban-hanh/1/").status_code == 403  # a past issue
    assert client.get(docs["yt"].url + "lan-ban-hanh/1/pdf/").status_code == 403


def test_unit_staff_see_no_admin_screen_of_documents(client, people, docs):
    client.force_login(people.yt_staff)
    page = docs["yt"]
    first, second = page.issues.order_by("number")
    urls = admin_urls(page) + [
        reverse("documents:review_due"), reverse("documents:obsolete"),
        reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.revision_id, second.revision_id]),
        reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
        reverse("wagtailadmin_pages:history", args=[page.pk]),
        reverse("wagtailadmin_explore", args=[page.get_parent().pk]),
    ]
    for url in urls:
        assert_forbidden(client.get(url))


def test_staff_of_another_unit_cannot_acknowledge(client, people, docs):
    client.force_login(people.bh_staff)
    response = client.post(docs["yt"].url + "da-doc/")
    assert response.status_code == 403
    assert not docs["yt"].current_issue.acknowledgements.exists()


def test_auditor_reads_everything_in_scope_and_changes_nothing(client, people, docs, libraries):
    client.force_login(people.auditor)
    for url in (docs["yt"].url, docs["bh"].url, docs["old"].url, docs["yt"].url + "lan-ban-hanh/1/",
                reverse("documents:register", args=[docs["yt"].pk]), reverse("documents:acknowledgements", args=[docs["bh"].pk]),
                reverse("documents:review_due"), reverse("documents:obsolete")):
        assert client.get(url).status_code == 200, url
    for url in [edit_url(docs["yt"]), add_url(libraries.yt), reverse("documents:withdraw", args=[docs["bh"].pk])]:
        assert_forbidden(client.get(url))
    assert client.get(docs["draft"].url).status_code == 404


def test_visitors_are_sent_to_log_in(client, docs, libraries):
    for url in (libraries.yt.url, docs["yt"].url, docs["yt"].url + "pdf/", libraries.yt.url + "danh-muc/pdf/",
                reverse("procedures_docs:search") + "?q=qt", reverse("procedures_docs:to_read"),
                reverse("procedures_docs:master_list_xlsx")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("wagtailadmin_login")), url


def test_leader_of_another_unit_cannot_withdraw(client, people, docs):
    client.force_login(people.bh_leader)
    assert_forbidden(client.get(reverse("documents:withdraw", args=[docs["yt"].pk])))
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied, asserted by the view above
        services.document_withdraw(page=docs["yt"], on=docs["yt"].current_issue.effective_date, reason="x", by=people.bh_leader)


def test_quality_officer_cannot_open_other_units_library_in_the_explorer(client, people, libraries):
    client.force_login(people.bh_officer)
    # Another unit's library does not exist for them (qms.core.middleware.AdminScopeMiddleware).
    assert client.get(reverse("wagtailadmin_explore", args=[libraries.yt.pk])).status_code == 404
    assert client.get(reverse("wagtailadmin_explore", args=[libraries.bh.pk])).status_code == 200


def test_the_editor_suggests_the_owning_unit_and_refuses_submission_without_a_summary(client, people, libraries):
    """Creating through the admin: the unit is preselected; "submit" with no change summary is refused."""
    from bs4 import BeautifulSoup

    client.force_login(people.yt_officer)
    form = BeautifulSoup(client.get(add_url(libraries.yt)).content, "html.parser")
    selected = [option["value"] for option in form.select("select[name=applies_to] option[selected]")]
    assert selected == [str(libraries.yt.unit_id)]
    data = editor_data(client, add_url(libraries.yt), code="QT-31", title="Quy trình mới", slug="quy-trinh-moi")
    data["action-submit"] = "action-submit"
    response = client.post(add_url(libraries.yt), data)
    assert response.status_code in (200, 400)  # the form again, with the error
    assert "Hãy nêu nội dung sửa đổi của lần ban hành này trước khi trình soát xét." in response.content.decode()
    assert not ControlledDocumentPage.objects.filter(code="QT-31").exists()
    data["change_summary"] = "Ban hành lần đầu"
    client.post(add_url(libraries.yt), data)
    page = ControlledDocumentPage.objects.get(code="QT-31")
    assert page.current_workflow_task.name == "Soát xét (cán bộ phụ trách ISO)"
    assert list(page.applies_to.all()) == [libraries.yt.unit]


def test_a_superuser_repair_publish_is_recorded_as_approved_by_them(client, people, make_document):
    """The one way around the workflow: recorded all the same, with nobody as reviewer."""
    page = make_document(code="QT-60", title="Quy trình sửa chữa dữ liệu")
    client.force_login(people.admin)
    data = editor_data(client, edit_url(page), change_summary="Ban hành lần đầu (nhập bổ sung)")
    data["action-publish"] = "action-publish"
    client.post(edit_url(page), data)
    issue = ControlledDocumentPage.objects.get(pk=page.pk).issues.get()
    assert (issue.number, issue.approved_by, issue.reviewed_by) == (1, people.admin, None)
    assert issue.change_summary == "Ban hành lần đầu (nhập bổ sung)"
