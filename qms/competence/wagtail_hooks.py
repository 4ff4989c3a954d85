"""Registration only: the "Competence" menu and who may change what."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from qms.competence.models import CompetenceRequirement, TrainingRecord
from qms.competence.viewsets import CompetenceGroup
from qms.core.permissions import DistrictCataloguePolicy, KeptRecordPolicy

# Requirements are the district's to define; training records are kept (withdrawn, never deleted).
register_permission_policy(CompetenceRequirement, DistrictCataloguePolicy(CompetenceRequirement))
register_permission_policy(TrainingRecord, KeptRecordPolicy(TrainingRecord, denied={"delete"}))


@hooks.register("register_admin_viewset")
def register_competence():
    return CompetenceGroup()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("competence.withdraw", _("Withdraw"), _("Training record withdrawn"))
