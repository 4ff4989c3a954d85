"""
One label per unit and per person, on every screen: abolished and new communes share names ("Xã Xuân
Lương" before and after 1/7/2025), people are named, not shown by their login.
"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from qms.core.roles import Role

pytestmark = pytest.mark.django_db


def options(html: str, name: str) -> list[str]:
    return [o.get_text(strip=True) for o in BeautifulSoup(html, "html.parser").select(f"select[name={name}] option")]


def test_a_units_label_names_its_code_and_last_day(units):
    assert str(units["07249"]) == "Xã Xuân Lương (07249, đến 30/06/2025)"
    assert str(units["BN-XUANLUONG"]) == "Xã Xuân Lương (BN-XUANLUONG)"
    assert units["07249"].name == units["BN-XUANLUONG"].name == "Xã Xuân Lương"  # printed papers keep the name


def test_the_unit_pickers_tell_the_two_xuan_luong_apart(admin_client, units):
    html = admin_client.get(reverse("memberships:index")).content.decode()
    xuan_luong = [label for label in options(html, "unit") if label.startswith("Xã Xuân Lương")]
    assert sorted(xuan_luong) == ["Xã Xuân Lương (07249, đến 30/06/2025)", "Xã Xuân Lương (BN-XUANLUONG)"]


def test_the_unit_listing_search_ignores_diacritics(admin_client, units):
    html = admin_client.get(reverse("units:index"), {"q": "xuan luong"}).content.decode()
    rows = [row.get_text(" ", strip=True) for row in BeautifulSoup(html, "html.parser").select("table tbody tr")]
    assert len(rows) == 2
    assert all("Xã Xuân Lương" in row for row in rows)


def test_people_are_named_in_choosers_and_tables(admin_client, units, make_user):
    chair = make_user(Role.LEADER, units["BN-YENTHE"], username="lanhdao.yt", first_name="Minh", last_name="Trần Văn")
    assert str(chair) == "Trần Văn Minh"
    assert chair.get_full_name() == "Trần Văn Minh"  # Wagtail's screens (owners, history) read this
    html = admin_client.get(reverse("reviews:add")).content.decode()
    assert "Trần Văn Minh" in options(html, "chair")
    assert "lanhdao.yt" not in options(html, "chair")
    nameless = make_user(None, username="khach", first_name="", last_name="")
    assert str(nameless) == "khach"
    html = admin_client.get(reverse("memberships:index")).content.decode()
    assert "Trần Văn Minh" in html
