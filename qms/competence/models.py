"""
Competence (ISO 9001 7.2) and awareness (7.3): what each role must have shown (a requirement), and
the training records that show it. A person's roles are their groups (`qms.core.roles`); the unit
they work in is their membership. Admin: Competence → Requirements, Training records, Matrix.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.core.models import UnitScopedQuerySet

#: Codes of the requirements that rules name (the audit team check, readiness); seeded by migration 0002.
INTERNAL_AUDITOR = "internal-auditor"
ISO_AWARENESS = "iso-awareness"
UNIT_PROCEDURES = "unit-procedures"


class RequirementKind(models.TextChoices):
    TRAINING = "training", _("Training or certificate")
    PROCEDURES = "procedures", _("Read and acknowledged the unit's procedures")


class CompetenceRequirement(models.Model):
    """
    What holders of some roles must have shown: a course or certificate (met by a training record,
    valid for `validity_months` if set), or having read every procedure in force of their unit (met by
    the acknowledgements of the documents app). A district-wide catalogue: district officers edit it.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Rules refer to a requirement by its code."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=RequirementKind.choices, default=RequirementKind.TRAINING)
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"), null=True, blank=True,
        help_text=_("Empty: a training record meeting it never expires (unless its own expiry date is given)."),
    )
    roles = models.ManyToManyField(
        "auth.Group", blank=True, related_name="competence_requirements", verbose_name=_("required of roles"),
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("competence requirement")
        verbose_name_plural = _("competence requirements")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TrainingRecordQuerySet(UnitScopedQuerySet):
    unit_lookup = "unit"

    def valid_on(self, on: datetime.date):
        """Records completed by `on`, not yet expired on `on` (the expiry day still counts) and not withdrawn then."""
        return self.filter(completed_on__lte=on).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=on)
        ).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))


class TrainingRecord(models.Model):
    """
    One course a person took, with its certificate: a record (hồ sơ), so it is never deleted; a wrong or
    revoked one is withdrawn (it stops counting from that day). Its unit is where the person worked when
    it was recorded, and decides who sees it and its certificate file.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records", verbose_name=_("person"),
    )
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="training_records", verbose_name=_("unit"))
    course = models.CharField(_("course"), max_length=255)
    provider = models.CharField(_("provider"), max_length=255, blank=True)
    completed_on = models.DateField(_("completed on"))
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    #: Served only by `views.CertificateView`, after the record's scope is checked (qms.core.files).
    certificate = models.FileField(_("certificate file"), upload_to="competence/certificates/%Y/", blank=True)
    expires_on = models.DateField(
        _("valid until"), null=True, blank=True,
        help_text=_("Leave empty to compute it from the requirements' validity; empty after saving means it never expires."),
    )
    requirements = models.ManyToManyField(
        CompetenceRequirement, related_name="training_records", verbose_name=_("requirements met"),
        limit_choices_to={"kind": RequirementKind.TRAINING},
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = TrainingRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("completed_on")),
                name="training_expiry_not_before_completion",
            ),
            models.CheckConstraint(
                condition=(Q(withdrawn_on__isnull=True) & Q(withdrawal_reason=""))
                | (Q(withdrawn_on__isnull=False) & ~Q(withdrawal_reason="")),
                name="training_withdrawal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.course} – {self.completed_on:%d/%m/%Y}"

    @property
    def certificate_name(self) -> str:
        return self.certificate.name.rsplit("/", 1)[-1] if self.certificate else ""
