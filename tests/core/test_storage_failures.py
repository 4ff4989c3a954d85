"""A media folder that is read-only or full (issue: "a bare 500, a truncated CSV, 0-byte PDFs, the typed
text lost"): every upload says so in Vietnamese, keeps what the user typed, and leaves no file behind."""

import errno

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model

from qms.core import files
from qms.core.roles import Role
from qms.dossiers.models import ImportBatch

pytestmark = pytest.mark.django_db

READ_ONLY = "Không lưu được tệp: thư mục lưu tệp trên máy chủ đang ở chế độ chỉ đọc."
FULL = "Không lưu được tệp: ổ đĩa của máy chủ đã đầy"
KEPT = "những gì bạn đã nhập vẫn còn trên biểu mẫu"
HEADER = "ma_ho_so;ma_don_vi;ma_thu_tuc;kenh_nop;ngay_tiep_nhan;ngay_hen_tra;ngay_ket_thuc_xu_ly;ngay_tra_ket_qua;trang_thai\n"


def csv_upload(size=0):
    return SimpleUploadedFile("hồ sơ.csv", (HEADER + "f1;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;\n").encode() + b"#" * size)


def test_a_read_only_media_folder_refuses_the_dossier_import_on_the_form(client, units, make_user, media_mount):
    media_mount(1024 * 1024).read_only()
    client.force_login(make_user(Role.UNIT_STAFF, units["BN-YENTHE"]))
    response = client.post(reverse("dossier_import:index"), {"file": csv_upload(), "keep_valid": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert READ_ONLY in html and KEPT in html
    assert 'name="keep_valid"' in html and "checked" in html.split('name="keep_valid"')[1].split(">")[0]
    assert not ImportBatch.objects.exists()


def test_a_disk_too_full_for_the_file_refuses_it_before_writing(client, units, make_user, media_mount, settings):
    media_mount(256 * 1024)
    settings.QMS_MEDIA_FREE_MARGIN = 0
    client.force_login(make_user(Role.UNIT_STAFF, units["BN-YENTHE"]))
    response = client.post(reverse("dossier_import:index"), {"file": csv_upload(512 * 1024)})
    assert FULL in response.content.decode()
    assert not ImportBatch.objects.exists() and media_mount.files() == []


def test_a_disk_that_fills_during_the_write_leaves_no_partial_file(client, units, make_user, media_mount, settings, monkeypatch):
    """The room was there when the form was checked; another writer took it before the file was written."""
    media_mount(256 * 1024)
    settings.QMS_MEDIA_FREE_MARGIN = 0
    monkeypatch.setattr("qms.dossiers.forms.validate_storage_room", lambda upload: None)
    client.force_login(make_user(Role.UNIT_STAFF, units["BN-YENTHE"]))
    response = client.post(reverse("dossier_import:index"), {"file": csv_upload(512 * 1024)})
    assert response.status_code == 200 and FULL in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert media_mount.files() == [], "the truncated file was removed"


def test_wagtail_document_upload_to_a_read_only_folder_is_a_form_error(client, make_user, media_mount):
    media_mount(1024 * 1024).read_only()
    client.force_login(make_user(None, username="root", is_superuser=True, is_staff=True))
    response = client.post(
        reverse("wagtaildocs:add"), {"title": "Quy trình tiếp nhận", "file": SimpleUploadedFile("qt.pdf", b"%PDF-1.4 x")}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert READ_ONLY in html and "Quy trình tiếp nhận" in html
    multiple = client.post(reverse("wagtaildocs:add_multiple"), {"files[]": SimpleUploadedFile("qt.pdf", b"%PDF-1.4 x")})
    assert multiple.json()["success"] is False and READ_ONLY in multiple.json()["error_message"]
    assert not get_document_model().objects.exists()


def test_files_stored_in_a_block_that_rolls_back_are_removed(db):
    with pytest.raises(RuntimeError), files.atomic_with_files():
        name = default_storage.save("thu/orphan.txt", ContentFile(b"x"))
        assert default_storage.exists(name)
        raise RuntimeError("the record's save failed")
    assert not default_storage.exists(name)

    with files.atomic_with_files():
        kept = default_storage.save("thu/kept.txt", ContentFile(b"x"))
    assert default_storage.exists(kept)
    default_storage.delete(kept)


def test_storage_errors_name_the_cause(tmp_path):
    assert files.StorageFailure.from_os_error(OSError(errno.EROFS, "Read-only"), tmp_path).code == "storage_read_only"
    assert files.StorageFailure.from_os_error(OSError(errno.ENOSPC, "No space"), tmp_path).code == "storage_full"
    assert files.StorageFailure.from_os_error(OSError(errno.EIO, "I/O error"), tmp_path).code == "storage_error"


def test_wagtail_image_upload_to_a_read_only_folder_is_a_form_error(client, make_user, media_mount):
    import io

    from PIL import Image
    from wagtail.images import get_image_model

    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, "PNG")
    media_mount(1024 * 1024).read_only()
    client.force_login(make_user(None, username="root", is_superuser=True, is_staff=True))
    response = client.post(
        reverse("wagtailimages:add"), {"title": "Sơ đồ", "file": SimpleUploadedFile("so-do.png", png.getvalue())}
    )
    assert response.status_code == 200 and READ_ONLY in response.content.decode()
    assert not get_image_model().objects.exists()
