"""
Audit access (ISO 9001 9.2): the team of an audit that is not closed reads the audited unit's documents
in force and their past issues, whatever units they belong to; nothing else, and only while it is open.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, AuditStatus
from procedures_docs import selectors, services
from procedures_docs.models import DocumentType
from qms.core.roles import Role, audited_unit_ids
from tests.audits.factories import make_audit, make_programme
from tests.utils import assert_forbidden


@pytest.fixture
def bo_ha(make_document, issue, libraries, people):
    """Xã Bố Hạ's QT-01 in its 2nd issue with a form, a draft QT-02, an obsolete QT-03, and a new draft of QT-01."""
    page = make_document(library=libraries.bh)
    issue(page)
    form = make_document(code="BM-01-01", title="Phiếu theo dõi", parent=page, doc_type=DocumentType.FORM)
    issue(form)
    issue(page, "Sửa mục 2", scope="<p>Áp dụng cho bộ phận một cửa.</p>")
    draft = make_document(code="QT-02", title="Quy trình đánh giá nội bộ", library=libraries.bh)
    old = make_document(code="QT-03", title="Quy trình cũ", library=libraries.bh)
    issue(old)
    services.document_withdraw(page=old, on=timezone.localdate(), reason="Thay thế", by=people.bh_leader)
    services.document_edit(page=page, by=people.bh_officer, change_summary="Dự thảo lần 3", purpose="<p>NỘI DUNG DỰ THẢO</p>")
    for doc in (page, form, draft, old):
        doc.refresh_from_db()
    return SimpleNamespace(page=page, form=form, draft=draft, old=old)


@pytest.fixture
def team(make_user, units, people):
    """An open audit of Xã Bố Hạ led by an auditor of Xã Đồng Kỳ, with an auditor of Xã Tam Tiến on the team;
    an auditor of Xã Đồng Kỳ who is not on it."""
    district_qo = make_user(Role.QUALITY_OFFICER, units["215"], username="district_qo")
    lead = make_user(Role.AUDITOR, units["BN-DONGKY"], username="auditor.dongky")
    member = make_user(Role.AUDITOR, units["BN-TAMTIEN"], username="auditor.tamtien")
    outsider = make_user(Role.AUDITOR, units["BN-DONGKY"], username="auditor2.dongky")
    today = timezone.localdate()
    programme = make_programme(year=today.year, units=[units["BN-BOHA"]], by=district_qo)
    audit = make_audit(programme=programme, unit=units["BN-BOHA"], by=district_qo, lead=lead, team=[member], start=today)
    return SimpleNamespace(audit=audit, lead=lead, member=member, outsider=outsider)


def close(audit):
    """The audit is over (the services' path needs a whole checklist, which is the audits tests' business)."""
    day = audit.planned_start
    Audit.objects.filter(pk=audit.pk).update(
        status=AuditStatus.CLOSED, actual_start=day, actual_end=day, closed_on=day
    )


def test_the_team_of_an_open_audit_audits_the_unit(team, units):
    assert units["BN-BOHA"].pk in audited_unit_ids(team.lead)
    assert units["BN-BOHA"].pk in audited_unit_ids(team.member)
    assert audited_unit_ids(team.outsider) == frozenset()
    close(team.audit)
    assert audited_unit_ids(team.lead) == frozenset()


@pytest.mark.parametrize("who", ["lead", "member"])
def test_audit_team_reads_the_audited_units_documents_in_force_and_their_history(client, bo_ha, team, who):
    client.force_login(getattr(team, who))
    response = client.get(bo_ha.page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Áp dụng cho bộ phận một cửa." in html and "NỘI DUNG DỰ THẢO" not in html  # the issue in force, not the draft
    assert client.get(bo_ha.page.url + "pdf/")["Content-Type"] == "application/pdf"
    assert client.get(bo_ha.form.url).status_code == 200
    assert client.get(bo_ha.page.url + "lan-ban-hanh/1/").status_code == 200  # a past issue
    assert client.get(bo_ha.page.url + "lan-ban-hanh/1/pdf/").status_code == 200


def test_audit_team_sees_the_documents_on_the_master_lists(client, bo_ha, team, libraries):
    client.force_login(team.lead)
    unit_list = client.get(libraries.bh.url + "danh-muc/").content.decode()
    assert "QT-01" in unit_list and "BM-01-01" in unit_list
    assert "QT-02" not in unit_list and "QT-03" not in unit_list
    assert "QT-01" in client.get(reverse("procedures_docs:master_list")).content.decode()
    admin_list = client.get(reverse("documents:master_list"), {"unit": "BN-BOHA"})  # the admin's, unit picked
    assert admin_list.status_code == 200 and "QT-01" in admin_list.content.decode()
    assert [d.code for d in selectors.master_list(user=team.lead)] == ["QT-01", "BM-01-01"]


def test_audit_team_reads_no_draft_no_obsolete_document_and_changes_nothing(client, bo_ha, team):
    client.force_login(team.lead)
    assert client.get(bo_ha.draft.url).status_code == 404  # never issued: not on the site
    assert client.get(bo_ha.old.url).status_code == 403  # withdrawn: not in force
    assert_forbidden(client.get(reverse("wagtailadmin_pages:edit", args=[bo_ha.page.pk])))
    assert_forbidden(client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[bo_ha.page.pk])))
    assert_forbidden(client.get(reverse("wagtailadmin_pages:edit", args=[bo_ha.draft.pk])))
    assert not selectors.can_manage(team.lead, bo_ha.page)  # no register, no acknowledgement matrix


def test_an_auditor_not_on_the_team_never_reads_them(client, bo_ha, team, libraries):
    client.force_login(team.outsider)
    for url in (bo_ha.page.url, bo_ha.page.url + "pdf/", bo_ha.form.url, bo_ha.page.url + "lan-ban-hanh/1/"):
        assert client.get(url).status_code == 403, url
    assert "QT-01" not in client.get(libraries.bh.url + "danh-muc/").content.decode()
    assert client.get(reverse("documents:master_list"), {"unit": "BN-BOHA"}).status_code == 404


def test_access_ends_when_the_audit_closes(client, bo_ha, team, libraries):
    close(team.audit)
    client.force_login(team.lead)
    for url in (bo_ha.page.url, bo_ha.page.url + "pdf/", bo_ha.form.url, bo_ha.page.url + "lan-ban-hanh/1/pdf/"):
        assert client.get(url).status_code in (403, 404), url
    assert "QT-01" not in client.get(libraries.bh.url + "danh-muc/").content.decode()


def test_an_audit_of_another_unit_opens_nothing_here(client, bo_ha, team, units, make_user):
    Audit.objects.filter(pk=team.audit.pk).update(unit=units["BN-XUANLUONG"], planned_start=datetime.date.today())
    client.force_login(team.lead)
    assert client.get(bo_ha.page.url).status_code == 403
