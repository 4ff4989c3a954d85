"""Registration only: the feedback listing, the poster URL and its button on feedback pages."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from qms.core.permissions import KeptRecordPolicy
from qms.feedback import views
from qms.feedback.models import CitizenFeedback, FeedbackPage
from qms.feedback.viewsets import CitizenFeedbackViewSet

# Citizens' answers are the record: read and export only, for everyone.
register_permission_policy(CitizenFeedback, KeptRecordPolicy(CitizenFeedback, denied={"add", "change", "delete"}))


@hooks.register("register_admin_viewset")
def register_feedback():
    return CitizenFeedbackViewSet()


@hooks.register("register_admin_urls")
def feedback_urls():
    return [path("feedback-poster/<int:page_id>/", views.poster_pdf, name="feedback_poster")]


def _poster_button(page, priority):
    if isinstance(page.specific_deferred, FeedbackPage):
        yield Button(_("Print the QR poster"), url=reverse("feedback_poster", args=[page.pk]), icon_name="doc-full", priority=priority)


@hooks.register("register_page_header_buttons")
def poster_header_button(page, user, view_name, next_url=None):
    yield from _poster_button(page, 70)


@hooks.register("register_page_listing_more_buttons")
def poster_listing_button(page, user, next_url=None):
    yield from _poster_button(page, 70)
