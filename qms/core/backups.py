"""
Backup and restore of an install: the database and every file under MEDIA_ROOT (the only copy of
past dossier values and of all evidence) in one folder, with a manifest of SHA-256 sums.

A backup is a folder `qms-backup-YYYYMMDD-HHMMSS/` holding `manifest.json`, the database
(`database.sqlite3`, made with SQLite's online backup API, safe while the site runs; or
`database.pgdump`, `pg_dump -Fc`) and `media/`. It is written under a hidden `.….partial` name and
renamed when complete, so a folder with the right name is always a whole backup.

Restoring checks every file against the manifest and the migration state against the code before
it changes anything. Media are copied to a folder beside MEDIA_ROOT and swapped in by renaming, and
swapped back if the database restore fails. docs/operations.md#backups.

Our own code over the standard library rather than django-dbbackup: the manifest, the check before
anything is touched and the media swap would have to wrap dbbackup's files anyway, and its
`mediarestore` writes into the live media folder.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.core.freshness import records_changed, structure_changed

FORMAT = 1
PREFIX = "qms-backup-"
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_CHUNK = 1024 * 1024

UNSUPPORTED_DATABASE = _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
TOOL_MISSING = _("%(tool)s was not found: install the PostgreSQL client programs (the server's version or newer).")
TOOL_FAILED = _("%(tool)s failed: %(error)s")
NOT_A_BACKUP = _("%(path)s is not a backup: it has no manifest.json.")
MANIFEST_UNREADABLE = _("The manifest of %(path)s cannot be read (%(error)s). Nothing was restored.")
FILE_OUTSIDE = _("The manifest names a file outside the backup (%(name)s). Nothing was restored.")
FILE_MISSING = _("The backup is incomplete: %(name)s is missing. Nothing was restored.")
FILE_CHANGED = _("The backup is damaged: %(name)s does not match its SHA-256 in the manifest. Nothing was restored.")
WRONG_DATABASE = _("This backup holds a %(backup)s database but the site uses %(site)s. Nothing was restored.")
NEWER_THAN_CODE = _(
    "The backup is newer than this code: migration %(app)s.%(name)s is unknown here. "
    "Install the version that made the backup (%(version)s) first. Nothing was restored."
)


class BackupError(Exception):
    """A backup cannot be made or restored; the message (Vietnamese) is for the operator."""


@dataclass(frozen=True)
class Restored:
    manifest: dict
    media_files: int
    #: The code has migrations the backup lacks: the operator runs `manage.py migrate`.
    needs_migrate: bool


def backup_create(*, directory: Path, using: str = "default") -> Path:
    """Write a backup folder into `directory` and return it."""
    connection = connections[using]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(UNSUPPORTED_DATABASE % {"vendor": connection.vendor})
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    created = timezone.localtime()
    final = _free_name(directory, PREFIX + created.strftime("%Y%m%d-%H%M%S"))
    partial = directory / f".{final.name}.partial"
    partial.mkdir()
    try:
        database = partial / DATABASE_FILES[connection.vendor]
        if connection.vendor == "sqlite":
            _sqlite_dump(connection, database)
        else:
            _run("pg_dump", ["--format=custom", f"--file={database}"], connection)
        files = {database.name: _sha256(database)}
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            for source in sorted(p for p in media_root.rglob("*") if p.is_file()):
                name = PurePosixPath(MEDIA, *source.relative_to(media_root).parts)
                files[str(name)] = _copy_hashing(source, partial / name)
        manifest = {
            "format": FORMAT,
            "created": created.isoformat(),
            "version": _project_version(),
            "database": {"vendor": connection.vendor, "file": database.name},
            "migrations": _migration_state(connection),
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def backup_list(*, directory: Path) -> list[Path]:
    """Complete backups in `directory`, oldest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name.startswith(PREFIX) and (p / MANIFEST).is_file())


def backup_rotate(*, directory: Path, keep: int) -> list[Path]:
    """Delete the oldest complete backups beyond `keep`; returns the deleted folders."""
    backups = backup_list(directory=directory)
    removed = backups[: max(len(backups) - keep, 0)]
    for path in removed:
        shutil.rmtree(path)
    return removed


def backup_verify(*, path: Path) -> dict:
    """The manifest, once every file it names is present and has its SHA-256; BackupError otherwise."""
    path = Path(path)
    if not (path / MANIFEST).is_file():
        raise BackupError(NOT_A_BACKUP % {"path": path})
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        files = dict(manifest["files"])
        database = manifest["database"]["file"]
        if not isinstance(manifest["migrations"], dict) or manifest["database"]["vendor"] not in DATABASE_FILES:
            raise ValueError(MANIFEST)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(MANIFEST_UNREADABLE % {"path": path, "error": error}) from error
    if database not in files:
        raise BackupError(FILE_MISSING % {"name": database})
    for name, expected in files.items():
        file = _inside(path, name)
        if not file.is_file():
            raise BackupError(FILE_MISSING % {"name": name})
        if _sha256(file) != expected:
            raise BackupError(FILE_CHANGED % {"name": name})
    return manifest


def backup_restore(
    *, path: Path, using: str = "default", confirm: Callable[[dict], bool] | None = None
) -> Restored | None:
    """
    Replace the database and MEDIA_ROOT with the backup at `path`. Everything is checked first;
    `confirm(manifest)` is then asked (None when it says no: nothing was touched).
    """
    path = Path(path)
    manifest = backup_verify(path=path)
    connection = connections[using]
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(WRONG_DATABASE % {
            "backup": VENDOR_NAMES[manifest["database"]["vendor"]], "site": VENDOR_NAMES.get(connection.vendor, connection.vendor),
        })
    needs_migrate = _check_migrations(manifest)
    if confirm is not None and not confirm(manifest):
        return None

    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Beside MEDIA_ROOT, so the swap is a rename on one file system.
    staging = Path(tempfile.mkdtemp(prefix=f".{media_root.name}.restore-", dir=media_root.parent))
    old = staging.with_name(staging.name.replace(".restore-", ".old-"))
    media_files = 0
    try:
        for name, expected in manifest["files"].items():
            parts = PurePosixPath(name).parts
            if parts[0] != MEDIA:
                continue
            copied = _copy_hashing(_inside(path, name), staging.joinpath(*parts[1:]))
            if copied != expected:  # changed since it was checked
                raise BackupError(FILE_CHANGED % {"name": name})
            media_files += 1
        _match_folder(staging, media_root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    had_media = media_root.exists()
    if had_media:
        media_root.rename(old)
    try:
        staging.rename(media_root)
        try:
            database = _inside(path, manifest["database"]["file"])
            if connection.vendor == "sqlite":
                _sqlite_load(connection, database)
            else:
                connection.close()  # our own session must hold no lock while pg_restore drops tables
                _run(
                    "pg_restore",
                    ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
                     f"--dbname={connection.settings_dict['NAME']}", str(database)],
                    connection,
                )
        except BaseException:
            media_root.rename(staging)
            raise
    except BaseException:
        if had_media:
            old.rename(media_root)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if had_media:
        shutil.rmtree(old, ignore_errors=True)
    records_changed()  # a panel kept in a cache outside the database (Redis) shows the records before the restore
    structure_changed()  # and the unit tree kept with it
    return Restored(manifest=manifest, media_files=media_files, needs_migrate=needs_migrate)


def backup_time(manifest: dict) -> str:
    """When the backup was made, as the operator reads it (local time, day first)."""
    return timezone.localtime(datetime.fromisoformat(manifest["created"])).strftime("%d/%m/%Y %H:%M:%S")


def _sqlite_dump(connection, target: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        # A self-contained file: reading it later creates no -wal/-shm beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def _sqlite_load(connection, source: Path) -> None:
    backup = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        backup.backup(connection.connection)
    finally:
        backup.close()
    # Reconnect, so the settings' PRAGMAs (WAL) apply to the restored file (a no-op for an in-memory one).
    connection.close()


def _run(tool: str, args: list[str], connection) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(TOOL_MISSING % {"tool": tool})
    db = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                          ("NAME", "PGDATABASE")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    result = subprocess.run([executable, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(TOOL_FAILED % {"tool": tool, "error": result.stderr.strip()[-2000:]})


def _migration_state(connection) -> dict[str, str]:
    """The last applied migration of each app (names start with their number)."""
    state: dict[str, str] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        state[app] = name
    return state


def _check_migrations(manifest: dict) -> bool:
    """Refuse a backup whose migrations the code does not know; True when the code is ahead of it."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces or ())
    for app, name in sorted(manifest["migrations"].items()):
        if app in loader.migrated_apps and (app, name) not in known:
            raise BackupError(
                NEWER_THAN_CODE % {"app": app, "name": name, "version": manifest.get("version") or "?"}
            )
    leaves = dict(loader.graph.leaf_nodes())
    return any(manifest["migrations"].get(app) != name for app, name in leaves.items())


def _project_version() -> str:
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--tags", "--dirty"],  # noqa: S607
            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _free_name(directory: Path, name: str) -> Path:
    candidate, n = directory / name, 1
    while candidate.exists() or (directory / f".{candidate.name}.partial").exists():
        candidate, n = directory / f"{name}-{n}", n + 1
    return candidate


def _inside(root: Path, name: str) -> Path:
    """`root/name`, refusing absolute names and `..` (the manifest is read from disk)."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(FILE_OUTSIDE % {"name": name})
    return root.joinpath(*relative.parts)


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(source: Path, target: Path) -> str:
    """Copy a file (with its times and mode) and return the SHA-256 of what was written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    shutil.copystat(source, target)
    return digest.hexdigest()


def _match_folder(staging: Path, media_root: Path) -> None:
    """Give the new media folder the old one's mode and owner (mkdtemp makes it 0700, root-owned under sudo)."""
    if not media_root.exists():
        staging.chmod(0o755)
        return
    stat = media_root.stat()
    staging.chmod(stat.st_mode & 0o7777)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and (stat.st_uid, stat.st_gid) != (0, 0):
        for folder, dirs, files in os.walk(staging):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.chown(name, stat.st_uid, stat.st_gid)
