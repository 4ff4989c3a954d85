"""Nonconformities opened from dossier performance (an objective not met, too many overdue dossiers)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qms.core.models import UnitScopedQuerySet


class PerformanceTrigger(models.TextChoices):
    OBJECTIVE = "objective", _("Quality objective not met")
    OVERDUE = "overdue", _("Overdue dossiers beyond the threshold")


class PerformanceNonconformity(models.Model):
    """
    Records that a nonconformity was opened for a unit's performance in a period, so the same unit,
    objective and period can never open a second one (database constraints).
    """

    nonconformity = models.OneToOneField(
        "audits.Nonconformity", on_delete=models.PROTECT, related_name="performance_origin", verbose_name=_("nonconformity")
    )
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    trigger = models.CharField(_("trigger"), max_length=16, choices=PerformanceTrigger.choices)
    objective = models.ForeignKey(
        "reporting.QualityObjective", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("objective"),
    )
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    value = models.CharField(_("measured value"), max_length=50, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("nonconformity from dossier performance")
        verbose_name_plural = _("nonconformities from dossier performance")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "objective", "period_from", "period_to"], condition=Q(trigger="objective"),
                name="performance_nc_once_per_objective_period",
            ),
            models.UniqueConstraint(
                fields=["unit", "period_from", "period_to"], condition=Q(trigger="overdue"),
                name="performance_nc_once_per_overdue_period",
            ),
            models.CheckConstraint(
                condition=(Q(trigger="objective") & Q(objective__isnull=False)) | (Q(trigger="overdue") & Q(objective__isnull=True)),
                name="performance_nc_objective_iff_objective_trigger",
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.get_trigger_display()} ({self.period_from:%d/%m/%Y}–{self.period_to:%d/%m/%Y})"
