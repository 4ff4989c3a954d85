"""Registration only: the admin screens and dashboard panels of the shared domain."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from qms.core.models import AdministrativeProcedure, IsoClause
from qms.core.panels import WelcomePanel
from qms.core.permissions import DistrictCataloguePolicy
from qms.core.viewsets import CatalogueGroup

register_permission_policy(AdministrativeProcedure, DistrictCataloguePolicy(AdministrativeProcedure))
register_permission_policy(IsoClause, DistrictCataloguePolicy(IsoClause))


@hooks.register("register_admin_viewset")
def register_catalogues():
    return CatalogueGroup()


@hooks.register("construct_homepage_panels")
def add_welcome_panel(request, panels):
    panels.insert(0, WelcomePanel(request))
