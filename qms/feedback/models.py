"""
Citizen feedback (ISO 9001 9.1.2, customer satisfaction). Each unit has a public survey page, printed
as a QR poster for its one-stop counter; every answer is a `CitizenFeedback` row that the reports and
the management review count. Answers are never edited or deleted: they are the record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from qms.core.models import UnitScopedQuerySet

#: A rating at or above this counts as satisfied (a five-point scale: 4 = hài lòng, 5 = rất hài lòng).
SATISFIED_FROM = 4


class Rating(models.IntegerChoices):
    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


class FeedbackPage(Page):
    """The public satisfaction survey of one unit. Admin: Pages, under the home page."""

    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="feedback_pages", verbose_name=_("unit"))
    intro = RichTextField(_("introduction"), blank=True)
    thank_you = RichTextField(_("thank-you text"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("unit"), FieldPanel("intro"), FieldPanel("thank_you")]
    #: The survey belongs to this unit (qms.core.pagescope).
    owning_unit_field = "unit"
    parent_page_types = ["core.HomePage"]
    subpage_types: list[str] = []
    template = "feedback/feedback_page.html"

    class Meta:
        verbose_name = _("citizen feedback page")

    def serve(self, request, *args, **kwargs):
        from django.template.response import TemplateResponse

        from qms.core.client_address import client_hash, client_ip
        from qms.feedback.forms import FeedbackForm
        from qms.feedback.services import FeedbackRefused, feedback_submit

        form = FeedbackForm(request.POST or None)
        status = 200
        if request.method == "POST" and form.is_valid():
            try:
                # A kiosk at the counter serves every citizen: its address is not counted.
                counted = client_ip(request) not in settings.QMS_FEEDBACK_UNLIMITED_IPS
                sender = client_hash(request, purpose="feedback") if counted else ""
                feedback_submit(page=self, client_hash=sender, **form.feedback_values())
            except FeedbackRefused as refusal:
                form.add_error(None, refusal.message)
                status = refusal.status
            else:
                return TemplateResponse(request, "feedback/feedback_thanks.html", self.get_context(request))
        context = {**self.get_context(request), "form": form}
        return TemplateResponse(request, self.get_template(request), context, status=status)


class CitizenFeedbackQuerySet(UnitScopedQuerySet):
    def between(self, date_from, date_to):
        """Answers given on local calendar days date_from … date_to, inclusive."""
        return self.filter(submitted_on__gte=date_from, submitted_on__lte=date_to)

    def complaints_or_low(self):
        """What deserves a look: complaints and ratings below 'neutral'."""
        return self.filter(Q(is_complaint=True) | Q(rating__lt=Rating.NEUTRAL))


class CitizenFeedback(models.Model):
    """One citizen's answer to a unit's survey. Admin: Citizen feedback."""

    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="citizen_feedback", verbose_name=_("unit"))
    page = models.ForeignKey(FeedbackPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers")
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    comment = models.TextField(pgettext_lazy("citizen feedback", "comment"), blank=True)
    dossier_code = models.CharField(_("dossier code"), max_length=64, blank=True)
    is_complaint = models.BooleanField(_("complaint or petition"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    #: Local calendar day of submission, stored so period counts need no timezone arithmetic in SQL.
    submitted_on = models.DateField(_("submitted on"), db_index=True)
    #: Keyed hash of the sender's address (`qms.core.client_address.client_hash`), only to count the
    #: answers of one client per day; empty for answers collected on paper. Never the address itself.
    client_hash = models.CharField(_("sender key (hashed address)"), max_length=64, blank=True, editable=False)

    objects = CitizenFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen feedback")
        verbose_name_plural = _("citizen feedback")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5"),
            # One answer per dossier: repeated answers would skew the satisfaction rate.
            models.UniqueConstraint(
                fields=["unit", "dossier_code"], condition=~Q(dossier_code=""), name="feedback_one_answer_per_dossier",
            ),
        ]
        indexes = [models.Index(fields=["unit", "client_hash", "submitted_on"], name="feedback_client_day")]

    def __str__(self):
        return f"{self.unit} – {self.get_rating_display()} ({self.submitted_at:%d/%m/%Y})"
