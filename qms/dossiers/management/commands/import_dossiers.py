"""
`manage.py import_dossiers FILE [--dry-run] [--keep-valid] [--user USERNAME]`: import dossier
records from a CSV/XLSX export of the one-stop software, with a progress bar. Without --user the
command is not limited to any unit (it runs as the operator of the server).
"""

import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from qms.dossiers.models import ImportBatch
from qms.dossiers.services import dossier_import


class Command(BaseCommand):
    help = "Import dossier records (CSV or XLSX); all or nothing unless --keep-valid."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file, write nothing.")
        parser.add_argument("--keep-valid", action="store_true", help="Write the valid rows even if others have errors.")
        parser.add_argument("--user", help="Import as this user: only rows of their units are accepted.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, dry_run, keep_valid, user, no_progress, **options):
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"No user named {user!r}.")
        started = time.monotonic()
        bar = None if no_progress else ProgressBar(self.stderr if hasattr(self, "stderr") else sys.stderr)
        try:
            batch = dossier_import(path=file, by=by, dry_run=dry_run, keep_valid=keep_valid,
                                   progress=bar.update if bar else None)
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {file}") from exc
        if bar:
            bar.finish()
        elapsed = time.monotonic() - started
        if batch.state == ImportBatch.State.FAILED:
            raise CommandError(batch.message)
        for error in batch.errors[:50]:
            self.stdout.write(f"  dòng {error['row']}, cột {error['column']!s}: {error['value']!r} – {error['message']}")
        if batch.error_count > 50:
            self.stdout.write(f"  … {batch.error_count - 50} more errors (see the batch #{batch.pk} in the admin).")
        wrote = not dry_run and (keep_valid or not batch.error_count)
        summary = (
            f"{batch.rows} rows, {batch.error_count} errors in {batch.error_rows} rows; "
            + (f"{batch.created} added, {batch.updated} updated" if wrote else "nothing written")
            + f" ({elapsed:.1f} s, batch #{batch.pk}, sha256 {batch.sha256[:12]}…)"
        )
        if batch.error_count and not keep_valid:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary) if not batch.error_count else self.style.WARNING(summary))


class ProgressBar:
    """A one-line text bar on stderr: "checking [#######.....] 412,000 / 1,000,000"."""

    def __init__(self, stream, width: int = 30):
        self.stream, self.width, self.last = stream, width, 0.0

    def update(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and done < total:
            return
        self.last = now
        filled = int(self.width * done / total) if total else self.width
        self.stream.write(f"\r{phase:<9} [{'#' * filled}{'.' * (self.width - filled)}] {done:,} / {total:,}   ")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
