"""Wagtail admin screens of the dossier records (grouped with the reports in `qms.reporting.viewsets`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from qms.core.viewsets import PermissionViewSet, QmsModelViewSet, ScopedIndexView
from qms.dossiers import views
from qms.dossiers.models import Dossier


class DossierIndexView(ScopedIndexView):
    search_fields = ["code"]  # enables the search box; `search_queryset` does the work
    select_related = ("unit", "procedure")

    def search_queryset(self, queryset):
        return queryset.filter(code__icontains=self.search_query) if self.is_searching else queryset


class DossierViewSet(QmsModelViewSet):
    """The dossier records, read only, scoped to the user's units; filter by unit, status, channel."""

    model = Dossier
    name = "dossiers"
    icon = "doc-full"
    menu_label = _("Dossier records")
    #: Read only: records come by import.
    index_view_class = DossierIndexView
    inspect_view_enabled = True
    list_display = ["code", "unit", "procedure", "channel", "received_at", "due_at", "result_on", "status"]
    list_filter = ["status", "channel", "unit"]
    list_per_page = 50
    form_fields = ["code"]
    inspect_view_fields = [
        "code", "unit", "procedure", "channel", "received_at", "due_at", "processed_at", "returned_at", "status",
        "digitised", "electronic_result", "received_on", "due_on", "result_on", "closed_on", "working_days", "batch",
    ]


class DossierImportViewSet(PermissionViewSet):
    name = "dossier_import"
    icon = "upload"
    menu_label = _("Import dossiers")
    permission = "dossiers.add_importbatch"

    def get_urlpatterns(self):
        return [
            path("", views.DossierImportView.as_view(), name="index"),
            path("<int:pk>/", views.ImportBatchView.as_view(), name="batch"),
            path("<int:pk>/errors.csv", views.ImportBatchErrorsView.as_view(), name="errors"),
            path("<int:pk>/file/", views.ImportBatchFileView.as_view(), name="file"),
        ]


class DataQualityViewSet(PermissionViewSet):
    name = "dossier_checks"
    icon = "warning"
    menu_label = _("Data-quality checks")
    permission = "dossiers.view_dossier"

    def get_urlpatterns(self):
        return [path("", views.DataQualityView.as_view(), name="index")]
