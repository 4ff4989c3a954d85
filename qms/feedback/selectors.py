"""Reads of citizen feedback: the satisfaction indicator for reports and the management review."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Avg, Count, Q

from qms.feedback.models import SATISFIED_FROM, CitizenFeedback


@dataclass(frozen=True)
class Satisfaction:
    answers: int
    satisfied: int
    complaints: int
    average_rating: float | None

    @property
    def rate(self) -> float | None:
        """Share of answers rated satisfied or better; None (shown "–") when nobody answered."""
        return self.satisfied / self.answers if self.answers else None


def _summary(row: dict) -> Satisfaction:
    return Satisfaction(
        answers=row["answers"] or 0,
        satisfied=row["satisfied"] or 0,
        complaints=row["complaints"] or 0,
        average_rating=float(row["average"]) if row["average"] is not None else None,
    )


_AGGREGATES = {
    "answers": Count("pk"),
    "satisfied": Count("pk", filter=Q(rating__gte=SATISFIED_FROM)),
    "complaints": Count("pk", filter=Q(is_complaint=True)),
    "average": Avg("rating"),
}


def satisfaction_summary(*, unit_ids: Iterable[int], date_from: datetime.date, date_to: datetime.date) -> Satisfaction:
    """The satisfaction indicator of the given units over [date_from, date_to] (local days, inclusive)."""
    rows = CitizenFeedback.objects.filter(unit_id__in=list(unit_ids)).between(date_from, date_to)
    return _summary(rows.aggregate(**_AGGREGATES))


def satisfaction_by_unit(
    *, unit_ids: Iterable[int], date_from: datetime.date, date_to: datetime.date
) -> dict[int, Satisfaction]:
    """The same indicator per unit id (units without answers are absent)."""
    rows = (
        CitizenFeedback.objects.filter(unit_id__in=list(unit_ids))
        .between(date_from, date_to)
        .values("unit_id")
        .annotate(**_AGGREGATES)
    )
    return {row["unit_id"]: _summary(row) for row in rows}
