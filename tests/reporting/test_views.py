"""The report page, its downloads, the objectives, the import screens and the data-quality checks, with each role's limits."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qms.core.roles import Role
from qms.dossiers.models import Dossier, ImportBatch
from qms.reporting.models import Comparator, Indicator, QualityObjective
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import import_rows
from tests.utils import assert_forbidden

REPORT = "reports:index"
HEADER = "ma_ho_so;ma_don_vi;ma_thu_tuc;kenh_nop;ngay_tiep_nhan;ngay_hen_tra;ngay_ket_thuc_xu_ly;ngay_tra_ket_qua;trang_thai\n"


@pytest.fixture
def data(db, units, tmp_path):
    AdministrativeProcedureFactory(code="P3", processing_days=3, field="Hộ tịch")
    import_rows(tmp_path, [
        ("yt", "07288", "P3", "truc_tuyen", "03/03/2025", "06/03/2025", "05/03/2025", "", ""),
        ("bh", "07294", "P3", "truc_tiep", "03/03/2025", "06/03/2025", "10/03/2025", "", ""),
    ])
    return units


def query(**extra):
    return {"preset": "month", "on": "2025-03-15", "group_by": "unit", "rollup": "on", **extra}


def test_quality_officer_sees_the_report_with_charts_and_objectives(client, data, make_user):
    officer = make_user(Role.QUALITY_OFFICER, data["215"])
    QualityObjective.objects.create(title="Đúng hạn 98%", unit=data["215"], indicator=Indicator.ON_TIME_RATE,
                                    comparator=Comparator.GTE, target=98)
    client.force_login(officer)
    response = client.get(reverse(REPORT), query())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kỳ báo cáo: từ ngày 01/03/2025 đến ngày 31/03/2025" in html
    assert "Xã Yên Thế" not in html  # rolled up as of 31/3/2025: the merger is later
    assert "Thị trấn Phồn Xương" in html and "Thị trấn Bố Hạ" in html
    assert html.count("data:image/png;base64,") == 1  # the monthly trend
    # The on-time bars by row: one per unit with a resolved dossier, its rate written beside it.
    report = response.context["report"]
    measured = [r for r in report.rows if r["on_time_rate"] is not None]
    assert measured and html.count('class="qms-bars__bar"') == len(measured)
    bars = html[html.index('data-testid="chart-rows"'):]
    for row in measured:
        rate = f"{row['on_time_rate'] * 100:.1f}%".replace(".", ",")
        assert f'<th scope="row">{row["label"]}</th>' in bars and f"<td>{rate}</td>" in bars
    assert "Đúng hạn 98%" in html and "Không đạt" in html


@pytest.mark.parametrize(("fmt", "content_type"), [
    ("pdf", "application/pdf"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("csv", "text/csv; charset=utf-8"),
])
def test_downloads(client, data, make_user, fmt, content_type):
    client.force_login(make_user(Role.LEADER, data["215"]))
    response = client.get(reverse(REPORT), query(format=fmt))
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="bieu-06-20250301-20250331.{fmt}"'


def test_unit_staff_see_only_their_units_and_are_refused_others(client, data, make_user):
    staff = make_user(Role.UNIT_STAFF, data["BN-YENTHE"])
    client.force_login(staff)
    html = client.get(reverse(REPORT), query()).content.decode()
    assert "Thị trấn Phồn Xương" in html and "Thị trấn Bố Hạ" not in html
    assert_forbidden(client.get(reverse(REPORT), query(units=data["BN-BOHA"].pk)))
    assert_forbidden(client.get(reverse(REPORT), query(units=data["07294"].pk, format="pdf")))


def test_users_without_a_role_are_refused(client, data, make_user):
    client.force_login(make_user(None, data["215"]))
    for url in (reverse(REPORT), reverse("dossier_import:index"), reverse("dossier_checks:index")):
        response = client.get(url)
        assert response.status_code in (302, 403) and "/admin/login/" in response.get("Location", "/admin/login/")


def test_dossier_list_and_inspect_are_scoped(client, data, make_user):
    client.force_login(make_user(Role.UNIT_STAFF, data["BN-YENTHE"]))
    html = client.get(reverse("dossiers:index")).content.decode()
    assert "yt" in html and ">bh<" not in html
    assert client.get(reverse("dossiers:inspect", args=[Dossier.objects.get(code="yt").pk])).status_code == 200
    assert_forbidden(client.get(reverse("dossiers:inspect", args=[Dossier.objects.get(code="bh").pk])))
    # Records come by import: nobody adds or edits them by hand.
    assert_forbidden(client.get(reverse("dossiers:add")))


def test_upload_lists_errors_offers_them_as_csv_then_imports(client, data, make_user):
    staff = make_user(Role.UNIT_STAFF, data["BN-YENTHE"])
    client.force_login(staff)
    bad = SimpleUploadedFile("hs.csv", (HEADER + "n1;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;\n"
                                        + "n2;07294;P3;truc_tiep;02/01/2024;05/01/2024;;;\n").encode())
    response = client.post(reverse("dossier_import:index"), {"file": bad}, follow=True)
    html = response.content.decode()
    assert "Chưa ghi dữ liệu nào" in html and "Bạn chỉ được nhập hồ sơ của đơn vị mình." in html
    batch = ImportBatch.objects.get(created_by=staff)
    assert batch.file and batch.created_by == staff and not Dossier.objects.filter(code="n1").exists()
    csv_text = client.get(reverse("dossier_import:errors", args=[batch.pk])).content.decode("utf-8-sig")
    assert csv_text.splitlines() == ["Dòng,Cột,Giá trị,Lỗi", "3,ma_don_vi,07294,Bạn chỉ được nhập hồ sơ của đơn vị mình."]
    good = SimpleUploadedFile("hs.csv", (HEADER + "n1;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;\n").encode())
    html = client.post(reverse("dossier_import:index"), {"file": good}, follow=True).content.decode()
    assert "Đã nhập 1 dòng: thêm mới 1, cập nhật 0." in html
    # Another user's batch does not exist for them.
    client.force_login(make_user(Role.UNIT_STAFF, data["BN-YENTHE"]))
    assert_forbidden(client.get(reverse("dossier_import:batch", args=[batch.pk])))
    assert_forbidden(client.get(reverse("dossier_import:errors", args=[batch.pk])))


def test_keep_valid_checkbox(client, data, make_user):
    client.force_login(make_user(Role.QUALITY_OFFICER, data["215"]))
    upload = SimpleUploadedFile("hs.csv", (HEADER + "k1;07288;P3;truc_tiep;02/01/2024;05/01/2024;;;\n"
                                           + "k2;00000;P3;truc_tiep;02/01/2024;05/01/2024;;;\n").encode())
    html = client.post(reverse("dossier_import:index"), {"file": upload, "keep_valid": "on"}, follow=True).content.decode()
    assert "Đã ghi các dòng hợp lệ: thêm mới 1, cập nhật 0." in html
    assert Dossier.objects.filter(code="k1").exists()


def test_data_quality_checks(client, data, make_user, tmp_path):
    import_rows(tmp_path, [
        # due 2 working days after receipt instead of 3
        ("dq-due", "07288", "P3", "truc_tiep", "03/03/2025", "05/03/2025", "", "", ""),
        # pending since 2024
        ("dq-old", "07288", "P3", "truc_tiep", "03/01/2024", "08/01/2024", "", "", ""),
        # the same dossier entered by two units
        ("dq-a", "07288", "P3", "truc_tiep", "04/03/2025 09:00", "07/03/2025 17:00", "", "", ""),
        ("dq-b", "07291", "P3", "truc_tiep", "04/03/2025 09:00", "07/03/2025 17:00", "", "", ""),
        # due on a Saturday
        ("dq-sat", "07288", "P3", "truc_tiep", "05/03/2025", "08/03/2025", "", "", ""),
    ], name="dq.csv")
    client.force_login(make_user(Role.QUALITY_OFFICER, data["215"]))
    response = client.get(reverse("dossier_checks:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "dq-due" in html and "dq-sat" in html and "ngày nghỉ" in html
    assert "dq-old" in html
    assert "dq-a – Thị trấn Phồn Xương (07288, đến 30/06/2025); dq-b – Xã Tân Sỏi (07291, đến 30/06/2025)" in html
    mismatches = response.context["mismatches"]
    assert {d.code for d in mismatches} == {"dq-due", "dq-sat"}  # the others are right, Tết and weekends counted
    # Unit staff of Bố Hạ see none of Yên Thế's problems.
    client.force_login(make_user(Role.UNIT_STAFF, data["BN-BOHA"]))
    html = client.get(reverse("dossier_checks:index")).content.decode()
    assert "dq-" not in html


def test_dashboard_shows_the_objectives_panel(client, data, make_user):
    QualityObjective.objects.create(title="Trực tuyến 50%", unit=data["BN-YENTHE"], indicator=Indicator.ONLINE_RATE,
                                    comparator=Comparator.GTE, target=50)
    QualityObjective.objects.create(title="Của Bố Hạ", unit=data["BN-BOHA"], indicator=Indicator.ONLINE_RATE,
                                    comparator=Comparator.GTE, target=50)
    client.force_login(make_user(Role.UNIT_STAFF, data["BN-YENTHE"]))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Mục tiêu chất lượng" in html and "Trực tuyến 50%" in html and "Của Bố Hạ" not in html
    # The row gives the indicator with its target, and the period counted to today.
    today = timezone.localdate()
    assert "<td>Tỷ lệ tiếp nhận trực tuyến (%) ≥ 50 %</td>" in html
    assert f"<td>01/01/{today.year} – {today:%d/%m/%Y}</td>" in html


def test_an_abolished_units_objectives_are_not_measured_after_it(client, data, make_user):
    QualityObjective.objects.create(title="Mục tiêu của huyện", unit=data["215"], indicator=Indicator.ON_TIME_RATE,
                                    comparator=Comparator.GTE, target=98)
    client.force_login(make_user(Role.QUALITY_OFFICER, data["215"]))
    assert "Mục tiêu của huyện" in client.get(reverse(REPORT), query()).content.decode()  # March 2025
    # The district was abolished on 1/7/2025: its objective does not judge the communes' later months.
    assert "Mục tiêu của huyện" not in client.get(reverse(REPORT), query(on="2025-08-15")).content.decode()


def test_objectives_admin_is_scoped(client, data, make_user):
    theirs = QualityObjective.objects.create(title="Của Bố Hạ", unit=data["BN-BOHA"], indicator=Indicator.ONLINE_RATE,
                                             comparator=Comparator.GTE, target=50)
    officer = make_user(Role.QUALITY_OFFICER, data["BN-YENTHE"])
    client.force_login(officer)
    assert "Của Bố Hạ" not in client.get(reverse("qualityobjective:index")).content.decode()
    assert_forbidden(client.get(reverse("qualityobjective:edit", args=[theirs.pk])))
    response = client.post(reverse("qualityobjective:add"), {
        "title": "Đúng hạn", "unit": data["BN-YENTHE"].pk, "scope": "unit", "indicator": "on_time_rate",
        "comparator": "gte", "target": "98", "period_kind": "quarter", "active": "on"})
    assert response.status_code == 302
    assert QualityObjective.objects.filter(title="Đúng hạn", unit=data["BN-YENTHE"]).exists()
    response = client.post(reverse("qualityobjective:add"), {
        "title": "Lấn sân", "unit": data["BN-BOHA"].pk, "scope": "unit", "indicator": "on_time_rate",
        "comparator": "gte", "target": "98", "period_kind": "quarter", "active": "on"})
    assert response.status_code == 200 and not QualityObjective.objects.filter(title="Lấn sân").exists()


def test_demo_dossiers_load_fast_and_are_idempotent(db):
    import io

    from django.core.management import call_command

    call_command("load_demo", "--scale", "0.05", stdout=io.StringIO())
    count = Dossier.objects.count()
    assert count > 1500
    assert Dossier.objects.filter(unit__code="07288", received_on__gte=datetime.date(2025, 7, 1)).count() == 0
    assert Dossier.objects.filter(unit__code="BN-YENTHE", received_on__lt=datetime.date(2025, 7, 1)).count() == 0
    assert Dossier.objects.filter(status=7).exists() and Dossier.objects.filter(channel="truc_tuyen").exists()
    assert Dossier.objects.filter(result_on__gt=models_F("due_on")).exists()  # some late
    assert Dossier.objects.filter(closed_on__isnull=True).exists()  # some pending
    call_command("load_demo", "--scale", "0.05", stdout=io.StringIO())
    assert Dossier.objects.count() == count
    assert QualityObjective.objects.count() >= 4


def models_F(name):
    from django.db.models import F

    return F(name)


def test_downloads_after_the_page_reuse_its_computation_until_new_data(client, data, make_user, monkeypatch, tmp_path):
    from django.core.cache import cache

    from qms.reporting import engine

    cache.clear()
    calls = []
    original = engine.bieu06
    monkeypatch.setattr(engine, "bieu06", lambda **kw: calls.append(kw) or original(**kw))
    client.force_login(make_user(Role.QUALITY_OFFICER, data["215"]))
    client.get(reverse(REPORT), query())
    assert client.get(reverse(REPORT), query(format="pdf")).status_code == 200
    assert client.get(reverse(REPORT), query(format="xlsx")).status_code == 200
    assert len(calls) == 1
    import_rows(tmp_path, [("new", "07288", "P3", "truc_tiep", "04/03/2025", "07/03/2025", "", "", "")], name="new.csv")
    html = client.get(reverse(REPORT), query()).content.decode()
    assert len(calls) == 2 and "Thị trấn Phồn Xương" in html


def test_the_import_menu_item_is_shown_only_to_those_who_may_import(client, data, make_user):
    import_url, report_url = reverse("dossier_import:index"), reverse(REPORT)
    client.force_login(make_user(Role.UNIT_STAFF, data["BN-YENTHE"]))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert import_url in html and report_url in html
    client.force_login(make_user(Role.LEADER, data["215"]))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert import_url not in html and report_url in html
