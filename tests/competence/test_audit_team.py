"""An audit team without a valid internal-auditor certificate: refused with the reason, or allowed with a
recorded justification (QMS_UNCERTIFIED_AUDITOR)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits import services
from audits.models import Audit
from qms.competence.models import INTERNAL_AUDITOR
from qms.core.roles import Role
from tests.audits.factories import clauses, make_audit, make_programme
from tests.competence.factories import train

pytestmark = pytest.mark.django_db

D = datetime.date
PLANNED = D(2026, 5, 4)


@pytest.fixture
def team(units, make_user):
    qo = make_user(Role.QUALITY_OFFICER, units["215"], units["BN-BOHA"], units["BN-YENTHE"], username="qo")
    certified = make_user(Role.AUDITOR, units["BN-BOHA"], username="cert", first_name="Thu", last_name="Đỗ Thị")
    uncertified = make_user(Role.AUDITOR, units["BN-TAMTIEN"], username="uncert", certified=False,
                            first_name="Sơn", last_name="Lý Văn")
    programme = make_programme(year=2026, units=[units["BN-YENTHE"]], by=qo)
    return qo, certified, uncertified, programme


def plan(team, units, *, lead, members=(), start=PLANNED):
    qo, _certified, _uncertified, programme = team
    return make_audit(programme=programme, unit=units["BN-YENTHE"], by=qo, lead=lead, team=members, start=start)


def test_an_uncertified_lead_or_member_is_refused_with_the_reason(team, units):
    _qo, certified, uncertified, _programme = team
    with pytest.raises(ValidationError) as exc:
        plan(team, units, lead=uncertified)
    assert exc.value.message_dict == {"lead_auditor": [
        "Lý Văn Sơn chưa có chứng chỉ đánh giá viên nội bộ còn hiệu lực vào ngày 04/05/2026 (ISO 9001, 7.2)."]}
    with pytest.raises(ValidationError) as exc:
        plan(team, units, lead=certified, members=[uncertified])
    assert list(exc.value.message_dict) == ["auditors"]
    assert not Audit.objects.exists()
    assert plan(team, units, lead=certified).lead_auditor == certified


def test_the_certificate_must_be_valid_on_the_planned_start(team, units):
    _qo, _certified, uncertified, _programme = team
    train(uncertified, INTERNAL_AUDITOR, completed_on=D(2023, 5, 5), expires_on=D(2026, 5, 3))
    with pytest.raises(ValidationError):
        plan(team, units, lead=uncertified, start=D(2026, 5, 4))  # expired the day before
    assert plan(team, units, lead=uncertified, start=D(2026, 5, 3)).pk  # its last valid day


def test_justify_mode_allows_the_uncertified_with_a_recorded_justification(team, units, settings):
    settings.QMS_UNCERTIFIED_AUDITOR = "justify"
    qo, certified, uncertified, programme = team
    with pytest.raises(ValidationError) as exc:
        plan(team, units, lead=certified, members=[uncertified])
    assert exc.value.message_dict == {"team_justification": [
        "Chưa có chứng chỉ đánh giá viên nội bộ còn hiệu lực vào ngày 04/05/2026: Lý Văn Sơn. "
        "Hãy ghi rõ lý do vẫn đưa vào đoàn đánh giá."]}
    audit = services.audit_save(
        audit=Audit(programme=programme, unit=units["BN-YENTHE"], planned_start=D(2026, 5, 4), planned_end=D(2026, 5, 5),
                    lead_auditor=certified, team_justification="Học việc: đi cùng trưởng đoàn, chưa đánh giá độc lập."),
        auditors=[uncertified], clauses=clauses("7.5"), by=qo,
    )
    assert audit.team_justification.startswith("Học việc")
    assert audit.history.latest().team_justification == audit.team_justification


def test_the_plan_form_shows_the_refusal_on_the_field(team, units, client):
    qo, _certified, uncertified, programme = team
    client.force_login(qo)
    response = client.post(reverse("audits:add"), {
        "programme": programme.pk, "unit": units["BN-YENTHE"].pk, "planned_start": "04/05/2026",
        "planned_end": "05/05/2026", "lead_auditor": uncertified.pk, "criteria": "TCVN ISO 9001:2015",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lý Văn Sơn chưa có chứng chỉ đánh giá viên nội bộ còn hiệu lực vào ngày 04/05/2026 (ISO 9001, 7.2)." in html
    assert not Audit.objects.exists()


def test_the_justification_field_is_offered_only_in_justify_mode(team, units, client, settings):
    qo, certified, uncertified, programme = team
    client.force_login(qo)
    assert 'name="team_justification"' not in client.get(reverse("audits:add")).content.decode()
    settings.QMS_UNCERTIFIED_AUDITOR = "justify"
    assert 'name="team_justification"' in client.get(reverse("audits:add")).content.decode()
    response = client.post(reverse("audits:add"), {
        "programme": programme.pk, "unit": units["BN-YENTHE"].pk, "planned_start": "04/05/2026",
        "planned_end": "05/05/2026", "lead_auditor": certified.pk, "auditors": [uncertified.pk],
        "criteria": "TCVN ISO 9001:2015", "team_justification": "Học việc cùng trưởng đoàn",
    })
    assert response.status_code == 302
    assert Audit.objects.get().team_justification == "Học việc cùng trưởng đoàn"
