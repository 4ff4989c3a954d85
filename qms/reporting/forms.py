from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qms.core.models import Unit
from qms.reporting.engine import GroupBy, Period

MSG_CUSTOM_NEEDS_DATES = _("A custom period needs both dates.")
MSG_END_BEFORE_START = _("The period ends before it starts.")

PRESETS = [
    ("month", _("Month")), ("quarter", _("Quarter")), ("half", _("6 months")), ("year", _("Year")),
    ("custom", _("Custom")),
]


class DateInput(forms.DateInput):
    input_type = "date"


class ReportForm(forms.Form):
    """What Biểu 06 to compute: the period (a preset around a date, or custom), units, grouping, roll-up."""

    preset = forms.ChoiceField(label=_("Period"), choices=PRESETS, initial="year")
    on = forms.DateField(label=_("Period containing the day"), required=False, widget=DateInput,
                         help_text=_("For month, quarter, 6 months and year."))
    date_from = forms.DateField(label=pgettext_lazy("period", "From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=pgettext_lazy("period", "To"), required=False, widget=DateInput)
    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), required=False,
        help_text=_("Empty: all your units. A district includes its communes; a merged commune its predecessors."),
    )
    group_by = forms.ChoiceField(label=_("Rows by"), choices=GroupBy.CHOICES, initial=GroupBy.UNIT)
    rollup = forms.BooleanField(label=_("Count merged units under their successor"), required=False, initial=True)
    as_of = forms.DateField(label=_("Units in force on"), required=False, widget=DateInput,
                            help_text=_("Empty: the last day of the period."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.for_user(user).order_by("code")

    def clean(self):
        data = super().clean()
        if data.get("preset") == "custom":
            if not data.get("date_from") or not data.get("date_to"):
                raise forms.ValidationError(MSG_CUSTOM_NEEDS_DATES)
            if data["date_to"] < data["date_from"]:
                raise forms.ValidationError(MSG_END_BEFORE_START)
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        if data["preset"] == "custom":
            return Period(data["date_from"], data["date_to"])
        return Period.containing(data["preset"], data.get("on") or timezone.localdate())

    def rollup_date(self, period: Period) -> datetime.date | None:
        if not self.cleaned_data.get("rollup"):
            return None
        return self.cleaned_data.get("as_of") or period.date_to
