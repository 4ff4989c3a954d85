"""
Nonconformities and corrective actions (ISO 9001 10.2): open → analysed → actions planned →
awaiting verification → closed. Rules that fit one row are CheckConstraints here; the two that span
tables (no closing with open actions; no action due before detection) are database triggers
(migration 0004) as well as service checks.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.core.models import ChecksInOneQuery, UnitScopedQuerySet
from qms.core.models.units import unit_ids_for_user

from .audits import audits_on_team
from .base import History


class NcSource(models.TextChoices):
    AUDIT = "audit", _("Internal audit")
    LATE_DOSSIER = "late_dossier", _("Late dossier")
    COMPLAINT = "complaint", _("Citizen complaint")
    MANAGEMENT_REVIEW = "management_review", _("Management review")
    PROCESS_MONITORING = "process_monitoring", _("Process monitoring")
    OTHER = "other", _("Other")


class NcSeverity(models.TextChoices):
    MAJOR = "major", _("Major")
    MINOR = "minor", _("Minor")


class NcStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANALYSED = "analysed", _("Cause analysed")
    ACTIONS_PLANNED = "actions_planned", _("Actions planned")
    AWAITING_VERIFICATION = "awaiting_verification", _("Awaiting verification")
    CLOSED = "closed", _("Closed")


class CauseCategory(models.TextChoices):
    PEOPLE = "people", _("People: competence, awareness, workload")
    METHOD = "method", _("Method: procedure or work instruction")
    DOCUMENTS = "documents", _("Documents and forms")
    EQUIPMENT = "equipment", _("Equipment and software")
    LEGAL = "legal", _("Change of legal basis")
    ENVIRONMENT = "environment", _("Work environment")
    OTHER = "other", _("Other")


class NonconformityQuerySet(UnitScopedQuerySet):
    unit_lookup = "unit"

    def for_user(self, user):
        """The user's units' nonconformities (also those transferred away from them), and those raised
        by audits the user was on."""
        if getattr(user, "is_superuser", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        ids = unit_ids_for_user(user)
        return self.filter(Q(unit__in=ids) | Q(original_unit__in=ids) | Q(finding__audit__in=audits_on_team(user)))

    def open(self):
        return self.exclude(status=NcStatus.CLOSED)

    def overdue(self, today: datetime.date | None = None):
        """Not closed and past the date set for completing the corrective action. Computed, never stored."""
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Nonconformity(ChecksInOneQuery, models.Model):
    """
    A nonconformity from an audit, a late dossier, a complaint, management review, process monitoring
    or elsewhere, followed until an effectiveness check closes it. `original_unit` keeps the unit that
    had it when it was detected, also after a transfer to a successor unit.
    Admin: Internal audits → Nonconformities (the page of one walks through the steps).
    """

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="nonconformities", verbose_name=_("unit"))
    original_unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("original unit")
    )
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=24, choices=NcSource.choices)
    source_reference = models.CharField(
        _("source reference"), max_length=200, blank=True, help_text=_("Dossier code, complaint number, meeting minutes…")
    )
    #: The record of another app that raised it (a late dossier, a review), without importing that app.
    source_content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    source_object_id = models.CharField(max_length=64, blank=True, editable=False)
    source_object = GenericForeignKey("source_content_type", "source_object_id")
    finding = models.OneToOneField(
        "audits.Finding", on_delete=models.PROTECT, null=True, blank=True, related_name="nonconformity",
        verbose_name=_("finding"),
    )
    clause = models.ForeignKey(
        "core.IsoClause", on_delete=models.PROTECT, null=True, blank=True, related_name="nonconformities", verbose_name=_("clause")
    )
    related_document = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("related document"),
    )
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=8, choices=NcSeverity.choices, default=NcSeverity.MINOR)
    detected_on = models.DateField(_("detected on"))
    detected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("detected by")
    )
    due_on = models.DateField(_("corrective action due"), help_text=_("When the corrective action should be complete."))
    status = models.CharField(_("status"), max_length=24, choices=NcStatus.choices, default=NcStatus.OPEN)

    correction = models.TextField(_("correction"), blank=True, help_text=_("What was done at once to contain it."))
    correction_on = models.DateField(_("correction made on"), null=True, blank=True)

    why_1 = models.TextField(_("why? (1)"), blank=True)
    why_2 = models.TextField(_("why? (2)"), blank=True)
    why_3 = models.TextField(_("why? (3)"), blank=True)
    why_4 = models.TextField(_("why? (4)"), blank=True)
    why_5 = models.TextField(_("why? (5)"), blank=True)
    cause_category = models.CharField(_("cause category"), max_length=16, choices=CauseCategory.choices, blank=True)
    analysed_on = models.DateField(_("analysed on"), null=True, blank=True)

    verified_on = models.DateField(_("effectiveness checked on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("effectiveness checked by"),
    )
    effective = models.BooleanField(_("effective"), null=True, blank=True)
    verification_notes = models.TextField(_("effectiveness check notes"), blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = History()
    objects = NonconformityQuerySet.as_manager()

    class Meta:
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        ordering = ["-detected_on", "-pk"]
        permissions = [("close_nonconformity", _("Can verify, close and transfer nonconformities"))]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=NcStatus.values), name="nc_status_valid"),
            models.CheckConstraint(condition=Q(source__in=NcSource.values), name="nc_source_valid"),
            models.CheckConstraint(condition=Q(severity__in=NcSeverity.values), name="nc_severity_valid"),
            models.CheckConstraint(
                condition=Q(cause_category="") | Q(cause_category__in=CauseCategory.values), name="nc_cause_category_valid"
            ),
            models.CheckConstraint(condition=~Q(description=""), name="nc_has_description"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("detected_on")), name="nc_due_not_before_detection",
                violation_error_message=_("The due date is before the date of detection."),
            ),
            models.CheckConstraint(
                condition=Q(correction="", correction_on__isnull=True)
                | (~Q(correction="") & Q(correction_on__isnull=False, correction_on__gte=models.F("detected_on"))),
                name="nc_correction_dated_after_detection",
                violation_error_message=_("A correction has a text and a date, not before the detection."),
            ),
            models.CheckConstraint(
                condition=Q(status=NcStatus.OPEN) | (~Q(why_1="") & ~Q(cause_category="") & Q(analysed_on__isnull=False)),
                name="nc_analysed_has_root_cause",
                violation_error_message=_("Past “open”, a nonconformity has its root cause and cause category."),
            ),
            models.CheckConstraint(
                condition=Q(verified_on__isnull=True, verified_by__isnull=True, effective__isnull=True)
                | Q(verified_on__isnull=False, verified_on__gte=models.F("detected_on"), verified_by__isnull=False, effective__isnull=False),
                name="nc_effectiveness_check_complete",
                violation_error_message=_("An effectiveness check records who, when (not before detection) and the result."),
            ),
            models.CheckConstraint(
                condition=Q(status=NcStatus.CLOSED, effective=True, closed_on__isnull=False, closed_on__gte=models.F("detected_on"))
                | (~Q(status=NcStatus.CLOSED) & Q(closed_on__isnull=True)),
                name="nc_closed_only_when_effective",
                violation_error_message=_("A nonconformity is closed only by an effective check."),
            ),
            models.CheckConstraint(
                condition=Q(unit=models.F("original_unit"), transferred_on__isnull=True)
                | (~Q(unit=models.F("original_unit")) & Q(transferred_on__isnull=False)),
                name="nc_transfer_recorded",
            ),
            models.CheckConstraint(
                condition=Q(source=NcSource.AUDIT, finding__isnull=False) | (~Q(source=NcSource.AUDIT) & Q(finding__isnull=True)),
                name="nc_audit_source_has_finding",
                violation_error_message=_("A nonconformity from an audit comes from one of its findings."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.description[:60]}"

    @property
    def is_closed(self) -> bool:
        return self.status == NcStatus.CLOSED

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return not self.is_closed and self.due_on < (today or timezone.localdate())

    def whys(self) -> list[str]:
        return [w for w in (self.why_1, self.why_2, self.why_3, self.why_4, self.why_5) if w]


class CorrectiveActionQuerySet(UnitScopedQuerySet):
    unit_lookup = "nonconformity__unit"

    def for_user(self, user):
        if getattr(user, "is_superuser", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(nonconformity__in=Nonconformity.objects.for_user(user).values("pk")) | Q(responsible=user)
        )

    def open(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, today: datetime.date | None = None):
        """Not done and past due. Computed, never stored."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def due_within(self, today: datetime.date, days: int):
        """Not done, due from today to `days` days ahead."""
        return self.open().filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days))


class CorrectiveAction(ChecksInOneQuery, models.Model):
    """What is done to remove the cause of a nonconformity: what, who, by when, done when, evidence."""

    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.PROTECT, related_name="actions", verbose_name=_("nonconformity")
    )
    description = models.TextField(_("action"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="corrective_actions", verbose_name=_("responsible")
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows the action was done."))
    attachments = models.ManyToManyField("wagtaildocs.Document", blank=True, related_name="+", verbose_name=_("attachments"))

    history = History(m2m_fields=["attachments"])
    objects = CorrectiveActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="action_has_description"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(evidence=""), name="action_done_has_evidence",
                violation_error_message=_("A completed action records its evidence."),
            ),
        ]

    def __str__(self):
        return self.description[:80]

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due within 7 days")
    OVERDUE = "overdue", _("Overdue")


class ReminderLog(models.Model):
    """One reminder e-mail about one corrective action on one day: at most one a day per action."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("action"))
    sent_on = models.DateField(_("sent on"))
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    recipient = models.EmailField(_("recipient"))

    history = History()

    class Meta:
        verbose_name = _("action reminder")
        verbose_name_plural = _("action reminders")
        ordering = ["-sent_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["action", "sent_on"], name="reminder_once_per_action_per_day")]

    def __str__(self):
        return f"{self.action} – {self.sent_on:%d/%m/%Y}"
