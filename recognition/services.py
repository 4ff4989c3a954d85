"""State changes of the QMS journey: announcements and management reviews."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.core.models import AdministrativeProcedure, QmsStatus, Unit, UnitQmsStatus
from recognition.inputs import gather_review_inputs
from recognition.models import ConformityAnnouncement, ManagementReview, ReviewAction, ReviewActionKind
from recognition.selectors import default_review_period

MSG_EMPTY_SCOPE = _("An announcement covers at least one procedure.")
MSG_SCOPE_LEVEL = _("These procedures are not handled at this unit's level: %(codes)s.")
MSG_UNIT_NOT_IN_FORCE = _("The unit did not exist on the announcement date.")
MSG_OPEN_MAJOR_NC = _(
    "%(unit)s has %(count)s open major nonconformity on %(day)s: its system is not yet effective, so the "
    "announcement cannot be recorded. Close the nonconformity (corrective action and effectiveness check) first."
)
MSG_NOT_READY = _(
    "%(unit)s is %(score)s %% ready on %(day)s. Missing: %(gaps)s. If the announcement has been signed "
    "all the same, tick the confirmation below: the gaps are kept with the record, to be followed up."
)
MSG_REVIEW_ISSUED = _("The minutes of this review are issued; it can no longer be changed.")
MSG_ACTION_RESULT = _("Say what was done before marking the action done.")


def _with_user(instance, by) -> None:
    if by is not None:
        instance._history_user = by


def announcement_gaps(*, unit: Unit, on: datetime.date, confirmed: bool) -> str:
    """
    The readiness check of an announcement (Decision 19/2014: build, apply, then announce). An open major
    nonconformity means the system is not effective yet: refused, whatever is confirmed. Other unmet items
    of the readiness checklist are a warning the recorder must confirm (the decision may already be signed,
    and the record must stay true to it); they are returned, one a line, to be kept with the record.
    """
    from recognition.readiness import unit_readiness  # readiness reads the records this app writes

    readiness = unit_readiness(unit, on)
    majors = readiness.major_nonconformities
    day = on.strftime("%d/%m/%Y")
    if majors:
        raise ValidationError({NON_FIELD_ERRORS: MSG_OPEN_MAJOR_NC % {"unit": unit.name, "count": majors, "day": day}})
    missing = [item for item in readiness.items if not item.ok]
    if missing and not confirmed:
        raise ValidationError({"gaps_confirmed": MSG_NOT_READY % {
            "unit": unit.name, "score": readiness.score, "day": day,
            "gaps": "; ".join(f"{item.short_title} ({item.detail})" if item.detail else item.short_title for item in missing),
        }})
    return "\n".join(f"{item.short_title}: {item.detail}" if item.detail else item.short_title for item in missing)


@transaction.atomic
def announcement_record(
    *,
    unit: Unit,
    announced_on: datetime.date,
    decision_number: str,
    signer_name: str,
    procedures: Iterable[AdministrativeProcedure],
    signer_title: str = "Chủ tịch",
    scope_note: str = "",
    gaps_confirmed: bool = False,
    by=None,
) -> ConformityAnnouncement:
    """
    Record a signed announcement of conformity with its TTHC scope, and mark the unit "announced". The
    unit's readiness on the day is checked first (`announcement_gaps`): an open major nonconformity refuses
    it; other gaps need `gaps_confirmed` and are kept with the record.
    """
    procedures = list(procedures)
    if not procedures:
        raise ValidationError({"scope": MSG_EMPTY_SCOPE})
    if not unit.is_in_force(announced_on):
        raise ValidationError({"announced_on": MSG_UNIT_NOT_IN_FORCE})
    foreign = [p.code for p in procedures if p.level != unit.level]
    if foreign:
        raise ValidationError({"scope": MSG_SCOPE_LEVEL % {"codes": ", ".join(foreign)}})
    gaps = announcement_gaps(unit=unit, on=announced_on, confirmed=gaps_confirmed)
    announcement = ConformityAnnouncement(
        unit=unit, announced_on=announced_on, decision_number=decision_number.strip(), signer_name=signer_name.strip(),
        signer_title=signer_title.strip(), scope_note=scope_note, recorded_by=by, readiness_gaps=gaps,
    )
    announcement.full_clean()
    _with_user(announcement, by)
    announcement.save()
    announcement.scope.set(procedures)
    status = UnitQmsStatus(unit=unit, status=QmsStatus.ANNOUNCED, since=announced_on, decision_number=announcement.decision_number)
    status.full_clean()
    status.save()
    return announcement


def review_create(
    *,
    unit: Unit,
    held_on: datetime.date,
    chair=None,
    chair_title: str = "",
    participants: str = "",
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
    risks_and_opportunities: str = "",
    by=None,
) -> ManagementReview:
    """A draft review; the period defaults to the time since the unit's previous review."""
    default_from, default_to = default_review_period(unit, held_on)
    review = ManagementReview(
        unit=unit, held_on=held_on, chair=chair, chair_title=chair_title, participants=participants,
        period_from=period_from or default_from, period_to=period_to or default_to,
        risks_and_opportunities=risks_and_opportunities,
    )
    review.full_clean()
    _with_user(review, by)
    review.save()
    return review


def review_action_add(
    *, review: ManagementReview, kind: ReviewActionKind, description: str, owner, due_on: datetime.date, by=None
) -> ReviewAction:
    action = ReviewAction(review=review, kind=kind, description=description, owner=owner, due_on=due_on)
    action.full_clean()
    _with_user(action, by)
    action.save()
    return action


def review_issue_minutes(*, review: ManagementReview, by=None) -> ManagementReview:
    """Freeze the gathered inputs in the review and issue its minutes; from now on it cannot change."""
    if review.is_issued:
        raise ValidationError(MSG_REVIEW_ISSUED)
    review.inputs = gather_review_inputs(review)
    review.minutes_issued_at = timezone.now()
    review.full_clean()
    _with_user(review, by)
    review.save()
    return review


def review_action_complete(*, action: ReviewAction, done_on: datetime.date, result: str, by=None) -> ReviewAction:
    if not result.strip():
        raise ValidationError({"result": MSG_ACTION_RESULT})
    action.done_on, action.result = done_on, result.strip()
    action.full_clean()
    _with_user(action, by)
    action.save()
    return action
