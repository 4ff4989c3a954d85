"""The admin screens through each role's hands: forms call the services, errors come back in Vietnamese."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audits.models import Audit, AuditProgramme, ChecklistResult, Finding, NcStatus, Nonconformity
from qms.core.models import IsoClause

pytestmark = pytest.mark.django_db


def fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_quality_officer_creates_a_programme_and_plans_an_audit(client_for, people, units, recent):
    client = client_for(people.qo)
    response = client.post(reverse("audit_programmes:add"), {
        "year": recent.year, "title": "Chương trình thử", "units": [units["BN-YENTHE"].pk, units["BN-BOHA"].pk],
        "scope": "", "objectives": "Đánh giá HTQLCL", "criteria": "TCVN ISO 9001:2015",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    programme = AuditProgramme.objects.get(title="Chương trình thử")
    assert programme.history.get().history_user == people.qo
    clauses = IsoClause.objects.filter(number__in=["7.5", "8.5"])
    data = {
        "programme": programme.pk, "unit": units["BN-BOHA"].pk, "planned_start": fmt(recent), "planned_end": fmt(recent),
        "lead_auditor": people.auditor_boha.pk, "auditors": [], "clauses": [c.pk for c in clauses], "criteria": "",
    }
    response = client.post(reverse("audits:add"), data)
    assert response.status_code == 200, "impartiality refuses the plan in the form"
    assert "Đỗ Thị Thu là thành viên của Xã Bố Hạ nên không được đánh giá đơn vị này" in response.content.decode()
    assert not Audit.objects.exists()
    response = client.post(reverse("audits:add"), {**data, "lead_auditor": people.auditor.pk})
    audit = Audit.objects.get()
    assert response.status_code == 302 and response.url == reverse("audits:page", args=[audit.pk])
    assert audit.lead_auditor == people.auditor and set(audit.clauses.all()) == set(clauses)
    assert audit.planned_start == recent, "dates are read day first"


def test_the_auditor_walks_the_checklist_and_records_a_nonconformity(client_for, people, audit_now):
    client = client_for(people.auditor_boha)
    day = fmt(audit_now.planned_start)
    assert client.post(reverse("audits:start", args=[audit_now.pk]), {"on": day}).status_code == 302
    items = list(audit_now.checklist.all())
    answers = {f"result-{i.pk}": "conforms" for i in items}
    answers[f"notes-{items[0].pk}"] = "Danh mục tài liệu cập nhật tháng 3"
    response = client.post(reverse("audits:page", args=[audit_now.pk]), answers, follow=True)
    assert f"Đã lưu {len(items)} câu trả lời." in response.content.decode()
    assert all(i.result == ChecklistResult.CONFORMS for i in audit_now.checklist.all())
    response = client.post(reverse("audits:page", args=[audit_now.pk]), answers, follow=True)
    assert "Không có gì thay đổi." in response.content.decode()
    response = client.post(reverse("audits:finding", args=[audit_now.pk]), {
        "checklist_item": items[2].pk, "clause": items[2].clause_id, "kind": "minor_nc",
        "statement": "Còn dùng biểu mẫu hết hiệu lực", "evidence": "Hồ sơ ngày 12/11",
    }, follow=True)
    nc = Nonconformity.objects.get()
    assert f"Đã ghi nhận phát hiện; đã mở điểm không phù hợp {nc.reference}." in response.content.decode()
    assert nc.finding.checklist_item == items[2] and nc.detected_by == people.auditor_boha
    items[2].refresh_from_db()
    assert items[2].result == ChecklistResult.NONCONFORMITY


def test_a_finding_without_a_statement_is_refused_in_place(client_for, people, audit_now):
    from tests.audits.factories import start_audit

    start_audit(audit_now, by=people.auditor_boha)
    response = client_for(people.auditor_boha).post(
        reverse("audits:finding", args=[audit_now.pk]), {"clause": audit_now.checklist.first().clause_id, "kind": "minor_nc"}
    )
    assert response.status_code == 200 and "Trường này là bắt buộc." in response.content.decode()
    assert not Finding.objects.exists()


def test_staff_answer_and_the_quality_officer_closes(client_for, people, units, recent, today):
    from tests.audits.factories import open_nc

    nc = open_nc(unit=units["BN-YENTHE"], by=people.qo, detected_on=recent)
    page = reverse("nonconformities:detail", args=[nc.pk])
    staff = client_for(people.staff)
    steps = [
        ({"step": "correction", "correction": "Đã hướng dẫn lại người dân", "on": fmt(recent)}, "Đã ghi nhận khắc phục tức thời."),
        ({"step": "analysis", "why_1": "Hướng dẫn không đầy đủ", "why_2": "Chưa có phiếu hướng dẫn", "cause_category": "documents"},
         "Đã ghi nhận nguyên nhân."),
        ({"step": "action", "description": "Ban hành phiếu hướng dẫn thành phần hồ sơ", "responsible": people.staff.pk, "due_on": fmt(today)},
         "Đã thêm hành động khắc phục."),
    ]
    for data, message in steps:
        response = staff.post(page, data, follow=True)
        assert message in response.content.decode(), response.content.decode()[:3000]
    action = nc.actions.get()
    response = staff.post(page, {"step": "done", "action": action.pk, "done_on": fmt(today), "evidence": ""})
    assert response.status_code == 200 and "Trường này là bắt buộc." in response.content.decode()
    staff.post(page, {"step": "done", "action": action.pk, "done_on": fmt(today), "evidence": "Phiếu hướng dẫn số 01"})
    nc.refresh_from_db()
    assert nc.status == NcStatus.AWAITING_VERIFICATION
    response = client_for(people.qo).post(page, {"step": "verify", "on": fmt(today), "effective": "1", "notes": "Đã kiểm tra"}, follow=True)
    assert "Kiểm tra có hiệu lực: điểm không phù hợp đã được đóng." in response.content.decode()
    nc.refresh_from_db()
    assert nc.status == NcStatus.CLOSED
    timeline = client_for(people.qo).get(reverse("nonconformities:history", args=[nc.pk])).content.decode()
    for text in ("Mở điểm không phù hợp", "Ghi nhận khắc phục tức thời", "Phân tích nguyên nhân gốc rễ",
                 "Hoàn thành hành động khắc phục", "Kiểm tra có hiệu lực và đóng", "Phạm Thị Lan", "Nguyễn Thị Hoa"):
        assert text in timeline


def test_a_service_rule_comes_back_on_the_form(client_for, people, units, recent):
    from tests.audits.factories import open_nc

    nc = open_nc(unit=units["BN-YENTHE"], by=people.qo, detected_on=recent)
    response = client_for(people.staff).post(
        reverse("nonconformities:detail", args=[nc.pk]),
        {"step": "correction", "correction": "x", "on": fmt(recent - datetime.timedelta(days=3))},
    )
    assert response.status_code == 200
    assert f"Ngày này trước ngày phát hiện ({fmt(recent)})." in response.content.decode()


def test_filters_overdue_clause_year_and_unit(client_for, people, units, recent, today):
    from tests.audits.factories import open_nc

    late = open_nc(unit=units["BN-YENTHE"], by=people.qo, detected_on=recent, due_on=recent,
                   clause=IsoClause.objects.get(number="7.5.3"))
    fresh = open_nc(unit=units["BN-BOHA"], by=people.qo, detected_on=today, clause=IsoClause.objects.get(number="8.5.1"))
    client = client_for(people.qo)

    def listed(**params):
        html = client.get(reverse("nonconformities:index"), params).content.decode()
        return {nc.reference for nc in (late, fresh) if nc.reference in html}

    assert listed(overdue="true") == {late.reference}
    assert listed(overdue="false") == {fresh.reference}
    assert listed(clause=IsoClause.objects.get(number="7.5").pk) == {late.reference}, "a clause finds its sub-clauses"
    assert listed(unit=units["BN-BOHA"].pk) == {fresh.reference}
    assert listed(year=recent.year) >= {late.reference}
    assert listed(status="closed") == set()


def test_register_xlsx_follows_the_filters(client_for, people, units, recent, today):
    from tests.audits.factories import open_nc

    late = open_nc(unit=units["BN-YENTHE"], by=people.qo, detected_on=recent, due_on=recent)
    open_nc(unit=units["BN-BOHA"], by=people.qo, detected_on=today)
    response = client_for(people.qo).get(reverse("nonconformities:register"), {"overdue": "true"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "SỔ THEO DÕI SỰ KHÔNG PHÙ HỢP VÀ HÀNH ĐỘNG KHẮC PHỤC"
    assert sheet["A2"].value == "Quá hạn: Có"
    header = [c.value for c in sheet[5]]
    assert header[:4] == ["STT", "Số phiếu", "Đơn vị", "Đơn vị gốc"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6) if row[0].value]
    assert [r[1] for r in rows] == [late.reference]
    assert rows[0][8] == datetime.datetime.combine(recent, datetime.time()) and rows[0][16] == "Có"


def test_list_export_xlsx(client_for, people, world):
    response = client_for(people.qo).get(reverse("audits:index"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)).active
    units = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "Xã Yên Thế (BN-YENTHE)" in units and "Xã Bố Hạ (BN-BOHA)" in units


def test_dashboard_panels(client_for, people, world):
    html = client_for(people.qo).get(reverse("wagtailadmin_home")).content.decode()
    assert "Điểm không phù hợp theo đơn vị" in html and 'data-unit="BN-YENTHE"' in html
    staff_html = client_for(people.staff).get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-unit="BN-BOHA"' not in staff_html
    assert "Hành động khắc phục của tôi" not in staff_html, "their only action is done"


def test_my_actions_lists_overdue_first(client_for, people, units, recent, today):
    from audits import services
    from audits.models import CauseCategory
    from tests.audits.factories import open_nc

    nc = open_nc(unit=units["BN-YENTHE"], by=people.qo, detected_on=recent)
    services.nonconformity_analyse(nc=nc, whys=["x"], cause_category=CauseCategory.OTHER, on=recent, by=people.staff)
    services.corrective_action_add(nc=nc, description="Việc đã quá hạn", responsible=people.staff, due_on=recent, by=people.staff)
    services.corrective_action_add(nc=nc, description="Việc còn hạn", responsible=people.staff,
                                   due_on=today + datetime.timedelta(days=20), by=people.staff)
    html = client_for(people.staff).get(reverse("my_actions:index")).content.decode()
    assert html.index("Việc đã quá hạn") < html.index("Việc còn hạn")
    assert "quá hạn" in html
    assert "Việc đã quá hạn" in client_for(people.staff).get(reverse("wagtailadmin_home")).content.decode()


def test_copy_programme_through_the_screen(client_for, people, programme_2024, audit_2024):
    response = client_for(people.qo).post(reverse("audit_programmes:copy_next_year", args=[programme_2024.pk]))
    copy = AuditProgramme.objects.get(year=2025)
    assert response.url == reverse("audit_programmes:page", args=[copy.pk])
    assert copy.audits.get().planned_start == datetime.date(2025, 5, 10)


def test_evidence_files_are_served_only_to_those_who_see_the_record(client_for, people, audit_now, make_user, units):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qms.core.roles import Role
    from tests.audits.factories import start_audit
    from tests.utils import assert_forbidden

    start_audit(audit_now, by=people.auditor_boha)
    item = audit_now.checklist.first()
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf")
    client = client_for(people.auditor_boha)
    client.post(reverse("audits:page", args=[audit_now.pk]), {f"result-{item.pk}": "conforms", f"file-{item.pk}": upload})
    document = item.attachments.get()
    assert document.title == "bien-ban.pdf" and document.uploaded_by_user == people.auditor_boha
    response = client_for(people.staff).get(reverse("audits:attachment", args=[document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 bien ban"
    stranger = make_user(Role.UNIT_STAFF, units["BN-TAMTIEN"])
    assert_forbidden(client_for(stranger).get(reverse("audits:attachment", args=[document.pk])))
    # Wagtail's own document URL refuses evidence to everyone (tests/audits/test_evidence.py).
    assert client_for(stranger).get(document.url).status_code == 404


def test_a_file_of_the_wrong_type_is_refused(client_for, people, audit_now):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.audits.factories import start_audit

    start_audit(audit_now, by=people.auditor_boha)
    item = audit_now.checklist.first()
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client_for(people.auditor_boha).post(
        reverse("audits:page", args=[audit_now.pk]), {f"result-{item.pk}": "conforms", f"file-{item.pk}": upload}, follow=True
    )
    assert "Không chấp nhận loại tệp này" in response.content.decode()
    item.refresh_from_db()
    assert item.result == "" and not item.attachments.exists(), "all or nothing"
