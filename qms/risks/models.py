"""
Context and interested parties (ISO 9001 4.1, 4.2) and the register of risks and opportunities (6.1).
Every record belongs to a unit and is scoped by `for_user`; none is deleted (history is kept): an issue
or party no longer relevant is marked obsolete, a risk is closed. The district's records flagged as
templates are what a commune copies into its own register (`services.context_template_copy`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from qms.core.models import ChecksInOneQuery, UnitScopedQuerySet

# --- scale and levels ------------------------------------------------------------------------------


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


def risk_scale() -> int:
    """The highest likelihood or impact (settings.QMS_RISK_SCALE, default 5: a 1–5 scale)."""
    return int(getattr(settings, "QMS_RISK_SCALE", 5))


def risk_thresholds() -> tuple[int, int]:
    """(first medium score, first high score), from settings.QMS_RISK_THRESHOLDS."""
    thresholds = getattr(settings, "QMS_RISK_THRESHOLDS", {"medium": 5, "high": 12})
    return int(thresholds["medium"]), int(thresholds["high"])


def risk_level(score: int | None) -> RiskLevel | None:
    """The level of a likelihood × impact score: high from the high threshold, medium from the medium one."""
    if score is None:
        return None
    medium, high = risk_thresholds()
    if score >= high:
        return RiskLevel.HIGH
    return RiskLevel.MEDIUM if score >= medium else RiskLevel.LOW


MSG_OUT_OF_SCALE = _("Choose a value from 1 to %(max)s.")


def validate_on_scale(value):
    if value is not None and not 1 <= value <= risk_scale():
        raise ValidationError(MSG_OUT_OF_SCALE, params={"max": risk_scale()}, code="out_of_scale")


# --- context and interested parties ---------------------------------------------------------------


class IssueDirection(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class IssueCategory(models.TextChoices):
    LEGAL = "legal", _("Legal and policy")
    TECHNOLOGY = "technology", _("Technology")
    PEOPLE = "people", _("People")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    CITIZENS = "citizens", _("Citizens' expectations")
    OTHER = "other", _("Other")


class PartyKind(models.TextChoices):
    CITIZENS = "citizens", _("Citizens")
    BUSINESSES = "businesses", _("Businesses")
    AUTHORITY = "authority", _("District or province")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    COUNCIL = "council", _("People's council")
    ORGANISATIONS = "organisations", _("Mass organisations")
    STAFF = "staff", _("Officials and staff")
    SUPPLIERS = "suppliers", _("Service providers")
    OTHER = "other", _("Other")


class ContextQuerySet(UnitScopedQuerySet):
    unit_lookup = "unit"

    def current(self):
        return self.filter(obsolete=False)


class ContextRecord(ChecksInOneQuery, models.Model):
    """What an issue and a party share: the district's template flag, the record it was copied from (a
    commune adapts the copy), "no longer relevant" instead of deletion, and the day it last changed."""

    is_template = models.BooleanField(
        _("template for communes"), default=False,
        help_text=_("A district's record that communes copy into their own register."),
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("copied from"),
    )
    obsolete = models.BooleanField(_("no longer relevant"), default=False)
    updated_on = models.DateField(_("updated on"), default=timezone.localdate)

    objects = ContextQuerySet.as_manager()

    class Meta:
        abstract = True


class ContextIssue(ContextRecord):
    """An internal or external issue relevant to the unit's purpose (4.1). Admin: Risks → Context."""

    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="context_issues", verbose_name=_("unit"))
    direction = models.CharField(_("internal or external"), max_length=8, choices=IssueDirection.choices)
    category = models.CharField(_("category"), max_length=16, choices=IssueCategory.choices)
    description = models.TextField(_("issue description"))
    effect = models.TextField(_("effect on the QMS"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("context issue")
        verbose_name_plural = _("context issues")
        ordering = ["unit", "direction", "category", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(direction__in=IssueDirection.values), name="issue_direction_valid"),
            models.CheckConstraint(condition=Q(category__in=IssueCategory.values), name="issue_category_valid"),
            models.CheckConstraint(condition=~Q(description=""), name="issue_has_description"),
        ]

    def __str__(self):
        return Truncator(self.description).chars(80)


class InterestedParty(ContextRecord):
    """An interested party of the unit, what it needs and expects, and how that is watched (4.2)."""

    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="interested_parties", verbose_name=_("unit"))
    kind = models.CharField(_("kind of party"), max_length=16, choices=PartyKind.choices)
    name = models.CharField(_("party"), max_length=200)
    needs = models.TextField(_("needs and expectations"))
    monitoring = models.TextField(_("how they are monitored"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interested party")
        verbose_name_plural = _("interested parties")
        ordering = ["unit", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PartyKind.values), name="party_kind_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="party_has_name"),
        ]

    def __str__(self):
        return self.name


class ContextReview(models.Model):
    """The unit's review of its context and interested parties (at least yearly; readiness counts it)."""

    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="context_reviews", verbose_name=_("unit"))
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    note = models.TextField(_("conclusions"), blank=True)

    history = HistoricalRecords()
    objects = ContextQuerySet.as_manager()

    class Meta:
        verbose_name = _("context review")
        verbose_name_plural = _("context reviews")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.unit} – {self.reviewed_on:%d/%m/%Y}"


# --- risks and opportunities ----------------------------------------------------------------------


class RiskKind(models.TextChoices):
    RISK = "risk", _("Risk")
    OPPORTUNITY = "opportunity", _("Opportunity")


class RiskSource(models.TextChoices):
    CONTEXT_ISSUE = "context_issue", _("Context issue")
    INTERESTED_PARTY = "interested_party", _("Interested party")
    AUDIT = "audit", _("Audit finding or nonconformity")
    LATE_DOSSIERS = "late_dossiers", _("Pattern of late dossiers")
    COMPLAINT = "complaint", _("Citizen complaint")
    OTHER = "other", _("Other")


class Treatment(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REDUCE = "reduce", _("Reduce")
    AVOID = "avoid", _("Avoid")
    TRANSFER = "transfer", _("Transfer")
    PURSUE = "pursue", _("Pursue (opportunity)")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RiskQuerySet(UnitScopedQuerySet):
    unit_lookup = "unit"

    def open(self):
        return self.filter(status=RiskStatus.OPEN)

    def with_score(self):
        return self.annotate(score_value=F("likelihood") * F("impact"))

    def of_level(self, level: str):
        medium, high = risk_thresholds()
        scored = self.with_score()
        if level == RiskLevel.HIGH:
            return scored.filter(score_value__gte=high)
        if level == RiskLevel.MEDIUM:
            return scored.filter(score_value__gte=medium, score_value__lt=high)
        return scored.filter(score_value__lt=medium)

    def high_without_action(self):
        """Open risks (not opportunities) of the high level with no treatment action planned: flagged."""
        has_action = RiskAction.objects.filter(risk=OuterRef("pk"))
        return self.open().filter(kind=RiskKind.RISK).of_level(RiskLevel.HIGH).filter(~Exists(has_action))


class Risk(ChecksInOneQuery, models.Model):
    """
    A risk or opportunity of a unit (6.1), optionally of one TTHC or process: where it comes from, how
    likely and how grave (the score and level follow from the settings' scale and thresholds), who owns
    it, how it is treated (actions), what remains after treatment, when it is reviewed next.
    Admin: Risks → Risk register.
    """

    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="risks", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=12, choices=RiskKind.choices, default=RiskKind.RISK)
    title = models.CharField(_("risk or opportunity"), max_length=250)
    description = models.TextField(_("description and causes"), blank=True)
    procedure = models.ForeignKey(
        "core.AdministrativeProcedure", on_delete=models.PROTECT, null=True, blank=True, related_name="risks",
        verbose_name=_("administrative procedure"),
    )
    process = models.CharField(_("process"), max_length=200, blank=True, help_text=_("When it concerns a process rather than one TTHC."))
    source = models.CharField(_("source"), max_length=20, choices=RiskSource.choices, default=RiskSource.OTHER)
    context_issue = models.ForeignKey(
        ContextIssue, on_delete=models.PROTECT, null=True, blank=True, related_name="risks", verbose_name=_("context issue")
    )
    interested_party = models.ForeignKey(
        InterestedParty, on_delete=models.PROTECT, null=True, blank=True, related_name="risks", verbose_name=_("interested party")
    )
    nonconformity = models.ForeignKey(
        "audits.Nonconformity", on_delete=models.PROTECT, null=True, blank=True, related_name="risks",
        verbose_name=_("nonconformity"),
    )
    source_note = models.CharField(_("source reference"), max_length=250, blank=True,
                                   help_text=_("Complaint number, the dossiers concerned…"))
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), validators=[validate_on_scale])
    impact = models.PositiveSmallIntegerField(_("impact"), validators=[validate_on_scale])
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risks_owned", verbose_name=pgettext_lazy("risk", "owner"))
    treatment = models.CharField(_("treatment"), max_length=10, choices=Treatment.choices, default=Treatment.REDUCE)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("residual likelihood"), null=True, blank=True, validators=[validate_on_scale]
    )
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), null=True, blank=True, validators=[validate_on_scale])
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        ordering = ["unit", "-assessed_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RiskKind.values), name="risk_kind_valid"),
            models.CheckConstraint(condition=Q(source__in=RiskSource.values), name="risk_source_valid"),
            models.CheckConstraint(condition=Q(likelihood__gte=1, impact__gte=1), name="risk_scores_positive"),
            models.CheckConstraint(
                condition=Q(kind=RiskKind.OPPORTUNITY, treatment=Treatment.PURSUE)
                | (Q(kind=RiskKind.RISK) & ~Q(treatment=Treatment.PURSUE)),
                name="risk_treatment_fits_kind",
                violation_error_message=_("An opportunity is pursued; a risk is accepted, reduced, avoided or transferred."),
            ),
            models.CheckConstraint(
                condition=Q(residual_likelihood__isnull=True, residual_impact__isnull=True)
                | Q(residual_likelihood__gte=1, residual_impact__gte=1),
                name="risk_residual_complete",
                violation_error_message=_("Give both the residual likelihood and the residual impact, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(status=RiskStatus.OPEN, closed_on__isnull=True)
                | Q(status=RiskStatus.CLOSED, closed_on__isnull=False),
                name="risk_closed_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> RiskLevel:
        return risk_level(self.score)

    @property
    def residual_score(self) -> int | None:
        if self.residual_likelihood is None or self.residual_impact is None:
            return None
        return self.residual_likelihood * self.residual_impact

    @property
    def residual_level(self) -> RiskLevel | None:
        return risk_level(self.residual_score)

    @property
    def is_flagged(self) -> bool:
        """A high open risk with no treatment action (uses the prefetched actions when there are some)."""
        return (
            self.kind == RiskKind.RISK and self.status == RiskStatus.OPEN and self.level == RiskLevel.HIGH
            and not self.actions.all()
        )

    @property
    def source_label(self) -> str:
        linked = self.context_issue or self.interested_party or self.nonconformity
        parts = [str(self.get_source_display())]
        if linked is not None:
            parts.append(Truncator(str(linked)).chars(60))
        if self.source_note:
            parts.append(self.source_note)
        return ": ".join(parts[:2]) + ("; " + parts[2] if len(parts) > 2 else "")


class RiskActionQuerySet(UnitScopedQuerySet):
    unit_lookup = "risk__unit"

    def for_user(self, user):
        """The actions of the user's units, and those they own."""
        if getattr(user, "is_superuser", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(risk__in=Risk.objects.for_user(user).values("pk")) | Q(owner=user))

    def open(self):
        return self.filter(done_on__isnull=True)


class RiskAction(ChecksInOneQuery, models.Model):
    """An action treating a risk or pursuing an opportunity: what, who, by when, done when, and whether it
    worked (the effectiveness review the management review reads)."""

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="actions", verbose_name=_("risk or opportunity"))
    description = models.TextField(_("action"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risk_actions", verbose_name=pgettext_lazy("risk", "owner"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("what was done"), blank=True)
    effective = models.BooleanField(_("effective"), null=True, blank=True)
    effectiveness_note = models.TextField(_("effectiveness review notes"), blank=True)
    reviewed_on = models.DateField(_("effectiveness reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("effectiveness reviewed by"),
    )

    history = HistoricalRecords()
    objects = RiskActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk action")
        verbose_name_plural = _("risk actions")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="risk_action_has_description"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(result=""), name="risk_action_done_has_result",
                violation_error_message=_("A completed action says what was done."),
            ),
            models.CheckConstraint(
                condition=Q(effective__isnull=True, reviewed_on__isnull=True, reviewed_by__isnull=True)
                | Q(effective__isnull=False, reviewed_on__isnull=False, reviewed_by__isnull=False, done_on__isnull=False,
                    reviewed_on__gte=F("done_on")),
                name="risk_action_review_complete",
                violation_error_message=_("The effectiveness is reviewed after the action is done, with who, when and the result."),
            ),
        ]

    def __str__(self):
        return Truncator(self.description).chars(80)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())
