"""
Uploaded files: how they leave the server and how big they may be (docs/security.md, "Uploaded files").

Nothing under MEDIA_ROOT is published. A view that has checked the user's right to the record calls
`serve_file`, which hands the file to django-sendfile2 (`SENDFILE_BACKEND`): in production nginx
sends it from an `internal` location after the view's X-Accel-Redirect, so Python never streams it.
Wagtail's own document view (`wagtaildocs_serve`) goes the same way through `wagtail.utils.sendfile`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _
from django_sendfile import sendfile

MSG_FILE_TOO_BIG = _("The file is %(size)s MB, larger than the %(limit)s MB allowed.")


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
