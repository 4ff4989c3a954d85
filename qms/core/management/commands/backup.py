"""
`manage.py backup [--dir DIR] [--keep N]`: the database and every file under MEDIA_ROOT into one
folder with a SHA-256 manifest, safe while the site runs (qms.core.backups, docs/operations.md#backups).
The daily timer (deploy/qms-backup.timer) runs it with `--keep 14`.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext_lazy as _

from qms.core.backups import VENDOR_NAMES, BackupError, backup_create, backup_rotate

HELP = _("Back up the database and the media files into one folder with a SHA-256 manifest.")
HELP_DIR = _("Folder that receives the backups (default: QMS_BACKUP_DIR, %(default)s).")
HELP_KEEP = _("Keep only the newest N backups in that folder, deleting older ones.")
HELP_DATABASE = _("Database alias to back up (default: default).")
KEEP_INVALID = _("--keep must be 1 or more.")
DONE = _("Backup written to %(path)s: %(vendor)s database and %(files)d media files, %(size)s MB in all.")
REMOVED = _("Old backup deleted: %(path)s")


def default_directory() -> Path:
    return Path(getattr(settings, "QMS_BACKUP_DIR", settings.BASE_DIR / "backups"))


class Command(BaseCommand):
    @property
    def help(self):
        return str(HELP)

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="directory", type=Path, default=None,
                            help=str(HELP_DIR % {"default": default_directory()}))
        parser.add_argument("--keep", type=int, default=None, help=str(HELP_KEEP))
        parser.add_argument("--database", default="default", help=str(HELP_DATABASE))

    def handle(self, *args, directory=None, keep=None, database="default", **options):
        if keep is not None and keep < 1:
            raise CommandError(str(KEEP_INVALID))
        directory = directory or default_directory()
        try:
            path = backup_create(directory=directory, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = [p for p in path.rglob("*") if p.is_file()]
        media = sum(1 for p in files if p.relative_to(path).parts[0] == "media")
        size = sum(p.stat().st_size for p in files) / 1_000_000
        vendor = VENDOR_NAMES[connections[database].vendor]
        self.stdout.write(self.style.SUCCESS(str(DONE % {"path": path, "vendor": vendor, "files": media,
                                                         "size": f"{size:.1f}"})))
        if keep:
            for old in backup_rotate(directory=directory, keep=keep):
                self.stdout.write(str(REMOVED % {"path": old}))

