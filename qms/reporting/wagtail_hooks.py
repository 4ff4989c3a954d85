"""Registration only: the "Dossiers and reports" menu and the objectives and last-month panels of the dashboard."""

from wagtail import hooks

from qms.reporting.panels import LastMonthPanel, ObjectivesPanel
from qms.reporting.viewsets import DossierReportGroup


@hooks.register("register_admin_viewset")
def register_dossiers_and_reports():
    return DossierReportGroup()


@hooks.register("construct_homepage_panels")
def add_objectives_panel(request, panels):
    if request.user.has_perm("reporting.view_report"):
        panels.append(ObjectivesPanel(request))


@hooks.register("construct_homepage_panels")
def add_last_month_panel(request, panels):
    panels.append(LastMonthPanel(request))
