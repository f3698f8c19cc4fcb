"""Settings for Golden Thread, read from the environment.

One file serves every environment. Each variable is documented in README.md and
.env.example. Defaults are safe: DEBUG is off unless asked for, and without
DEBUG a real SECRET_KEY must be given.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _read(name: str) -> str | None:
    """Return NAME from the environment, or the contents of the file NAME_FILE."""
    if name in os.environ:
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return None


def env_str(name: str, default: str | None = None) -> str | None:
    value = _read(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _read(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = _read(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = _read(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Without DEBUG a real key must be given to serve the site: the WSGI
# application refuses to start without one, and `check --deploy` reports it.
# Management commands (migrate, collectstatic, checks) run with a throwaway key.
SECRET_KEY = env_str("SECRET_KEY")
SECRET_KEY_MISSING = not SECRET_KEY and not DEBUG
if not SECRET_KEY:
    SECRET_KEY = (
        "django-insecure-local-development-only" if DEBUG else secrets.token_urlsafe(50)
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The council whose plan this installation holds; shown in the header and on
# every page of the board pack.
COUNCIL_NAME = env_str("COUNCIL_NAME", "Northmoor Borough Council")
# The service's one name, as the council calls it: in the header, every page
# title, the board pack and Django admin.
SERVICE_NAME = env_str("SERVICE_NAME", "Golden Thread")
# An action with no progress update for this many days is "stale".
STALE_AFTER_DAYS = env_int("STALE_AFTER_DAYS", 30)

INSTALLED_APPS = [
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "django_filters",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Ours, lowest layer first
    "improvement.kernel",
    "improvement.accounts",
    "visits",
    "findings",
    "improvement.plan",
    "improvement.measures",
    "improvement.audits",
    "improvement.imports",
    "improvement.meetings",
    "improvement.board.documents",
    "improvement.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "improvement.kernel.middleware.known_methods_only",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "improvement.kernel.middleware.no_store_when_signed_in",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "improvement.kernel.middleware.read_only_roles",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages, so the sign-in page can say why the session ended.
    "improvement.accounts.sessions.idle_sign_out",
    # After it, so a session that has ended is not asked for a code.
    "improvement.accounts.two_factor.require_two_factor",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it can answer a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "improvement.urls"
WSGI_APPLICATION = "improvement.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "improvement.kernel.context_processors.service",
            ],
        },
    },
]

# Forms render through Django's templates, drop-downs written in Python.
FORM_RENDERER = "improvement.kernel.renderers.FormRenderer"

# A SQLite file by default so one command runs everything on a laptop;
# PostgreSQL in production and CI through DATABASE_URL. Connections are kept
# open between requests and health-checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Board pages are built once for a plan and its latest change, then kept
# (improvement.board.page_cache). With REDIS_URL every app server shares
# them; without it each process keeps its own, which suits `make run`.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "golden-thread"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 500},
        }
    }
#: Whether the background worker builds the board's pages again after each
#: change, so the first reader after it gets a kept page
#: (improvement.board.warming). On when the cache is shared (REDIS_URL):
#: without it the worker's pages would be kept where no app server looks.
BOARD_PAGES_WARMED = env_bool("BOARD_PAGES_WARMED", bool(REDIS_URL))
#: How long a built board page is kept. A change
#: to anything the page shows makes a new one at once, whatever this says.
BOARD_PAGE_SECONDS = 60 * env_int("BOARD_PAGE_MINUTES", 60)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Passwords follow the NCSC's advice: long (12 characters or more), not a
# common password, not like the person's own details, and no rules about
# mixing kinds of character.
# A password reset link works once, for this many minutes.
PASSWORD_RESET_TIMEOUT = 60 * env_int("PASSWORD_RESET_MINUTES", 60)

# django-axes checks every sign-in (the site's and Django admin's) before
# the password is tried, and counts failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "improvement.accounts.backends.RoleBackend",
]

# Lockout. After SIGN_IN_FAILURE_LIMIT failed sign-ins for one username, or
# from one address, that username or address is locked out until
# SIGN_IN_LOCKOUT_MINUTES pass with no further attempt (each attempt while
# locked starts the wait again). Failures older than that are forgotten.
# Administrators see and clear lockouts in Django admin (Axes).
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 5))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "improvement.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "improvement.accounts.addresses.client_address"
# Two-factor sign-in (django-otp): the name authenticator apps show, and
# how far (in 30-second steps) a phone's clock may be from ours.
OTP_TOTP_ISSUER = SERVICE_NAME
OTP_TOTP_TOLERANCE = 1
AXES_USERNAME_CALLABLE = "improvement.accounts.events.username_tried"
AXES_VERBOSE = False
# How many proxies of ours stand in front of the application, each adding
# the address it saw to X-Forwarded-For. 0 (the default) ignores the header,
# since anyone can send it; behind one proxy that overwrites or appends to it,
# set 1. Used for lockouts and the sign-in record.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Our own sources, and the GOV.UK Frontend build made at set-up (never committed).
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Documents made by background jobs (board pack PDFs, large downloads) are
# kept here and sent only through views that check who is asking; never
# served as static or media files. With several servers, point this at
# storage they share.
STORAGES["documents"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": env_str("DOCUMENTS_ROOT", str(BASE_DIR / "var" / "documents"))
    },
}

# Background jobs (Django's Tasks framework, the django-tasks backport).
# "database" keeps the queue in the application's database; run
# `manage.py db_worker` beside the web server. "immediate" runs each job
# inside the request that asks for it (the tests use it).
TASK_BACKENDS = {
    "database": "django_tasks_db.backend.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = env_str("TASKS_BACKEND", "database")
if _task_backend not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, "
        f"not {_task_backend!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_task_backend]}}

# Security. Production sits behind a TLS-terminating proxy; these are on by
# default whenever DEBUG is off. X-Forwarded-Proto is believed only when asked
# for (TRUST_X_FORWARDED_PROTO=true), behind a proxy that overwrites it: anyone
# can send the header, and over plain HTTP it would pass as HTTPS.
_secure = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _secure)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _secure)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _secure)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _secure else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _secure)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _secure)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
# Signed out after this many minutes without a request (0 turns it off);
# SESSION_COOKIE_AGE (seconds) is the limit after signing in, however active.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): everything from this site only; no
# inline script or style but the one script in base.html, which carries the
# request's nonce; no plugins; no framing; forms post only here. Charts are
# SVG drawn on the server, so they need nothing more.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the site never uses, turned off for it and anything in it.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "improvement-plan@localhost")
# The mail server, for EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Reminders (manage.py send_reminders, daily): owners are reminded this many
# days before each Improvement Board, and sent a weekly digest on this day
# (0 is Monday). Links in emails start with SITE_URL.
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 7)
REMINDER_DIGEST_WEEKDAY = env_int("REMINDER_DIGEST_WEEKDAY", 0)
SITE_URL = env_str("SITE_URL", "http://localhost:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# django-simple-history: keep a change reason on every history row.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# The council's public pages (the accessibility statement and the privacy
# notice, readable without signing in): whom to write to, and within how many
# working days the council promises to answer about accessibility.
ACCESSIBILITY_CONTACT_EMAIL = env_str(
    "ACCESSIBILITY_CONTACT_EMAIL", "accessibility@example.gov.uk"
)
ACCESSIBILITY_REPLY_DAYS = env_int("ACCESSIBILITY_REPLY_DAYS", 10)
PRIVACY_CONTACT_EMAIL = env_str(
    "PRIVACY_CONTACT_EMAIL", "dataprotection@example.gov.uk"
)
