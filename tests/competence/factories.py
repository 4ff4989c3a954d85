"""Training records for tests: `certify` gives someone a valid internal-auditor certificate."""

import datetime

from qms.competence.models import INTERNAL_AUDITOR, CompetenceRequirement, TrainingRecord
from qms.core.models import Membership, Unit


def train(user, code: str, *, unit=None, completed_on=datetime.date(2000, 1, 1), expires_on=None, **fields) -> TrainingRecord:
    """A training record of `user` meeting the requirement `code`, written directly (no service rules)."""
    if unit is None:
        membership = Membership.objects.filter(user=user).select_related("unit").first()
        unit = membership.unit if membership else Unit.objects.order_by("pk").first()
    record = TrainingRecord.objects.create(
        person=user, unit=unit, course=fields.pop("course", f"Khóa {code}"), completed_on=completed_on,
        expires_on=expires_on, **fields,
    )
    record.requirements.add(CompetenceRequirement.objects.get(code=code))
    return record


def certify(user, **kwargs) -> TrainingRecord | None:
    """An internal-auditor certificate valid from 2000 with no expiry (what audit tests assume of an auditor)."""
    if not Unit.objects.exists():
        return None
    return train(user, INTERNAL_AUDITOR, **kwargs)
