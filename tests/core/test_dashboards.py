"""
Each role's first screen (issue 13; qms.core.panels.DASHBOARDS): the panels of its main task, first, and
none of the panels it does not use (Wagtail's site summary, recent edits and locked pages are for quality
officers, who edit documents). Another person's imports and findings never appear.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from qms.core.roles import Role
from qms.dossiers.models import ImportBatch
from tests.audits.factories import open_nc

pytestmark = pytest.mark.django_db


def dashboard(client, user) -> BeautifulSoup:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def panel_ids(soup) -> list[str]:
    return [section["data-testid"] for section in soup.select("section[data-testid]")]


def batch(user, name):
    return ImportBatch.objects.create(created_by=user, file_name=name, sha256="0" * 64, state=ImportBatch.State.DONE, rows=3, created=3)


def test_the_one_stop_officer_starts_with_last_month(client, demo_users):
    motcua = demo_users["motcua"]
    batch(motcua, "ho-so-thang-10.csv")
    batch(demo_users["motcua.boha"], "ho-so-bo-ha.csv")  # another commune's officer's import
    soup = dashboard(client, motcua)
    ids = panel_ids(soup)
    assert ids[:2] == ["welcome-panel", "last-month-panel"]  # the main task comes right after the greeting
    panel = soup.select_one("[data-testid=last-month-panel]")
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%m/%Y")
    assert f"Tháng trước ({month}): nhập hồ sơ và kiểm tra" in panel.get_text()
    assert panel.select_one("[data-testid=import-last-month]")["href"] == reverse("dossier_import:index")
    assert panel.select_one("[data-testid=import-last-month]").get_text(strip=True) == "Nhập hồ sơ tháng trước"
    report = panel.select_one("[data-testid=bieu06-last-month]")["href"]
    assert report.startswith(reverse("reports:index")) and "preset=last_month" in report
    figures = panel.select_one("[data-testid=last-month-figures]").get_text(" ", strip=True)
    for label in ("Tiếp nhận", "Đã giải quyết", "Giải quyết đúng hạn", "Đang giải quyết, quá hạn", "Nộp trực tuyến"):
        assert label in figures
    imports = panel.select_one("[data-testid=last-imports]").get_text()
    assert "ho-so-thang-10.csv" in imports and "ho-so-bo-ha.csv" not in imports
    # Panels of other roles' work are not built: no readiness table, no Wagtail site summary or recent edits.
    assert "readiness-panel" not in ids and not soup.select(".w-summary")
    assert "Chỉnh sửa gần đây" not in soup.get_text() and "Your most recent edits" not in soup.get_text()


def test_the_auditor_sees_the_findings_they_left_open_and_no_one_elses(client, demo_users, units):
    auditor, other = demo_users["danhgia"], demo_users["qlcl"]
    today = timezone.localdate()
    mine = open_nc(unit=units["BN-YENTHE"], by=auditor, detected_on=today - datetime.timedelta(days=40))
    theirs = open_nc(unit=units["BN-YENTHE"], by=other, detected_on=today)
    soup = dashboard(client, auditor)
    raised = soup.select_one("[data-testid=raised-open]")
    assert raised is not None
    text = raised.get_text(" ", strip=True)
    assert mine.reference in text and f"{mine.due_on:%d/%m/%Y}" in text
    assert theirs.reference not in text
    assert soup.select_one(f"[data-testid=raised-open] a[href='{reverse('nonconformities:detail', args=[mine.pk])}']")
    ids = panel_ids(soup)
    assert "last-month-panel" not in ids and "readiness-panel" not in ids and not soup.select(".w-summary")


def test_the_leader_sees_readiness_and_nonconformities_not_the_editors_panels(client, demo_users):
    soup = dashboard(client, demo_users["lanhdao"])
    ids = panel_ids(soup)
    assert "readiness-panel" in ids and "nc-panel" in ids
    assert "last-month-panel" not in ids and not soup.select(".w-summary")
    # Nothing waits for this leader (no document submitted in the fixture): the first task says so.
    awaiting = soup.select_one("#awaiting-review-content") or soup.select_one("#awaiting-review")
    assert awaiting is not None and "Không có tài liệu nào đang chờ bạn soát xét hoặc phê duyệt." in soup.get_text()


def test_the_quality_officer_keeps_the_whole_picture(client, demo_users):
    soup = dashboard(client, demo_users["qlcl"])
    ids = panel_ids(soup)
    assert "readiness-panel" in ids and "nc-panel" in ids and "last-month-panel" not in ids
    assert soup.select(".w-summary")  # Wagtail's site summary: pages, documents


def test_a_user_of_two_roles_sees_both_main_tasks(client, demo_users, make_user, units):
    user = make_user(Role.UNIT_STAFF, units["BN-YENTHE"])
    user.groups.add(Role.AUDITOR.group())
    open_nc(unit=units["BN-YENTHE"], by=user, detected_on=timezone.localdate())
    ids = panel_ids(dashboard(client, user))
    assert "last-month-panel" in ids and "my-work-panel" in ids


def test_the_objectives_panel_gives_one_row_per_objective_naming_the_units_that_miss_it(client, make_user, units, tmp_path):
    """A province has 200 units: the panel counts the units that meet an "each unit" objective and names the ones
    that do not, instead of a row per unit (the report page has those)."""
    from qms.reporting.models import Comparator, Indicator, ObjectiveScope, PeriodKind, QualityObjective
    from tests.core.factories import AdministrativeProcedureFactory
    from tests.dossiers.helpers import import_rows

    AdministrativeProcedureFactory(code="P3", processing_days=3)
    year = timezone.localdate().year
    import_rows(tmp_path, [  # this year: Yên Thế resolves on time, Bố Hạ late
        ("a", "BN-YENTHE", "P3", "truc_tiep", f"05/01/{year}", f"08/01/{year}", f"07/01/{year}", "", ""),
        ("b", "BN-BOHA", "P3", "truc_tiep", f"05/01/{year}", f"08/01/{year}", f"12/01/{year}", "", ""),
    ])
    QualityObjective.objects.create(
        title="Mỗi xã đúng hạn 98%", unit=units["BN-2025"], scope=ObjectiveScope.EACH, indicator=Indicator.ON_TIME_RATE,
        comparator=Comparator.GTE, target=98, period_kind=PeriodKind.YEAR,
    )
    province_officer = make_user(Role.QUALITY_OFFICER, units["BN-2025"])
    panel = dashboard(client, province_officer).select_one("[data-testid=objectives-panel]")
    rows = panel.select("[data-testid=objectives-summary] tbody tr")
    assert len(rows) == 1
    cells = [cell.get_text(" ", strip=True) for cell in rows[0].select("td")]
    assert cells[0] == "Mỗi xã đúng hạn 98%" and cells[3] == "1/2 đơn vị đạt"
    assert cells[4] == "Xã Bố Hạ (0,0 %)"
    assert panel.select_one("a.button")["href"] == reverse("reports:index")


def test_the_readiness_panel_lists_the_units_furthest_from_conformity_and_counts_the_rest(client, demo_users, monkeypatch):
    from recognition.panels import ReadinessPanel

    client.force_login(demo_users["qlcl"])
    overview = BeautifulSoup(client.get(reverse("readiness:index")).content, "html.parser")
    count = len(overview.select("[data-testid=overview] tbody tr"))
    monkeypatch.setattr(ReadinessPanel, "ROWS", count - 2)  # a province's 200 units, as the demo's few
    panel = dashboard(client, demo_users["qlcl"]).select_one("[data-testid=readiness-panel]")
    scores = [int(row.select("td")[1].get_text(strip=True).rstrip("%")) for row in panel.select("tbody tr")]
    assert len(scores) == count - 2 and scores == sorted(scores)
    assert f"{count - 2} trong {count} đơn vị còn xa việc công bố phù hợp nhất." in panel.get_text()
    link = panel.select_one("a.button")
    assert link["href"] == reverse("readiness:index") and link.get_text(strip=True) == f"Cả {count} đơn vị: tổng quan HTQLCL"
