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


# The admin's page search (Wagtail's own view, through the folding search backend).


def admin_search(client, query):
    from bs4 import BeautifulSoup

    html = client.get(reverse("wagtailadmin_pages:search_results"), {"q": query}).content.decode()
    return sorted(a.get_text(" ", strip=True) for a in BeautifulSoup(html, "html.parser").select("td.title a[href*='/edit/']"))


@pytest.mark.parametrize("query", ["kiem soat", "Kiểm soát", "KIEM SOAT TAI"])
def test_admin_page_search_ignores_diacritics(client, documents, people, query):
    client.force_login(people.yt_officer)
    titles = admin_search(client, query)
    assert any("Quy trình kiểm soát tài liệu" in title for title in titles), titles
    assert not any("Bố Hạ" in title for title in titles)  # another unit's documents stay out of sight


@pytest.mark.parametrize("query", ["QT-06", "qt06", "qt-0"])
def test_admin_page_search_finds_a_document_by_its_code(client, documents, people, query):
    client.force_login(people.yt_officer)
    assert any("Quy trình đăng ký khai sinh" in title for title in admin_search(client, query))


def test_admin_page_search_finds_nothing_for_a_word_no_document_has(client, documents, people):
    client.force_login(people.yt_officer)
    assert admin_search(client, "hon nhan") == []


# Addresses.


def test_a_document_created_in_the_admin_is_addressed_by_its_code(client, people, libraries):
    from procedures_docs.models import ControlledDocumentPage
    from tests.procedures_docs.admin_forms import add_url, editor_data

    client.force_login(people.yt_officer)
    data = editor_data(client, add_url(libraries.yt), code="QT-18", title="Quy trình giải quyết thủ tục đăng ký kết hôn")
    assert data.get("slug", "") == ""  # the title no longer fills the address
    client.post(add_url(libraries.yt), data)
    page = ControlledDocumentPage.objects.get(code="QT-18")
    assert page.slug == "qt-18"
    assert page.url_path.endswith(f"/{libraries.yt.slug}/qt-18/")


def test_an_address_typed_by_the_user_is_kept(client, people, libraries):
    from procedures_docs.models import ControlledDocumentPage
    from tests.procedures_docs.admin_forms import add_url, editor_data

    client.force_login(people.yt_officer)
    client.post(add_url(libraries.yt), editor_data(client, add_url(libraries.yt), code="QT-19", title="Quy trình", slug="ket-hon"))
    assert ControlledDocumentPage.objects.get(code="QT-19").slug == "ket-hon"


def test_the_admin_names_a_document_by_code_title_and_unit(client, documents, people, libraries):
    """The reviewer's queue, the explorer and the choosers: the same TTHC gives the same title in every
    commune, so the code and the owning unit tell the rows apart."""
    same = documents["other"]
    assert documents["control"].get_admin_display_title() == "QT-01 – Quy trình kiểm soát tài liệu · Xã Yên Thế (BN-YENTHE)"
    assert same.get_admin_display_title().endswith("· Xã Bố Hạ (BN-BOHA)")
    client.force_login(people.yt_officer)
    html = client.get(reverse("wagtailadmin_explore", args=[libraries.yt.pk])).content.decode()
    assert "QT-06 – Quy trình đăng ký khai sinh" in html
