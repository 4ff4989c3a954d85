"""
How far a unit is from announcing conformity (and from keeping it): each readiness item is computed
from the data on a given day, links to its evidence, and says what to do next in plain Vietnamese.
Items follow Decision 19/2014 Art. 4 and ISO 9001: policy and objectives, a procedure for every TTHC,
documents current, an internal audit covering clauses 4–10 within 12 months, no open major or
overdue nonconformity, a management review within 12 months, objectives measured.

"Within 12 months" is to the day: on 27/11/2026 an event of 27/11/2025 counts, one of 26/11/2025 not.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qms.core.models import Unit
from qms.reporting.engine import Period
from qms.reporting.models import ObjectiveScope, QualityObjective
from qms.reporting.objectives import objective_evaluate
from recognition.models import ManagementReview


def twelve_months_before(on: datetime.date) -> datetime.date:
    """The first day that still counts as "within 12 months" of `on`."""
    return on - relativedelta(months=12)


@dataclass
class ReadinessItem:
    key: str
    title: str
    ok: bool
    detail: str = ""
    next_step: str = ""
    evidence_url: str = ""


@dataclass
class Readiness:
    unit: Unit
    on: datetime.date
    items: list[ReadinessItem] = field(default_factory=list)

    @property
    def score(self) -> int:
        """Per cent of the items met."""
        return round(100 * sum(item.ok for item in self.items) / len(self.items)) if self.items else 0

    @property
    def next_steps(self) -> list[str]:
        return [item.next_step for item in self.items if not item.ok and item.next_step]

    def item(self, key: str) -> ReadinessItem:
        return next(i for i in self.items if i.key == key)


def _day(value: datetime.date) -> str:
    return date_format(value, "d/m/Y")


def management_review(unit: Unit, on: datetime.date, unit_ids: frozenset[int]) -> ReadinessItem:
    """A management review held within 12 months, by the unit itself (its minutes issued or not)."""
    since = twelve_months_before(on)
    last = ManagementReview.objects.filter(unit=unit, held_on__lte=on).order_by("-held_on").first()
    title = _("Management review within 12 months")
    if last and last.held_on >= since:
        return ReadinessItem(
            "management_review", title, True,
            detail=_("Last review on %(day)s.") % {"day": _day(last.held_on)},
            evidence_url=reverse("reviews:inspect", args=[last.pk]),
        )
    detail = _("Last review on %(day)s.") % {"day": _day(last.held_on)} if last else _("No management review yet.")
    return ReadinessItem(
        "management_review", title, False, detail=detail,
        next_step=_("Hold a management review chaired by the leader and issue its minutes."),
        evidence_url=reverse("reviews:add"),
    )


def last_complete_period(kind: str, on: datetime.date) -> Period:
    """The latest month / quarter / 6 months / year that has ended by `on` (inclusive)."""
    period = Period.containing(kind, on)
    return period if period.date_to <= on else Period.containing(kind, period.date_from - datetime.timedelta(days=1))


def _ancestors(unit: Unit) -> list[int]:
    ids, parent = [], unit.parent
    while parent is not None:
        ids.append(parent.pk)
        parent = parent.parent
    return ids


def objectives_measured(unit: Unit, on: datetime.date, unit_ids: frozenset[int]) -> ReadinessItem:
    """Quality objectives apply to the unit (its own, or its district's "each unit" ones) and each was
    measurable on the dossier records of its last complete period."""
    title = _("Quality objectives measured for the last period")
    objectives = list(
        QualityObjective.objects.active()
        .filter(Q(unit=unit) | Q(unit_id__in=_ancestors(unit), scope=ObjectiveScope.EACH))
        .select_related("unit")
    )
    if not objectives:
        return ReadinessItem(
            "objectives", title, False, detail=_("No quality objective applies to this unit."),
            next_step=_("Set measurable quality objectives (e.g. on-time rate at least 98 per cent) and a plan to reach them."),
            evidence_url=reverse("qualityobjective:add"),
        )
    met = not_met = unmeasured = 0
    for objective in objectives:
        evaluation = objective_evaluate(objective=objective, period=last_complete_period(objective.period_kind, on))
        mine = [m for m in evaluation.measurements if m.unit.pk in unit_ids] if objective.scope == ObjectiveScope.EACH \
            else evaluation.measurements
        if not mine or all(m.met is None for m in mine):
            unmeasured += 1
        elif all(m.met for m in mine if m.met is not None):
            met += 1
        else:
            not_met += 1
    detail = _("%(count)s objectives: %(met)s met, %(not_met)s not met, %(unmeasured)s without data.") % {
        "count": len(objectives), "met": met, "not_met": not_met, "unmeasured": unmeasured}
    return ReadinessItem(
        "objectives", title, unmeasured == 0, detail=detail,
        next_step="" if unmeasured == 0 else _("Import the dossier records of the last period so the objectives can be measured."),
        evidence_url=reverse("qualityobjective:index"),
    )


#: The readiness checks, in the order a unit meets them; each takes (unit, day, the units it covers).
CHECKS: list[Callable[[Unit, datetime.date, frozenset[int]], ReadinessItem]] = [management_review, objectives_measured]


def unit_readiness(unit: Unit, on: datetime.date) -> Readiness:
    unit_ids = frozenset(Unit.objects.covered_by([unit]).values_list("pk", flat=True))
    return Readiness(unit=unit, on=on, items=[check(unit, on, unit_ids) for check in CHECKS])
