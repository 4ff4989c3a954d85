"""Management review (ISO 9001 9.3): the meeting, its gathered inputs, and its outputs as tracked actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords

from qms.core.models import UnitScopedQuerySet


class ManagementReview(ClusterableModel):
    """
    One management review meeting of a unit (or the district). Its inputs are gathered from the data for
    `period_from`…`period_to` (by default since the previous review) and frozen in `inputs` when the
    minutes are issued. Admin: QMS journey → Management reviews.
    """

    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="management_reviews", verbose_name=_("unit"))
    held_on = models.DateField(_("held on"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chair")
    )
    chair_title = models.CharField(_("chair's title"), max_length=200, blank=True)
    participants = models.TextField(_("participants"), blank=True, help_text=_("One per line: name – position."))
    period_from = models.DateField(_("reviewed period from"))
    period_to = models.DateField(_("reviewed period to"))
    risks_and_opportunities = models.TextField(_("risks and opportunities discussed"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    #: The gathered inputs as they were when the minutes were issued (JSON-safe); empty while in draft.
    inputs = models.JSONField(_("inputs"), default=dict, blank=True, editable=False)
    minutes_issued_at = models.DateTimeField(_("minutes issued at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_to__gte=F("period_from")), name="review_period_in_order"),
            models.CheckConstraint(condition=Q(held_on__gte=F("period_to")), name="review_held_after_period"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.held_on:%d/%m/%Y}"

    @property
    def is_issued(self) -> bool:
        return self.minutes_issued_at is not None


class ReviewActionKind(models.TextChoices):
    IMPROVEMENT = "improvement", _("Opportunity for improvement")
    QMS_CHANGE = "qms_change", _("Change to the QMS")
    RESOURCE = "resource", _("Resource need")


class ReviewActionQuerySet(UnitScopedQuerySet):
    unit_lookup = "review__unit"

    def open(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, on=None):
        return self.open().filter(due_on__lt=on or timezone.localdate())


class ReviewAction(models.Model):
    """An output of a management review, tracked until done (and reviewed at the next meeting)."""

    review = ParentalKey(ManagementReview, on_delete=models.PROTECT, related_name="actions", verbose_name=_("review"))
    kind = models.CharField(_("kind"), max_length=16, choices=ReviewActionKind.choices)
    description = models.TextField(_("what"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_actions", verbose_name=pgettext_lazy("review action", "owner")
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    #: The review link never changes, and simple-history cannot copy a ParentalKey.
    history = HistoricalRecords(excluded_fields=["review"])
    objects = ReviewActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("review action")
        verbose_name_plural = _("review actions")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(result=""), name="review_action_done_needs_result",
                violation_error_message=_("Say what was done before marking the action done."),
            ),
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()
