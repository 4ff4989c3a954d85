"""People and records of the audit tests: the demo district's units, one user per role and place."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from qms.core.roles import Role
from tests.audits.factories import make_audit, make_programme


@pytest.fixture
def people(make_user, units):
    """qo, leader, auditor (district, may audit the old communes), auditor_boha (member of Xã Bố Hạ),
    staff (Xã Yên Thế and its predecessors), staff_boha (Xã Bố Hạ)."""
    return SimpleNamespace(
        qo=make_user(Role.QUALITY_OFFICER, units["215"], *[units[c] for c in ("BN-YENTHE", "BN-BOHA")],
                     username="qo", first_name="Hoa", last_name="Nguyễn Thị"),
        leader=make_user(Role.LEADER, units["215"], units["BN-YENTHE"], units["BN-BOHA"],
                         username="leader", first_name="Minh", last_name="Trần Văn"),
        auditor=make_user(Role.AUDITOR, units["215"], username="auditor", first_name="Huy", last_name="Lê Quang"),
        auditor_boha=make_user(Role.AUDITOR, units["BN-BOHA"], username="auditor.boha", first_name="Thu", last_name="Đỗ Thị"),
        staff=make_user(Role.UNIT_STAFF, units["BN-YENTHE"], username="staff", first_name="Lan", last_name="Phạm Thị"),
        staff_boha=make_user(Role.UNIT_STAFF, units["BN-BOHA"], username="staff.boha", first_name="Nam", last_name="Hoàng Văn"),
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def programme_2024(people, units):
    return make_programme(year=2024, units=[units["07288"], units["07294"], units["07243"]], by=people.qo)


@pytest.fixture
def audit_2024(programme_2024, people, units):
    """A planned audit of Thị trấn Phồn Xương in May 2024, led by the district auditor."""
    return make_audit(programme=programme_2024, unit=units["07288"], by=people.qo, lead=people.auditor,
                      start=datetime.date(2024, 5, 10))


@pytest.fixture
def recent(today):
    """A date three weeks ago: in force for the successor communes, never in the future."""
    return today - datetime.timedelta(days=21)


@pytest.fixture
def programme_now(people, units, recent):
    return make_programme(year=recent.year, units=[units["BN-YENTHE"], units["BN-BOHA"]], by=people.qo)


@pytest.fixture
def audit_now(programme_now, people, units, recent):
    """A planned audit of Xã Yên Thế three weeks ago, led by Bố Hạ's auditor (cross-auditing)."""
    return make_audit(programme=programme_now, unit=units["BN-YENTHE"], by=people.qo, lead=people.auditor_boha, start=recent)


@pytest.fixture
def world(people, units, programme_now, audit_now, recent):
    """Records of two communes and one outside the quality officer's units, for the permission tests:
    an audit of Xã Yên Thế under way (lead: Bố Hạ's auditor), a planned audit of Xã Bố Hạ (lead: the
    district auditor), a nonconformity in each commune awaiting verification, one in Xã Tam Tiến."""
    from audits import services
    from audits.models import CauseCategory
    from tests.audits.factories import open_nc, start_audit

    audit_boha = make_audit(programme=programme_now, unit=units["BN-BOHA"], by=people.qo, lead=people.auditor, start=recent)
    audit = start_audit(audit_now, by=people.auditor_boha)

    def awaiting(unit, staff):
        nc = open_nc(unit=unit, by=people.qo, detected_on=recent)
        services.nonconformity_analyse(nc=nc, whys=["Chưa tập huấn"], cause_category=CauseCategory.PEOPLE, on=recent, by=staff)
        action = services.corrective_action_add(nc=nc, description="Tập huấn", responsible=staff, due_on=recent, by=staff)
        services.corrective_action_complete(action=action, done_on=recent, evidence="Biên bản", by=staff)
        nc.refresh_from_db()
        return nc

    return SimpleNamespace(
        audit=audit, audit_boha=audit_boha,
        nc=awaiting(units["BN-YENTHE"], people.staff), nc_boha=awaiting(units["BN-BOHA"], people.staff_boha),
        nc_tamtien=open_nc(unit=units["BN-TAMTIEN"], by=people.qo, detected_on=recent),
    )


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login
