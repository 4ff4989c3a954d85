"""
A form (biểu mẫu) as staff read it: the sections its author typed are on its reading copy (not dropped
because a form has no numbered layout), and its attached original (the Word file to fill in) is a
download link through the checked /documents/ view, for whoever may read the form and nobody else.
"""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, ReferenceIndex

from procedures_docs.models import ControlledDocumentPage, DocumentType

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(make_document, issue, people):
    procedure = make_document()
    issue(procedure)
    original = get_document_model().objects.create(
        title="BM-01-01 bản gốc", file=ContentFile(b"mau phieu", name="bm-01-01.docx"),
        collection=Collection.get_first_root_node(), uploaded_by_user=people.yt_officer,
    )
    page = make_document(
        code="BM-01-01", title="Phiếu đề nghị sửa đổi tài liệu", parent=procedure, doc_type=DocumentType.FORM,
        purpose="<p>Dùng khi đề nghị sửa đổi một tài liệu.</p>", scope="<p>Mọi công chức của xã.</p>",
        attachments=[("original", original)],
    )
    issue(page)
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    ReferenceIndex.create_or_update_for_object(page)  # normally a background task after the save
    return page, original


def test_staff_read_the_forms_sections_and_download_its_original(client, people, form):
    page, original = form
    client.force_login(people.yt_staff)
    html = client.get(page.url).content.decode()
    assert "MỤC ĐÍCH" in html and "Dùng khi đề nghị sửa đổi một tài liệu." in html
    assert "PHẠM VI" in html and "Mọi công chức của xã." in html
    assert "ĐỊNH NGHĨA" not in html  # an empty section is left out, not printed as "–"
    assert f'href="{original.url}"' in html  # the link, whichever block of the reading copy carries it
    response = client.get(original.url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"mau phieu"


def test_another_commune_gets_neither_the_form_nor_its_original(client, people, form):
    page, original = form
    client.force_login(people.bh_staff)
    assert client.get(page.url).status_code in (403, 404)
    assert client.get(original.url).status_code == 404
