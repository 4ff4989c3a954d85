"""Audits (ISO 9001 9.2.2b–d): plan, team, scope, the checklist walked on site, and its findings."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qms.core.models import ChecksInOneQuery, UnitScopedQuerySet
from qms.core.models.units import unit_ids_for_user

from .base import History


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("audit status", "In progress")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", _("Closed")


class ChecklistResult(models.TextChoices):
    CONFORMS = "conforms", _("Conforms")
    NONCONFORMITY = "nonconformity", _("Does not conform")
    OBSERVATION = "observation", _("Observation")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class FindingKind(models.TextChoices):
    MAJOR_NC = "major_nc", _("Major nonconformity")
    MINOR_NC = "minor_nc", _("Minor nonconformity")
    OBSERVATION = "observation", _("Observation")
    OPPORTUNITY = "opportunity", _("Opportunity for improvement")
    GOOD_PRACTICE = "good_practice", _("Good practice")


#: Finding kinds that are nonconformities and so open a Nonconformity record.
NC_KINDS = (FindingKind.MAJOR_NC, FindingKind.MINOR_NC)


def audits_on_team(user):
    """Ids of the audits `user` leads or is a member of (as a subquery)."""
    return Audit.objects.filter(Q(lead_auditor=user) | Q(auditors=user)).values("pk")


class QuestionBankQuerySet(models.QuerySet):
    def for_user(self, user):
        """The bank is shared by every unit: whoever may read it reads all of it."""
        return self

    def active(self):
        return self.filter(active=True)


class QuestionBankItem(models.Model):
    """
    A question auditors ask about a clause in a one-stop office; checklists are generated from these.
    Editable by the quality officer. Admin: Internal audits → Question bank.
    """

    clause = models.ForeignKey("core.IsoClause", on_delete=models.PROTECT, related_name="audit_questions", verbose_name=_("clause"))
    question = models.TextField(_("question"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True, help_text=_("Questions not in use are left out of new checklists."))

    history = History()
    objects = QuestionBankQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit question")
        verbose_name_plural = _("question bank")
        ordering = ["clause__sort_key", "position", "pk"]

    def __str__(self):
        return f"{self.clause.number}: {self.question[:80]}"


class AuditQuerySet(UnitScopedQuerySet):
    unit_lookup = "unit"

    def for_user(self, user):
        """Audits of the user's units, and the audits they are on (cross-auditing: an auditor of one
        commune audits another commune, which is outside their own units)."""
        if getattr(user, "is_superuser", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(unit__in=unit_ids_for_user(user)) | Q(pk__in=audits_on_team(user)))

    def in_year(self, year: int):
        return self.filter(planned_start__year=year)

    def late(self, today: datetime.date):
        """Planned audits whose planned end has passed without the audit starting."""
        return self.filter(status=AuditStatus.PLANNED, planned_end__lt=today)


class Audit(ChecksInOneQuery, models.Model):
    """
    One internal audit of one unit, planned by a programme: dates, lead auditor and team, the
    clauses and documents in scope, the checklist and the findings. Statuses: planned → in progress →
    reported → closed. Admin: Internal audits → Audits; the checklist is walked on one screen.
    """

    programme = models.ForeignKey(
        "audits.AuditProgramme", on_delete=models.PROTECT, related_name="audits", verbose_name=_("programme")
    )
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="audits", verbose_name=_("audited unit"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="audits_led",
        verbose_name=_("lead auditor"),
    )
    auditors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="audits_on_team", verbose_name=_("audit team")
    )
    clauses = models.ManyToManyField("core.IsoClause", blank=True, related_name="audits", verbose_name=_("clauses in scope"))
    #: Controlled documents (pages of the procedures_docs app) in scope; referred to through
    #: wagtailcore.Page so this app does not depend on that one.
    documents = models.ManyToManyField(
        "wagtailcore.Page", blank=True, related_name="+", verbose_name=_("documents in scope"),
        limit_choices_to={"content_type__app_label": "procedures_docs"},
    )
    criteria = models.TextField(_("audit criteria"), blank=True)
    #: Why someone without a valid internal-auditor certificate is on the team (QMS_UNCERTIFIED_AUDITOR = "justify").
    team_justification = models.TextField(
        _("justification for uncertified auditors"), blank=True,
        help_text=_("Needed only when someone on the team has no valid internal-auditor certificate."),
    )
    status = models.CharField(_("status"), max_length=16, choices=AuditStatus.choices, default=AuditStatus.PLANNED)
    conclusion = models.TextField(_("conclusion"), blank=True, help_text=_("The audit team's conclusion, in the report."))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = History(m2m_fields=["auditors", "clauses", "documents"])
    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-planned_start", "unit__name"]
        permissions = [("manage_audit", _("Can plan and close any audit in scope"))]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AuditStatus.values), name="audit_status_valid"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")), name="audit_planned_end_after_start",
                violation_error_message=_("The planned end is before the planned start."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True) | Q(actual_start__isnull=False, actual_end__gte=models.F("actual_start")),
                name="audit_actual_end_after_start",
                violation_error_message=_("The audit cannot end before it started."),
            ),
            models.CheckConstraint(
                condition=Q(status=AuditStatus.PLANNED, actual_start__isnull=True, actual_end__isnull=True)
                | Q(status=AuditStatus.IN_PROGRESS, actual_start__isnull=False, lead_auditor__isnull=False, actual_end__isnull=True)
                | Q(status__in=[AuditStatus.REPORTED, AuditStatus.CLOSED], actual_start__isnull=False,
                    lead_auditor__isnull=False, actual_end__isnull=False),
                name="audit_dates_follow_status",
                violation_error_message=_("An audit under way has a lead auditor and a start date; a reported one also an end date."),
            ),
            models.CheckConstraint(
                condition=Q(status=AuditStatus.CLOSED, closed_on__isnull=False) | (~Q(status=AuditStatus.CLOSED) & Q(closed_on__isnull=True)),
                name="audit_closed_on_iff_closed",
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.planned_start:%m/%Y}"

    def team(self):
        """Lead auditor first, then the other members."""
        members = list(self.auditors.all())
        if self.lead_auditor_id:
            members = [self.lead_auditor] + [m for m in members if m.pk != self.lead_auditor_id]
        return members

    def is_on_team(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return self.lead_auditor_id == user.pk or self.auditors.filter(pk=user.pk).exists()

    @property
    def planned_month(self) -> str:
        return f"{self.planned_start:%m/%Y}"


class ChecklistItemQuerySet(UnitScopedQuerySet):
    unit_lookup = "audit__unit"

    def for_user(self, user):
        if getattr(user, "is_superuser", False):
            return self
        return self.filter(audit__in=Audit.objects.for_user(user).values("pk"))


class ChecklistItem(models.Model):
    """One question of an audit's checklist with its result, notes, evidence and attachments."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("audit"))
    clause = models.ForeignKey("core.IsoClause", on_delete=models.PROTECT, related_name="+", verbose_name=_("clause"))
    position = models.PositiveSmallIntegerField(_("order"))
    question = models.TextField(_("question"))
    result = models.CharField(_("result"), max_length=16, choices=ChecklistResult.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What was seen: records, dossier codes, interviews."))
    attachments = models.ManyToManyField("wagtaildocs.Document", blank=True, related_name="+", verbose_name=_("attachments"))

    history = History(m2m_fields=["attachments"])
    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["audit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "position"], name="checklist_item_unique_position"),
            models.CheckConstraint(condition=Q(result="") | Q(result__in=ChecklistResult.values), name="checklist_result_valid"),
        ]

    def __str__(self):
        return f"{self.clause.number} – {self.question[:80]}"


class FindingQuerySet(UnitScopedQuerySet):
    unit_lookup = "audit__unit"

    def for_user(self, user):
        if getattr(user, "is_superuser", False):
            return self
        return self.filter(audit__in=Audit.objects.for_user(user).values("pk"))

    def nonconformities(self):
        return self.filter(kind__in=NC_KINDS)


class Finding(ChecksInOneQuery, models.Model):
    """
    A finding of an audit: a nonconformity (major or minor), an observation, an opportunity for
    improvement or a good practice. A nonconformity finding opens a Nonconformity in the same step.
    """

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="findings", verbose_name=_("audit"))
    checklist_item = models.ForeignKey(
        ChecklistItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings",
        verbose_name=_("checklist item"),
    )
    clause = models.ForeignKey("core.IsoClause", on_delete=models.PROTECT, related_name="findings", verbose_name=_("clause"))
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    statement = models.TextField(_("statement"))
    evidence = models.TextField(_("evidence"), blank=True)
    attachments = models.ManyToManyField("wagtaildocs.Document", blank=True, related_name="+", verbose_name=_("attachments"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_on = models.DateField(_("recorded on"))

    history = History(m2m_fields=["attachments"])
    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["audit", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FindingKind.values), name="finding_kind_valid"),
            models.CheckConstraint(condition=~Q(statement=""), name="finding_has_statement"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.statement[:80]}"

    @property
    def is_nonconformity(self) -> bool:
        return self.kind in NC_KINDS
