from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qms.core.models import Unit
from qms.core.params import parse_int
from qms.core.printing import IssuingBody, issuing_bodies_offered, issuing_body_for_user
from qms.reporting.engine import GroupBy, Period
from qms.reporting.renderers import issuing_body_of

MSG_CUSTOM_NEEDS_DATES = _("A custom period needs both dates.")
MSG_END_BEFORE_START = _("The period ends before it starts.")
MSG_BAD_MONTH = _("Choose a month, e.g. 10/2026.")

#: The periods offered, the ones a one-stop office reports on first (the month or quarter just ended).
PRESETS = [
    ("last_month", _("Last month")), ("last_quarter", _("Last quarter")),
    ("month", _("Month")), ("quarter", _("Quarter")), ("half", _("6 months")), ("year", _("Year")),
    ("custom", _("Custom")),
]
DEFAULT_PRESET = "last_month"


def last_period(kind: str, today: datetime.date) -> Period:
    """The whole month or quarter that ended before the one containing `today`."""
    current = Period.containing(kind, today)
    return Period.containing(kind, current.date_from - datetime.timedelta(days=1))


class MonthInput(forms.DateInput):
    """The browser's month picker: picking October is one click on October, not typing a day in it."""

    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return value


class MonthField(forms.DateField):
    """A month, as the picker sends it (yyyy-mm) or typed (mm/yyyy); a whole date (links made before) names its month."""

    widget = MonthInput

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if match := re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{1,2})/(\d{4})", text):
                year, month = sorted(match.groups(), key=len, reverse=True)
                try:
                    return datetime.date(int(year), int(month), 1)
                except ValueError:
                    raise forms.ValidationError(MSG_BAD_MONTH, code="invalid") from None
        try:
            day = super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(MSG_BAD_MONTH, code="invalid") from None
        return day.replace(day=1) if day else day


class DateInput(forms.DateInput):
    input_type = "date"


class ReportForm(forms.Form):
    """What Biểu 06 to compute: the period (last month or quarter, the month / quarter / half / year of a
    chosen month, or custom dates), units, grouping, roll-up."""

    preset = forms.ChoiceField(label=_("Period"), choices=PRESETS, initial=DEFAULT_PRESET)
    on = MonthField(label=_("Month"), required=False,
                    help_text=_("For month, quarter, 6 months and year: the one containing this month. Empty: now."))
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

    issuer = forms.ModelChoiceField(
        label=_("Issuing body"), queryset=Unit.objects.none(), required=False,
        help_text=_("Who the PDF and Excel are issued by: a body in force today for the chosen units. "
                    "Empty: the body the rule gives."),
    )

    def __init__(self, *args, user=None, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["units"].queryset = Unit.objects.for_user(user).order_by("code")
        # Name the periods the first two presets mean today, so nobody has to work them out.
        month, quarter = last_period("month", self.today), last_period("quarter", self.today)
        names = {
            "last_month": _("Last month (%(month)s)") % {"month": f"{month.date_from:%m/%Y}"},
            "last_quarter": _("Last quarter (Q%(quarter)s/%(year)s)") % {
                "quarter": (quarter.date_from.month - 1) // 3 + 1, "year": quarter.date_from.year},
        }
        self.fields["preset"].choices = [(value, names.get(value, label)) for value, label in PRESETS]
        if user is not None:
            self._offer_issuers(user)

    def _offer_issuers(self, user):
        """
        The bodies the user may issue the papers by (`printing.issuing_bodies_offered`, for the units asked
        for, on the day they are printed), the rule's answer selected; a body outside them, another unit's
        included, is an invalid choice.
        """
        today = self.today
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
        preset = data["preset"]
        if preset == "custom":
            return Period(data["date_from"], data["date_to"])
        if preset in ("last_month", "last_quarter"):
            return last_period(preset.removeprefix("last_"), self.today)
        return Period.containing(preset, data.get("on") or self.today)

    def rollup_date(self, period: Period) -> datetime.date | None:
        if not self.cleaned_data.get("rollup"):
            return None
        return self.cleaned_data.get("as_of") or period.date_to
