"""
What the risk register tells whom (through `qms.notifications`, docs/notifications.md): the daily run
reminds the owner of a treatment action due within 7 days, and again once it is overdue, each once
per due date (a new due date is a new event).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from qms.notifications.models import NotificationKind
from qms.notifications.services import notify

#: Days before the due date when the owner is first reminded.
DUE_SOON_DAYS = 7


def risk_actions_remind(*, today: datetime.date) -> None:
    from .models import RiskAction, RiskStatus

    actions = (
        RiskAction.objects.open().filter(risk__status=RiskStatus.OPEN, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .select_related("risk__unit", "owner").order_by("due_on", "pk")
    )
    for action in actions:
        overdue = action.due_on < today
        with translation.override(settings.LANGUAGE_CODE):
            if overdue:
                subject = _("[ISO] Action on a risk overdue: %(risk)s (%(unit)s)")
            else:
                subject = _("[ISO] Action on a risk due on %(due)s: %(risk)s (%(unit)s)")
            subject %= {"risk": Truncator(action.risk.title).chars(80), "unit": action.risk.unit.name,
                        "due": action.due_on.strftime("%d/%m/%Y")}
            body = _("“%(action)s” is due on %(due)s. Record what was done when it is complete.") % {
                "action": Truncator(action.description).chars(200), "due": action.due_on.strftime("%d/%m/%Y")}
        event = "overdue" if overdue else "due"
        notify(
            recipients=[action.owner], kind=NotificationKind.RISK_ACTION_DUE,
            key=f"risk-action-{event}:{action.pk}:{action.due_on.isoformat()}", subject=subject, body=body,
            link=reverse("risk_actions:complete", args=[action.pk]), unit=action.risk.unit,
        )
