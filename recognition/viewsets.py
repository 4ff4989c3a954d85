"""Admin screens of the QMS journey, under the "QMS journey" menu."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import EditView, InspectView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from qms.core.text import person_name
from qms.core.viewsets import QmsModelViewSet, ScopedIndexView, date_column
from recognition import readiness_views, views
from recognition.forms import ManagementReviewForm
from recognition.inputs import gather_review_inputs
from recognition.models import ConformityAnnouncement, ManagementReview, ReviewAction
from recognition.selectors import reannouncement_status
from recognition.services import MSG_REVIEW_ISSUED


class UnitRecordIndexView(ScopedIndexView):
    select_related = ("unit",)


# --- announcements ---------------------------------------------------------------------------


class AnnouncementInspectView(InspectView):
    template_name = "recognition/announcement_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reannouncement"] = reannouncement_status(self.object.unit, self.object.announced_on.today())
        context["procedures"] = self.object.scope.order_by("field", "code")
        return context


class ConformityAnnouncementViewSet(QmsModelViewSet):
    """Announcements are records: recorded once (with their scope), printed, never edited or deleted."""

    model = ConformityAnnouncement
    name = "announcements"
    icon = "success"
    menu_label = _("Conformity announcements")
    index_view_class = UnitRecordIndexView
    add_view_class = views.AnnouncementCreateView
    inspect_view_class = AnnouncementInspectView
    inspect_view_enabled = True
    #: The scope is listed as a table by the template, not as one long line.
    inspect_view_fields = ["unit", "announced_on", "decision_number", "signer_name", "signer_title", "scope_note", "readiness_gaps",
                           "recorded_at"]
    list_display = ["unit", "decision_number", date_column(ConformityAnnouncement, "announced_on"), "signer_name"]
    list_filter = ["unit", "announced_on"]
    form_fields = ["scope_note"]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("<int:pk>/pdf/", views.announcement_pdf, name="pdf")]


# --- management reviews -----------------------------------------------------------------------


class ReviewEditView(EditView):
    def dispatch(self, request, *args, **kwargs):
        # Looked up among the user's reviews: another unit's id must not reveal that it exists.
        review = ManagementReview.objects.for_user(request.user).filter(pk=kwargs.get("pk")).first()
        if review and review.is_issued:
            messages.error(request, MSG_REVIEW_ISSUED)
            return redirect("reviews:inspect", review.pk)
        return super().dispatch(request, *args, **kwargs)


class ReviewInspectView(InspectView):
    template_name = "recognition/review_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.object
        context["sections"] = (review.inputs if review.is_issued else gather_review_inputs(review)).get("sections", [])
        context["actions"] = review.actions.select_related("owner")
        context["can_issue"] = not review.is_issued and self.request.user.has_perm("recognition.change_managementreview")
        return context


class ManagementReviewViewSet(QmsModelViewSet):
    """Management reviews of the user's units: drafted by quality officers, inputs gathered automatically."""

    model = ManagementReview
    name = "reviews"
    icon = "group"
    menu_label = _("Management reviews")
    index_view_class = UnitRecordIndexView
    edit_view_class = ReviewEditView
    inspect_view_class = ReviewInspectView
    inspect_view_enabled = True
    #: Chair, participants and the inputs are laid out by the template.
    inspect_view_fields = ["unit", "held_on", "period_from", "period_to", "risks_and_opportunities", "conclusions", "minutes_issued_at"]
    list_display = [
        "unit", date_column(ManagementReview, "held_on"), date_column(ManagementReview, "period_from"),
        date_column(ManagementReview, "period_to"), Column("minutes_issued_at", label=_("Minutes issued")),
    ]
    list_filter = ["unit", "held_on"]
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("unit"), FieldPanel("held_on")]),
        FieldRowPanel([FieldPanel("chair"), FieldPanel("chair_title")]),
        FieldPanel("participants"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("period_from"), FieldPanel("period_to")])],
            heading=_("Reviewed period (empty: since the previous review)"),
        ),
        FieldPanel("risks_and_opportunities"),
        FieldPanel("conclusions"),
        InlinePanel("actions", heading=_("Outputs: actions"), label=_("action")),
    ], base_form_class=ManagementReviewForm)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/issue/", views.review_issue, name="issue"),
            path("<int:pk>/minutes.pdf", views.review_minutes_pdf, name="minutes"),
        ]


class ReviewActionIndexView(ScopedIndexView):
    select_related = ("review__unit", "owner")


class ReviewActionViewSet(QmsModelViewSet):
    """Outputs of management reviews, followed until done; owners record what was done."""

    model = ReviewAction
    name = "review_actions"
    icon = "tasks"
    menu_label = _("Review actions")
    index_view_class = ReviewActionIndexView
    list_display = [
        "description", "review", "kind", Column("owner", label=pgettext_lazy("review action", "Owner"), accessor=lambda a: person_name(a.owner)),
        date_column(ReviewAction, "due_on"), date_column(ReviewAction, "done_on"),
    ]
    list_filter = ["kind", "due_on", "done_on"]
    form_fields = ["done_on", "result"]


class ReadinessViewSet(ViewSet):
    """The district overview (every unit's readiness and figures) and each unit's readiness."""

    name = "readiness"
    icon = "success"
    menu_label = _("District overview")

    def get_urlpatterns(self):
        return [
            path("", readiness_views.DistrictOverviewView.as_view(), name="index"),
            path("unit/<int:pk>/", readiness_views.UnitReadinessView.as_view(), name="unit"),
            path("performance/", readiness_views.PerformanceNonconformityView.as_view(), name="performance"),
            path("cycle/", readiness_views.AnnualCycleView.as_view(), name="cycle"),
        ]


class JourneyGroup(ViewSetGroup):
    menu_label = _("QMS journey")
    menu_icon = "success"
    menu_order = 100
    items = (ReadinessViewSet, ManagementReviewViewSet, ReviewActionViewSet, ConformityAnnouncementViewSet)
