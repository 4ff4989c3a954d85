"""
`manage.py restore PATH [--noinput]`: puts back the database and MEDIA_ROOT from a folder written by
`manage.py backup`. Every file is checked against the manifest's SHA-256 and the backup's migrations
against the code before anything changes (qms.core.backups, docs/operations.md#restoring).
Stop the web and worker services first.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from qms.core.backups import VENDOR_NAMES, BackupError, backup_restore, backup_time

HELP = _("Restore the database and the media files from a backup folder, after checking its SHA-256 sums.")
HELP_PATH = _("The backup folder (qms-backup-…).")
HELP_NOINPUT = _("Do not ask for confirmation.")
HELP_DATABASE = _("Database alias to restore into (default: default).")
CHECKED = _(
    "Backup %(path)s, made %(created)s (version %(version)s): %(vendor)s database and %(files)d media files; "
    "every file matches its SHA-256."
)
WARNING = _("This replaces the WHOLE database and the media folder %(media)s of this site with the backup.")
QUESTION = _("Type 'yes' to restore, anything else to cancel: ")
CANCELLED = _("Restore cancelled; nothing was changed.")
DONE = _("Restored: the database and %(files)d media files are as they were at %(created)s.")
MIGRATE = _("The code is newer than the backup: run `manage.py migrate` now, before starting the site.")


class Command(BaseCommand):
    @property
    def help(self):
        return str(HELP)

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=str(HELP_PATH))
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help=str(HELP_NOINPUT))
        parser.add_argument("--database", default="default", help=str(HELP_DATABASE))

    def handle(self, *args, path, interactive=True, database="default", **options):
        def confirm(manifest):
            media = sum(1 for name in manifest["files"] if name.startswith("media/"))
            self.stdout.write(str(CHECKED % {
                "path": path, "created": backup_time(manifest), "version": manifest.get("version") or "?",
                "vendor": VENDOR_NAMES[manifest["database"]["vendor"]], "files": media,
            }))
            self.stdout.write(self.style.WARNING(str(WARNING % {"media": settings.MEDIA_ROOT})))
            if not interactive:
                return True
            return input(str(QUESTION)).strip().lower() in ("yes", "có")

        try:
            restored = backup_restore(path=path, using=database, confirm=confirm)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if restored is None:
            self.stdout.write(str(CANCELLED))
            return
        self.stdout.write(self.style.SUCCESS(str(DONE % {
            "files": restored.media_files, "created": backup_time(restored.manifest),
        })))
        if restored.needs_migrate:
            self.stdout.write(self.style.WARNING(str(MIGRATE)))
