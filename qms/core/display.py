"""
How the admin's record pages (Wagtail's inspect views) show plain values: times in local time
(Asia/Ho_Chi_Minh, never UTC), dates day first, yes/no in words, and a dash for nothing.
Registered once from `qms/core/wagtail_hooks.py`.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.fields import BaseFieldDisplay, register_display_class

EMPTY = "–"


def display_value(value):
    """A plain value as the admin shows it in a listing or record page: "Có"/"Không", a dash for nothing,
    dates day first, times in local time (Wagtail would print "True", "None", "2025-06-30")."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return value


class LocalDateTimeDisplay(BaseFieldDisplay):
    def render_html(self, parent_context=None):
        return timezone.localtime(self.value).strftime("%d/%m/%Y %H:%M") if self.value else EMPTY


class DayFirstDateDisplay(BaseFieldDisplay):
    def render_html(self, parent_context=None):
        return self.value.strftime("%d/%m/%Y") if self.value else EMPTY


class YesNoDisplay(BaseFieldDisplay):
    def render_html(self, parent_context=None):
        if self.value is None:
            return EMPTY
        return str(_("Yes") if self.value else _("No"))


def register():
    register_display_class(models.DateTimeField, display_class=LocalDateTimeDisplay)
    register_display_class(models.DateField, display_class=DayFirstDateDisplay, exact_class=True)
    register_display_class(models.BooleanField, display_class=YesNoDisplay)
