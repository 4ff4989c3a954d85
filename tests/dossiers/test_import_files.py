"""The uploaded file of a dossier import: downloaded only by whoever may see the batch, never from a
public folder; an over-size upload is refused on the form and nothing is kept."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from qms.core.roles import Role
from qms.dossiers.models import ImportBatch
from tests.core.factories import AdministrativeProcedureFactory
from tests.utils import assert_forbidden

HEADER = "ma_ho_so;ma_don_vi;ma_thu_tuc;kenh_nop;ngay_tiep_nhan;ngay_hen_tra;ngay_ket_thuc_xu_ly;ngay_tra_ket_qua;trang_thai\n"
CONTENT = (HEADER + "f1;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;\n").encode()
MSG_TOO_BIG = "Tệp có dung lượng %(size)s MB, vượt quá mức cho phép %(limit)s MB."


@pytest.fixture
def batch(client, units, make_user):
    """A batch uploaded through the import screen by a one-stop officer of Xã Yên Thế."""
    AdministrativeProcedureFactory(code="P3", processing_days=3)
    owner = make_user(Role.UNIT_STAFF, units["BN-YENTHE"], username="motcua.yt")
    client.force_login(owner)
    client.post(reverse("dossier_import:index"), {"file": SimpleUploadedFile("hồ sơ tháng 1.csv", CONTENT)})
    return ImportBatch.objects.get(created_by=owner)


def test_the_uploader_downloads_the_file_from_the_batch_page(client, batch):
    html = client.get(reverse("dossier_import:batch", args=[batch.pk])).content.decode()
    url = reverse("dossier_import:file", args=[batch.pk])
    assert f'href="{url}"' in html
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == CONTENT
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=UTF-8''h%E1%BB%93%20s%C6%A1%20th%C3%A1ng%201.csv" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_nobody_else_gets_the_file(client, batch, make_user, units):
    url = reverse("dossier_import:file", args=[batch.pk])
    # Another officer of the same unit, one of another unit, a quality officer of another unit.
    for user in (
        make_user(Role.UNIT_STAFF, units["BN-YENTHE"]),
        make_user(Role.UNIT_STAFF, units["BN-BOHA"]),
        make_user(Role.QUALITY_OFFICER, units["BN-BOHA"]),
    ):
        client.force_login(user)
        assert_forbidden(client.get(url))
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response.url
    # The stored file is not reachable under /media/ either (no public media folder).
    assert client.get(settings.MEDIA_URL + batch.file.name).status_code == 404


@override_settings(QMS_MAX_IMPORT_UPLOAD=1024 * 1024)
def test_an_oversize_import_is_refused_and_nothing_is_kept(client, units, make_user):
    client.force_login(make_user(Role.QUALITY_OFFICER, units["215"]))
    folder = Path(settings.MEDIA_ROOT) / "dossier-imports"
    before = set(folder.rglob("*")) if folder.exists() else set()
    big = SimpleUploadedFile("lon.csv", HEADER.encode() + b"x" * (3 * 1024 * 1024))
    response = client.post(reverse("dossier_import:index"), {"file": big})
    assert response.status_code == 200
    assert MSG_TOO_BIG % {"size": "3", "limit": "1"} in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert (set(folder.rglob("*")) if folder.exists() else set()) == before
