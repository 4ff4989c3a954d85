"""Words on the project's screens: yes/no and empty values in Vietnamese in every listing, column headings
in Vietnamese, and the Vietnamese user guide from the admin's help menu."""

import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from qms.reporting.models import Comparator, Indicator, PeriodKind, QualityObjective

pytestmark = pytest.mark.django_db


def test_listings_say_yes_and_no_in_vietnamese(admin_client, units):
    for active in (True, False):
        QualityObjective.objects.create(
            title=f"Mục tiêu {active}", unit=units["BN-YENTHE"], indicator=Indicator.ON_TIME_RATE,
            comparator=Comparator.GTE, target=Decimal("98"), period_kind=PeriodKind.MONTH, active=active,
        )
    html = admin_client.get(reverse("qualityobjective:index")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in soup.select("table thead th")]
    assert "Chỉ tiêu" in headings and not any("Target display" in h for h in headings)
    cells = [td.get_text(" ", strip=True) for td in soup.select("table tbody td")]
    assert "Có" in cells and "Không" in cells
    assert not {"True", "False", "None"} & set(cells)


def test_the_help_menu_leads_to_the_vietnamese_user_guide(client, demo_users):
    client.force_login(demo_users["motcua"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    # The sidebar is drawn from JSON: the help menu's first item is ours.
    assert '"name": "user-guide", "label": ' + json.dumps("Hướng dẫn sử dụng") in home
    assert f'"url": "{reverse("user_guide")}"' in home
    html = client.get(reverse("user_guide")).content.decode()
    guide = BeautifulSoup(html, "html.parser").select_one("[data-testid=user-guide]")
    assert "Công chức bộ phận một cửa" in guide.get_text()
    assert "<strong>Tìm kiếm</strong>" in str(guide)


def test_the_guide_needs_a_login(client):
    response = client.get(reverse("user_guide"))
    assert response.status_code == 302 and "/login/" in response["Location"]
