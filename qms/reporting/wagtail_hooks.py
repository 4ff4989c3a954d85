"""Registration only: the "Dossiers and reports" menu and the objectives panel of the dashboard."""

from wagtail import hooks

from qms.reporting.panels import ObjectivesPanel
from qms.reporting.viewsets import DossierReportGroup


@hooks.register("register_admin_viewset")
def register_dossiers_and_reports():
    return DossierReportGroup()


@hooks.register("construct_homepage_panels")
def add_objectives_panel(request, panels):
    if request.user.has_perm("reporting.view_report"):
        panels.append(ObjectivesPanel(request))
