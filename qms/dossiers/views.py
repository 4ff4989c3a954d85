"""Admin screens of the dossier records: the import (upload, progress, errors) and the data-quality checks."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from django_tasks.backends.immediate import ImmediateBackend

from qms.core.exports import csv_writer
from qms.core.files import StorageFailure, serve_file
from qms.core.tabular import excerpt
from qms.core.views import AdminPageMixin, PermissionRequiredMixin
from qms.core.xlsx import file_response
from qms.dossiers import selectors
from qms.dossiers.forms import DossierImportForm
from qms.dossiers.importer import COLUMNS
from qms.dossiers.models import ImportBatch
from qms.dossiers.services import (
    MSG_WAITING_FOR_TURN,
    import_batch_create,
    import_batch_run,
    import_batches_recover,
    stale_after,
    worker_alive,
)
from qms.dossiers.tasks import run_import_batch

#: Errors listed on screen; the CSV download has them all (up to ImportBatch.MAX_STORED_ERRORS).
ERRORS_ON_SCREEN = 500
CHECK_ROWS_ON_SCREEN = 200
#: Seconds between two refreshes of a running batch's page; slower while it waits for a worker.
REFRESH_SECONDS = 2
REFRESH_NO_WORKER_SECONDS = 30

MSG_NO_WORKER = _(
    "The background worker is not running: the import will start as soon as it runs. "
    "Tell the administrator (the worker is started by `make run`, or as the qms-worker service)."
)


def runs_inline(size: int) -> bool:
    """Small files are imported within the upload request (a second or two); larger ones by the worker."""
    return size <= getattr(settings, "DOSSIER_IMPORT_INLINE_BYTES", 1_000_000)


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
        import_batches_recover()  # the list shows no import as running whose process is gone
        context["batches"] = ImportBatch.objects.for_user(self.request.user)[:10]
        return context

    def post(self, request, *args, **kwargs):
        form = DossierImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            batch, created = import_batch_create(
                upload=upload, filename=upload.name, by=request.user, dry_run=form.cleaned_data["dry_run"],
                keep_valid=form.cleaned_data["keep_valid"],
            )
        except StorageFailure as failure:
            form.add_error("file", failure)
            return render(request, self.template_name, self.get_context_data(form=form))
        if created and runs_inline(upload.size):
            import_batch_run(batch=batch)
        elif created:
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
        if batch.state in (ImportBatch.State.CHECKING, ImportBatch.State.WRITING) and import_batches_recover(pk=batch.pk):
            batch.refresh_from_db()  # its process vanished: the page says so and stops refreshing
        no_worker = batch.state == ImportBatch.State.QUEUED and self.waits_without_worker(batch)
        context.update(
            batch=batch, errors=errors, errors_on_screen=ERRORS_ON_SCREEN,
            no_worker=no_worker, no_worker_message=MSG_NO_WORKER,
            waiting=batch.is_running and self.waits_for_turn(batch), waiting_message=MSG_WAITING_FOR_TURN,
            refresh=(REFRESH_NO_WORKER_SECONDS if no_worker else REFRESH_SECONDS) if batch.is_running else None,
        )
        return context

    @staticmethod
    def waits_without_worker(batch) -> bool:
        """Queued for longer than a worker takes to pick it up, and no worker seen lately."""
        if isinstance(run_import_batch.get_backend(), ImmediateBackend):
            return False
        now = timezone.now()
        grace = datetime.timedelta(seconds=getattr(settings, "DOSSIER_WORKER_STALE_SECONDS", 60))
        if batch.created_at >= now - grace or worker_alive(now=now):
            return False
        # A worker busy with a long SQLite write cannot record its heartbeat meanwhile: the import it
        # runs, alive by its own heartbeat, shows it is there.
        return not ImportBatch.objects.filter(
            state__in=(ImportBatch.State.CHECKING, ImportBatch.State.WRITING), heartbeat_at__gte=now - stale_after()
        ).exists()

    @staticmethod
    def waits_for_turn(batch) -> bool:
        """
        Said by the batch itself (PostgreSQL), or inferred: its rows are all checked while another
        batch is writing (SQLite cannot record the wait while the other import holds its write lock).
        """
        if batch.state == ImportBatch.State.WRITING:
            return batch.message == str(MSG_WAITING_FOR_TURN)
        return (
            batch.state == ImportBatch.State.CHECKING and 0 < batch.rows_estimate <= batch.rows_checked
            and ImportBatch.objects.filter(state=ImportBatch.State.WRITING).exclude(pk=batch.pk).exists()
        )


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


