"""The competence screens: recording training with its certificate file, the matrix on screen and as XLSX,
and scoping by role — another commune's officer reaches none of a unit's records, history, export,
certificate file or matrix."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qms.competence.models import INTERNAL_AUDITOR, ISO_AWARENESS, CompetenceRequirement, TrainingRecord
from qms.core.roles import Role
from tests.competence.factories import train
from tests.utils import assert_forbidden

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.4 chung chi danh gia vien noi bo"


@pytest.fixture
def world(units, make_user):
    boha, tamtien = units["BN-BOHA"], units["BN-TAMTIEN"]
    people = {
        "qo_boha": make_user(Role.QUALITY_OFFICER, boha, username="qo.boha"),
        "qo_tamtien": make_user(Role.QUALITY_OFFICER, tamtien, username="qo.tamtien"),
        "qo_district": make_user(Role.QUALITY_OFFICER, units["215"], username="qo.district"),
        "staff_boha": make_user(Role.UNIT_STAFF, boha, username="staff.boha", first_name="Nam", last_name="Hoàng Văn"),
        "auditor_tamtien": make_user(Role.AUDITOR, tamtien, certified=False, username="auditor.tamtien",
                                     first_name="Sơn", last_name="Lý Văn"),
    }
    record = train(
        people["auditor_tamtien"], INTERNAL_AUDITOR, unit=tamtien, completed_on=D(2024, 2, 1), expires_on=D(2027, 1, 31),
        course="Khóa ĐGNB Tam Tiến",
        certificate=SimpleUploadedFile("chung-chi.pdf", PDF),
    )
    return people, record


def test_the_units_officer_records_training_with_its_certificate(client, world, units):
    people, _record = world
    client.force_login(people["qo_boha"])
    response = client.post(reverse("trainingrecords:add"), {
        "person": people["staff_boha"].pk, "unit": units["BN-BOHA"].pk, "course": "Nhận thức ISO 9001:2015",
        "provider": "Sở KH&CN", "completed_on": "12/03/2025", "certificate_number": "NT-2025-07",
        "certificate": SimpleUploadedFile("nhan-thuc.pdf", PDF), "expires_on": "",
        "requirements": [CompetenceRequirement.objects.get(code=ISO_AWARENESS).pk],
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    record = TrainingRecord.objects.get(course="Nhận thức ISO 9001:2015")
    assert (record.person, record.recorded_by, record.expires_on) == (people["staff_boha"], people["qo_boha"], None)
    assert record.history.latest().history_user == people["qo_boha"]
    served = client.get(reverse("trainingrecords:certificate", args=[record.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    inspect = client.get(reverse("trainingrecords:inspect", args=[record.pk])).content.decode()
    assert reverse("trainingrecords:certificate", args=[record.pk]) in inspect
    # Kept records: no delete, for anyone.
    assert_forbidden(client.get(reverse("trainingrecords:delete", args=[record.pk])))


def test_another_communes_officer_reaches_nothing_of_the_record(client, world):
    people, record = world
    client.force_login(people["qo_boha"])
    listing = client.get(reverse("trainingrecords:index")).content.decode()
    assert "Khóa ĐGNB Tam Tiến" not in listing
    for name in ("inspect", "edit", "history", "certificate", "withdraw"):
        assert_forbidden(client.get(reverse(f"trainingrecords:{name}", args=[record.pk])))
    assert_forbidden(client.post(reverse("trainingrecords:withdraw", args=[record.pk]), {"on": "01/06/2026", "reason": "x"}))
    record.refresh_from_db()
    assert record.withdrawn_on is None
    export = client.get(reverse("trainingrecords:index") + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content)).active
    assert "Khóa ĐGNB Tam Tiến" not in [c.value for row in sheet.iter_rows() for c in row]
    tamtien = record.unit
    assert_forbidden(client.get(reverse("competencematrix:index") + f"?unit={tamtien.pk}"))
    assert_forbidden(client.get(reverse("competencematrix:index") + f"?unit={tamtien.pk}&format=xlsx"))
    # The record's own officer reaches all of it.
    client.force_login(people["qo_tamtien"])
    for name in ("inspect", "edit", "history", "certificate", "withdraw"):
        assert client.get(reverse(f"trainingrecords:{name}", args=[record.pk])).status_code == 200, name


def test_a_one_stop_officer_sees_no_training_records(client, world):
    people, record = world
    client.force_login(people["staff_boha"])
    assert_forbidden(client.get(reverse("trainingrecords:index")))
    assert_forbidden(client.get(reverse("competencematrix:index")))
    assert_forbidden(client.get(reverse("trainingrecords:certificate", args=[record.pk])))


def test_only_district_officers_edit_the_requirements(client, world):
    people, _record = world
    requirement = CompetenceRequirement.objects.get(code=INTERNAL_AUDITOR)
    client.force_login(people["qo_boha"])
    assert client.get(reverse("competencerequirements:index")).status_code == 200
    assert_forbidden(client.get(reverse("competencerequirements:edit", args=[requirement.pk])))
    client.force_login(people["qo_district"])
    assert client.get(reverse("competencerequirements:edit", args=[requirement.pk])).status_code == 200


def test_withdrawing_through_the_screen(client, world):
    people, record = world
    client.force_login(people["qo_tamtien"])
    response = client.post(reverse("trainingrecords:withdraw", args=[record.pk]),
                           {"on": "01/06/2026", "reason": "Chứng chỉ bị thu hồi"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.withdrawn_on, record.withdrawal_reason) == (D(2026, 6, 1), "Chứng chỉ bị thu hồi")


def test_the_matrix_on_screen_and_as_xlsx(client, world, units):
    people, _record = world
    tamtien = units["BN-TAMTIEN"]
    client.force_login(people["qo_tamtien"])
    url = reverse("competencematrix:index") + f"?unit={tamtien.pk}&on=2026-01-10"
    html = client.get(url).content.decode()
    assert "Chứng chỉ đánh giá viên nội bộ ISO 9001" in html
    assert 'data-user="auditor.tamtien"' in html
    assert "đến ngày 31/01/2027" in html  # shown though "met"
    response = client.get(url + "&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row and row[0] == "Cán bộ")
    assert "Chứng chỉ đánh giá viên nội bộ ISO 9001" in header
    person = next(row for row in rows if row and row[0] == "Lý Văn Sơn")
    assert person[header.index("Chứng chỉ đánh giá viên nội bộ ISO 9001")] == "Đạt (đến ngày 31/01/2027)"
    officer = next(row for row in rows if row and row[0] == person_name_of(people["qo_tamtien"]))
    assert officer[header.index("Đào tạo nhận thức ISO 9001")] == "Chưa đạt"


def person_name_of(user):
    from qms.core.text import person_name

    return person_name(user)
