"""Reads across apps for the QMS journey: a unit's TTHC scope, re-announcement, review periods."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from qms.core.models import AdministrativeProcedure, Unit
from recognition.models import ConformityAnnouncement, ManagementReview


def unit_procedures(unit: Unit, on: datetime.date):
    """The TTHC a unit handles on a date: those in force at the unit's level (commune, district…)."""
    return AdministrativeProcedure.objects.in_force(on).filter(level=unit.level).order_by("field", "code")


@dataclass
class Reannouncement:
    """Whether a unit must announce again because its TTHC scope changed since its last announcement."""

    last: ConformityAnnouncement | None
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    @property
    def needed(self) -> bool:
        return self.last is not None and bool(self.added or self.removed)


def reannouncement_status(unit: Unit, on: datetime.date) -> Reannouncement:
    last = ConformityAnnouncement.objects.filter(unit=unit, announced_on__lte=on).first()
    if last is None:
        return Reannouncement(last=None)
    announced = set(last.scope.all())
    current = set(unit_procedures(unit, on))
    return Reannouncement(
        last=last,
        added=sorted(current - announced, key=lambda p: p.code),
        removed=sorted(announced - current, key=lambda p: p.code),
    )


def default_review_period(unit: Unit, held_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Since the day after the unit's previous review (or twelve months back), up to the meeting day."""
    previous = ManagementReview.objects.filter(unit=unit, held_on__lt=held_on).order_by("-held_on").first()
    start = previous.held_on + datetime.timedelta(days=1) if previous else held_on - relativedelta(months=12) + datetime.timedelta(days=1)
    return start, held_on
