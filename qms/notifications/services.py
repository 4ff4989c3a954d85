"""
The one way the system tells people something (docs/notifications.md).

- `notify(...)` records what each recipient is told about an event, once per recipient and event, and
  only to recipients whose units cover the record's unit. Recipients who chose "immediately" are mailed
  when the transaction commits (nothing is said about an event that was rolled back).
- `notifications_daily(today=...)` runs the checks the apps registered (overdue actions, documents due
  for review…), then mails everything still pending: one e-mail per person. `manage.py send_notifications`
  calls it once a day (deploy/qms-notify.timer); a second run the same day sends nothing new.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from qms.core.models import Unit
from qms.core.models.units import unit_ids_for_user
from qms.core.roles import Role

from .models import Delivery, Notification, NotificationPreference, absolute_url

logger = logging.getLogger(__name__)


# --- preferences ---------------------------------------------------------------------------------

def delivery_for(user) -> str:
    """The user's chosen delivery; "immediately" until they choose."""
    found = NotificationPreference.objects.filter(user=user).values_list("delivery", flat=True).first()
    return found or Delivery.IMMEDIATE


def preference_save(*, user, delivery: str) -> NotificationPreference:
    preference = NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
    preference.delivery = delivery
    preference.full_clean()
    preference.save()
    return preference


# --- recipients ----------------------------------------------------------------------------------

def covers(user, unit: Unit | int | None) -> bool:
    """Whether `user` may see records of `unit` (the scoping rule of every list)."""
    if unit is None or user.is_superuser:
        return True
    return (unit if isinstance(unit, int) else unit.pk) in unit_ids_for_user(user)


def unit_role_holders(unit: Unit, *roles: Role, can: Callable | None = None) -> list:
    """
    The active holders of `roles` who cover `unit` (and pass `can`, if given), nearest first: when some
    are members of the unit itself or of the unit that now carries its history, only those; otherwise
    everyone covering it (the district's officers for a commune that has none of its own).
    """
    users = (
        get_user_model().objects.filter(is_active=True, groups__name__in=[role.value for role in roles])
        .prefetch_related("memberships").distinct().order_by("username")
    )
    covering = [user for user in users if covers(user, unit) and (can is None or can(user))]
    own = {unit.pk, unit.successor_as_of(timezone.localdate()).pk}
    nearest = [user for user in covering if any(m.unit_id in own for m in user.memberships.all())]
    return nearest or covering


# --- recording -----------------------------------------------------------------------------------

_muted = contextvars.ContextVar("qms_notifications_muted", default=False)
#: Set while the daily run records its notifications: it mails them itself, one e-mail per person.
_batched = contextvars.ContextVar("qms_notifications_batched", default=False)


@contextlib.contextmanager
def notifications_muted():
    """Tell nobody about what happens inside (the demo's back-dated history)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def notify(
    *, recipients: Iterable, kind: str, key: str, subject: str, link: str, body: str = "",
    unit: Unit | None = None, exclude: Iterable = (),
) -> list[Notification]:
    """
    Tell each of `recipients` (but those in `exclude`) about the event named `key`, with a link (a path)
    to the record of `unit`. Recipients outside the unit are left out; a recipient already told about
    `key` is not told again. Returns the notifications created.
    """
    if _muted.get():
        return []
    excluded = {getattr(user, "pk", user) for user in exclude if user is not None}
    created = []
    seen = set()
    for user in recipients:
        if user is None or user.pk in excluded or user.pk in seen or not user.is_active or not covers(user, unit):
            continue
        seen.add(user.pk)
        if Notification.objects.filter(recipient=user, key=key).exists():
            continue
        notification = Notification(
            recipient=user, kind=kind, key=key, unit=unit, subject=subject[:300], body=body, link=link,
            delivery=delivery_for(user),
        )
        notification.full_clean()
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            continue  # a concurrent request told them meanwhile
        created.append(notification)
    immediate = [n.pk for n in created if n.delivery == Delivery.IMMEDIATE]
    if immediate and not _batched.get():
        transaction.on_commit(lambda: notifications_send(ids=immediate), robust=True)
    return created


# --- sending -------------------------------------------------------------------------------------

@dataclass
class SendReport:
    emails: int = 0
    notifications: int = 0
    #: Users with pending notifications and no e-mail address (kept pending).
    without_email: list[str] = field(default_factory=list)
    #: Users whose mail failed (kept pending: the next run tries again).
    failed: list[str] = field(default_factory=list)


class _AlreadySent(Exception):
    pass


def notifications_send(*, ids: Iterable[int] | None = None, now: datetime.datetime | None = None) -> SendReport:
    """
    Mail pending notifications (those of `ids`, or all), one e-mail per recipient; each notification
    is marked sent in the transaction that sends it, so it is mailed once even when two runs overlap.
    A notification about a unit the recipient no longer covers is withheld.
    """
    now = now or timezone.now()
    report = SendReport()
    pending = Notification.objects.pending()
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    User = get_user_model()
    for recipient_id in sorted(set(pending.values_list("recipient_id", flat=True))):
        user = User.objects.get(pk=recipient_id)
        if not user.email:
            report.without_email.append(user.get_username())
            continue
        rows = list(pending.filter(recipient=user).select_related("unit").order_by("created_at", "pk"))
        withheld = [n.pk for n in rows if not user.is_active or not covers(user, n.unit_id)]
        if withheld:
            Notification.objects.filter(pk__in=withheld).update(delivery=Delivery.OFF)
            rows = [n for n in rows if n.pk not in withheld]
        if not rows:
            continue
        try:
            with transaction.atomic():
                claimed = Notification.objects.filter(pk__in=[n.pk for n in rows], sent_at__isnull=True).update(sent_at=now)
                if claimed != len(rows):
                    raise _AlreadySent
                subject, body = render_mail(user=user, notifications=rows, now=now)
                send_mail(subject, body, None, [user.email])
        except _AlreadySent:
            continue
        except (OSError, smtplib.SMTPException):
            logger.exception("Notification mail to %s failed", user.email)
            report.failed.append(user.get_username())
            continue
        report.emails += 1
        report.notifications += len(rows)
    return report


def render_mail(*, user, notifications: list[Notification], now: datetime.datetime) -> tuple[str, str]:
    """The Vietnamese subject and text of one e-mail to `user` about `notifications`."""
    context = {
        "user": user, "notifications": notifications, "today": timezone.localdate(now),
        "settings_url": absolute_url(reverse("wagtailadmin_account")),
        "list_url": absolute_url(reverse("notifications_list")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        body = render_to_string("notifications/email/message.txt", context)
    return " ".join(subject.split()), body


# --- the daily run -------------------------------------------------------------------------------

#: Functions `(today) -> None` that record the day's notifications (overdue actions, reviews due…);
#: the apps register theirs in AppConfig.ready() (core and this app cannot import them).
_daily_checks: list[Callable[..., None]] = []


def register_daily_check(check: Callable[..., None]) -> None:
    """Add a check run by `notifications_daily` (idempotent)."""
    if check not in _daily_checks:
        _daily_checks.append(check)


def notifications_daily(*, today: datetime.date | None = None) -> SendReport:
    """Run every registered check for `today`, then mail all pending notifications (the digest)."""
    today = today or timezone.localdate()
    token = _batched.set(True)
    try:
        for check in _daily_checks:
            check(today=today)
    finally:
        _batched.reset(token)
    return notifications_send()

