"""
What the nonconformity process tells whom (through `qms.notifications`, docs/notifications.md):

- a nonconformity is opened against a unit → the unit's quality officer and leader;
- the daily run: a corrective action past due, or a nonconformity past due without any corrective
  action → escalated to the same people (the person responsible for an action also gets
  `send_action_reminders`' daily reminder).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from qms.core.roles import Role
from qms.core.text import person_name
from qms.notifications.models import NotificationKind
from qms.notifications.services import notify, unit_role_holders


def unit_officers(unit) -> list:
    """The quality officers and leaders of `unit`, each role from the nearest level that has one."""
    return unit_role_holders(unit, Role.QUALITY_OFFICER) + unit_role_holders(unit, Role.LEADER)


def _link(nc) -> str:
    return reverse("nonconformities:detail", args=[nc.pk])


def nc_opened_notify(*, nc, by) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[ISO] Nonconformity %(reference)s opened: %(unit)s") % {"reference": nc.reference, "unit": nc.unit.name}
        body = _("%(severity)s, detected on %(detected)s by %(name)s. Corrective action due %(due)s.") % {
            "severity": nc.get_severity_display(), "detected": nc.detected_on.strftime("%d/%m/%Y"),
            "name": person_name(nc.detected_by), "due": nc.due_on.strftime("%d/%m/%Y"),
        }
        body += "\n" + Truncator(nc.description).chars(300)
    notify(
        recipients=unit_officers(nc.unit), exclude=[by], kind=NotificationKind.NC_OPENED, key=f"nc-opened:{nc.pk}",
        subject=subject, body=body, link=_link(nc), unit=nc.unit,
    )


def overdue_escalate(*, today: datetime.date) -> None:
    """The daily check: overdue corrective actions and overdue nonconformities without any action, once
    each per due date (a new due date that passes is escalated again)."""
    from audits.models import CorrectiveAction, NcStatus, Nonconformity

    actions = (
        CorrectiveAction.objects.overdue(today).exclude(nonconformity__status=NcStatus.CLOSED)
        .select_related("nonconformity__unit", "responsible").order_by("due_on", "pk")
    )
    for action in actions:
        nc = action.nonconformity
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[ISO] Corrective action overdue: %(reference)s (%(unit)s)") % {
                "reference": nc.reference, "unit": nc.unit.name}
            body = _("“%(action)s”, responsible %(name)s, was due on %(due)s: %(days)s day(s) late.") % {
                "action": Truncator(action.description).chars(200), "name": person_name(action.responsible),
                "due": action.due_on.strftime("%d/%m/%Y"), "days": (today - action.due_on).days,
            }
        notify(
            recipients=unit_officers(nc.unit), exclude=[action.responsible], kind=NotificationKind.ACTION_OVERDUE,
            key=f"action-overdue:{action.pk}:{action.due_on.isoformat()}", subject=subject, body=body, link=_link(nc),
            unit=nc.unit,
        )
    bare = Nonconformity.objects.overdue(today).filter(actions__isnull=True).select_related("unit").order_by("due_on", "pk")
    for nc in bare:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[ISO] Nonconformity %(reference)s overdue without corrective action (%(unit)s)") % {
                "reference": nc.reference, "unit": nc.unit.name}
            body = _("Corrective action was due on %(due)s (%(days)s day(s) ago) and none is planned.") % {
                "due": nc.due_on.strftime("%d/%m/%Y"), "days": (today - nc.due_on).days}
            body += "\n" + Truncator(nc.description).chars(200)
        notify(
            recipients=unit_officers(nc.unit), kind=NotificationKind.NC_WITHOUT_ACTION,
            key=f"nc-without-action:{nc.pk}:{nc.due_on.isoformat()}", subject=subject, body=body, link=_link(nc),
            unit=nc.unit,
        )
