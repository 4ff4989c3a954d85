"""The audit programme (chương trình đánh giá nội bộ): one per year and scope, approved by a leader."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qms.core.models import ChecksInOneQuery, UnitScopedQuerySet

from .base import History


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("audit programme", "Draft")
    APPROVED = "approved", _("Approved")


class AuditProgrammeQuerySet(UnitScopedQuerySet):
    unit_lookup = "units"

    def for_user(self, user):
        """Programmes that cover at least one unit the user may see (the scope is a set of units)."""
        if getattr(user, "is_superuser", False):
            return self
        return self.filter(pk__in=super().for_user(user).values("pk"))


class AuditProgramme(ChecksInOneQuery, models.Model):
    """
    The internal audit programme of a year (ISO 9001 9.2.2a): its scope (a set of units), objectives
    and criteria, and the audits it plans. Drafted by the quality officer, approved by a leader.
    Admin: Internal audits → Audit programmes.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(pgettext_lazy("audit programme", "title"), max_length=300)
    units = models.ManyToManyField("core.Unit", related_name="audit_programmes", verbose_name=_("units in scope"))
    scope = models.TextField(_("scope"), blank=True, help_text=_("Processes, procedures and places the programme covers."))
    objectives = models.TextField(_("objectives"), blank=True)
    criteria = models.TextField(
        _("audit criteria"), blank=True,
        help_text=_("TCVN ISO 9001:2015, the unit's QMS documents, the legal basis of its procedures…"),
    )
    status = models.CharField(_("status"), max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("copied from"),
    )

    history = History(m2m_fields=[units])
    objects = AuditProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        ordering = ["-year", "title"]
        permissions = [("approve_auditprogramme", _("Can approve audit programmes"))]
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="programme_unique_year_title"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="programme_year_plausible"),
            models.CheckConstraint(condition=Q(status__in=ProgrammeStatus.values), name="programme_status_valid"),
            models.CheckConstraint(
                condition=Q(status=ProgrammeStatus.APPROVED, approved_by__isnull=False, approved_at__isnull=False)
                | Q(status=ProgrammeStatus.DRAFT, approved_by__isnull=True, approved_at__isnull=True),
                name="programme_approval_recorded",
                violation_error_message=_("An approved programme records who approved it and when; a draft does not."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_approved(self) -> bool:
        return self.status == ProgrammeStatus.APPROVED
