"""Registration only: the admin screens, dashboard panels and scripts of internal audits."""

from django.http import Http404
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.permissions import register_permission_policy

from audits.models import QuestionBankItem
from audits.panels import MyWorkPanel, NonconformityPanel
from audits.permissions import DocumentPolicy, is_evidence
from audits.views import DocumentsAdminAPIViewSet
from audits.viewsets import AuditsGroup
from qms.core.permissions import DistrictCataloguePolicy

register_permission_policy(QuestionBankItem, DistrictCataloguePolicy(QuestionBankItem))

# Replaces the policy wagtail.documents registers in its ready(): evidence is nobody's to change.
# exact_class, because an exact registration wins the lookup whichever ready() runs last (hooks
# may be loaded before wagtail.documents is ready, which would then overwrite a plain one).
register_permission_policy(get_document_model(), DocumentPolicy(), exact_class=True)


@hooks.register("before_serve_document")
def refuse_evidence(document, request):
    """Evidence leaves only through `audits:attachment`, which checks the user's units; Wagtail's
    /documents/ URL would let a superuser (or a lifted collection restriction) through."""
    if is_evidence(document):
        raise Http404


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


@hooks.register("construct_admin_api", order=100)
def scope_documents_api(router):
    """After wagtail.documents registered its endpoint (order 0): the same, minus what the user may not see."""
    router.register_endpoint("documents", DocumentsAdminAPIViewSet)
