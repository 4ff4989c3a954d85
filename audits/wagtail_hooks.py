"""Registration only: the admin screens, dashboard panels and scripts of internal audits."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from audits.models import QuestionBankItem
from audits.panels import MyWorkPanel, NonconformityPanel
from audits.viewsets import AuditsGroup
from qms.core.permissions import DistrictCataloguePolicy

register_permission_policy(QuestionBankItem, DistrictCataloguePolicy(QuestionBankItem))


@hooks.register("register_admin_viewset")
def register_audits():
    return AuditsGroup()


@hooks.register("construct_homepage_panels")
def add_audit_panels(request, panels):
    panels.append(MyWorkPanel(request))
    panels.append(NonconformityPanel(request))


@hooks.register("insert_global_admin_css")
def audits_css():
    return format_html('<link rel="stylesheet" href="{}">', static("audits/audits.css"))
