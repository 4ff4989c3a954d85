from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.core.models import Unit
from qms.core.params import parse_int
from qms.core.printing import IssuingBody, issuing_bodies_offered, issuing_body_for_user
from qms.reporting.engine import GroupBy, Period
from qms.reporting.renderers import issuing_body_of

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
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), required=False,
        help_text=_("Empty: all your units. A district includes its communes; a merged commune its predecessors."),
    )
    group_by = forms.ChoiceField(label=_("Rows by"), choices=GroupBy.CHOICES, initial=GroupBy.UNIT)
    rollup = forms.BooleanField(label=_("Count merged units under their successor"), required=False, initial=True)
    as_of = forms.DateField(label=_("Units in force on"), required=False, widget=DateInput,
                            help_text=_("Empty: the last day of the period."))

    issuer = forms.ModelChoiceField(
        label=_("Issuing body"), queryset=Unit.objects.none(), required=False,
        help_text=_("Who the PDF and Excel are issued by: a body in force today for the chosen units. "
                    "Empty: the body the rule gives."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.for_user(user).order_by("code")
        self._offer_issuers(user)

    def _offer_issuers(self, user):
        """
        The bodies the user may issue the papers by (`printing.issuing_bodies_offered`, for the units asked
        for, on the day they are printed), the rule's answer selected; a body outside them, another unit's
        included, is an invalid choice.
        """
        today = timezone.localdate()
        asked = [pk for pk in map(parse_int, (self["units"].value() or []) if self.is_bound else []) if pk]
        units = list(self.fields["units"].queryset.filter(pk__in=asked).select_related("parent"))
        offered = issuing_bodies_offered(user=user, units=units, on=today)
        field = self.fields["issuer"]
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in offered]).order_by("code")
        field.label_from_instance = lambda unit: IssuingBody(unit=unit, parent=None, on=today).name
        mine = issuing_body_for_user(user, on=today)
        rule = issuing_body_of(units, issuer=mine.unit if mine else None, on=today)
        if rule is None or rule.unit not in offered:
            return
        field.initial = rule.unit.pk
        if self.is_bound and not self.data.get("issuer"):
            self.data = self.data.copy()
            self.data["issuer"] = str(rule.unit.pk)

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
