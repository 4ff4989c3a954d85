"""Read and acknowledge: documents to read, "Tôi đã đọc và hiểu", the matrix and its XLSX."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from procedures_docs import selectors
from procedures_docs.models import Acknowledgement

pytestmark = pytest.mark.django_db


def test_a_new_issue_appears_in_documents_to_read_of_the_units_staff(issued, people, client):
    pending = selectors.documents_to_read(people.yt_staff)
    assert [(page.code, issue.number) for page, issue in pending] == [("QT-01", 1)]  # forms are read with their procedure
    assert selectors.documents_to_read(people.bh_staff) == []
    client.force_login(people.yt_staff)
    body = client.get(reverse("procedures_docs:to_read")).content.decode()
    assert "QT-01" in body and "Quy trình kiểm soát tài liệu" in body
    assert "1 tài liệu cần đọc" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_acknowledging_records_user_document_revision_and_time(issued, people, client):
    client.force_login(people.yt_staff)
    page = issued.page
    assert "Tôi đã đọc và hiểu" in client.get(page.url).content.decode()
    response = client.post(page.url + "da-doc/", follow=True)
    body = response.content.decode()
    assert "Đã ghi nhận: bạn đã đọc và hiểu QT-01, lần ban hành 1." in body
    assert "Bạn đã xác nhận đọc và hiểu lần ban hành 01" in body
    ack = Acknowledgement.objects.get()
    assert (ack.user, ack.issue.document_id, ack.issue.number) == (people.yt_staff, page.pk, 1)
    assert ack.acknowledged_at is not None
    client.post(page.url + "da-doc/")  # a second click records nothing new
    assert Acknowledgement.objects.count() == 1
    assert selectors.documents_to_read(people.yt_staff) == []
    assert client.get(page.url + "da-doc/").status_code == 405


def test_revision_2_must_be_read_again(issued, people, issue, client):
    client.force_login(people.yt_staff)
    client.post(issued.page.url + "da-doc/")
    issue(issued.page, "Sửa đổi bước B3", scope="<p>Phạm vi mới</p>")
    assert [(p.code, i.number) for p, i in selectors.documents_to_read(people.yt_staff)] == [("QT-01", 2)]


def test_matrix_lists_each_unit_with_who_has_not_read(issued, people, issue, client):
    client.force_login(people.yt_staff)
    client.post(issued.page.url + "da-doc/")
    issue(issued.page, "Sửa đổi bước B3", scope="<p>Phạm vi mới</p>")
    client.force_login(people.yt_staff2)
    client.post(issued.page.url + "da-doc/")

    matrix = selectors.acknowledgement_matrix(issued.page)
    assert [group.unit.code for group in matrix] == ["BN-YENTHE"]
    rows = {row.user.username: row for row in matrix[0].rows}
    assert set(rows) == {"yt_officer", "yt_leader", "yt_staff", "yt_staff2", "auditor"}
    assert rows["yt_staff2"].acknowledgement is not None
    assert rows["yt_staff"].acknowledgement is None and rows["yt_staff"].earlier.issue.number == 1
    assert rows["yt_leader"].acknowledgement is None and rows["yt_leader"].earlier is None
    assert matrix[0].read_count == 1

    client.force_login(people.yt_officer)
    url = reverse("documents:acknowledgements", args=[issued.page.pk])
    body = client.get(url).content.decode()
    assert "Lần ban hành 02: 1/5 người đã đọc và hiểu." in body
    assert "đã đọc lần ban hành 01" in body
    first = client.get(url + "?number=1").content.decode()
    assert "Lần ban hành 01: 1/5 người đã đọc và hiểu." in first

    workbook = load_workbook(io.BytesIO(client.get(url + "?export=xlsx").content))
    values = list(workbook.active.values)
    assert values[0][0] == "XÁC NHẬN ĐÃ ĐỌC VÀ HIỂU TÀI LIỆU"
    header = values.index(("Đơn vị", "Họ và tên", "Chức vụ", "Tình trạng", "Thời điểm xác nhận", "Lần ban hành đã đọc trước đó"))
    data = {row[1]: row for row in values[header + 1:]}
    assert data["Vũ Văn Đức"][3] == "Đã đọc" and data["Vũ Văn Đức"][4] is not None
    assert data["Phạm Thị Lan"][3] == "Chưa đọc" and data["Phạm Thị Lan"][5] == "Lần 01"
