"""Admin screens of the dossier records: the import (upload, progress, errors) and the data-quality checks."""

from __future__ import annotations

import io

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from qms.core.exports import csv_writer
from qms.core.files import serve_file
from qms.core.tabular import excerpt
from qms.core.views import AdminPageMixin, PermissionRequiredMixin
from qms.core.xlsx import file_response
from qms.dossiers import selectors
from qms.dossiers.forms import DossierImportForm
from qms.dossiers.importer import COLUMNS
from qms.dossiers.models import ImportBatch
from qms.dossiers.services import import_batch_create
from qms.dossiers.tasks import run_import_batch

#: Errors listed on screen; the CSV download has them all (up to ImportBatch.MAX_STORED_ERRORS).
ERRORS_ON_SCREEN = 500
CHECK_ROWS_ON_SCREEN = 200


class DossierImportView(PermissionRequiredMixin, AdminPageMixin, TemplateView):
    """Upload a one-stop export; the import runs as a background task and its page shows the progress."""

    permission_required = "dossiers.add_importbatch"
    template_name = "dossiers/import.html"
    page_title = _("Import dossier records")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", DossierImportForm())
        context["columns"] = COLUMNS
        context["batches"] = ImportBatch.objects.for_user(self.request.user)[:10]
        return context

    def post(self, request, *args, **kwargs):
        form = DossierImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        batch = import_batch_create(
            upload=upload, filename=upload.name, by=request.user, dry_run=form.cleaned_data["dry_run"],
            keep_valid=form.cleaned_data["keep_valid"],
        )
        run_import_batch.enqueue(batch.pk)
        return redirect("dossier_import:batch", pk=batch.pk)


class ImportBatchView(PermissionRequiredMixin, AdminPageMixin, TemplateView):
    """One import: its state and progress (refreshing while it runs), counts and row errors."""

    permission_required = "dossiers.add_importbatch"
    template_name = "dossiers/batch.html"
    page_title = _("Dossier import")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("dossier_import:index"), "label": _("Import dossier records")},
                {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = get_object_or_404(ImportBatch.objects.for_user(self.request.user), pk=kwargs["pk"])
        # Values are cut when stored; cut again here for batches stored before that rule.
        errors = [{**error, "value": excerpt(error["value"])} for error in batch.errors[:ERRORS_ON_SCREEN]]
        context.update(batch=batch, errors=errors, errors_on_screen=ERRORS_ON_SCREEN)
        return context


class ImportBatchErrorsView(PermissionRequiredMixin, View):
    """The batch's row errors as CSV (UTF-8 with BOM, so Excel reads the Vietnamese)."""

    permission_required = "dossiers.add_importbatch"

    def get(self, request, pk):
        batch = get_object_or_404(ImportBatch.objects.for_user(request.user), pk=pk)
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(["Dòng", "Cột", "Giá trị", "Lỗi"])
        for error in batch.errors:
            writer.writerow([error["row"], error["column"], excerpt(error["value"]), error["message"]])
        return file_response(("\ufeff" + out.getvalue()).encode("utf-8"), f"loi-nhap-ho-so-{batch.pk}.csv",
                             "text/csv; charset=utf-8")


class ImportBatchFileView(PermissionRequiredMixin, View):
    """The uploaded file of a batch, to whoever may see the batch (its uploader; superusers)."""

    permission_required = "dossiers.add_importbatch"

    def get(self, request, pk):
        batch = get_object_or_404(ImportBatch.objects.for_user(request.user), pk=pk)
        return serve_file(request, batch.file, batch.file_name)


class DataQualityView(PermissionRequiredMixin, AdminPageMixin, TemplateView):
    """Dossiers that look wrong: due date against the statutory time, pending for over a year, entered twice."""

    permission_required = "dossiers.view_dossier"
    template_name = "dossiers/data_quality.html"
    page_title = _("Data-quality checks")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        mismatches = selectors.due_date_mismatches(user)
        stale = selectors.pending_too_long(user, today)
        context.update(
            today=today, limit=CHECK_ROWS_ON_SCREEN,
            mismatches=mismatches[:CHECK_ROWS_ON_SCREEN], mismatch_count=mismatches.count(),
            stale=stale[:CHECK_ROWS_ON_SCREEN], stale_count=stale.count(),
            duplicates=selectors.duplicates_across_units(user, limit=CHECK_ROWS_ON_SCREEN),
            duplicate_count=selectors.duplicate_group_count(user),
        )
        return context


