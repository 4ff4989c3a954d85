"""
What the system tells people: one `Notification` per recipient and event, mailed at once or in the daily
digest according to the recipient's `NotificationPreference`. Admin: Account → Notifications (the
preference) and the "Thông báo" list of the user menu.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately: one e-mail per event")
    DAILY = "daily", _("Daily digest: one e-mail a day with everything pending")
    OFF = "off", _("Off: no e-mail (the list in the system still shows them)")


class NotificationKind(models.TextChoices):
    DOCUMENT_SUBMITTED = "document_submitted", _("Document waiting for your review or approval")
    DOCUMENT_APPROVED = "document_approved", _("Document approved")
    DOCUMENT_REJECTED = "document_rejected", _("Document sent back for changes")
    NC_OPENED = "nc_opened", _("Nonconformity opened")
    ACTION_OVERDUE = "action_overdue", _("Corrective action overdue")
    NC_WITHOUT_ACTION = "nc_without_action", _("Overdue nonconformity without corrective action")
    REVIEW_DUE = "review_due", _("Document due for periodic review")
    CERTIFICATE_EXPIRING = "certificate_expiring", _("Certificate about to expire")
    RISK_ACTION_DUE = "risk_action_due", _("Action on a risk or opportunity due or overdue")


class NotificationPreference(models.Model):
    """How a user wants to be told. A user without a row gets every notification at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference", verbose_name=pgettext_lazy("notifications", "user")
    )
    delivery = models.CharField(_("e-mail notifications"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.CheckConstraint(condition=Q(delivery__in=Delivery.values), name="notification_delivery_valid")]

    def __str__(self):
        return f"{self.user} – {self.get_delivery_display()}"


class NotificationQuerySet(models.QuerySet):
    def pending(self):
        """Not mailed yet and meant to be mailed (the recipient had not turned e-mail off)."""
        return self.filter(sent_at__isnull=True).exclude(delivery=Delivery.OFF)


class Notification(models.Model):
    """
    One thing one person is told, with the link to the record. `key` names the event (e.g.
    "nc-opened:12"): a recipient is told about an event once, however often the event is seen again.
    The subject and text are written in Vietnamese when the event happens.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qms_notifications", verbose_name=pgettext_lazy("notifications", "recipient")
    )
    kind = models.CharField(pgettext_lazy("notifications", "kind"), max_length=32, choices=NotificationKind.choices)
    key = models.CharField(pgettext_lazy("notifications", "event"), max_length=200)
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=pgettext_lazy("notifications", "unit")
    )
    subject = models.CharField(pgettext_lazy("notifications", "subject"), max_length=300)
    body = models.TextField(pgettext_lazy("notifications", "text"), blank=True)
    #: The record's path in the admin; mails make it absolute with WAGTAILADMIN_BASE_URL.
    link = models.CharField(pgettext_lazy("notifications", "link"), max_length=500)
    #: The recipient's preference when the event happened.
    delivery = models.CharField(pgettext_lazy("notifications", "delivery"), max_length=16, choices=Delivery.choices)
    created_at = models.DateTimeField(pgettext_lazy("notifications", "created at"), default=timezone.now)
    sent_at = models.DateTimeField(pgettext_lazy("notifications", "e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("notifications", "notification")
        verbose_name_plural = pgettext_lazy("notifications", "notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event"),
            models.CheckConstraint(condition=Q(delivery__in=Delivery.values), name="notification_delivery_valid_row"),
            models.CheckConstraint(condition=Q(link__startswith="/"), name="notification_link_is_path"),
        ]
        indexes = [models.Index(fields=["sent_at", "delivery"], name="notification_pending_idx")]

    def __str__(self):
        return self.subject

    @property
    def url(self) -> str:
        """The absolute link put in e-mails."""
        return absolute_url(self.link)


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
