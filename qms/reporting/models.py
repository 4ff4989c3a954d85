"""
Quality objectives (ISO 9001:2015, 6.2) measured on the dossier records: "on-time rate ≥ 98 %",
"online rate ≥ 50 %", evaluated for any period by the same engine as Biểu 06.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qms.core.models import Unit, UnitScopedQuerySet


class Indicator(models.TextChoices):
    ON_TIME_RATE = "on_time_rate", _("On-time rate (%)")
    ONLINE_RATE = "online_rate", _("Online rate (%)")
    AVG_WORKING_DAYS = "avg_working_days", _("Average processing time (working days)")
    OVERDUE_PENDING = "overdue_pending", _("Overdue pending dossiers")


#: Indicators stored in the engine as fractions and targeted in per cent.
PERCENT_INDICATORS = {Indicator.ON_TIME_RATE, Indicator.ONLINE_RATE}


class Comparator(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    GT = "gt", ">"
    LT = "lt", "<"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("6 months")
    YEAR = "year", _("Year")


class ObjectiveScope(models.TextChoices):
    UNIT = "unit", _("The unit as a whole")
    EACH = "each", _("Each unit below it, separately")


class QualityObjectiveQuerySet(UnitScopedQuerySet):
    unit_lookup = "unit"

    def active(self):
        return self.filter(active=True)

    def measured_on(self, day):
        """Active objectives whose unit exists on `day`: an abolished unit's objectives end with it."""
        return self.active().filter(
            Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=day), Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=day)
        )


class QualityObjective(models.Model):
    """
    A measurable quality objective of a unit, or of every unit of a district. Admin: Dossiers and
    reports → Quality objectives; met / not met shows on the report page and the dashboard.
    """

    title = models.CharField(_("objective"), max_length=300, help_text=_('e.g. "Resolve at least 98 per cent of dossiers on time".'))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="quality_objectives", verbose_name=_("unit"))
    scope = models.CharField(_("applies to"), max_length=8, choices=ObjectiveScope.choices, default=ObjectiveScope.UNIT)
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    comparator = models.CharField(_("comparator"), max_length=4, choices=Comparator.choices, default=Comparator.GTE)
    target = models.DecimalField(
        _("target"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal(0))],
        help_text=_("Rates in per cent (98 = 98 %); times in working days; pending dossiers as a count."),
    )
    period_kind = models.CharField(_("measured per"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    plan = models.TextField(_("how it will be achieved"), blank=True, help_text=_("What will be done, resources, who is responsible, by when (ISO 9001, 6.2.2)."))
    active = models.BooleanField(pgettext_lazy("quality objective", "active"), default=True)

    objects = QualityObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        ordering = ["unit__code", "indicator", "pk"]
        permissions = [("view_report", "Can view dossier reports (Biểu 06)")]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="objective_target_not_negative"),
            models.CheckConstraint(
                condition=~Q(indicator__in=["on_time_rate", "online_rate"]) | Q(target__lte=100),
                name="objective_rate_at_most_100",
                violation_error_message=_("A rate cannot exceed 100 per cent."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.unit})"

    @property
    def value_suffix(self) -> str:
        return " %" if self.indicator in PERCENT_INDICATORS else ""

    @property
    def target_display(self) -> str:
        number = f"{self.target.normalize():f}".replace(".", ",")
        return f"{self.get_comparator_display()} {number}{self.value_suffix}"

    target_display.fget.short_description = _("Target")  # the column's heading in the admin's listing
