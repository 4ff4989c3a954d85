"""
Uploaded files: how they leave the server and how big they may be (docs/security.md, "Uploaded files").

Nothing under MEDIA_ROOT is published. A view that has checked the user's right to the record calls
`serve_file`, which hands the file to django-sendfile2 (`SENDFILE_BACKEND`): in production nginx
sends it from an `internal` location after the view's X-Accel-Redirect, so Python never streams it.
Wagtail's own document view (`wagtaildocs_serve`) goes the same way through `wagtail.utils.sendfile`.

A media folder that is read-only or full must not cost the user what they typed, nor leave half a
file behind (docs/operations.md, "Storage failures"): forms whose files are kept check the room
first (`validate_storage_room`); `MediaStorage` removes a partly written file and raises
`StorageFailure`, a ValidationError the form shows; `atomic_with_files` undoes the files stored in a
transaction that rolls back.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import logging
import os
import shutil

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.http import Http404
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _
from django_sendfile import sendfile

logger = logging.getLogger(__name__)

MSG_FILE_TOO_BIG = _("The file is %(size)s MB, larger than the %(limit)s MB allowed.")
MSG_STORAGE_READ_ONLY = _(
    "The file could not be stored: the server's file folder is read-only. Nothing was saved and what you "
    "typed is kept below; tell the administrator, then try again."
)
MSG_STORAGE_FULL = _(
    "The file could not be stored: the server's disk is full (%(free)s MB free). Nothing was saved and what "
    "you typed is kept below; tell the administrator, then try again."
)
MSG_STORAGE_ERROR = _(
    "The file could not be stored (%(error)s). Nothing was saved and what you typed is kept below; tell the "
    "administrator, then try again."
)


def serve_file(request, fieldfile, filename: str):
    """The response that sends `fieldfile` (a FieldFile under MEDIA_ROOT) as a download named `filename`.
    Call it only after checking that `request.user` may see the record the file belongs to."""
    if not fieldfile:
        raise Http404
    response = sendfile(request, fieldfile.path, attachment=True, attachment_filename=filename)
    # A file uploaded by one user is never rendered as a page in another's browser.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def _megabytes(size: int) -> str:
    """Megabytes with one decimal where it matters, in the user's number format ("2,5" in Vietnamese)."""
    return floatformat(round(size / (1024 * 1024), 1), -1)


def validate_upload_size(upload, limit: int | None) -> None:
    """Refuse an upload larger than `limit` bytes (a `QMS_MAX_*_UPLOAD` setting) before anything is stored."""
    if upload is not None and limit and upload.size > limit:
        raise ValidationError(
            MSG_FILE_TOO_BIG, code="file_too_big", params={"size": _megabytes(upload.size), "limit": _megabytes(limit)}
        )


class StorageFailure(ValidationError):
    """The media folder refused a file. A ValidationError, so every form that shows a service's errors
    shows this one with the form as the user filled it."""

    @classmethod
    def from_os_error(cls, error: OSError, folder) -> StorageFailure:
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return cls(MSG_STORAGE_READ_ONLY, code="storage_read_only")
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return cls(MSG_STORAGE_FULL, code="storage_full", params={"free": _megabytes(_free_bytes(folder))})
        return cls(MSG_STORAGE_ERROR, code="storage_error", params={"error": error.strerror or error})


def _free_bytes(folder) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0


def validate_storage_room(upload) -> None:
    """Refuse, before anything is written, an upload the media folder cannot take: read-only, or fewer
    free bytes than the file plus QMS_MEDIA_FREE_MARGIN (the database and logs share the disk)."""
    if upload is None:
        return
    folder = settings.MEDIA_ROOT
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as error:
        raise StorageFailure.from_os_error(error, folder) from error
    if not os.access(folder, os.W_OK):
        raise StorageFailure(MSG_STORAGE_READ_ONLY, code="storage_read_only")
    free = _free_bytes(folder)
    if free < upload.size + settings.QMS_MEDIA_FREE_MARGIN:
        raise StorageFailure(MSG_STORAGE_FULL, code="storage_full", params={"free": _megabytes(free)})


#: The files stored inside the innermost `atomic_with_files` block, if any.
_stored_in_block: contextvars.ContextVar[list | None] = contextvars.ContextVar("stored_in_block", default=None)


class MediaStorage(FileSystemStorage):
    """The media folder (settings.STORAGES["default"]): a write that fails leaves no partial file and
    raises StorageFailure; a file stored inside `atomic_with_files` is removed if that block rolls back."""

    def _save(self, name, content):
        try:
            name = super()._save(name, content)
        except OSError as error:
            logger.error("Storing %s under %s failed: %s", name, self.location, error)
            with contextlib.suppress(OSError):
                # _save names a file that did not exist, so whatever is there now is our partial write.
                if os.path.exists(self.path(name)):
                    os.remove(self.path(name))
            raise StorageFailure.from_os_error(error, self.location) from error
        stored = _stored_in_block.get()
        if stored is not None:
            stored.append((self, name))
        return name


@contextlib.contextmanager
def atomic_with_files(using=None):
    """`transaction.atomic()` for work that stores files: when the block fails, the rows roll back
    and the files stored in it are removed, so no file is left that no record points to."""
    outer = _stored_in_block.get()
    stored: list = []
    token = _stored_in_block.set(stored)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        for storage, name in stored:
            with contextlib.suppress(OSError):
                storage.delete(name)
        raise
    else:
        if outer is not None:
            outer.extend(stored)  # the enclosing block may still roll back
    finally:
        _stored_in_block.reset(token)
