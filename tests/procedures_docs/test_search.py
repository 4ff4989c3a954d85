"""Search by code, title and body, with or without Vietnamese diacritics, within what the user may read."""

import pytest
from django.urls import reverse

from procedures_docs import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(make_document, issue, libraries):
    control = make_document(title="Quy trình kiểm soát tài liệu", body=[
        ("paragraph", "<p>Thu hồi tài liệu lỗi thời ngay khi ban hành bản thay thế.</p>")])
    issue(control)
    birth = make_document(code="QT-06", title="Quy trình đăng ký khai sinh", purpose="<p>Giải quyết đúng hạn.</p>", body=[
        ("process_step", {"step": "B1", "action": "<p>Tiếp nhận Tờ khai đăng ký khai sinh</p>", "responsible": "Công chức một cửa",
                          "time_limit": "0,5 ngày", "output": "BM-06-01", "form": None})])
    issue(birth)
    draft = make_document(code="QT-07", title="Quy trình đăng ký kết hôn")
    other = make_document(code="QT-01", title="Quy trình kiểm soát tài liệu xã Bố Hạ", library=libraries.bh)
    issue(other)
    return {"control": control, "birth": birth, "draft": draft, "other": other}


@pytest.mark.parametrize("query", ["kiem soat tai lieu", "Kiểm soát tài liệu", "KIEM SOAT", "qt-01", "loi thoi"])
def test_finds_with_or_without_diacritics(documents, people, query):
    assert [p.pk for p in selectors.search_documents(people.yt_staff, query)] == [documents["control"].pk]


def test_finds_text_inside_process_steps(documents, people):
    assert [p.code for p in selectors.search_documents(people.yt_staff, "to khai dang ky")] == ["QT-06"]


def test_never_finds_drafts_or_documents_the_user_may_not_read(documents, people):
    assert selectors.search_documents(people.yt_staff, "ket hon") == []  # a draft
    assert selectors.search_documents(people.bh_staff, "kiem soat") == [documents["other"]]
    codes = sorted(p.owner_unit.code for p in selectors.search_documents(people.auditor, "kiem soat"))
    assert codes == ["BN-BOHA", "BN-YENTHE"]


def test_search_page(client, documents, people):
    client.force_login(people.yt_staff)
    body = client.get(reverse("procedures_docs:search") + "?q=dang+ky+khai+sinh").content.decode()
    assert "1 tài liệu khớp với “dang ky khai sinh”." in body
    assert documents["birth"].url in body
