"""
What competence tells whom (through `qms.notifications`, docs/notifications.md): the daily run finds
certificates that expire within QMS_COMPETENCE_EXPIRING_DAYS with no later one of the same requirement
to replace them, and tells the person and their unit's quality officer, once per certificate.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from qms.competence.models import TrainingRecord
from qms.competence.selectors import EXPIRING, _training_status, expiring_days, training_expiries
from qms.core.roles import Role
from qms.core.text import person_name
from qms.notifications.models import NotificationKind
from qms.notifications.services import notify, unit_role_holders


def expiring_certificates_notify(*, today: datetime.date) -> None:
    """The daily check: each certificate that is the person's last valid one for a requirement and expires
    within the setting's days is announced once (its key names the record and its expiry date)."""
    until = today + datetime.timedelta(days=expiring_days())
    records = list(
        TrainingRecord.objects.valid_on(today).filter(expires_on__lte=until)
        .select_related("person", "unit").prefetch_related("requirements").order_by("expires_on", "pk")
    )
    if not records:
        return
    expiries = training_expiries({r.person_id for r in records}, {q.pk for r in records for q in r.requirements.all()}, today)
    for record in records:
        requirements = [
            q for q in record.requirements.all()
            if _training_status(expiries.get((record.person_id, q.pk), []), today).status == EXPIRING
            and max(expiries[(record.person_id, q.pk)]) == record.expires_on
        ]
        if not requirements:
            continue  # a later certificate already replaces it
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[ISO] Certificate expiring on %(day)s: %(person)s") % {
                "day": record.expires_on.strftime("%d/%m/%Y"), "person": person_name(record.person)}
            body = _("%(course)s (%(requirements)s) is valid until %(day)s. Plan the renewal training.") % {
                "course": record.course, "requirements": ", ".join(q.name for q in requirements),
                "day": record.expires_on.strftime("%d/%m/%Y")}
        notify(
            recipients=[record.person, *unit_role_holders(record.unit, Role.QUALITY_OFFICER)],
            kind=NotificationKind.CERTIFICATE_EXPIRING, key=f"certificate-expiring:{record.pk}:{record.expires_on:%Y%m%d}",
            subject=subject, body=body, link=reverse("trainingrecords:inspect", args=[record.pk]), unit=record.unit,
        )
