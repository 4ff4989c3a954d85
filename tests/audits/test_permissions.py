"""
Each role's forbidden paths, tried through the admin URLs: another unit's record by id is refused,
and so is a step the role may not take (tests.utils.assert_forbidden).
"""

import pytest
from django.urls import reverse

from audits.models import AuditProgramme, AuditStatus, NcStatus
from tests.utils import assert_forbidden

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(name, args=args)


# --- Unit staff --------------------------------------------------------------------------------


def test_staff_see_their_units_nonconformities_only(client_for, people, world):
    client = client_for(people.staff)
    html = client.get(url("nonconformities:index")).content.decode()
    assert world.nc.reference in html
    assert world.nc_boha.reference not in html and world.nc_tamtien.reference not in html
    for name in ("nonconformities:detail", "nonconformities:pdf", "nonconformities:history"):
        assert client.get(url(name, world.nc.pk)).status_code == 200, name
        assert_forbidden(client.get(url(name, world.nc_boha.pk)))
    assert_forbidden(client.post(url("nonconformities:detail", world.nc_boha.pk), {"step": "correction", "correction": "x", "on": "01/01/2026"}))


def test_staff_cannot_verify_close_edit_open_or_transfer(client_for, people, world, today):
    client = client_for(people.staff)
    response = client.post(url("nonconformities:detail", world.nc.pk), {"step": "verify", "on": today.strftime("%d/%m/%Y"), "effective": "1"})
    assert_forbidden(response)
    world.nc.refresh_from_db()
    assert world.nc.status == NcStatus.AWAITING_VERIFICATION
    assert "verify-form" not in client.get(url("nonconformities:detail", world.nc.pk)).content.decode()
    assert_forbidden(client.get(url("nonconformities:edit", world.nc.pk)))
    assert_forbidden(client.get(url("nonconformities:add")))
    assert_forbidden(client.get(url("nonconformities:transfer")))


def test_staff_do_not_run_audits_or_programmes(client_for, people, world):
    client = client_for(people.staff)
    assert client.get(url("audits:page", world.audit.pk)).status_code == 200, "they read their unit's audit"
    assert_forbidden(client.get(url("audits:page", world.audit_boha.pk)))
    item = world.audit.checklist.first()
    assert_forbidden(client.post(url("audits:page", world.audit.pk), {f"result-{item.pk}": "conforms"}))
    assert_forbidden(client.post(url("audits:finding", world.audit.pk), {"clause": item.clause_id, "kind": "minor_nc", "statement": "x"}))
    assert_forbidden(client.post(url("audits:report", world.audit.pk), {"on": "01/01/2026", "conclusion": "x"}))
    assert_forbidden(client.get(url("audits:edit", world.audit.pk)))
    assert_forbidden(client.get(url("audit_programmes:index")))
    assert_forbidden(client.get(url("audit_programmes:add")))
    item.refresh_from_db()
    assert item.result == ""


def test_the_register_holds_only_the_users_units(client_for, people, world):
    import io

    from openpyxl import load_workbook

    response = client_for(people.staff).get(url("nonconformities:register"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    references = {row[1].value for row in sheet.iter_rows(min_row=5) if row[1].value}
    assert references == {world.nc.reference}


# --- Auditors ----------------------------------------------------------------------------------


def test_auditors_work_only_the_audits_they_are_on(client_for, people, world):
    client = client_for(people.auditor_boha)  # on the Yên Thế team; a member of Bố Hạ
    item = world.audit.checklist.first()
    response = client.post(url("audits:page", world.audit.pk), {f"result-{item.pk}": "conforms", f"notes-{item.pk}": "Đủ"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.result == "conforms"
    # Bố Hạ's audit is visible to its own member, but not theirs to work (and they may not be on its team).
    assert client.get(url("audits:page", world.audit_boha.pk)).status_code == 200
    assert_forbidden(client.post(url("audits:start", world.audit_boha.pk), {"on": "01/01/2026"}))
    assert Audit_status(world.audit_boha) == AuditStatus.PLANNED


def Audit_status(audit):
    audit.refresh_from_db()
    return audit.status


def test_a_team_member_who_is_not_lead_cannot_edit_the_plan_or_report(client_for, people, world):
    world.audit.auditors.add(people.auditor)
    client = client_for(people.auditor)
    assert_forbidden(client.get(url("audits:edit", world.audit.pk)))
    assert_forbidden(client.post(url("audits:report", world.audit.pk), {"on": "01/01/2026", "conclusion": "x"}))
    assert client_for(people.auditor_boha).get(url("audits:edit", world.audit.pk)).status_code == 200, "the lead may"


def test_auditors_do_not_answer_nonconformities_or_approve(client_for, people, world, today):
    client = client_for(people.auditor_boha)
    assert_forbidden(client.post(url("nonconformities:detail", world.nc.pk), {"step": "correction", "correction": "x", "on": today.strftime("%d/%m/%Y")}))
    assert_forbidden(client.post(url("audit_programmes:approve", world.audit.programme_id)))
    assert_forbidden(client.get(url("audit_programmes:add")))
    assert_forbidden(client.get(url("audits:add")))


def test_an_auditor_outside_the_team_and_units_sees_nothing(client_for, people, world, make_user, units):
    from qms.core.roles import Role

    stranger = make_user(Role.AUDITOR, units["BN-TAMTIEN"])
    client = client_for(stranger)
    assert_forbidden(client.get(url("audits:page", world.audit.pk)))
    assert_forbidden(client.get(url("audits:history", world.audit.pk)))
    assert_forbidden(client.get(url("audits:report_pdf", world.audit.pk)))
    assert_forbidden(client.get(url("nonconformities:detail", world.nc.pk)))


# --- Leaders and quality officers --------------------------------------------------------------


def test_only_leaders_approve(client_for, people, world):
    programme = world.audit.programme
    assert_forbidden(client_for(people.qo).post(url("audit_programmes:approve", programme.pk)))
    assert client_for(people.leader).post(url("audit_programmes:approve", programme.pk)).status_code == 302
    programme.refresh_from_db()
    assert programme.status == "approved" and programme.approved_by == people.leader


def test_leaders_read_but_do_not_plan_or_close(client_for, people, world, today):
    client = client_for(people.leader)
    assert client.get(url("audits:page", world.audit.pk)).status_code == 200
    assert_forbidden(client.get(url("audits:add")))
    assert_forbidden(client.post(url("nonconformities:detail", world.nc.pk), {"step": "verify", "on": today.strftime("%d/%m/%Y"), "effective": "1"}))


def test_quality_officers_see_all_of_their_scope_and_no_more(client_for, people, world):
    client = client_for(people.qo)
    html = client.get(url("nonconformities:index")).content.decode()
    assert world.nc.reference in html and world.nc_boha.reference in html
    assert world.nc_tamtien.reference not in html
    assert_forbidden(client.get(url("nonconformities:detail", world.nc_tamtien.pk)))
    assert_forbidden(client.get(url("nonconformities:edit", world.nc_tamtien.pk)))


def test_an_approved_programme_is_not_edited_or_deleted(client_for, people, world):
    from audits import services

    programme = services.programme_approve(programme=world.audit.programme, by=people.leader)
    client = client_for(people.qo)
    assert_forbidden(client.get(url("audit_programmes:edit", programme.pk)))
    assert_forbidden(client.post(url("audit_programmes:delete", programme.pk)))
    assert AuditProgramme.objects.filter(pk=programme.pk).exists()


def test_a_started_audit_is_never_deleted(client_for, people, world):
    from audits.models import Audit

    assert_forbidden(client_for(people.qo).post(url("audits:delete", world.audit.pk)))
    assert Audit.objects.filter(pk=world.audit.pk).exists()
