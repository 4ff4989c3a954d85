"""The row errors of a dossier import: values cut to a readable length when stored and shown, and the
errors CSV writes what the file held as text, never as a formula."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qms.core.roles import Role
from qms.core.tabular import ERROR_VALUE_LIMIT, RowError
from qms.dossiers.models import ImportBatch
from tests.core.factories import AdministrativeProcedureFactory
from tests.spreadsheets import PAYLOADS, assert_csv_inert, csv_cells

HEADER = ["ma_ho_so", "ma_don_vi", "ma_thu_tuc", "kenh_nop", "ngay_tiep_nhan", "ngay_hen_tra",
          "ngay_ket_thuc_xu_ly", "ngay_tra_ket_qua", "trang_thai"]
HUGE = "L" * 1_000_000
CUT = "L" * ERROR_VALUE_LIMIT + "…"


def upload(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile("ho-so.csv", out.getvalue().encode())


@pytest.fixture
def batch(client, units, make_user):
    """An import by a quality officer of the district: a 1 MB dossier code, and a unit code per payload."""
    AdministrativeProcedureFactory(code="P3", processing_days=3)
    client.force_login(make_user(Role.QUALITY_OFFICER, units["215"]))
    rows = [[HUGE, "07288", "P3", "truc_tiep", "02/01/2024", "05/01/2024", "", "", ""]]
    rows += [[f"hs{n}", payload, "P3", "truc_tiep", "02/01/2024", "05/01/2024", "", "", ""] for n, payload in enumerate(PAYLOADS)]
    response = client.post(reverse("dossier_import:index"), {"file": upload(rows)})
    assert response.status_code == 302
    return ImportBatch.objects.get()


def test_a_huge_cell_is_stored_and_shown_cut(client, batch):
    stored = {(e["row"], e["column"]): e["value"] for e in batch.errors}
    assert stored[(2, "ma_ho_so")] == CUT
    assert max(len(e["value"]) for e in batch.errors) == ERROR_VALUE_LIMIT + 1
    html = client.get(reverse("dossier_import:batch", args=[batch.pk])).content.decode()
    assert CUT in html and "L" * (ERROR_VALUE_LIMIT + 1) not in html
    cells = csv_cells(client.get(reverse("dossier_import:errors", args=[batch.pk])).content)
    assert CUT in cells and max(len(cell) for cell in cells) == ERROR_VALUE_LIMIT + 1


def test_errors_csv_writes_the_files_values_as_text(client, batch):
    response = client.get(reverse("dossier_import:errors", args=[batch.pk]))
    assert response.status_code == 200
    cells = assert_csv_inert(response.content)
    assert "3" in cells  # row numbers stay numbers


@pytest.mark.parametrize(("value", "kept"), [("abc", "abc"), ("x" * 200, "x" * 200), ("x" * 201, "x" * 200 + "…"), (None, "")])
def test_row_errors_keep_at_most_200_characters(value, kept):
    assert RowError(2, "Mã hồ sơ", value, "Quá dài").value == kept
