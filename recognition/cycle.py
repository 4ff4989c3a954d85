"""
The annual cycle (Decision 19/2014, Art. 4): every unit audits itself and holds a management review at
least once a year, and updates its documents within 3 months of a change in the legal basis. Units
without an audit or review in the last 11 months (a month's warning) and documents past the legal-update
window are listed on screen and e-mailed to the quality officers covering them, once a month.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from audits.models import Audit, AuditStatus
from procedures_docs.models import ReviewDemand
from qms.core.models import Unit
from qms.core.models.units import unit_ids_for_user
from qms.core.roles import Role
from qms.risks.selectors import readiness_facts
from recognition.models import CycleReminderLog, ManagementReview
from recognition.readiness import OVERVIEW_KINDS

WARNING_MONTHS = 11


@dataclass
class CycleGaps:
    """What the annual cycle misses on a day, within some units."""

    no_audit: list[tuple[Unit, datetime.date | None]] = field(default_factory=list)
    no_review: list[tuple[Unit, datetime.date | None]] = field(default_factory=list)
    legal_updates: list[ReviewDemand] = field(default_factory=list)
    #: The yearly reviews of the context register and of the risk register (qms.risks).
    no_context_review: list[tuple[Unit, datetime.date | None]] = field(default_factory=list)
    no_risk_review: list[tuple[Unit, datetime.date | None]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.no_audit or self.no_review or self.legal_updates or self.no_context_review or self.no_risk_review)


def cycle_gaps(unit_ids, on: datetime.date) -> CycleGaps:
    since = on - relativedelta(months=WARNING_MONTHS)
    gaps = CycleGaps()
    units = Unit.objects.filter(pk__in=unit_ids).in_force(on).filter(kind__in=OVERVIEW_KINDS).order_by("name")
    registers = readiness_facts([unit.pk for unit in units], on)
    for unit in units:
        facts = registers[unit.pk]
        if facts.last_context_review is None or facts.last_context_review < since:
            gaps.no_context_review.append((unit, facts.last_context_review))
        if facts.last_assessment is None or facts.last_assessment < since:
            gaps.no_risk_review.append((unit, facts.last_assessment))
        last_audit = (
            Audit.objects.filter(unit=unit, status__in=[AuditStatus.REPORTED, AuditStatus.CLOSED])
            .annotate(done_on=Coalesce("actual_end", "actual_start")).filter(done_on__lte=on)
            .order_by("-done_on").values_list("done_on", flat=True).first()
        )
        if last_audit is None or last_audit < since:
            gaps.no_audit.append((unit, last_audit))
        last_review = ManagementReview.objects.filter(unit=unit, held_on__lte=on).order_by("-held_on").values_list(
            "held_on", flat=True).first()
        if last_review is None or last_review < since:
            gaps.no_review.append((unit, last_review))
    gaps.legal_updates = list(
        ReviewDemand.objects.filter(document__owner_unit_id__in=unit_ids, met_by__isnull=True, due_on__lt=on,
                                    document__withdrawal__isnull=True)
        .select_related("document", "procedure").order_by("due_on")
    )
    return gaps


def send_cycle_reminders(*, on: datetime.date) -> int:
    """E-mail each quality officer the gaps of their units, at most once per calendar month. Returns mails sent."""
    month = on.replace(day=1)
    sent = 0
    officers = get_user_model().objects.filter(is_active=True, groups__name=Role.QUALITY_OFFICER.value).exclude(email="")
    for officer in officers.distinct():
        gaps = cycle_gaps(unit_ids_for_user(officer), on)
        if not gaps or CycleReminderLog.objects.filter(user=officer, month=month).exists():
            continue
        try:
            with transaction.atomic():
                CycleReminderLog.objects.create(user=officer, month=month)
                body = render_to_string("recognition/email/cycle_reminder.txt", {"user": officer, "gaps": gaps, "on": on})
                send_mail(_("Annual QMS cycle: what is due"), body, settings.DEFAULT_FROM_EMAIL, [officer.email])
        except IntegrityError:
            continue  # another run logged this month's reminder meanwhile
        sent += 1
    return sent
