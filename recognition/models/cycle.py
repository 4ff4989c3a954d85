"""The log that keeps the annual-cycle reminder to once a month per quality officer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleReminderLog(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    #: First day of the month the reminder was for.
    month = models.DateField(_("month"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("annual-cycle reminder")
        verbose_name_plural = _("annual-cycle reminders")
        constraints = [models.UniqueConstraint(fields=["user", "month"], name="cycle_reminder_once_a_month")]

    def __str__(self):
        return f"{self.user} {self.month:%m/%Y}"
