"""
Production: every value that differs between installs comes from the environment.
`DJANGO_SETTINGS_MODULE=qms.settings.production manage.py check --deploy` passes
when the variables below are set (see README, "Production").
"""

import os

from .base import *  # noqa: F403

DEBUG = False

# Required. A long random string; never commit it.
# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
SECRET_KEY = os.environ["SECRET_KEY"]

# Required. Comma-separated host names the site answers to, e.g. "iso.yenthe.gov.vn".
# https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts
ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]

# Origins allowed to POST forms (scheme included), default: https:// + each host.
# https://docs.djangoproject.com/en/5.2/ref/settings/#csrf-trusted-origins
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get("CSRF_TRUSTED_ORIGINS", ",".join(f"https://{h}" for h in ALLOWED_HOSTS)).split(",")
    if o.strip()
]

# HTTPS is terminated by the reverse proxy (nginx), which sets X-Forwarded-Proto.
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "true").lower() == "true"

# WhiteNoise serves the collected static files from gunicorn, right after the security middleware.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")  # noqa: F405

# Hashed static file names so browsers never use a stale admin script after an upgrade.
# https://whitenoise.readthedocs.io/en/stable/django.html
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405

# Persistent database connections: each gunicorn worker keeps its connection for this many seconds
# instead of opening one per request (+60 % throughput measured with PostgreSQL); the health check
# replaces a connection the database closed meanwhile (a restart). 0 turns persistence off.
# https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# One cache shared by every gunicorn worker and the task worker, so a report computed for a page is
# reused by its download from another worker. REDIS_URL (redis://127.0.0.1:6379/1) uses Redis, which
# needs `pip install redis`; otherwise the database cache, whose table `manage.py createcachetable`
# makes (deploy/qms-web.service runs it). docs/operations.md#cache
# https://docs.djangoproject.com/en/5.2/topics/cache/
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
else:
    CACHES = {"default": DATABASE_CACHE}  # noqa: F405

# Where `manage.py backup` writes (the daily deploy/qms-backup.timer keeps 14). Put it on another
# disk, or copy it off the machine. docs/operations.md#backups
QMS_BACKUP_DIR = os.environ.get("BACKUP_DIR", "/srv/qms/backups")

# Mail for notifications and reminders (docs/notifications.md). https://docs.djangoproject.com/en/5.2/topics/email/
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"

# The public address of the admin, used in e-mailed links.
# https://docs.wagtail.org/en/stable/reference/settings.html#wagtailadmin-base-url
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

# Protected files (evidence, import files, documents) leave through nginx: the checking view answers
# with X-Accel-Redirect: SENDFILE_URL/<path under MEDIA_ROOT>, and nginx serves that `internal`
# location (README, "Production"). https://django-sendfile2.readthedocs.io/en/latest/backends.html#nginx
SENDFILE_BACKEND = os.environ.get("SENDFILE_BACKEND", "django_sendfile.backends.nginx")
SENDFILE_URL = os.environ.get("SENDFILE_URL", "/protected-files")

# --- Login throttling (docs/security.md, "Login") ---
# Reverse proxies in front of gunicorn (nginx: 1). Each must append the client's address to
# X-Forwarded-For (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`); login lockouts
# and the public survey's daily limit count per that address. 0 when gunicorn faces the clients itself.
QMS_TRUSTED_PROXIES = int(os.environ.get("QMS_TRUSTED_PROXIES", "1"))
