"""The district overview, the readiness page and panel: who sees which units, sorting, XLSX."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from recognition.services import review_create
from tests.utils import assert_forbidden

D = datetime.date


def test_overview_lists_the_units_in_force_on_the_day(client, demo_users, units):
    client.force_login(demo_users["qlcl"])
    before = client.get(reverse("readiness:index"), {"on": "2024-12-31"}).content.decode()
    assert 'data-unit="07243"' in before and 'data-unit="BN-YENTHE"' not in before and 'data-unit="215"' in before
    after = client.get(reverse("readiness:index"), {"on": "2026-11-27"}).content.decode()
    assert 'data-unit="BN-YENTHE"' in after and 'data-unit="07243"' not in after


def test_overview_sorts_and_exports(client, demo_users, units):
    review_create(unit=units["BN-BOHA"], held_on=D(2026, 11, 20))
    client.force_login(demo_users["qlcl"])
    html = client.get(reverse("readiness:index"), {"on": "2026-11-27", "sort": "-review"}).content.decode()
    assert html.index('data-unit="BN-BOHA"') < html.index('data-unit="BN-YENTHE"')
    response = client.get(reverse("readiness:index"), {"on": "2026-11-27", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in values if row[0] == "Đơn vị")
    assert "Xem xét của lãnh đạo gần nhất" in header
    boha = next(row for row in values if row[0] == "Xã Bố Hạ (BN-BOHA)")
    assert boha[header.index("Xem xét của lãnh đạo gần nhất")].date() == D(2026, 11, 20)


def test_staff_see_their_readiness_not_other_units(client, demo_users, units):
    client.force_login(demo_users["motcua"])
    html = client.get(reverse("readiness:index"), {"on": "2026-11-27"}).content.decode()
    assert 'data-unit="BN-YENTHE"' in html and 'data-unit="BN-BOHA"' not in html
    assert client.get(reverse("readiness:unit", args=[units["BN-YENTHE"].pk])).status_code == 200
    assert_forbidden(client.get(reverse("readiness:unit", args=[units["BN-BOHA"].pk])))
    # The one-stop officer's first screen is their import and Biểu 06 (qms.core.panels.DASHBOARDS), not readiness.
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Tháng trước (" in dashboard and "Xã Bố Hạ" not in dashboard


def test_readiness_page_says_what_to_do_next(client, demo_users, units):
    client.force_login(demo_users["qlcl"])
    html = client.get(reverse("readiness:unit", args=[units["BN-TAMTIEN"].pk]), {"on": "2026-11-27"}).content.decode()
    # 3 of 10: nothing overdue, no open nonconformity, its one auditor certified (tests/conftest.py::demo_users).
    assert "Mức độ sẵn sàng ngày 27/11/2026: 30%" in html
    assert "Lập kế hoạch và thực hiện đánh giá nội bộ" in html
    assert reverse("audits:index") in html  # the missing audit item links to where audits are planned
