"""Quality objectives evaluated on the Biểu 06 engine: met, not met, not measurable; per unit and for each unit."""

import datetime
from decimal import Decimal

import pytest

from qms.reporting.engine import Period
from qms.reporting.models import Comparator, Indicator, ObjectiveScope, PeriodKind, QualityObjective
from qms.reporting.objectives import current_period, objective_evaluate
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import import_rows

MARCH = Period(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))


@pytest.fixture
def data(db, units, tmp_path):
    AdministrativeProcedureFactory(code="P3", processing_days=3)
    import_rows(tmp_path, [
        # Phồn Xương: 2 resolved, 1 late → 50 %; 1 online of 2
        ("a", "07288", "P3", "truc_tuyen", "03/03/2025", "06/03/2025", "05/03/2025", "", ""),
        ("b", "07288", "P3", "truc_tiep", "03/03/2025", "06/03/2025", "10/03/2025", "", ""),
        # Bố Hạ: 1 resolved on time; 1 pending overdue
        ("c", "07294", "P3", "truc_tiep", "03/03/2025", "06/03/2025", "06/03/2025", "", ""),
        ("d", "07294", "P3", "truc_tiep", "03/03/2025", "06/03/2025", "", "", ""),
    ])
    return units


def objective(unit, indicator, comparator, target, scope=ObjectiveScope.UNIT):
    return QualityObjective.objects.create(
        title="Mục tiêu", unit=unit, indicator=indicator, comparator=comparator, target=Decimal(target),
        scope=scope, period_kind=PeriodKind.MONTH,
    )


def test_on_time_rate_for_the_district_as_a_whole(data):
    result = objective_evaluate(objective=objective(data["215"], Indicator.ON_TIME_RATE, Comparator.GTE, "98"), period=MARCH)
    assert [(m.unit.code, m.value, m.met) for m in result.measurements] == [("215", 66.7, False)]
    assert result.met is False
    assert objective_evaluate(
        objective=objective(data["215"], Indicator.ON_TIME_RATE, Comparator.GTE, "60"), period=MARCH).met is True


def test_each_unit_of_the_district_separately(data):
    result = objective_evaluate(
        objective=objective(data["215"], Indicator.ON_TIME_RATE, Comparator.GTE, "98", ObjectiveScope.EACH), period=MARCH)
    assert {m.unit.code: (m.value, m.met) for m in result.measurements} == {"07288": (50.0, False), "07294": (100.0, True)}
    assert result.met is False


def test_other_indicators_and_comparators(data):
    online = objective_evaluate(objective=objective(data["07288"], Indicator.ONLINE_RATE, Comparator.GTE, "50"), period=MARCH)
    assert (online.measurements[0].value, online.met) == (50.0, True)
    overdue = objective_evaluate(objective=objective(data["07294"], Indicator.OVERDUE_PENDING, Comparator.LTE, "0"), period=MARCH)
    assert (overdue.measurements[0].value, overdue.met) == (1, False)
    days = objective_evaluate(objective=objective(data["07288"], Indicator.AVG_WORKING_DAYS, Comparator.LTE, "3"), period=MARCH)
    assert (days.measurements[0].value, days.met) == (3.5, False)  # 2 and 5 working days
    # Shown as the targets are: rates with their per cent sign, counts and days bare.
    assert [r.measurements[0].display for r in (online, overdue, days)] == ["50,0 %", "1", "3,5"]


def test_nothing_to_measure_is_neither_met_nor_not_met(data):
    result = objective_evaluate(objective=objective(data["07243"], Indicator.ON_TIME_RATE, Comparator.GTE, "98"), period=MARCH)
    assert result.measurements[0].value is None and result.measurements[0].met is None and result.met is None
    assert result.measurements[0].display == "–"


def test_a_rate_target_above_100_is_refused(data):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        QualityObjective(title="x", unit=data["215"], indicator=Indicator.ON_TIME_RATE, comparator=Comparator.GTE,
                         target=Decimal("101"), period_kind=PeriodKind.YEAR).full_clean()


def test_current_period_runs_to_today():
    today = datetime.date(2026, 11, 27)
    assert current_period("quarter", today) == Period(datetime.date(2026, 10, 1), today)
    assert current_period("year", today) == Period(datetime.date(2026, 1, 1), today)
    assert current_period("half", today).date_from == datetime.date(2026, 7, 1)
