"""
District-wide catalogues (TTHC, audit question bank, ISO clauses): every role reads them, only
district-level users edit them (DistrictCataloguePolicy). A commune's quality officer, who holds the
same Django permissions as the district's, is refused on every editing URL.
"""

import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audits.models import QuestionBankItem
from qms.core.models import AdministrativeProcedure, IsoClause
from qms.core.roles import Role, is_district_level
from tests.core.factories import AdministrativeProcedureFactory
from tests.utils import assert_forbidden

TTHC_FORM = {"code": "", "name": "Thủ tục đăng ký khai tử", "field": "Hộ tịch", "level": "commune",
             "online_level": "khong", "processing_days": "3", "legal_basis": ""}


def grant(user, *codenames):
    """Give `user` extra model permissions directly, so only the policy stands in the way."""
    for codename in codenames:
        app_label, name = codename.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=name))


@pytest.fixture
def commune_officer(make_user, units):
    """A quality officer of Xã Bố Hạ only, holding every permission on the three catalogues."""
    user = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"], username="qlcl.boha")
    grant(user, "core.delete_administrativeprocedure", "core.add_isoclause", "core.change_isoclause",
          "core.delete_isoclause", "audits.delete_questionbankitem")
    return user


@pytest.fixture
def question(db):
    return QuestionBankItem.objects.create(clause=IsoClause.objects.get(number="7.5"), question="Tài liệu có được phê duyệt?")


def csv_upload(code):
    upload = io.BytesIO(f"ma_thu_tuc,ten_thu_tuc,linh_vuc,cap,thoi_han_giai_quyet\n{code},Thủ tục,Hộ tịch,xã,1\n".encode())
    upload.name = "tthc.csv"
    return upload


def test_district_level_is_a_membership_of_a_district_or_province(commune_officer, demo_users, make_user, units):
    assert not is_district_level(commune_officer)
    assert is_district_level(demo_users["qlcl"])  # member of Huyện Yên Thế (and of its five successor communes)
    assert is_district_level(make_user(Role.QUALITY_OFFICER, units["BN-2025"]))  # the province
    assert is_district_level(demo_users["admin"])
    assert not is_district_level(make_user(Role.QUALITY_OFFICER, units["BN-BOHA"], is_active=False))


def test_commune_officer_cannot_change_the_tthc_catalogue(client, commune_officer):
    procedure = AdministrativeProcedureFactory(code="HT-1", name="Thủ tục đăng ký khai sinh")
    client.force_login(commune_officer)
    assert_forbidden(client.get(reverse("tthc:add")))
    assert_forbidden(client.post(reverse("tthc:add"), {**TTHC_FORM, "code": "HT-2"}))
    assert_forbidden(client.get(reverse("tthc:edit", args=[procedure.pk])))
    assert_forbidden(client.post(reverse("tthc:edit", args=[procedure.pk]), {**TTHC_FORM, "code": "HT-1"}))
    assert_forbidden(client.get(reverse("tthc:delete", args=[procedure.pk])))
    assert_forbidden(client.post(reverse("tthc:delete", args=[procedure.pk])))
    assert_forbidden(client.get(reverse("tthc:import")))
    assert_forbidden(client.post(reverse("tthc:import"), {"file": csv_upload("Z-1")}))
    procedure.refresh_from_db()
    assert procedure.name == "Thủ tục đăng ký khai sinh"
    assert set(AdministrativeProcedure.objects.values_list("code", flat=True)) == {"HT-1"}
    # Still reads the list and the entry, without the buttons that would change them.
    html = client.get(reverse("tthc:index")).content.decode()
    assert "HT-1" in html
    assert reverse("tthc:add") not in html and reverse("tthc:edit", args=[procedure.pk]) not in html
    assert reverse("tthc:import") not in html
    assert client.get(reverse("tthc:inspect", args=[procedure.pk])).status_code == 200


def test_commune_officer_cannot_change_the_question_bank(client, commune_officer, question):
    count = QuestionBankItem.objects.count()
    client.force_login(commune_officer)
    assert_forbidden(client.get(reverse("audit_questions:add")))
    assert_forbidden(client.post(reverse("audit_questions:add"), {
        "clause": question.clause_id, "question": "Câu hỏi mới?", "position": 1, "active": "on"}))
    assert_forbidden(client.get(reverse("audit_questions:edit", args=[question.pk])))
    assert_forbidden(client.post(reverse("audit_questions:edit", args=[question.pk]), {
        "clause": question.clause_id, "question": "Đã sửa?", "position": 1, "active": "on"}))
    question.refresh_from_db()
    assert question.question == "Tài liệu có được phê duyệt?" and QuestionBankItem.objects.count() == count
    html = client.get(reverse("audit_questions:index")).content.decode()
    assert "Tài liệu có được phê duyệt?" in html
    assert reverse("audit_questions:add") not in html and reverse("audit_questions:edit", args=[question.pk]) not in html


def test_commune_officer_cannot_change_the_iso_clauses(client, commune_officer):
    clause = IsoClause.objects.get(number="7.5")
    client.force_login(commune_officer)
    assert_forbidden(client.get(reverse("clauses:add")))
    assert_forbidden(client.get(reverse("clauses:edit", args=[clause.pk])))
    assert_forbidden(client.post(reverse("clauses:edit", args=[clause.pk]), {"title_vi": "Sửa", "title_en": "Changed"}))
    assert_forbidden(client.post(reverse("clauses:delete", args=[clause.pk])))
    clause.refresh_from_db()
    assert clause.title_vi != "Sửa"
    assert "7.5" in client.get(reverse("clauses:index")).content.decode()


def test_district_officer_edits_the_catalogues(client, demo_users, question):
    procedure = AdministrativeProcedureFactory(code="HT-1", legal_basis="Luật cũ")
    client.force_login(demo_users["qlcl"])
    html = client.get(reverse("tthc:index")).content.decode()
    assert reverse("tthc:add") in html and reverse("tthc:import") in html
    response = client.post(reverse("tthc:edit", args=[procedure.pk]), {**TTHC_FORM, "code": "HT-1", "legal_basis": "Luật mới"})
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.legal_basis == "Luật mới"
    assert "1 thêm mới" in client.post(reverse("tthc:import"), {"file": csv_upload("Z-2")}).content.decode()
    assert AdministrativeProcedure.objects.filter(code="Z-2").exists()
    response = client.post(reverse("audit_questions:edit", args=[question.pk]), {
        "clause": question.clause_id, "question": "Tài liệu có được soát xét và phê duyệt?", "position": 1, "active": "on"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.question == "Tài liệu có được soát xét và phê duyệt?"


def test_policy_names_only_district_users_as_editors(commune_officer, demo_users):
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(AdministrativeProcedure)
    editors = set(policy.users_with_any_permission(["change"]))
    assert demo_users["qlcl"] in editors and commune_officer not in editors
    readers = set(policy.users_with_any_permission(["view", "change"]))
    assert commune_officer in readers
