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
from django.utils.functional import cached_property

from qms.core.freshness import kept
from qms.core.models import Unit
from qms.core.models.units import unit_graph
from qms.core.text import fold
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

    @cached_property
    def target_label(self) -> str:
        """"Tỷ lệ đúng hạn ≥ 98 %": once, not on each of a province's 200 rows."""
        return f"{self.objective.get_indicator_display()} {self.objective.target_display}"

    @cached_property
    def period_label(self) -> str:
        return f"{self.period.date_from:%d/%m/%Y} – {self.period.date_to:%d/%m/%Y}"

    @cached_property
    def met_count(self) -> int:
        return sum(1 for m in self.measurements if m.met)

    @cached_property
    def measured_count(self) -> int:
        """The units with something to measure in the period (met or not)."""
        return sum(1 for m in self.measurements if m.met is not None)

    @cached_property
    def missed(self) -> list[Measurement]:
        """The units that do not meet the target, in the report's order: what a dashboard names first."""
        return [m for m in self.measurements if m.met is False]

    def measurements_of(self, unit_ids) -> list[Measurement]:
        """The measurements of the units among `unit_ids`, by look-up: a province's overview asks this of every
        "each unit" objective for each of its 200 units."""
        if not hasattr(self, "_by_unit"):
            self._by_unit = {}
            for measurement in self.measurements:
                self._by_unit.setdefault(measurement.unit.pk, []).append(measurement)
        return [m for pk in unit_ids for m in self._by_unit.get(pk, ())]


def indicator_value(row: dict, indicator: str):
    if indicator == Indicator.OVERDUE_PENDING:
        return int(row["c13"])
    value = row[indicator]
    if value is None:
        return None
    return round(value * 100, 1) if indicator in PERCENT_INDICATORS else round(value, 1)


def objective_evaluate(*, objective: QualityObjective, period: Period) -> Evaluation:
    """Measure `objective` over `period` (its unit as a whole, or each unit under it in force at the period's end)."""
    return objectives_evaluate(pairs=[(objective, period)])[0]


def objectives_evaluate(*, pairs: list[tuple[QualityObjective, Period]]) -> list[Evaluation]:
    """
    Each (objective, period) measured as `objective_evaluate` does, from one aggregate per distinct period
    grouped by unit (`engine.totals_grouped`): a page measuring the objectives of twenty units runs the same
    few queries as for one. An "each unit" objective has one measurement per unit in force at the period's
    end that had dossiers, in the report's order (name, then code). Kept until a record changes
    (qms.core.freshness): the report page measures the same objectives on every view.
    """
    if any(objective.pk is None for objective, _period in pairs):
        return _evaluate(pairs)
    return kept("objectives", [(objective.pk, period) for objective, period in pairs], lambda: _evaluate(pairs))


def _evaluate(pairs: list[tuple[QualityObjective, Period]]) -> list[Evaluation]:
    evaluations = [Evaluation(objective=objective, period=period) for objective, period in pairs]
    by_period: dict[Period, list[int]] = {}
    for index, (_objective, period) in enumerate(pairs):
        by_period.setdefault(period, []).append(index)
    rollups: dict[datetime.date, dict[int, int]] = {}
    results: dict[tuple[int, int | None], dict | None] = {}
    for period, indexes in by_period.items():
        groups: dict[tuple[int, int | None], set[int]] = {}
        for index in indexes:
            objective = pairs[index][0]
            ids = engine.scope_unit_ids([objective.unit])
            if objective.scope == ObjectiveScope.EACH:
                if period.date_to not in rollups:
                    rollups[period.date_to] = Unit.objects.rollup_map(period.date_to)
                rollup = rollups[period.date_to]
                for pk in ids:
                    groups.setdefault((index, rollup.get(pk, pk)), set()).add(pk)
            else:
                groups[(index, None)] = set(ids)
        results.update(engine.totals_grouped(period=period, groups=groups))
    keys = {key for (_index, key), totals in results.items() if key is not None and totals is not None}
    known = unit_graph().units
    units = {pk: known[pk] for pk in keys}
    measured: dict[int, list[tuple[Unit, dict]]] = {}
    for (index, key), totals in results.items():
        if key is None:
            measured.setdefault(index, []).append((pairs[index][0].unit, totals or engine.totals_empty()))
        elif totals is not None:
            measured.setdefault(index, []).append((units[key], totals))
    for index, evaluation in enumerate(evaluations):
        objective = evaluation.objective
        compare = _COMPARE[objective.comparator]
        rows = sorted(measured.get(index, []), key=lambda pair: (fold(pair[0].name), str(pair[0].code)))
        for unit, row in rows:
            value = indicator_value(row, objective.indicator)
            met = None if value is None else compare(Decimal(str(value)), objective.target)
            evaluation.measurements.append(Measurement(unit=unit, value=value, met=met, suffix=objective.value_suffix))
    return evaluations


def current_period(kind: str, today: datetime.date | None = None) -> Period:
    """The period of `kind` that contains today, up to today."""
    today = today or timezone.localdate()
    period = Period.containing(kind, today)
    return Period(period.date_from, min(period.date_to, today))


def objectives_for_user(user, on):
    """The objectives of `user`'s units that are measured on `on` (their unit exists then)."""
    return QualityObjective.objects.for_user(user).measured_on(on).select_related("unit")
