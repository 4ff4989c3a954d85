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
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qms.core.models import Unit
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


#: The readiness checks, in the order a unit meets them; each takes (unit, day, the units it covers).
CHECKS: list[Callable[[Unit, datetime.date, frozenset[int]], ReadinessItem]] = [management_review]


def unit_readiness(unit: Unit, on: datetime.date) -> Readiness:
    unit_ids = frozenset(Unit.objects.covered_by([unit]).values_list("pk", flat=True))
    return Readiness(unit=unit, on=on, items=[check(unit, on, unit_ids) for check in CHECKS])
