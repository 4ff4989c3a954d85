"""Uploaded files: no public media folder, documents need a login, production hands files to nginx
(X-Accel-Redirect), and the TTHC catalogue upload has a size limit."""

import django_sendfile.utils
import pytest
import wagtail.utils.sendfile
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from qms.core.models import AdministrativeProcedure
from qms.core.roles import Role

pytestmark = pytest.mark.django_db

MSG_TOO_BIG = "Tệp có dung lượng %(size)s MB, vượt quá mức cho phép %(limit)s MB."


@pytest.fixture
def nginx():
    """Production's file sending: django-sendfile2's nginx backend (both loaders cache the backend)."""
    def clear():
        django_sendfile.utils._get_sendfile.cache_clear()
        wagtail.utils.sendfile._get_sendfile.clear()

    clear()
    with override_settings(SENDFILE_BACKEND="django_sendfile.backends.nginx", SENDFILE_URL="/protected-files"):
        yield
    clear()


@pytest.fixture
def root_document(make_user):
    """A document uploaded to the Root collection by a quality officer, as originals are."""
    officer = make_user(Role.QUALITY_OFFICER, username="qo.root")
    document = get_document_model().objects.create(
        title="Quy trình gốc", file=ContentFile(b"ban goc", name="quy-trinh-goc.docx"),
        collection=Collection.get_first_root_node(), uploaded_by_user=officer,
    )
    return document


def test_no_public_media_folder(client, make_user, units):
    name = default_storage.save("dossier-imports/2026/01/tep.csv", ContentFile(b"ma_ho_so\nNOI-DUNG-KIN\n"))
    for user in (None, make_user(Role.QUALITY_OFFICER, units["215"])):
        if user:
            client.force_login(user)
        response = client.get(settings.MEDIA_URL + name)
        assert response.status_code == 404 and b"NOI-DUNG-KIN" not in response.content


def test_documents_are_served_by_the_checking_view_and_need_a_login(client, root_document):
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    root = Collection.get_first_root_node()
    assert CollectionViewRestriction.objects.filter(collection=root, restriction_type="login").exists()
    response = client.get(root_document.url)
    assert response.status_code == 302 and "/admin/login/" in response.url
    client.force_login(root_document.uploaded_by_user)
    response = client.get(root_document.url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"ban goc"


def test_in_production_nginx_sends_the_file(client, nginx, root_document, make_user, units):
    client.force_login(root_document.uploaded_by_user)
    response = client.get(root_document.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-files/" + root_document.file.name
    assert response.content == b"", "nginx sends the bytes, not Python"
    # The project's own file views go the same way.
    from qms.dossiers.services import import_batch_create

    owner = make_user(Role.UNIT_STAFF, units["BN-YENTHE"])
    batch, _created = import_batch_create(upload=ContentFile(b"ma_ho_so\n", name="a.csv"), filename="a.csv", by=owner)
    client.force_login(owner)
    response = client.get(reverse("dossier_import:file", args=[batch.pk]))
    assert response["X-Accel-Redirect"] == "/protected-files/" + batch.file.name
    assert response["Content-Disposition"] == 'attachment; filename="a.csv"'


@override_settings(QMS_MAX_CATALOGUE_UPLOAD=1024 * 1024)
def test_an_oversize_catalogue_upload_is_refused(client, make_user, units):
    client.force_login(make_user(Role.QUALITY_OFFICER, units["215"]))
    big = SimpleUploadedFile("tthc.csv", b"ma_thu_tuc;ten_thu_tuc\n" + b"x" * (5 * 1024 * 1024 // 2))
    response = client.post(reverse("tthc:import"), {"file": big})
    assert MSG_TOO_BIG % {"size": "2,5", "limit": "1"} in response.content.decode()
    assert not AdministrativeProcedure.objects.exists()
