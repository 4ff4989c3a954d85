"""State changes of competence records (STYLE habit 3): keyword-only, `full_clean()` before saving,
the acting user on the history row (django-simple-history) and in Wagtail's log."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from qms.competence.models import CompetenceRequirement, RequirementKind, TrainingRecord
from qms.core.models import Membership
from qms.core.text import person_name

MSG_NOT_A_MEMBER = _("%(person)s does not work in %(unit)s.")
MSG_NO_REQUIREMENT = _("Choose at least one requirement that the training meets.")
MSG_NOT_TRAINING = _("“%(name)s” is met by reading the unit's procedures, not by a training record.")
MSG_ALREADY_WITHDRAWN = _("The record is already withdrawn.")
MSG_WITHDRAWAL_REASON = _("Give the reason for the withdrawal.")
MSG_FUTURE = _("The date cannot be in the future.")


def computed_expiry(*, completed_on: datetime.date, requirements: Iterable[CompetenceRequirement]) -> datetime.date | None:
    """The last valid day of a training completed on `completed_on`: the shortest validity among the
    requirements it meets (none: it never expires). 36 months from 15/03/2024 is valid until 14/03/2027."""
    months = [r.validity_months for r in requirements if r.validity_months]
    if not months:
        return None
    return completed_on + relativedelta(months=min(months)) - datetime.timedelta(days=1)


@transaction.atomic
def training_record_save(*, record: TrainingRecord, requirements: Iterable[CompetenceRequirement], by) -> TrainingRecord:
    """Create or change a training record; an empty expiry is computed from the requirements' validity, and a
    computed one follows a changed completion date or requirements (a typed one stays)."""
    requirements = list(requirements)
    errors = {}
    if not requirements:
        errors["requirements"] = [ValidationError(MSG_NO_REQUIREMENT)]
    for requirement in requirements:
        if requirement.kind != RequirementKind.TRAINING:
            errors.setdefault("requirements", []).append(ValidationError(MSG_NOT_TRAINING, params={"name": requirement.name}))
    if record.person_id and record.unit_id and not Membership.objects.filter(user_id=record.person_id, unit_id=record.unit_id).exists():
        errors["person"] = [ValidationError(MSG_NOT_A_MEMBER, params={"person": person_name(record.person), "unit": record.unit.name})]
    if record.completed_on and record.completed_on > timezone.localdate():
        errors["completed_on"] = [ValidationError(MSG_FUTURE)]
    if errors:
        raise ValidationError(errors)
    created = record.pk is None
    if not created:
        before = TrainingRecord.objects.get(pk=record.pk)
        if record.expires_on == computed_expiry(completed_on=before.completed_on, requirements=before.requirements.all()):
            record.expires_on = None  # left as computed, not typed: compute it from the new date and requirements
    if record.expires_on is None and record.completed_on:
        record.expires_on = computed_expiry(completed_on=record.completed_on, requirements=requirements)
    if created:
        record.recorded_by = by
    record._history_user = by
    record.full_clean()
    record.save()
    record.requirements.set(requirements)
    log(record, "wagtail.create" if created else "wagtail.edit", user=by)
    return record


@transaction.atomic
def training_record_withdraw(*, record: TrainingRecord, reason: str, by, on: datetime.date | None = None) -> TrainingRecord:
    """Withdraw a record (entered by mistake, certificate revoked): kept, but it stops counting from `on`."""
    if record.withdrawn_on:
        raise ValidationError(MSG_ALREADY_WITHDRAWN)
    if not reason.strip():
        raise ValidationError({"withdrawal_reason": MSG_WITHDRAWAL_REASON})
    record.withdrawn_on = on or timezone.localdate()
    record.withdrawal_reason = reason.strip()
    record._history_user = by
    record.full_clean()
    record.save()
    log(record, "competence.withdraw", user=by)
    return record
