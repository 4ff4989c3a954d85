"""
State changes of the dossier records: importing a file (from the admin, the command, the demo
and tests alike). The checking and writing live in `importer`; this module keeps the batch record
(who, when, file, SHA-256, counts, errors) and the scoping rule for unit staff.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.files.base import File
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.core.models.units import unit_ids_for_user
from qms.core.tabular import TableError
from qms.dossiers import importer
from qms.dossiers.importer import Progress
from qms.dossiers.models import ImportBatch

MSG_IMPORT_CRASHED = _("The import stopped with an internal error; nothing was written. Tell the administrator.")


def sha256_of(source) -> str:
    digest = hashlib.sha256()
    with importer._open_binary(source) as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def allowed_units_for(user) -> frozenset[int] | None:
    """None (no limit) for superusers and for the command run without a user; else the user's units."""
    if user is None or getattr(user, "is_superuser", False):
        return None
    return unit_ids_for_user(user)


def import_batch_create(*, upload, filename: str, by, dry_run: bool = False, keep_valid: bool = False) -> ImportBatch:
    """Keep the uploaded file with its SHA-256 and queue its import."""
    batch = ImportBatch(
        created_by=by, file_name=Path(filename).name[:255], sha256=sha256_of(upload), dry_run=dry_run,
        keep_valid=keep_valid,
    )
    batch.file.save(Path(filename).name, File(upload), save=False)
    batch.full_clean()
    batch.save()
    return batch


def import_batch_run(*, batch: ImportBatch, source=None, progress: Progress | None = None) -> ImportBatch:
    """
    Run the import of `batch` (its stored file, or `source`, a path). Updates the batch as it goes
    (state, rows checked) so the batch's page shows progress, and records the outcome and errors.
    """
    user = batch.created_by

    def report(phase: str, done: int, total: int) -> None:
        if phase == "checking":
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=ImportBatch.State.CHECKING, rows_checked=done, rows_estimate=total
            )
        elif done == 0:
            ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.WRITING)
        if progress:
            progress(phase, done, total)

    if source is None:
        batch.file.open("rb")
        source = batch.file
    try:
        estimate = importer.count_lines(source)
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.CHECKING, rows_estimate=estimate)
        result = importer.run(
            source, batch.file_name, allowed_units=allowed_units_for(user), dry_run=batch.dry_run,
            keep_valid=batch.keep_valid, batch_id=batch.pk, progress=report, rows_estimate=estimate,
        )
    except TableError as exc:
        batch.state, batch.message = ImportBatch.State.FAILED, str(exc)
    except Exception:
        batch.state, batch.message = ImportBatch.State.FAILED, str(MSG_IMPORT_CRASHED)
        batch.finished_at = timezone.now()
        batch.save()
        raise
    else:
        batch.state = ImportBatch.State.DONE
        batch.rows, batch.created, batch.updated = result.rows, result.created, result.updated
        batch.error_rows, batch.error_count = result.error_rows, len(result.errors)
        batch.errors = [e.as_dict() for e in result.errors[: ImportBatch.MAX_STORED_ERRORS]]
    finally:
        if batch.file and not batch.file.closed:
            batch.file.close()
    batch.rows_checked = batch.rows
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def dossier_import(
    *, path, by=None, dry_run: bool = False, keep_valid: bool = False, progress: Progress | None = None
) -> ImportBatch:
    """Import a file from disk (the command): the batch records its name and SHA-256, not a copy."""
    path = Path(path)
    batch = ImportBatch.objects.create(
        created_by=by, file_name=path.name[:255], sha256=sha256_of(path), dry_run=dry_run, keep_valid=keep_valid
    )
    return import_batch_run(batch=batch, source=path, progress=progress)
