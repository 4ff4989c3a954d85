from wagtail import hooks
from wagtail.permissions import register_permission_policy

from qms.core.permissions import KeptRecordPolicy

from .models import ContextIssue, ContextReview, InterestedParty, Risk, RiskAction
from .viewsets import RisksGroup

# Records of the registers are history: an issue or party no longer relevant is marked so, a risk is
# closed; nothing is deleted, superusers included.
for _model in (ContextIssue, InterestedParty, ContextReview, Risk, RiskAction):
    register_permission_policy(_model, KeptRecordPolicy(_model, denied={"delete"}))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return RisksGroup()
