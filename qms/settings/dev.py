"""Local development: throwaway secret, debug on, e-mail printed to the console."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
QMS_DEMO_ALLOWED = True
# The web server and the task worker of `make run` are two processes: they share the database cache (made by
# `make run`), so a change the worker makes (an import) reaches the web's kept pages (qms.core.freshness).
CACHES = {"default": DATABASE_CACHE}  # noqa: F405
