"""
The district's quality officer sees the communes' import batches (read only) to check that every commune
imported its period before the report; another commune's officer and a colleague on staff do not. The
lists say what an import did: a rejected file is "rejected", a check wrote nothing.
"""

import pytest
from django.urls import reverse

from qms.core.roles import Role
from qms.dossiers.models import ImportBatch
from qms.dossiers.services import dossier_import
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import COLUMNS

pytestmark = pytest.mark.django_db

GOOD = "yt-1;BN-YENTHE;P3;truc_tiep;03/03/2026;06/03/2026;05/03/2026;;\n"
BAD = "yt-2;NO-SUCH-UNIT;P3;truc_tiep;03/03/2026;06/03/2026;;;\n"


def upload(tmp_path, name, rows, by, **options):
    path = tmp_path / name
    path.write_text(COLUMNS + rows, encoding="utf-8")
    return dossier_import(path=path, by=by, **options)


@pytest.fixture
def batches(tmp_path, demo_users):
    AdministrativeProcedureFactory(code="P3", processing_days=3, field="Hộ tịch")
    staff = demo_users["motcua"]  # one-stop officer of Xã Yên Thế
    return {
        "rejected": upload(tmp_path, "thang-3.csv", GOOD + BAD, staff),
        "checked": upload(tmp_path, "thu.csv", GOOD, staff, dry_run=True),
        "done": upload(tmp_path, "thang-3-sua.csv", GOOD, staff),
    }


def test_the_district_quality_officer_reads_the_communes_batches(client, batches, demo_users):
    client.force_login(demo_users["qlcl"])
    listing = client.get(reverse("dossier_import:index")).content.decode()
    for batch in batches.values():
        assert batch.file_name in listing
        assert client.get(reverse("dossier_import:batch", args=[batch.pk])).status_code == 200
    assert "Phạm Thị Lan" in listing  # who imported it
    errors = client.get(reverse("dossier_import:errors", args=[batches["rejected"].pk]))
    assert errors.status_code == 200 and "NO-SUCH-UNIT" in errors.content.decode("utf-8-sig")


def test_another_communes_officer_and_a_colleague_do_not(client, batches, demo_users, make_user, units):
    for user in (make_user(Role.QUALITY_OFFICER, units["BN-BOHA"]), demo_users["motcua.boha"],
                 make_user(Role.UNIT_STAFF, units["BN-YENTHE"])):
        client.force_login(user)
        listing = client.get(reverse("dossier_import:index")).content.decode()
        assert "thang-3.csv" not in listing
        assert client.get(reverse("dossier_import:batch", args=[batches["rejected"].pk])).status_code == 404
        assert client.get(reverse("dossier_import:errors", args=[batches["rejected"].pk])).status_code == 404


def test_the_list_says_rejected_and_checked_only(client, batches, demo_users):
    assert batches["rejected"].rejected and not batches["done"].rejected
    client.force_login(demo_users["motcua"])
    listing = client.get(reverse("dossier_import:index")).content.decode()
    rows = {name: listing.split(name, 1)[1].split("</tr>", 1)[0] for name in ("thang-3.csv", "thu.csv", "thang-3-sua.csv")}
    assert "Bị từ chối: không ghi dòng nào" in rows["thang-3.csv"] and "Hoàn thành" not in rows["thang-3.csv"]
    assert "Chỉ kiểm tra: hợp lệ, không ghi dòng nào" in rows["thu.csv"]
    assert "<td>–</td><td>–</td>" in rows["thu.csv"]  # no "added 1" for a file that was only checked
    assert ImportBatch.objects.get(pk=batches["checked"].pk).created == 1  # what it would have added
    assert "Hoàn thành" in rows["thang-3-sua.csv"] and "<td>–</td>" not in rows["thang-3-sua.csv"]
