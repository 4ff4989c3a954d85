"""
Nonconformities from performance and from citizens (ISO 9001 9.1.2, 9.1.3, 10.2). Dossiers: for a period, the units whose quality
objective was not met or whose overdue pending dossiers exceed a threshold are candidates; the quality
officer opens a nonconformity for one, prefilled with the figures and the late dossiers. A unit, an
objective and a period open at most one (service check and database constraint). Citizens: a complaint
or a low rating opens one, at most once per answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.models import NcSource, Nonconformity
from audits.services import nonconformity_open
from qms.core.models import Unit
from qms.dossiers.models import EXCLUDED_STATUSES, Dossier, reach_q
from qms.feedback.models import CitizenFeedback, Rating
from qms.reporting.engine import GroupBy, Period, bieu06
from qms.reporting.models import QualityObjective
from qms.reporting.objectives import objective_evaluate
from recognition.models import PerformanceNonconformity, PerformanceTrigger

#: Overdue pending dossiers at the end of a period above which a unit is a candidate, by default.
DEFAULT_OVERDUE_THRESHOLD = 5
#: Late dossiers listed in the nonconformity's description (the rest are counted).
LISTED_DOSSIERS = 20

MSG_ALREADY_OPENED = gettext_lazy("A nonconformity was already opened for this unit, objective and period.")
MSG_NOTHING_TO_OPEN = gettext_lazy("The figures of this period do not justify a nonconformity.")
MSG_FEEDBACK_ALREADY = gettext_lazy("A nonconformity was already opened for this answer.")
MSG_FEEDBACK_NOT_NEGATIVE = gettext_lazy("Only a complaint or a rating below “neutral” opens a nonconformity.")


@dataclass
class Candidate:
    unit: Unit
    trigger: str
    period: Period
    value: str
    target: str
    objective: QualityObjective | None = None
    opened: PerformanceNonconformity | None = None

    @property
    def title(self) -> str:
        if self.objective is not None:
            return self.objective.title
        return str(PerformanceTrigger.OVERDUE.label)


def _day(value) -> str:
    return date_format(value, "d/m/Y")


def _opened(unit_ids, period: Period) -> dict:
    rows = PerformanceNonconformity.objects.filter(unit_id__in=unit_ids, period_from=period.date_from, period_to=period.date_to)
    return {(r.unit_id, r.trigger, r.objective_id): r for r in rows.select_related("nonconformity")}


def performance_candidates(user, period: Period, *, threshold: int = DEFAULT_OVERDUE_THRESHOLD) -> list[Candidate]:
    """Units of `user`'s scope whose objective was not met in `period`, or with more overdue dossiers than `threshold`."""
    candidates: list[Candidate] = []
    for objective in QualityObjective.objects.for_user(user).measured_on(period.date_to).select_related("unit"):
        for measurement in objective_evaluate(objective=objective, period=period).measurements:
            if measurement.met is False:
                candidates.append(Candidate(
                    unit=measurement.unit, trigger=PerformanceTrigger.OBJECTIVE, period=period,
                    value=measurement.display, target=objective.target_display, objective=objective,
                ))
    units = Unit.objects.for_user(user).in_force(period.date_to).exclude(kind__in=["office", "department", "province"])
    report = bieu06(period=period, units=list(units), group_by=GroupBy.UNIT, as_of=period.date_to, user=user)
    by_pk = Unit.objects.in_bulk([row["key"] for row in report.rows])
    for row in report.rows:
        if row["c13"] > threshold:
            candidates.append(Candidate(
                unit=by_pk[row["key"]], trigger=PerformanceTrigger.OVERDUE, period=period,
                value=str(row["c13"]), target=f"≤ {threshold}",
            ))
    opened = _opened({c.unit.pk for c in candidates}, period)
    for candidate in candidates:
        candidate.opened = opened.get((candidate.unit.pk, candidate.trigger, candidate.objective.pk if candidate.objective else None))
    return sorted(candidates, key=lambda c: (c.unit.name, c.trigger, c.title))


def late_dossiers(unit: Unit, period: Period):
    """The unit's (and its predecessors') dossiers resolved late in the period or pending past due at its end."""
    unit_ids = Unit.objects.covered_by([unit]).values_list("pk", flat=True)
    resolved_late = Q(result_on__range=(period.date_from, period.date_to), result_on__gt=F("due_on"))
    pending_overdue = (Q(closed_on__isnull=True) | Q(closed_on__gt=period.date_to)) & Q(
        received_on__lte=period.date_to, due_on__lt=period.date_to)
    return (
        Dossier.objects.filter(unit_id__in=unit_ids).exclude(status__in=EXCLUDED_STATUSES)
        .filter(reach_q(period.date_from, period.date_to))  # the period's index ranges, not the whole history
        .filter(resolved_late | pending_overdue).select_related("procedure").order_by("due_on", "code")
    )


def _description(candidate: Candidate) -> str:
    period = f"{_day(candidate.period.date_from)} – {_day(candidate.period.date_to)}"
    if candidate.objective is not None:
        head = _("Quality objective “%(objective)s” not met in the period %(period)s: result %(value)s, target %(target)s.") % {
            "objective": candidate.objective.title, "period": period, "value": candidate.value, "target": candidate.target}
    else:
        head = _("%(count)s dossiers pending past their due date at the end of the period %(period)s (threshold %(target)s).") % {
            "count": candidate.value, "period": period, "target": candidate.target}
    dossiers = list(late_dossiers(candidate.unit, candidate.period)[: LISTED_DOSSIERS + 1])
    lines = [head, "", _("Late dossiers:")]
    for dossier in dossiers[:LISTED_DOSSIERS]:
        if dossier.result_on and dossier.result_on <= candidate.period.date_to:
            state = _("due %(due)s, resolved %(resolved)s") % {"due": _day(dossier.due_on), "resolved": _day(dossier.result_on)}
        else:
            state = _("due %(due)s, not yet resolved") % {"due": _day(dossier.due_on)}
        lines.append(f"- {dossier.code} ({dossier.procedure.code}): {state}")
    if len(dossiers) > LISTED_DOSSIERS:
        total = late_dossiers(candidate.unit, candidate.period).count()
        lines.append(_("… and %(more)s more.") % {"more": total - LISTED_DOSSIERS})
    return "\n".join(lines)


@transaction.atomic
def performance_nonconformity_open(
    *, user, unit: Unit, period: Period, by, objective: QualityObjective | None = None,
    threshold: int = DEFAULT_OVERDUE_THRESHOLD,
) -> Nonconformity:
    """
    Open the nonconformity for `unit`'s performance in `period` (its `objective` not met, or, without an
    objective, its overdue dossiers above `threshold`). The figures are computed again here, from `user`'s
    scope: what the screen showed is not trusted. At most once per unit, objective and period.
    """
    trigger = PerformanceTrigger.OBJECTIVE if objective is not None else PerformanceTrigger.OVERDUE
    match = [
        c for c in performance_candidates(user, period, threshold=threshold)
        if c.unit.pk == unit.pk and c.trigger == trigger and (c.objective == objective)
    ]
    if not match:
        raise ValidationError(MSG_NOTHING_TO_OPEN)
    candidate = match[0]
    if candidate.opened is not None:
        raise ValidationError(MSG_ALREADY_OPENED)
    nc = nonconformity_open(
        unit=unit, source=NcSource.PROCESS_MONITORING if objective else NcSource.LATE_DOSSIER,
        description=_description(candidate), detected_on=timezone.localdate(), by=by,
        source_reference=_("Dossier performance %(from)s – %(to)s") % {
            "from": _day(period.date_from), "to": _day(period.date_to)},
    )
    try:
        with transaction.atomic():
            PerformanceNonconformity.objects.create(
                nonconformity=nc, unit=unit, trigger=trigger, objective=objective, period_from=period.date_from,
                period_to=period.date_to, value=candidate.value, opened_by=by,
            )
    except IntegrityError as exc:  # another officer opened it in the meantime
        raise ValidationError(MSG_ALREADY_OPENED) from exc
    return nc


# --- citizen feedback -------------------------------------------------------------------------------

def _feedback_nonconformities(feedback_ids) -> dict:
    content_type = ContentType.objects.get_for_model(CitizenFeedback)
    rows = Nonconformity.objects.filter(source_content_type=content_type, source_object_id__in=[str(i) for i in feedback_ids])
    return {int(nc.source_object_id): nc for nc in rows}


def negative_feedback(user, period: Period):
    """Complaints and low ratings of `user`'s units in `period`, each with the nonconformity opened for it, if any."""
    answers = list(
        CitizenFeedback.objects.for_user(user).between(period.date_from, period.date_to).complaints_or_low()
        .select_related("unit").order_by("-submitted_at")
    )
    opened = _feedback_nonconformities([a.pk for a in answers])
    for answer in answers:
        answer.nonconformity = opened.get(answer.pk)
    return answers


@transaction.atomic
def feedback_nonconformity_open(*, feedback: CitizenFeedback, by) -> Nonconformity:
    """Open a nonconformity (source: citizen complaint) from a complaint or a low rating, once per answer."""
    if not (feedback.is_complaint or feedback.rating < Rating.NEUTRAL):
        raise ValidationError(MSG_FEEDBACK_NOT_NEGATIVE)
    if _feedback_nonconformities([feedback.pk]):
        raise ValidationError(MSG_FEEDBACK_ALREADY)
    description = _("Citizen feedback of %(day)s, rating %(rating)s/5: %(comment)s") % {
        "day": _day(feedback.submitted_on), "rating": feedback.rating, "comment": feedback.comment or "–"}
    return nonconformity_open(
        unit=feedback.unit, source=NcSource.COMPLAINT, description=description, detected_on=timezone.localdate(),
        by=by, source_reference=feedback.dossier_code, source_object=feedback,
    )
