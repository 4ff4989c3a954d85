"""Conformity announcements: recording, the unit's QMS status, re-announcement, the PDF, permissions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qms.core.models import AdministrativeProcedure, ProcedureLevel, QmsStatus
from recognition.models import ConformityAnnouncement
from recognition.selectors import reannouncement_status, unit_procedures
from recognition.services import announcement_record
from tests.core.factories import AdministrativeProcedureFactory
from tests.utils import assert_forbidden, needs_poppler, pdftotext

D = datetime.date


@pytest.fixture
def catalogue(db):
    commune = [AdministrativeProcedureFactory(code=f"X-{i}", level=ProcedureLevel.COMMUNE) for i in range(3)]
    AdministrativeProcedureFactory(code="H-1", level=ProcedureLevel.DISTRICT)
    return commune


def announce(unit, procedures, **kwargs):
    values = {"announced_on": D(2026, 3, 16), "decision_number": "125/QĐ-UBND", "signer_name": "Nguyễn Văn Thành",
              "gaps_confirmed": True}  # the bare test units meet few readiness items: see test_readiness_*
    return announcement_record(unit=unit, procedures=procedures, **(values | kwargs))


def test_recording_an_announcement_marks_the_unit_announced(units, catalogue):
    unit = units["BN-YENTHE"]
    announcement = announce(unit, catalogue)
    assert set(announcement.scope.all()) == set(catalogue)
    status = unit.qms_status_on(D(2026, 3, 16))
    assert status.status == QmsStatus.ANNOUNCED and status.decision_number == "125/QĐ-UBND"


def test_scope_must_be_the_units_own_level_and_not_empty(units, catalogue):
    district_procedure = AdministrativeProcedure.objects.get(code="H-1")
    with pytest.raises(ValidationError, match="H-1"):
        announce(units["BN-YENTHE"], [*catalogue, district_procedure])
    with pytest.raises(ValidationError, match="ít nhất một thủ tục"):
        announce(units["BN-YENTHE"], [])
    with pytest.raises(ValidationError, match="chưa tồn tại"):
        announce(units["BN-YENTHE"], catalogue, announced_on=D(2024, 1, 1))
    assert not ConformityAnnouncement.objects.exists()


def test_reannouncement_is_flagged_when_the_scope_changes(units, catalogue):
    unit = units["BN-BOHA"]
    assert not reannouncement_status(unit, D(2026, 4, 1)).needed  # never announced: nothing to re-announce
    announce(unit, catalogue)
    assert not reannouncement_status(unit, D(2026, 4, 1)).needed
    new = AdministrativeProcedureFactory(code="X-NEW", level=ProcedureLevel.COMMUNE)
    status = reannouncement_status(unit, D(2026, 4, 1))
    assert status.needed and status.added == [new] and status.removed == []
    catalogue[0].valid_to = D(2026, 3, 31)
    catalogue[0].save()
    assert reannouncement_status(unit, D(2026, 4, 1)).removed == [catalogue[0]]
    assert catalogue[0] not in unit_procedures(unit, D(2026, 4, 1))


def test_quality_officer_records_an_announcement_in_the_admin(client, demo_users, units, catalogue):
    client.force_login(demo_users["qlcl"])
    form = client.get(reverse("announcements:add"), {"unit": "BN-BOHA"}).content.decode()
    assert "X-0" in form and "H-1" not in form
    data = {
        "unit": "BN-BOHA", "announced_on": "2026-05-04", "decision_number": "77/QĐ-UBND", "signer_name": "Đỗ Văn Hải",
        "signer_title": "Chủ tịch", "procedures": [p.pk for p in catalogue],
    }
    warned = client.post(reverse("announcements:add"), data).content.decode()
    assert "Xã Bố Hạ mới sẵn sàng" in warned and not ConformityAnnouncement.objects.exists()  # told why, first
    response = client.post(reverse("announcements:add"), {**data, "gaps_confirmed": "on"})
    announcement = ConformityAnnouncement.objects.get(decision_number="77/QĐ-UBND")
    assert response.status_code == 302 and announcement.unit == units["BN-BOHA"]
    assert announcement.readiness_gaps  # what was missing is kept on the record
    assert announcement.history.first().history_user == demo_users["qlcl"]


def test_nobody_edits_or_deletes_an_announcement(client, demo_users, units, catalogue):
    announcement = announce(units["BN-YENTHE"], catalogue)
    client.force_login(demo_users["admin"])
    assert_forbidden(client.get(reverse("announcements:edit", args=[announcement.pk])))
    assert_forbidden(client.post(reverse("announcements:delete", args=[announcement.pk])))
    assert ConformityAnnouncement.objects.filter(pk=announcement.pk).exists()


def test_staff_and_auditors_cannot_record_and_staff_see_only_their_units(client, demo_users, units, catalogue):
    announcement = announce(units["BN-YENTHE"], catalogue)
    for username in ("motcua", "danhgia", "lanhdao"):
        client.force_login(demo_users[username])
        assert_forbidden(client.get(reverse("announcements:add")))
    client.force_login(demo_users["motcua.boha"])
    assert_forbidden(client.get(reverse("announcements:inspect", args=[announcement.pk])))
    assert_forbidden(client.get(reverse("announcements:pdf", args=[announcement.pk])))
    assert "125/QĐ-UBND" not in client.get(reverse("announcements:index")).content.decode()


@needs_poppler
def test_the_announcement_decision_prints_with_its_annex(client, demo_users, units, catalogue, tmp_path):
    announcement = announce(units["BN-YENTHE"], catalogue)
    client.force_login(demo_users["motcua"])
    response = client.get(reverse("announcements:pdf", args=[announcement.pk]))
    path = tmp_path / "cong-bo.pdf"
    path.write_bytes(response.content)
    text = pdftotext(path)
    for expected in ("UBND TỈNH BẮC NINH", "ỦY BAN NHÂN DÂN", "XÃ YÊN THẾ", "Số: 125/QĐ-UBND", "Yên Thế, ngày 16 tháng 3 năm 2026", "QUYẾT ĐỊNH",
                     "Tiêu chuẩn quốc gia TCVN ISO 9001:2015", "Nguyễn Văn Thành", "X-0", catalogue[2].name):
        assert expected in text, expected


def test_readiness_gaps_must_be_confirmed_and_are_kept(units, catalogue):
    """Below full readiness the recorder is told what is missing and must confirm; the gaps stay on the record."""
    with pytest.raises(ValidationError) as warned:
        announce(units["BN-YENTHE"], catalogue, gaps_confirmed=False)
    message = " ".join(warned.value.message_dict["gaps_confirmed"])
    assert "Xã Yên Thế mới sẵn sàng" in message and "Còn thiếu:" in message
    assert not ConformityAnnouncement.objects.exists()
    announcement = announce(units["BN-YENTHE"], catalogue, gaps_confirmed=True)
    assert announcement.readiness_gaps and announcement.readiness_gaps.count("\n") >= 1


def test_an_open_major_nonconformity_refuses_the_announcement(client, units, catalogue, demo_users):
    from audits.models import NcSeverity, NcSource, Nonconformity
    from audits.services import nonconformity_open

    unit = units["BN-BOHA"]
    nc = nonconformity_open(unit=unit, source=NcSource.COMPLAINT, description="Không kiểm soát hồ sơ trễ hạn",
                            detected_on=D(2026, 4, 1), severity=NcSeverity.MAJOR, by=demo_users["qlcl"])
    with pytest.raises(ValidationError, match="điểm không phù hợp nặng chưa khắc phục xong"):
        announce(unit, catalogue, announced_on=D(2026, 5, 4))  # refused even when the gaps are confirmed
    client.force_login(demo_users["qlcl"])
    page = client.post(reverse("announcements:add"), {
        "unit": "BN-BOHA", "announced_on": "2026-05-04", "decision_number": "78/QĐ-UBND", "signer_name": "Đỗ Văn Hải",
        "signer_title": "Chủ tịch", "procedures": [p.pk for p in catalogue], "gaps_confirmed": "on",
    }).content.decode()
    assert 'data-testid="announcement-refused"' in page and "điểm không phù hợp nặng chưa khắc phục xong" in page
    assert not ConformityAnnouncement.objects.exists()
    assert Nonconformity.objects.get(pk=nc.pk).closed_on is None
    # Judged on the announcement's date: one signed before the nonconformity was found is recorded.
    assert announce(unit, catalogue, announced_on=D(2026, 3, 16)).unit == unit
