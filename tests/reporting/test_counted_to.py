"""
Pending dossiers are counted as of the earlier of the period's end and today (DOMAIN.md): a dossier due
after today is not overdue yet, however far the period runs. One rule in the engine, so the report, the
quality objectives and the dashboard's objectives panel give the same figure. And the period presets:
last month and last quarter first, a month picked as a month.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qms.core.roles import Role
from qms.reporting import engine
from qms.reporting.engine import Period
from qms.reporting.forms import ReportForm
from qms.reporting.models import Comparator, Indicator, PeriodKind, QualityObjective
from qms.reporting.objectives import current_period, objective_evaluate
from qms.reporting.panels import ObjectivesPanel
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import import_rows

DAY = datetime.timedelta(days=1)


def d(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


@pytest.fixture
def pending(db, units, tmp_path):
    """Four dossiers of Xã Yên Thế received ten days ago, not resolved: due two days ago, yesterday, today, in five days."""
    today = timezone.localdate()
    AdministrativeProcedureFactory(code="P3", processing_days=3, field="Hộ tịch")
    received = today - 10 * DAY
    import_rows(tmp_path, [
        (f"p{n}", "BN-YENTHE", "P3", "truc_tiep", d(received), d(today + offset * DAY), "", "", "")
        for n, offset in enumerate([-2, -1, 0, 5])
    ])
    return today


def test_a_period_ending_after_today_counts_pending_as_of_today(pending, units):
    today = pending
    period = Period(today - 20 * DAY, today + 20 * DAY)
    totals = engine.bieu06(period=period, units=[units["BN-YENTHE"]]).totals
    assert (totals["c11"], totals["c12"], totals["c13"]) == (4, 2, 2)  # due today and in 5 days: within the deadline
    assert totals["c3"] == totals["c7"] + totals["c11"] + totals["c14"]
    # The period read up to its end would call every one of them overdue: that is the old, wrong figure.
    assert engine.bieu06(period=period, units=[units["BN-YENTHE"]], today=period.date_to).totals["c13"] == 4


def test_a_period_that_has_ended_counts_as_of_its_end(pending, units):
    today = pending
    ended = Period(today - 20 * DAY, today - 2 * DAY)
    totals = engine.bieu06(period=ended, units=[units["BN-YENTHE"]]).totals
    assert (totals["c12"], totals["c13"]) == (4, 0)  # none was overdue on the period's last day
    assert ended.counted_to() == ended.date_to and Period(today, today + DAY).counted_to() == today


def test_the_heading_says_when_the_counts_stop(pending, units, client, make_user):
    today = pending
    client.force_login(make_user(Role.QUALITY_OFFICER, units["BN-YENTHE"]))
    html = client.get(reverse("reports:index"), {"preset": "year", "on": f"{today:%Y-%m}", "group_by": "unit"}).content.decode()
    if today.month == 12 and today.day == 31:
        pytest.skip("the year ends today")
    assert f"Kỳ báo cáo: từ ngày 01/01/{today.year} đến ngày 31/12/{today.year} (số liệu tính đến ngày {d(today)})" in html


def test_objective_report_and_dashboard_agree_on_overdue(pending, units, rf, make_user):
    today = pending
    objective = QualityObjective.objects.create(
        title="Không quá 1 hồ sơ quá hạn", unit=units["BN-YENTHE"], indicator=Indicator.OVERDUE_PENDING,
        comparator=Comparator.LTE, target=1, period_kind=PeriodKind.YEAR,
    )
    year = Period.year(today.year)
    report = engine.bieu06(period=year, units=[units["BN-YENTHE"]])
    on_report = objective_evaluate(objective=objective, period=year)
    on_dashboard = objective_evaluate(objective=objective, period=current_period("year", today))
    assert report.totals["c13"] == 2
    assert on_report.measurements[0].value == on_dashboard.measurements[0].value == 2
    assert on_report.met is False and on_dashboard.met is False
    request = rf.get("/admin/")
    request.user = make_user(Role.LEADER, units["BN-YENTHE"])
    panel = ObjectivesPanel(request).get_context_data()
    assert [m.value for e in panel["evaluations"] for m in e.measurements] == [2]


# --- presets ----------------------------------------------------------------------------------

TODAY = datetime.date(2026, 11, 30)


def period_of(data, today=TODAY):
    form = ReportForm({"group_by": "unit", **data}, today=today)
    assert form.is_valid(), form.errors
    return form.period()


def test_last_month_and_last_quarter_come_first_and_name_their_period(db):
    choices = ReportForm(today=TODAY).fields["preset"].choices
    assert [str(label) for _value, label in choices[:2]] == ["Tháng trước (10/2026)", "Quý trước (Quý 3/2026)"]
    assert period_of({"preset": "last_month"}) == Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    assert period_of({"preset": "last_quarter"}) == Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    january = datetime.date(2027, 1, 15)
    assert period_of({"preset": "last_month"}, january) == Period(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    assert period_of({"preset": "last_quarter"}, january) == Period(datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))


def test_a_month_is_picked_as_a_month(db):
    october = Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    assert period_of({"preset": "month", "on": "2026-10"}) == october  # what the month picker sends
    assert period_of({"preset": "month", "on": "10/2026"}) == october  # typed where there is no picker
    assert period_of({"preset": "month", "on": "2026-10-15"}) == october  # links made before
    assert period_of({"preset": "quarter", "on": "2026-10"}) == Period(datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    form = ReportForm({"preset": "month", "on": "2026-13", "group_by": "unit"}, today=TODAY)
    assert not form.is_valid() and form.errors["on"] == ["Hãy chọn một tháng, ví dụ 10/2026."]
    assert 'type="month"' in str(ReportForm(today=TODAY)["on"])


def test_the_report_opens_on_last_month(db, units, client, make_user):
    client.force_login(make_user(Role.QUALITY_OFFICER, units["BN-YENTHE"]))
    html = client.get(reverse("reports:index")).content.decode()
    last = Period.containing("month", timezone.localdate().replace(day=1) - DAY)
    assert f"Kỳ báo cáo: từ ngày {d(last.date_from)} đến ngày {d(last.date_to)}" in html
