"""Periodic review: the due date, the report (filters, XLSX), the dashboard panel, legal-basis changes."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from procedures_docs import selectors, services
from procedures_docs.models import ControlledDocumentPage, add_months
from qms.core.services import procedure_save

pytestmark = pytest.mark.django_db


def backdate(page, effective: datetime.date, interval: int = 12):
    """Pretend the issue in force took effect on `effective` (tests cannot wait a year)."""
    page.issues.update(effective_date=effective, next_review_on=add_months(effective, interval))


@pytest.fixture
def schedule(make_document, issue):
    """Three documents in force: overdue, due in 20 days, due in 200 days."""
    today = timezone.localdate()
    pages = {}
    for code, effective in (("QT-01", add_months(today, -13)), ("QT-02", add_months(today, -12) + datetime.timedelta(days=20)),
                            ("QT-03", add_months(today, -6))):
        page = make_document(code=code, title=f"Quy trình {code}")
        issue(page)
        backdate(page, effective)
        pages[code] = page
    return pages


def test_review_due_is_effective_date_plus_interval(make_document, issue):
    page = make_document(review_interval_months=6)
    first = issue(page)
    assert first.next_review_on == add_months(first.effective_date, 6)
    annotated = selectors.with_review_due(ControlledDocumentPage.objects.filter(pk=page.pk)).get()
    assert annotated.review_due_on == first.next_review_on


def test_report_lists_overdue_and_due_within_30_days(schedule, people):
    due = {page.code: page.review_due_on for page in selectors.review_due(people.yt_officer)}
    assert set(due) == {"QT-01", "QT-02"}
    assert due["QT-01"] < timezone.localdate() <= due["QT-02"]
    assert list(selectors.review_due(people.bh_officer)) == []  # another unit's documents


def test_report_view_filters_and_exports(client, people, schedule):
    client.force_login(people.yt_officer)
    url = reverse("documents:review_due")
    body = client.get(url).content.decode()
    assert "QT-01" in body and "QT-02" in body and "QT-03" not in body
    overdue = client.get(url + "?status=overdue").content.decode()
    assert "QT-01" in overdue and "QT-02" not in overdue
    response = client.get(url + "?export=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content)).active.values)
    assert rows[0][0] == "Mã hiệu" and rows[0][-1] == "Lý do"
    assert {row[0] for row in rows[1:]} == {"QT-01", "QT-02"}
    assert {row[-1] for row in rows[1:]} == {"Soát xét định kỳ"}


def test_dashboard_panel_shows_documents_due(client, people, schedule):
    client.force_login(people.yt_leader)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "2 tài liệu đến hạn soát xét (1 quá hạn)" in body
    client.force_login(people.yt_staff)
    assert "đến hạn soát xét" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_new_issue_restarts_the_period(schedule, issue):
    page = schedule["QT-01"]
    issue(page, "Soát xét định kỳ, cập nhật căn cứ pháp lý", references="<p>Luật mới</p>")
    annotated = selectors.with_review_due(ControlledDocumentPage.objects.filter(pk=page.pk)).get()
    assert annotated.review_due_on == add_months(timezone.localdate(), 12)


def test_a_change_of_legal_basis_puts_governing_documents_up_for_review_in_3_months(make_document, issue, people):
    from tests.core.factories import AdministrativeProcedureFactory

    tthc = AdministrativeProcedureFactory(code="DEMO-HT-01", name="Thủ tục đăng ký khai sinh", legal_basis="Luật Hộ tịch năm 2014")
    governing = make_document(code="QT-06", title="Quy trình đăng ký khai sinh", procedures=[tthc])
    issue(governing)
    other = make_document(code="QT-07", title="Quy trình khác")
    issue(other)
    draft = make_document(code="QT-08", title="Dự thảo", procedures=[tthc])

    tthc.legal_basis = "Luật Hộ tịch năm 2014; Nghị định số 63/2024/NĐ-CP"
    procedure_save(procedure=tthc, by=people.yt_officer)

    today = timezone.localdate()
    demand = governing.review_demands.get()
    assert (demand.raised_on, demand.due_on, demand.procedure) == (today, add_months(today, 3), tthc)
    assert not other.review_demands.exists() and not draft.review_demands.exists()
    annotated = selectors.with_review_due(ControlledDocumentPage.objects.filter(pk=governing.pk)).get()
    assert annotated.review_due_on == add_months(today, 3)
    # The next issue meets the demand; the periodic date takes over again.
    issue(governing, "Cập nhật căn cứ pháp lý", references="<p>Nghị định số 63/2024/NĐ-CP</p>")
    demand.refresh_from_db()
    assert demand.met_by == governing.current_issue
    annotated = selectors.with_review_due(ControlledDocumentPage.objects.filter(pk=governing.pk)).get()
    assert annotated.review_due_on == add_months(today, 12)


def test_the_same_change_is_not_demanded_twice(make_document, issue):
    from tests.core.factories import AdministrativeProcedureFactory

    tthc = AdministrativeProcedureFactory()
    page = make_document(procedures=[tthc])
    issue(page)
    services.documents_demand_legal_update(procedure=tthc, changed_on=datetime.date(2026, 10, 20))
    services.documents_demand_legal_update(procedure=tthc, changed_on=datetime.date(2026, 10, 20))
    assert page.review_demands.count() == 1
    assert page.review_demands.get().due_on == datetime.date(2027, 1, 20)
