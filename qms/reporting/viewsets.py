"""Wagtail admin: the "Dossiers and reports" menu (menu_order 400) with the dossier screens and the reports."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

from qms.core.viewsets import PermissionViewSet, QmsModelViewSet, ScopedIndexView
from qms.dossiers.viewsets import DataQualityViewSet, DossierImportViewSet, DossierViewSet
from qms.reporting import views
from qms.reporting.models import QualityObjective


class ReportViewSet(PermissionViewSet):
    name = "reports"
    icon = "table"
    menu_label = _("Biểu 06 report")
    permission = "reporting.view_report"

    def get_urlpatterns(self):
        return [path("", views.ReportView.as_view(), name="index")]


class ObjectiveIndexView(ScopedIndexView):
    select_related = ("unit",)


class QualityObjectiveViewSet(QmsModelViewSet):
    """Quality objectives (ISO 9001, 6.2) measured on the dossier records; met / not met on the report and dashboard."""

    model = QualityObjective
    icon = "pick"
    menu_label = _("Quality objectives")
    index_view_class = ObjectiveIndexView
    list_display = ["title", "unit", "indicator", "target_display", "period_kind", "active"]
    list_filter = ["indicator", "period_kind", "active"]
    form_fields = ["title", "unit", "scope", "indicator", "comparator", "target", "period_kind", "plan", "active"]


class DossierReportGroup(ViewSetGroup):
    menu_label = _("Dossiers and reports")
    menu_icon = "table"
    menu_order = 400
    items = (ReportViewSet, DossierViewSet, DossierImportViewSet, DataQualityViewSet, QualityObjectiveViewSet)
