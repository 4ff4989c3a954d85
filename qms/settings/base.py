"""
Settings shared by every environment. Safe by default: DEBUG is off and there is
no SECRET_KEY here; dev.py and test.py set throwaway values, production.py reads
the environment.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = False

INSTALLED_APPS = [
    # The project's apps come first so their templates and translations win.
    "qms.core",
    "qms.dossiers",
    "qms.reporting",
    "qms.feedback",
    "procedures_docs",
    # After the documents (acknowledgements are awareness evidence), before audits (whose team check reads it).
    "qms.competence",
    "audits",
    "qms.risks",
    "recognition",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    # After wagtail.admin: its ready() connects Wagtail's workflow e-mails, which this app's ready()
    # disconnects (it sends them itself, docs/notifications.md). Its templates and translations are
    # in templates/ and locale/, so the order does not hide them.
    "qms.notifications",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates for TemplatesSetting (FORM_RENDERER, below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The unit tree is read once per request and shared (qms.core.models.units.unit_graph).
    "qms.core.middleware.UnitGraphMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Admin URLs naming a page of another unit are a 404, whatever the view (docs/security.md).
    "qms.core.middleware.AdminScopeMiddleware",
    # A PDF refused for a font without Vietnamese letters answers with the reason (docs/printing.md#fonts).
    "qms.core.middleware.PdfFontErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Records the request user on django-simple-history rows.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "qms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Form widgets render with the project's templates, so templates/django/forms/widgets/select.html replaces
# Django's two includes per option (issue 11: the report form's unit lists cost 30 ms).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "qms.wsgi.application"

# SQLite is the embedded default; DATABASE_URL (postgres://user:pass@host:port/name)
# switches to PostgreSQL. https://github.com/jazzband/dj-database-url
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# SQLite for several writers at once (docs/operations.md#sqlite-or-postgresql):
# - IMMEDIATE takes the write lock when a transaction begins. A deferred transaction that read
#   first fails at once with "database is locked" if another connection committed meanwhile;
#   an immediate one waits for the lock instead.
# - timeout: how long (seconds) a writer waits for the lock before giving up: longer than the write
#   phase of a large import (tests/dossiers/test_import_processes.py), so a login waits, then succeeds.
# - WAL lets readers go on while one writer writes; synchronous=NORMAL is durable in WAL mode
#   except for the last transactions on a power cut, and much faster than FULL.
QMS_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 60,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(QMS_SQLITE_OPTIONS)
# PostgreSQL without JIT compilation: it compiles any query its planner costs above jit_above_cost, and our
# reports are short queries over many rows. At 10M dossiers the overview's 12 months cost 0.40 s of work and
# 1.4 s of compiling (docs/scale.md).
QMS_POSTGRES_OPTIONS = {"options": "-c jit=off"}
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(QMS_POSTGRES_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

# Vietnamese first, English available (LocaleMiddleware picks from the browser
# or the user's Wagtail preference).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Gives the password field a translatable label (Wagtail's has none: "Password" in any language).
WAGTAILADMIN_USER_LOGIN_FORM = "qms.core.forms.LoginForm"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Day-first date input in every language (see qms/formats/vi/formats.py).
FORMAT_MODULE_PATH = ["qms.formats"]
# The project's own catalogue first (it wins, and makemessages writes there), then the
# Vietnamese catalogue of Wagtail's own strings, which overrides the apps' catalogues
# (Django reads LOCALE_PATHS after INSTALLED_APPS; the first path wins). docs/translation.md.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "collected-static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    # A failed write leaves no partial file and tells the user (qms.core.files).
    "default": {"BACKEND": "qms.core.files.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Complex page models can exceed Django's default of 1000 fields in the editor.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work (large imports). Inline by default; `make run` and production use the database
# backend (TASKS_BACKEND=django_tasks_db.DatabaseBackend) and run `manage.py import_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}
# Dossier imports (docs/dossiers.md): uploads up to this size run in the request, larger ones in the worker;
DOSSIER_IMPORT_INLINE_BYTES = 1_000_000
# the same file re-sent within this many minutes opens the batch already made;
DOSSIER_IMPORT_REPEAT_MINUTES = 10
# a checking or writing batch without a heartbeat for this long is marked failed (import_recover);
DOSSIER_IMPORT_STALE_SECONDS = 120
# an import waits this long at most for another import of the same units to finish writing;
DOSSIER_IMPORT_WAIT_SECONDS = 1800
# a queued batch's page says the worker is not running when none was seen for this long.
DOSSIER_WORKER_STALE_SECONDS = 60

# Wagtail
WAGTAIL_SITE_NAME = _("ISO 9001 quality management")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's database backend with the indexed text and every query folded: "kiem soat" finds "Kiểm soát"
# (qms/core/search.py, docs/documents.md#reading-copies-master-list-search).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "qms.core.search"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "doc", "docx", "odt", "pdf", "rtf", "txt", "xls", "xlsx", "zip", "jpg", "png"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "qms.core.forms.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "qms.core.forms.ImageForm"
# A government network is closed: no release check, no Gravatar calls.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAILADMIN_COMMENTS_ENABLED = True

# --- Uploaded files (docs/security.md, "Uploaded files") ----------------------------------------
# Nothing under MEDIA_ROOT is public: every file goes out through a view that checks the user's
# right to its record (evidence, import files, Wagtail documents). The view hands the file to
# django-sendfile2: in production its nginx backend answers with X-Accel-Redirect to an `internal`
# location (production.py, README); here Wagtail's streaming backend sends it from Python.
# (django-sendfile2's own "simple" backend calls Path.stat() on the str path Wagtail's document
# view passes, so it cannot serve Wagtail documents.)
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# A visitor asking for a document logs in where staff always do (not Wagtail's bare /_util/login/).
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
SENDFILE_BACKEND = "wagtail.utils.sendfile_streaming_backend"
SENDFILE_ROOT = MEDIA_ROOT
#: The internal location nginx maps to MEDIA_ROOT (only used by the nginx backend).
SENDFILE_URL = "/protected-files"
# Upload limits, one per kind of file (bytes); a larger file is refused on the form, nothing stored.
QMS_MAX_EVIDENCE_UPLOAD = WAGTAILDOCS_MAX_UPLOAD_SIZE
#: A one-stop export of a year of a district's dossiers is some tens of MB.
QMS_MAX_IMPORT_UPLOAD = 50 * 1024 * 1024
QMS_MAX_CATALOGUE_UPLOAD = 10 * 1024 * 1024
#: An upload is refused while the media folder would keep less than this free after it.
QMS_MEDIA_FREE_MARGIN = int(os.environ.get("QMS_MEDIA_FREE_MARGIN", 50 * 1024 * 1024))
# --- end of uploaded files ----------------------------------------------------------------------

# django-simple-history: keep the changed fields readable in the admin timeline.
SIMPLE_HISTORY_REVERT_DISABLED = True

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "iso@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Login throttling and Content-Security-Policy (docs/security.md, "Login" and "Content-Security-Policy") ---
INSTALLED_APPS += ["axes", "csp"]
# django-axes counts failed logins and refuses the login of a locked-out client before any password is
# checked; its backend must come first. It needs the request, which Wagtail's login view passes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "qms.core.permissions.OneQueryModelBackend",
]
MIDDLEWARE += [
    "qms.core.content_security.ProjectCSPMiddleware",
    # The everyday listing screens, kept whole until a record changes (qms.core.freshness).
    "qms.core.freshness.KeptPageMiddleware",
    # Last, as axes asks: turns a lockout flagged during the login into the lockout page.
    "axes.middleware.AxesMiddleware",
]
#: Failed logins of one username from one address that lock that pair out ...
AXES_FAILURE_LIMIT = 5
#: ... for this long after the last failure (a failure while locked out restarts it).
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
# Per username AND address: a colleague mistyping on another computer does not lock the owner out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A successful login clears the count, so five typos spread over a week never lock anyone out.
AXES_RESET_ON_SUCCESS = True
# Every failure is kept (who, when, from where, whether it locked), not only the running count.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Wagtail's login page with the Vietnamese message, HTTP 429 (qms.core.login_guard).
AXES_LOCKOUT_CALLABLE = "qms.core.login_guard.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "qms.core.client_address.client_ip"
#: Reverse proxies in front of Django whose X-Forwarded-For is trusted (0: use REMOTE_ADDR).
QMS_TRUSTED_PROXIES = 0

# The public survey (docs/feedback.md): answers accepted per client address and unit per local day.
QMS_FEEDBACK_DAILY_LIMIT = 5
# Addresses not counted (a survey kiosk at a one-stop counter, answered by every citizen in turn).
QMS_FEEDBACK_UNLIMITED_IPS: list[str] = []

# django-csp 4: nothing from other hosts, no plug-ins, no framing by other sites, forms post only here.
# 'report-sample' puts the start of a blocked snippet in the browser's report.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'report-sample'"],
        # Style attributes (style="width: 40%" on bars, indents, Wagtail's own markup) are allowed;
        # style sheets and <style> elements come from this site only.
        "style-src": ["'self'", "'report-sample'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    },
}
# Added under /admin/ only (qms.core.content_security): Wagtail's date pickers and inline panels start
# with inline <script> elements, its rich-text editor (Draftail) writes <style> elements, and the
# report charts are data: images (qms.reporting's PNG charts).
QMS_CSP_ADMIN_UPDATE = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"], "img-src": ["data:"]}

#: The database cache of development and production (without Redis), shared by every process. Room for the
#: kept panels and pages of a district's users (a kept page lives a minute; expired entries go first when full).
#: Django's, writing what one request keeps in one transaction (qms.core.cache).
DATABASE_CACHE = {
    "BACKEND": "qms.core.cache.DatabaseCache",
    "LOCATION": "qms_cache",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

#: Screens kept whole by qms.core.freshness.KeptPageMiddleware (URL names): read-only lists a user opens
#: again and again. Their views must depend only on the records, the user and the request (no files, no clock
#: finer than the minute).
QMS_KEPT_PAGES = [
    "wagtailadmin_home",
    "wagtailadmin_explore",
    "nonconformities:index",
    "reports:index",
    "readiness:index",
]

# Competence (docs/competence.md).
#: A certificate valid for fewer days than this is shown as expiring (matrix, reminders).
QMS_COMPETENCE_EXPIRING_DAYS = 60
#: Someone without a valid internal-auditor certificate on an audit team: "refuse" it, or "justify"
#: (allowed when the plan records why).
QMS_UNCERTIFIED_AUDITOR = "refuse"

# Risks and opportunities (docs/risks.md): likelihood and impact are scored 1..QMS_RISK_SCALE; a score
# (likelihood × impact) from "medium" is medium, from "high" is high.
QMS_RISK_SCALE = 5
QMS_RISK_THRESHOLDS = {"medium": 5, "high": 12}
