"""With the database task backend a large import waits for the worker; its page shows it queued, then done."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from qms.core.roles import Role
from qms.dossiers.models import Dossier, ImportBatch
from tests.core.factories import AdministrativeProcedureFactory

HEADER = "ma_ho_so;ma_don_vi;ma_thu_tuc;kenh_nop;ngay_tiep_nhan;ngay_hen_tra\n"


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DOSSIER_IMPORT_INLINE_BYTES = 0  # every upload goes to the worker


@pytest.mark.django_db
def test_upload_is_queued_and_the_worker_imports_it(client, units, make_user, db_tasks, monkeypatch):
    AdministrativeProcedureFactory(code="P3", processing_days=3)
    client.force_login(make_user(Role.QUALITY_OFFICER, units["215"]))
    rows = "".join(f"W{i};07288;P3;truc_tiep;02/01/2024;05/01/2024\n" for i in range(300))
    response = client.post(reverse("dossier_import:index"), {"file": SimpleUploadedFile("lon.csv", (HEADER + rows).encode())})
    batch = ImportBatch.objects.get()
    assert response.url == reverse("dossier_import:batch", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert batch.state == ImportBatch.State.QUEUED and "Đang chờ" in page
    assert '<meta http-equiv="refresh"' in page and not Dossier.objects.exists()

    # The worker recycles connections between tasks; inside the test's transaction it must keep this one.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE and batch.created == 300 and batch.rows_checked == 300
    page = client.get(response.url).content.decode()
    assert "Đã nhập 300 dòng: thêm mới 300, cập nhật 0." in page and '<meta http-equiv="refresh"' not in page
