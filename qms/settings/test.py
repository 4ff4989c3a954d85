"""Test run: fast hashing, in-memory cache and mail, tasks run inline."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# One media folder per pytest-xdist worker: each removes its own at the end of its session.
MEDIA_ROOT = BASE_DIR / f".test-media{os.environ.get('PYTEST_XDIST_WORKER', '')}"  # noqa: F405
SENDFILE_ROOT = MEDIA_ROOT  # files are sent from this worker's media folder
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "qms.core.files.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["root"]["level"] = "ERROR"  # noqa: F405
QMS_DEMO_ALLOWED = True

# --- Login throttling and Content-Security-Policy stay on in tests (docs/security.md) ---
# The test client's login() authenticates without a request, which axes' backend refuses; this one
# throttles exactly as axes does whenever there is a request (the login page always has one).
AUTHENTICATION_BACKENDS = [
    "qms.core.login_guard.RequestlessLoginBackend",
    "qms.core.permissions.OneQueryModelBackend",
]
