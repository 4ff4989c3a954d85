"""
State changes of the dossier records: importing a file (from the admin, the command, the demo
and tests alike). The checking and writing live in `importer`; this module keeps the batch record
(who, when, file, SHA-256, counts, errors) and the scoping rule for unit staff.

An import batch is a state machine, one function per transition:

    queued ──import_batch_check──▶ checking ──import_batch_write──▶ writing ──import_batch_finish──▶ done
       └──────────────┴──────────────────────────┴──import_batch_fail / import_batches_recover──▶ failed

Each transition is one conditional UPDATE (`WHERE state IN (…)`), so two processes cannot both move
a batch, and a batch declared dead cannot come back to life: `done` is written inside the write
transaction with the rows (all or nothing), and if the batch was failed meanwhile, the rows are undone.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import socket
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.core.freshness import records_changed
from qms.core.models.units import unit_ids_for_user
from qms.core.tabular import TableError
from qms.dossiers import importer
from qms.dossiers.importer import ImportResult, Progress
from qms.dossiers.models import ImportBatch, ImportWorker

MSG_IMPORT_CRASHED = _("The import stopped with an internal error; nothing was written. Tell the administrator.")
MSG_IMPORT_INTERRUPTED = _("The import was interrupted (its process was stopped); nothing was written. Import the file again.")
MSG_IMPORT_ABANDONED = _(
    "The import process stopped abnormally (no sign of life since %(time)s); nothing was written. "
    "Import the file again."
)
MSG_WAITING_FOR_TURN = _("Waiting for the turn to write: another import of the same units is writing…")
MSG_WAIT_TIMEOUT = _("Another import kept writing for too long; nothing was written. Import the file again later.")

Running = (ImportBatch.State.QUEUED, ImportBatch.State.CHECKING, ImportBatch.State.WRITING)
Working = (ImportBatch.State.CHECKING, ImportBatch.State.WRITING)

#: A process on this host that is still alive is not declared dead before this long without a heartbeat
#: (SQLite cannot record a heartbeat while another import holds its write lock).
LIVE_PROCESS_GRACE = datetime.timedelta(minutes=30)


class BatchStateError(Exception):
    """The batch is no longer in the state this transition starts from (another process moved it)."""


def stale_after() -> datetime.timedelta:
    """How long a checking or writing batch may go without a heartbeat before it is declared abandoned."""
    return datetime.timedelta(seconds=getattr(settings, "DOSSIER_IMPORT_STALE_SECONDS", 120))


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


def this_runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def runner_alive(runner: str) -> bool:
    """Whether `runner` ("host:pid") is a process alive on this host (unknown elsewhere: False)."""
    host, _sep, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- writing the batch row --------------------------------------------------------------------


def _waiting_out_locks(write):
    """
    Run `write` (a short write of the batch row); outside a transaction, a SQLite "database is
    locked" (another import holds the write lock longer than the busy timeout) is waited out, up to
    DOSSIER_IMPORT_WAIT_SECONDS, instead of failing the import or the upload.
    """
    deadline = time.monotonic() + getattr(settings, "DOSSIER_IMPORT_WAIT_SECONDS", 1800)
    while True:
        try:
            return write()
        except Exception as exc:
            if not importer.is_locked_error(exc) or connection.in_atomic_block or time.monotonic() > deadline:
                raise
            time.sleep(importer.TURN_RETRY_SECONDS)


def _move(batch: ImportBatch, *, from_states, **fields) -> bool:
    """
    One transition: UPDATE the batch WHERE its state is one of `from_states` (locks waited out).
    Returns whether the batch moved; the instance follows.
    """
    moved = _waiting_out_locks(lambda: ImportBatch.objects.filter(pk=batch.pk, state__in=from_states).update(**fields))
    if moved:
        records_changed(ImportBatch)  # an UPDATE sends no signal: the dashboards list the batch's state
        for name, value in fields.items():
            setattr(batch, name, value)
    return bool(moved)


def _beat(batch: ImportBatch, **fields) -> None:
    """Progress and heartbeat: best effort (a locked SQLite skips it; the next one will do)."""
    try:
        ImportBatch.objects.filter(pk=batch.pk, state__in=Working).update(heartbeat_at=timezone.now(), **fields)
    except Exception as exc:
        if not importer.is_locked_error(exc) or connection.in_atomic_block:
            raise
        return
    for name, value in fields.items():
        setattr(batch, name, value)


# --- the transitions --------------------------------------------------------------------------


def import_batch_check(*, batch: ImportBatch, rows_estimate: int) -> None:
    """queued → checking: this process takes the batch (a second worker given the same task does not)."""
    if not _move(batch, from_states=[ImportBatch.State.QUEUED], state=ImportBatch.State.CHECKING,
                 rows_estimate=rows_estimate, rows_checked=0, heartbeat_at=timezone.now(), runner=this_runner()):
        raise BatchStateError(batch.pk)


def import_batch_write(*, batch: ImportBatch) -> None:
    """checking → writing: every row is checked; the valid ones are about to be written."""
    if not _move(batch, from_states=[ImportBatch.State.CHECKING], state=ImportBatch.State.WRITING,
                 heartbeat_at=timezone.now()):
        raise BatchStateError(batch.pk)


def import_batch_wait(*, batch: ImportBatch) -> None:
    """Still writing, but waiting for another import of the same units to finish (said on its page)."""
    _beat(batch, message=str(MSG_WAITING_FOR_TURN))


def import_batch_turn(*, batch: ImportBatch) -> None:
    """The wait is over: the page stops saying so (the write starts next)."""
    _beat(batch, message="")


def import_batch_finish(*, batch: ImportBatch, result: ImportResult) -> None:
    """
    checking | writing → done, with the counts and errors. Called inside the write transaction when
    rows were written: if the batch was declared abandoned meanwhile, BatchStateError undoes the rows.
    """
    stored = [e.as_dict() for e in result.errors[: ImportBatch.MAX_STORED_ERRORS]]
    if not _move(batch, from_states=Working, state=ImportBatch.State.DONE, rows=result.rows,
                 rows_checked=result.rows, created=result.created, updated=result.updated,
                 error_rows=result.error_rows, error_count=len(result.errors), errors=stored, message="",
                 finished_at=timezone.now(), heartbeat_at=timezone.now()):
        raise BatchStateError(batch.pk)


def import_batch_fail(*, batch: ImportBatch, message: str) -> bool:
    """Any running state → failed, with the reason; a finished batch stays as it is."""
    return _move(batch, from_states=Running, state=ImportBatch.State.FAILED, message=str(message),
                 finished_at=timezone.now())


def abandoned_batches(*, now: datetime.datetime | None = None):
    """Checking or writing batches without a heartbeat for longer than `stale_after()`."""
    cutoff = (now or timezone.now()) - stale_after()
    return ImportBatch.objects.filter(state__in=Working).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )


def import_batches_recover(*, pk: int | None = None, now: datetime.datetime | None = None) -> list[int]:
    """
    Mark failed the batches whose process vanished (killed, timed out, machine restarted): run by the
    worker at start, by `manage.py import_recover` (cron) and when a running batch's page is opened.
    A batch that beats again meanwhile, or whose process on this host is still alive, is left alone.
    """
    now = now or timezone.now()
    batches = abandoned_batches(now=now)
    if pk is not None:
        batches = batches.filter(pk=pk)
    failed = []
    for batch in batches:
        last = batch.heartbeat_at or batch.created_at
        if batch.runner and runner_alive(batch.runner) and last > now - LIVE_PROCESS_GRACE:
            continue
        seen = timezone.localtime(last).strftime("%H:%M:%S %d/%m/%Y")
        moved = ImportBatch.objects.filter(
            pk=batch.pk, state__in=Working, heartbeat_at=batch.heartbeat_at
        ).update(state=ImportBatch.State.FAILED, message=str(MSG_IMPORT_ABANDONED % {"time": seen}), finished_at=now)
        if moved:
            records_changed(ImportBatch)
            failed.append(batch.pk)
    return failed


# --- creating and running ---------------------------------------------------------------------


def import_batch_create(
    *, upload, filename: str, by, dry_run: bool = False, keep_valid: bool = False
) -> tuple[ImportBatch, bool]:
    """
    Keep the uploaded file with its SHA-256 and queue its import: (batch, created). The same file
    from the same user with the same options within DOSSIER_IMPORT_REPEAT_MINUTES (a browser re-sending
    the upload, a double click) gives back the batch already made, unless that one failed.
    """
    sha256 = sha256_of(upload)
    window = datetime.timedelta(minutes=getattr(settings, "DOSSIER_IMPORT_REPEAT_MINUTES", 10))
    same = ImportBatch.objects.filter(
        created_by=by, sha256=sha256, dry_run=dry_run, keep_valid=keep_valid,
        created_at__gte=timezone.now() - window,
    ).exclude(state=ImportBatch.State.FAILED).order_by("-pk").first()
    if same is not None:
        return same, False
    batch = ImportBatch(
        created_by=by, file_name=Path(filename).name[:255], sha256=sha256, dry_run=dry_run, keep_valid=keep_valid,
    )
    batch.file.save(Path(filename).name, File(upload), save=False)  # StorageFailure: nothing written
    try:
        batch.full_clean()
        _waiting_out_locks(batch.save)
    except BaseException:
        batch.file.delete(save=False)  # no file without its batch
        raise
    return batch, True


def import_batch_run(*, batch: ImportBatch, source=None, progress: Progress | None = None) -> ImportBatch:
    """
    Run the import of a queued `batch` (its stored file, or `source`, a path) through its states,
    recording progress and a heartbeat as it goes so the batch's page shows them. Every way out
    leaves the batch done or failed with a reason: a file that cannot be read, an internal error,
    the process being stopped (SystemExit, KeyboardInterrupt). If even that last write fails (the
    database is gone), the batch's heartbeat stops and `import_batches_recover` fails it later.
    """
    user = batch.created_by

    def report(phase: str, done: int, total: int) -> None:
        if phase == "checking":
            _beat(batch, rows_checked=done, rows_estimate=total)
        elif done == 0:
            import_batch_write(batch=batch)
        if progress:
            progress(phase, done, total)

    if source is None:
        batch.file.open("rb")
        source = batch.file
    try:
        import_batch_check(batch=batch, rows_estimate=importer.count_lines(source))
        result = importer.run(
            source, batch.file_name, allowed_units=allowed_units_for(user), dry_run=batch.dry_run,
            keep_valid=batch.keep_valid, batch_id=batch.pk, progress=report, rows_estimate=batch.rows_estimate,
            on_wait=lambda: import_batch_wait(batch=batch), on_turn=lambda: import_batch_turn(batch=batch),
            on_written=lambda result: import_batch_finish(batch=batch, result=result),
        )
        if not result.written:
            import_batch_finish(batch=batch, result=result)
    except BatchStateError:
        # Another process moved the batch (recovery declared it dead, or a second worker has it):
        # its state says what happened; this process writes nothing more.
        batch.refresh_from_db()
    except TableError as exc:
        import_batch_fail(batch=batch, message=str(exc))
    except importer.WriteTurnTimeout:
        import_batch_fail(batch=batch, message=str(MSG_WAIT_TIMEOUT))
    except Exception:
        import_batch_fail(batch=batch, message=str(MSG_IMPORT_CRASHED))
        raise
    except BaseException:
        import_batch_fail(batch=batch, message=str(MSG_IMPORT_INTERRUPTED))
        raise
    finally:
        if batch.file and not batch.file.closed:
            batch.file.close()
    return batch


def dossier_import(
    *, path, by=None, dry_run: bool = False, keep_valid: bool = False, progress: Progress | None = None
) -> ImportBatch:
    """Import a file from disk (the command): the batch records its name and SHA-256, not a copy."""
    path = Path(path)
    batch = ImportBatch(
        created_by=by, file_name=path.name[:255], sha256=sha256_of(path), dry_run=dry_run, keep_valid=keep_valid
    )
    _waiting_out_locks(batch.save)
    return import_batch_run(batch=batch, source=path, progress=progress)


# --- the worker -------------------------------------------------------------------------------


def import_worker_beat(*, name: str) -> None:
    """The worker `name` is alive (its heartbeat thread calls this every few seconds)."""
    ImportWorker.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


def import_worker_gone(*, name: str) -> None:
    ImportWorker.objects.filter(name=name).delete()


def worker_alive(*, now: datetime.datetime | None = None) -> bool:
    """Whether some worker was seen within the last DOSSIER_WORKER_STALE_SECONDS."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=getattr(settings, "DOSSIER_WORKER_STALE_SECONDS", 60))
    return ImportWorker.objects.filter(seen_at__gte=cutoff).exists()
