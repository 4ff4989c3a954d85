"""Registration only: the QMS journey's admin screens, URLs and record-keeping policies."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from qms.core.permissions import KeptRecordPolicy
from recognition.models import ConformityAnnouncement, ManagementReview, ReviewAction
from recognition.panels import ReadinessPanel
from recognition.viewsets import JourneyGroup

# Announcements are recorded once (through their own form) and kept; reviews and their actions are
# kept too (an issued review is also frozen by its edit view); actions are added within their review.
register_permission_policy(
    ConformityAnnouncement, KeptRecordPolicy(ConformityAnnouncement, denied={"change", "delete"})
)
register_permission_policy(ManagementReview, KeptRecordPolicy(ManagementReview, denied={"delete"}))
register_permission_policy(ReviewAction, KeptRecordPolicy(ReviewAction, denied={"add", "delete"}))


@hooks.register("register_admin_viewset")
def register_journey():
    return JourneyGroup()


@hooks.register("construct_homepage_panels")
def add_readiness_panel(request, panels):
    panels.append(ReadinessPanel(request))
