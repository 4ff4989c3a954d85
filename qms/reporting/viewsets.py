"""Wagtail admin: the "Dossiers and reports" menu (menu_order 400) with the dossier screens and the reports."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from qms.core.models import Unit
from qms.core.viewsets import PermissionViewSet, ScopedIndexView
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


class ScopedObjectMixin:
    """Objectives of units the user cannot see do not exist for them; the unit picker offers only theirs."""

    def get_object(self, queryset=None):
        return get_object_or_404(QualityObjective.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "unit" in form.fields:
            form.fields["unit"].queryset = Unit.objects.for_user(self.request.user).order_by("code")
        return form


class ObjectiveIndexView(ScopedIndexView):
    select_related = ("unit",)


class ObjectiveCreateView(ScopedObjectMixin, CreateView):
    def get_object(self, queryset=None):
        return None


class ObjectiveEditView(ScopedObjectMixin, EditView):
    pass


class ObjectiveDeleteView(ScopedObjectMixin, DeleteView):
    pass


class QualityObjectiveViewSet(ModelViewSet):
    """Quality objectives (ISO 9001, 6.2) measured on the dossier records; met / not met on the report and dashboard."""

    model = QualityObjective
    icon = "pick"
    menu_label = _("Quality objectives")
    index_view_class = ObjectiveIndexView
    add_view_class = ObjectiveCreateView
    edit_view_class = ObjectiveEditView
    delete_view_class = ObjectiveDeleteView
    copy_view_enabled = False
    list_display = ["title", "unit", "indicator", "target_display", "period_kind", "active"]
    list_filter = ["indicator", "period_kind", "active"]
    form_fields = ["title", "unit", "scope", "indicator", "comparator", "target", "period_kind", "plan", "active"]


class DossierReportGroup(ViewSetGroup):
    menu_label = _("Dossiers and reports")
    menu_icon = "table"
    menu_order = 400
    items = (ReportViewSet, DossierViewSet, DossierImportViewSet, DataQualityViewSet, QualityObjectiveViewSet)
