"""The shared-domain admin screens, through each role's eyes."""

import io

import pytest
from django.urls import reverse

from qms.core.models import AdministrativeProcedure
from qms.core.text import person_name
from tests.core.factories import AdministrativeProcedureFactory
from tests.utils import assert_forbidden


@pytest.fixture
def client_for(client, demo_users):
    def login(username):
        client.force_login(demo_users[username])
        return client

    return login


@pytest.mark.parametrize(
    ("username", "expected_unit"),
    [("qlcl", "Huyện Yên Thế"), ("lanhdao", "Huyện Yên Thế"), ("danhgia", "Huyện Yên Thế"), ("motcua", "Xã Yên Thế")],
)
def test_dashboard_greets_each_role_with_their_units(client_for, username, expected_unit, demo_users):
    response = client_for(username).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Xin chào, {person_name(demo_users[username])}" in html
    assert expected_unit in html


def test_staff_dashboard_does_not_list_other_units(client_for):
    html = client_for("motcua.boha").get(reverse("wagtailadmin_home")).content.decode()
    assert "Xã Bố Hạ" in html and "Huyện Yên Thế" not in html


def test_dashboard_in_english_on_request(client_for):
    html = client_for("qlcl").get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Hello, " in html and "Your units" in html


def test_unit_tree_shows_successors_and_filters_by_date(client_for):
    client = client_for("danhgia")
    html = client.get(reverse("units:tree")).content.decode()
    assert 'data-unit="07243"' in html and "→ Xã Xuân Lương" in html
    on_2026 = client.get(reverse("units:tree"), {"on": "2026-01-01"}).content.decode()
    assert 'data-unit="07243"' not in on_2026 and 'data-unit="BN-XUANLUONG"' in on_2026
    assert "← Xã Đồng Tiến" in on_2026  # the successor still names what it succeeded


def test_tthc_list_searches_without_diacritics(client_for):
    AdministrativeProcedureFactory(code="HT-9", name="Thủ tục đăng ký khai tử", field="Hộ tịch")
    AdministrativeProcedureFactory(code="XD-9", name="Thủ tục cấp giấy phép xây dựng", field="Xây dựng")
    html = client_for("motcua").get(reverse("tthc:index"), {"q": "khai tu"}).content.decode()
    assert "HT-9" in html and "XD-9" not in html


def test_unit_staff_cannot_add_or_import_procedures(client_for):
    client = client_for("motcua")
    assert_forbidden(client.get(reverse("tthc:add")))
    assert_forbidden(client.get(reverse("tthc:import")))
    upload = io.BytesIO("ma_thu_tuc,ten_thu_tuc,linh_vuc,cap,thoi_han_giai_quyet\nZ-1,Thủ tục,Hộ tịch,xã,1\n".encode())
    upload.name = "tthc.csv"
    assert_forbidden(client.post(reverse("tthc:import"), {"file": upload}))
    assert not AdministrativeProcedure.objects.filter(code="Z-1").exists()


def test_only_admins_edit_units(client_for, units):
    assert_forbidden(client_for("qlcl").get(reverse("units:edit", args=[units["07243"].pk])))
    assert client_for("qlcl").get(reverse("units:index")).status_code == 200


def test_quality_officer_imports_through_the_screen_and_sees_row_errors(client_for):
    client = client_for("qlcl")
    bad = io.BytesIO("ma_thu_tuc;ten_thu_tuc;linh_vuc;cap;thoi_han_giai_quyet\nQ-1;Thủ tục;Hộ tịch;thôn;1\n".encode())
    bad.name = "tthc.csv"
    html = client.post(reverse("tthc:import"), {"file": bad}).content.decode()
    assert "không ghi dữ liệu nào" in html and "Cấp không hợp lệ" in html
    assert not AdministrativeProcedure.objects.filter(code="Q-1").exists()
    good = io.BytesIO("ma_thu_tuc;ten_thu_tuc;linh_vuc;cap;thoi_han_giai_quyet\nQ-1;Thủ tục;Hộ tịch;xã;1\n".encode())
    good.name = "tthc.csv"
    html = client.post(reverse("tthc:import"), {"file": good}).content.decode()
    assert "1 thêm mới" in html
    assert AdministrativeProcedure.objects.filter(code="Q-1").exists()


def test_editing_a_procedure_in_the_admin_records_who_changed_the_legal_basis(client_for, demo_users):
    procedure = AdministrativeProcedureFactory(legal_basis="Luật cũ")
    client = client_for("qlcl")
    response = client.post(
        reverse("tthc:edit", args=[procedure.pk]),
        {"code": procedure.code, "name": procedure.name, "field": procedure.field, "level": "commune",
         "online_level": "khong", "processing_days": "3", "legal_basis": "Luật mới"},
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.legal_basis_changed_on is not None
    assert procedure.history.first().history_user == demo_users["qlcl"]


def test_membership_list_is_scoped(client_for):
    html = client_for("motcua.boha").get(reverse("memberships:index")).content.decode()
    assert "Xã Bố Hạ" in html and "Phạm Thị Lan" not in html


def test_the_membership_list_costs_the_same_queries_however_many_rows(client, units, make_user):
    """Users and units come with the rows (ScopedIndexView.select_related), not one query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qms.core.roles import Role

    client.force_login(make_user(Role.QUALITY_OFFICER, units["BN-YENTHE"]))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("memberships:index")).status_code == 200
        return len(captured.captured_queries)

    queries()  # the first page of a user also builds their sidebar (qms.core.sidebar)
    one_row = queries()
    for n in range(5):
        make_user(None, units["BN-YENTHE"], username=f"nguoi{n}")
    queries()  # new memberships: the unit scopes and the sidebar are worked out again (qms.core.freshness)
    assert queries() == one_row


def test_a_procedure_can_be_inspected_with_its_processing_time(client_for):
    procedure = AdministrativeProcedureFactory(code="HT-I", field="Hộ tịch", processing_days=0)
    html = client_for("motcua").get(reverse("tthc:inspect", args=[procedure.pk])).content.decode()
    assert "Hộ tịch" in html and "Trong ngày" in html
    AdministrativeProcedureFactory(code="DD-I", processing_days="0.5")
    listing = client_for("motcua").get(reverse("tthc:index"), {"q": "DD-I"}).content.decode()
    assert "0,5 ngày làm việc" in listing


def test_admin_forms_read_dates_day_first(client_for):
    procedure = AdministrativeProcedureFactory()
    for language in ("vi", "en"):
        response = client_for("qlcl").post(
            reverse("tthc:edit", args=[procedure.pk]),
            {"code": procedure.code, "name": procedure.name, "field": procedure.field, "level": "commune",
             "online_level": "khong", "processing_days": "3", "legal_basis": "", "valid_from": "10/05/2024"},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 302
        procedure.refresh_from_db()
        assert procedure.valid_from.isoformat() == "2024-05-10", language
