"""
Evaluating quality objectives on the Biểu 06 engine. `objective_evaluate(objective=…, period=…)`
is the selector other features call (readiness, management review, nonconformities from
performance): it returns, for each unit measured, the value, whether the target is met, and
None where the indicator cannot be measured (no dossier to divide by).
"""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from qms.core.models import Unit
from qms.reporting import engine
from qms.reporting.engine import Period
from qms.reporting.models import PERCENT_INDICATORS, Indicator, ObjectiveScope, QualityObjective

_COMPARE = {"gte": operator.ge, "lte": operator.le, "gt": operator.gt, "lt": operator.lt}


@dataclass
class Measurement:
    unit: Unit
    value: float | None  # per cent for rates, working days, or a count
    met: bool | None  # None: not measurable in this period
    suffix: str = ""  # " %" for rates, as in the objective's target

    @property
    def display(self) -> str:
        if self.value is None:
            return "–"
        if isinstance(self.value, int):
            return f"{self.value}{self.suffix}"
        return f"{self.value:.1f}".replace(".", ",") + self.suffix


@dataclass
class Evaluation:
    objective: QualityObjective
    period: Period
    measurements: list[Measurement] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        """Met when every measurable unit meets it; None when nothing could be measured."""
        known = [m.met for m in self.measurements if m.met is not None]
        return None if not known else all(known)


def indicator_value(row: dict, indicator: str):
    if indicator == Indicator.OVERDUE_PENDING:
        return int(row["c13"])
    value = row[indicator]
    if value is None:
        return None
    return round(value * 100, 1) if indicator in PERCENT_INDICATORS else round(value, 1)


def objective_evaluate(*, objective: QualityObjective, period: Period) -> Evaluation:
    """Measure `objective` over `period` (its unit as a whole, or each unit under it in force at the period's end)."""
    evaluation = Evaluation(objective=objective, period=period)
    if objective.scope == ObjectiveScope.EACH:
        report = engine.bieu06(period=period, units=[objective.unit], group_by=engine.GroupBy.UNIT, as_of=period.date_to)
        units = Unit.objects.in_bulk([r["key"] for r in report.rows])
        pairs = [(units[r["key"]], r) for r in report.rows]
    else:
        ids = engine.scope_unit_ids([objective.unit])
        pairs = [(objective.unit, engine.totals_for(period=period, unit_ids=ids))]
    compare = _COMPARE[objective.comparator]
    for unit, row in pairs:
        value = indicator_value(row, objective.indicator)
        met = None if value is None else compare(Decimal(str(value)), objective.target)
        evaluation.measurements.append(Measurement(unit=unit, value=value, met=met, suffix=objective.value_suffix))
    return evaluation


def current_period(kind: str, today: datetime.date | None = None) -> Period:
    """The period of `kind` that contains today, up to today."""
    today = today or timezone.localdate()
    period = Period.containing(kind, today)
    return Period(period.date_from, min(period.date_to, today))


def objectives_for_user(user, on):
    """The objectives of `user`'s units that are measured on `on` (their unit exists then)."""
    return QualityObjective.objects.for_user(user).measured_on(on).select_related("unit")
