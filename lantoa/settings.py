"""Settings for Lan Tỏa, read from the environment.

One module for every environment: a commune's small server (SQLite, one worker), a
province (PostgreSQL, Redis, several workers) and the test suite differ only in
environment variables. See docs/deployment.md for the full list.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LANTOA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

LANTOA_ENV = os.environ.get("LANTOA_ENV", "development")
PRODUCTION = LANTOA_ENV == "production"
DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1" and not PRODUCTION


def _secret_key() -> str:
    """SECRET_KEY from the environment, else generated once into var/ (never committed)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "lantoa.tenancy",
    "lantoa.plans",
    "lantoa.reach",
    "lantoa.column",
    "lantoa.radio",
    "lantoa.reports",
    "lantoa.api",
    "lantoa.field",
    "lantoa.events",
    "lantoa.learning",
    "lantoa.partners",
    "lantoa.budget",
    "lantoa.awards",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    "lantoa.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lantoa.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language of the user's own profile, else Vietnamese; never the browser's (lantoa.i18n).
    "lantoa.i18n.VietnameseFirstLocaleMiddleware",
    # The second factor (lantoa.tenancy.second_factor): marks a session verified, then holds an unverified one.
    "django_otp.middleware.OTPMiddleware",
    "lantoa.tenancy.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lantoa.tenancy.middleware.CommuneScopeMiddleware",
    "lantoa.tenancy.middleware.ForcePasswordChangeMiddleware",
    "lantoa.tenancy.middleware.AuditlogMiddleware",
    # Last, as django-axes asks: turns a login refused for lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lantoa.urls"
WSGI_APPLICATION = "lantoa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lantoa" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database: a SQLite file under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lantoa.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share one file. Connections persist
    # (DB_CONN_MAX_AGE, as for PostgreSQL): a gunicorn sync worker serves one request at a time on its one
    # connection; between requests it is in autocommit and holds no read snapshot, so it sees every other
    # process's commits (WAL); a schema change by migrate is noticed by SQLite itself; restore writes through
    # SQLite's backup API into the same file. Opening a connection (with the PRAGMAs below) cost ~3 ms a request.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: local memory unless REDIS_URL is set.
if REDIS_URL := os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks: django-tasks with its database backend; a province sets TASKS_BACKEND=rq (tasks in Redis,
# run by RQ workers: django-tasks-rq). Either way ``manage.py worker`` runs them, with the heartbeat and recovery of
# lantoa/tenancy/jobs.py; lantoa/tenancy/taskstate.py reads the queue of either backend.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
if TASKS_BACKEND in ("rq", "django_tasks_rq.RQBackend", "lantoa.tenancy.taskstate.RQBackend"):
    if not REDIS_URL:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL")
    # django-tasks-rq's backend, enqueueing on commit (lantoa/tenancy/taskstate.py).
    TASKS_BACKEND = "lantoa.tenancy.taskstate.RQBackend"
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # A task may run this long before RQ kills it (each heavy step has its own, shorter, limit: tenancy/jobs.py).
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 1800}}
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out account or address before any password is checked.
# The second loads the user of each request with their profile and account (one query); a session signed in under
# Django's own ModelBackend (before December 2026) is signed out once, as a session whose backend is not listed is.
AUTHENTICATION_BACKENDS = ["lantoa.tenancy.accounts.LockoutBackend", "lantoa.tenancy.accounts.AccountBackend"]
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

# --- Login throttling (django-axes, lantoa.tenancy.accounts): after AXES_FAILURE_LIMIT wrong passwords for one
# account, or from one client address, every login of it is refused for AXES_COOLOFF_TIME, the right password too.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "12"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: the account, and the address
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "lantoa.tenancy.network.client_ip"
AXES_LOCKOUT_CALLABLE = "lantoa.tenancy.accounts.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# WAGTAILADMIN_USER_LOGIN_FORM (below, with Wagtail's settings) is tenancy.forms.LoginForm: accounts.LoginForm labelled.

# --- Second factor (lantoa.tenancy.second_factor): leadership and province roles may enrol a TOTP app; the role
# codes listed here (comma-separated, e.g. "leadership,province") must. Empty (the default): optional for all.
LANTOA_REQUIRE_TOTP_FOR = [r.strip() for r in os.environ.get("LANTOA_REQUIRE_TOTP_FOR", "").split(",") if r.strip()]
OTP_TOTP_ISSUER = "Lan Tỏa"

# --- Client address (lantoa.tenancy.network.client_ip): X-Forwarded-For is believed only from these proxies
# (addresses or networks, comma-separated). Production sits behind nginx on the same machine (deploy/nginx); a
# development server talks to its clients directly and trusts no one.
TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1" if PRODUCTION else "").split(",") if p.strip()
]

# --- Vietnamese first.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Our catalogue first; locale_wagtail then fills in the Wagtail admin strings its own vi catalogue lacks.
LOCALE_PATHS = [BASE_DIR / "lantoa" / "locale", BASE_DIR / "lantoa" / "locale_wagtail"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["lantoa.formats"]

# --- Files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Evidence, plan sources, issued reports, uploaded recordings: outside MEDIA_ROOT, served only by views that
# check the commune and the role (lantoa.tenancy.files). With LANTOA_X_ACCEL=1 (production behind nginx) those
# views answer with X-Accel-Redirect to nginx's internal locations below; otherwise Django streams the file.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
LANTOA_X_ACCEL = os.environ.get("LANTOA_X_ACCEL", "0") == "1"
LANTOA_X_ACCEL_PRIVATE = "/_protected/private/"
LANTOA_X_ACCEL_MEDIA = "/_protected/media/"
# The only folders of MEDIA_ROOT served under /media/ (deploy/nginx lists the same): images and their renditions,
# the column's media files and PDF pages, the radio bulletins' audio. Wagtail documents (documents/) are not among
# them: they go through Wagtail's view, which applies the collection's privacy.
PUBLIC_MEDIA_PREFIXES = ("original_images/", "images/", "column/", "radio/", "avatar_images/")
SENDFILE_BACKEND = "lantoa.tenancy.files"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail.
WAGTAIL_SITE_NAME = "Lan Tỏa"
WAGTAILADMIN_USER_LOGIN_FORM = "lantoa.tenancy.forms.LoginForm"  # the password field labelled in Vietnamese
WAGTAILADMIN_BASE_URL = os.environ.get("LANTOA_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAIL_USER_TIME_ZONES = ["Asia/Ho_Chi_Minh"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # never a /media/ link: the view checks the collection's privacy
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# --- Audit trail (django-auditlog): who, when, which fields, old and new value.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Security: secure cookies, HSTS and no DEBUG in production.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every page (lantoa/security.py; deploy/nginx sends the same on cached pages).
# Inline styles stay allowed (style attributes in Wagtail's admin and our templates); the YouTube thumbnail and
# players and the Facebook video player are the only other origins, for the column's video blocks.
CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https://i.ytimg.com"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://www.facebook.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no request to a third party for staff avatars (and no CSP exception)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail (docs/deployment.md): an SMTP server named by EMAIL_HOST, else the console (mails printed, none sent).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lantoa@localhost")
# The daily e-mail of what waits for each user (tenancy.digest): on when e-mail is configured, at this local hour.
_EMAIL_CONFIGURED = EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend"
LANTOA_INBOX_DIGEST = os.environ.get("LANTOA_INBOX_DIGEST", "1" if _EMAIL_CONFIGURED else "0") == "1"
LANTOA_INBOX_DIGEST_HOUR = int(os.environ.get("LANTOA_INBOX_DIGEST_HOUR", "7"))

# --- Logging: one JSON line per request (lantoa.logging.RequestLogMiddleware).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "pythonjsonlogger.json.JsonFormatter"},
        "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    # Tokens of private links (iCal, controller feeds) never reach a log line (lantoa.logging.redact).
    "filters": {"redact_tokens": {"()": "lantoa.logging.RedactTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact_tokens"]},
        "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["redact_tokens"]},
    },
    "loggers": {
        # The development server's own access lines ("GET /plans/calendar/… HTTP/1.1" 200).
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
        "lantoa.request": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "lantoa": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# --- Lan Tỏa.
# The seed plan names "xã Nam Cường" without its province; the 2025 list has two. The demo
# uses the one in Tỉnh Thái Nguyên (ward code 2026). This is the one place that choice lives.
LANTOA_DEMO_COMMUNE_CODE = int(os.environ.get("LANTOA_DEMO_COMMUNE_CODE", "2026"))
