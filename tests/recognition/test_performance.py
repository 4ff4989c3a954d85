"""Nonconformities from dossier performance and citizen complaints: opened once, prefilled with the figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from audits.models import NcSource, Nonconformity
from qms.feedback.services import feedback_submit
from qms.reporting.engine import Period
from qms.reporting.models import Comparator, Indicator, PeriodKind, QualityObjective
from recognition.models import PerformanceNonconformity, PerformanceTrigger
from recognition.performance import (
    feedback_nonconformity_open,
    performance_candidates,
    performance_nonconformity_open,
)
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import import_rows
from tests.utils import assert_forbidden

MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


@pytest.fixture
def march(units, tmp_path):
    AdministrativeProcedureFactory(code="P3", processing_days=3)
    rows = [("a", "BN-BOHA", "P3", "truc_tiep", "02/03/2026", "05/03/2026", "10/03/2026", "", "")]  # late
    rows += [(f"p{i}", "BN-BOHA", "P3", "truc_tiep", "02/03/2026", "05/03/2026", "", "", "") for i in range(3)]  # overdue
    import_rows(tmp_path, rows)
    return QualityObjective.objects.create(
        title="Đúng hạn 98%", unit=units["BN-BOHA"], indicator=Indicator.ON_TIME_RATE, comparator=Comparator.GTE,
        target=Decimal(98), period_kind=PeriodKind.MONTH,
    )


def test_candidates_are_the_objective_not_met_and_overdue_above_threshold(demo_users, march, units):
    candidates = performance_candidates(demo_users["qlcl"], MARCH, threshold=2)
    found = {(c.unit.code, c.trigger, c.value) for c in candidates}
    assert ("BN-BOHA", PerformanceTrigger.OBJECTIVE, "0,0 %") in found
    assert ("BN-BOHA", PerformanceTrigger.OVERDUE, "3") in found
    assert not [c for c in performance_candidates(demo_users["qlcl"], MARCH, threshold=3) if c.trigger == "overdue"]


def test_opened_once_with_the_figures_and_late_dossiers(demo_users, march, units):
    officer = demo_users["qlcl"]
    nc = performance_nonconformity_open(user=officer, unit=units["BN-BOHA"], period=MARCH, objective=march, by=officer)
    assert nc.source == NcSource.PROCESS_MONITORING
    assert "Đúng hạn 98%" in nc.description and "kết quả 0,0" in nc.description and "≥ 98 %" in nc.description
    assert "- a (P3): hẹn trả 05/03/2026, giải quyết 10/03/2026" in nc.description
    assert "- p0 (P3): hẹn trả 05/03/2026, chưa giải quyết" in nc.description
    assert "giải quyết chưa giải quyết" not in nc.description
    with pytest.raises(ValidationError, match="Đã mở điểm không phù hợp cho đơn vị, mục tiêu và kỳ này"):
        performance_nonconformity_open(user=officer, unit=units["BN-BOHA"], period=MARCH, objective=march, by=officer)
    assert Nonconformity.objects.count() == 1
    # The overdue trigger is another nonconformity, also once.
    performance_nonconformity_open(user=officer, unit=units["BN-BOHA"], period=MARCH, threshold=2, by=officer)
    with pytest.raises(ValidationError):
        performance_nonconformity_open(user=officer, unit=units["BN-BOHA"], period=MARCH, threshold=2, by=officer)
    assert Nonconformity.objects.count() == 2


def test_the_database_refuses_a_second_one_too(demo_users, march, units):
    officer = demo_users["qlcl"]
    nc = performance_nonconformity_open(user=officer, unit=units["BN-BOHA"], period=MARCH, objective=march, by=officer)
    other = Nonconformity.objects.create(
        reference="X-1", unit=nc.unit, original_unit=nc.unit, source=nc.source, description="x",
        detected_on=nc.detected_on, due_on=nc.due_on, detected_by=officer,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PerformanceNonconformity.objects.create(
            nonconformity=other, unit=nc.unit, trigger=PerformanceTrigger.OBJECTIVE, objective=march,
            period_from=MARCH.date_from, period_to=MARCH.date_to, opened_by=officer,
        )


def test_figures_that_do_not_justify_it_are_refused(demo_users, march, units):
    with pytest.raises(ValidationError, match="không cho thấy cần mở"):
        performance_nonconformity_open(user=demo_users["qlcl"], unit=units["BN-BOHA"], period=MARCH, threshold=10,
                                       by=demo_users["qlcl"])


def test_a_complaint_opens_a_nonconformity_once(demo_users, units):
    officer = demo_users["qlcl"]
    praise = feedback_submit(unit=units["BN-BOHA"], rating=5)
    with pytest.raises(ValidationError):
        feedback_nonconformity_open(feedback=praise, by=officer)
    complaint = feedback_submit(unit=units["BN-BOHA"], rating=4, is_complaint=True, comment="Phải đi lại ba lần")
    nc = feedback_nonconformity_open(feedback=complaint, by=officer)
    assert nc.source == NcSource.COMPLAINT and "Phải đi lại ba lần" in nc.description and nc.source_object == complaint
    with pytest.raises(ValidationError, match="Đã mở điểm không phù hợp cho ý kiến này"):
        feedback_nonconformity_open(feedback=complaint, by=officer)


def test_the_screen_opens_it_and_staff_cannot(client, demo_users, march, units):
    client.force_login(demo_users["qlcl"])
    params = {"date_from": "2026-03-01", "date_to": "2026-03-31", "threshold": "5"}
    html = client.get(reverse("readiness:performance"), params).content.decode()
    assert "Đúng hạn 98%" in html
    response = client.post(reverse("readiness:performance"), {**params, "unit": units["BN-BOHA"].pk, "objective": march.pk})
    nc = Nonconformity.objects.get()
    assert response.status_code == 302 and response.url == reverse("nonconformities:detail", args=[nc.pk])
    client.force_login(demo_users["motcua.boha"])
    assert_forbidden(client.get(reverse("readiness:performance"), params))
    assert_forbidden(client.post(reverse("readiness:performance"), {**params, "unit": units["BN-BOHA"].pk, "objective": march.pk}))
