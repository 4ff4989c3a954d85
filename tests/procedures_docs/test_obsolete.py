"""Withdrawal: obsolete with date and reason, readable with a banner, out of the master list, in the register."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures_docs import selectors, services
from procedures_docs.models import ControlledDocumentPage, DocumentWithdrawal
from qms.core.models.units import unit_graph_per_request

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 6, 15)


def withdraw(client, page, **data):
    return client.post(reverse("documents:withdraw", args=[page.pk]), {"withdrawn_on": "2026-06-15", **data})


def test_a_leader_withdraws_a_document_and_its_forms(client, people, issued):
    client.force_login(people.yt_leader)
    response = withdraw(client, issued.page, reason="Thay thế bởi QT-07")
    assert response.status_code == 302
    record = DocumentWithdrawal.objects.get(document=issued.page)
    assert (record.withdrawn_on, record.reason, record.withdrawn_by, record.last_issue.number) == (ON, "Thay thế bởi QT-07", people.yt_leader, 1)
    assert DocumentWithdrawal.objects.filter(document=issued.form).exists()  # the form goes with it
    page = ControlledDocumentPage.objects.get(pk=issued.page.pk)
    assert page.live and page.is_obsolete  # still readable


def test_within_a_request_the_obsolete_documents_are_read_once_and_a_withdrawal_is_seen_at_once(people, issued):
    """Wagtail's listings ask every row whether its document is obsolete (its edit link, its status tag)."""
    with unit_graph_per_request():
        with CaptureQueriesContext(connection) as queries:
            pages = list(ControlledDocumentPage.objects.filter(pk__in=[issued.page.pk, issued.form.pk]))
            assert not any(page.is_obsolete for page in pages)
            assert not any(page.is_obsolete for page in ControlledDocumentPage.objects.filter(pk__in=[issued.page.pk]))
        assert len(queries.captured_queries) == 3  # two listings and the obsolete documents, once
        services.document_withdraw(page=issued.page, on=ON, reason="Thay thế bởi QT-07", by=people.yt_leader)
        assert all(page.is_obsolete for page in ControlledDocumentPage.objects.filter(pk__in=[issued.page.pk, issued.form.pk]))


def test_withdrawal_needs_a_reason(client, people, issued):
    client.force_login(people.yt_leader)
    response = withdraw(client, issued.page, reason="  ")
    assert response.status_code == 200
    assert not DocumentWithdrawal.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.document_withdraw(page=issued.page, on=ON, reason="", by=people.yt_leader)
    assert error.value.message_dict["reason"] == ["Hãy nêu lý do thu hồi tài liệu."]


def test_a_draft_cannot_be_withdrawn(people, make_document):
    draft = make_document(code="QT-40")
    with pytest.raises(ValidationError):
        services.document_withdraw(page=draft, on=ON, reason="Không dùng", by=people.yt_leader)


def test_obsolete_document_carries_the_banner_and_leaves_the_master_list(client, people, issued):
    services.document_withdraw(page=issued.page, on=ON, reason="Thay thế bởi QT-07", by=people.yt_leader)
    client.force_login(people.auditor)
    body = client.get(issued.page.url).content.decode()
    assert "TÀI LIỆU LỖI THỜI – không sử dụng. Hết hiệu lực từ ngày 15/06/2026. Lý do: Thay thế bởi QT-07" in body
    assert "BẢN KIỂM SOÁT" not in body
    assert "Tôi đã đọc và hiểu" not in body
    assert not selectors.master_list(units=[issued.page.owner_unit]).filter(pk=issued.page.pk).exists()
    register = client.get(reverse("documents:obsolete")).content.decode()
    assert "QT-01" in register and "Thay thế bởi QT-07" in register and "15/06/2026" in register


def test_obsolete_register_exports_xlsx(client, people, issued):
    import io

    from openpyxl import load_workbook

    services.document_withdraw(page=issued.page, on=ON, reason="Thay thế bởi QT-07", by=people.yt_leader)
    client.force_login(people.yt_officer)
    response = client.get(reverse("documents:obsolete") + "?export=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)).active.values)
    assert rows[0][:2] == ("Mã hiệu", "Tên tài liệu")
    codes = {row[0] for row in rows[1:]}
    assert codes == {"QT-01", "BM-01-01"}


def test_an_obsolete_document_is_frozen(client, people, issued):
    services.document_withdraw(page=issued.page, on=ON, reason="Thay thế", by=people.yt_leader)
    page = ControlledDocumentPage.objects.get(pk=issued.page.pk)
    assert not page.permissions_for_user(people.yt_officer).can_edit()
    assert not page.permissions_for_user(people.admin).can_edit()
    with pytest.raises(ValidationError):
        services.document_edit(page=page, by=people.yt_officer, change_summary="Sửa lại", purpose="<p>x</p>")
    with pytest.raises(ValidationError):
        services.document_withdraw(page=page, on=ON, reason="Lần nữa", by=people.yt_leader)


def test_withdrawal_cancels_a_revision_under_review(people, issued):
    services.document_edit(page=issued.page, by=people.yt_officer, change_summary="Sửa mục 2", scope="<p>Mới</p>")
    services.document_submit(page=issued.page, by=people.yt_officer)
    services.document_withdraw(page=issued.page, on=ON, reason="Bãi bỏ", by=people.yt_leader)
    page = ControlledDocumentPage.objects.get(pk=issued.page.pk)
    assert page.current_workflow_state is None


def test_the_explorer_tags_an_obsolete_document_obsolete_not_published(client, people, issued, libraries):
    from bs4 import BeautifulSoup

    client.force_login(people.yt_leader)
    withdraw(client, issued.page, reason="Thay thế bởi QT-07")
    client.force_login(people.yt_officer)
    html = client.get(reverse("wagtailadmin_explore", args=[libraries.yt.pk])).content.decode()
    rows = [row for row in BeautifulSoup(html, "html.parser").select("table tbody tr") if "QT-01" in row.get_text()]
    assert rows, html[:200]
    status = rows[0].select_one(".w-status").get_text(" ", strip=True)
    assert "lỗi thời" in status
    assert "xuất bản" not in status
