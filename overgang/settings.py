"""Django settings. Everything that differs between machines comes from the environment.

DATABASE_URL        sqlite:///… (default: var/overgang.sqlite3) or postgres://…
OVERGANG_DB_POOL_SIZE     PostgreSQL: the most connections one process holds (default 10)
OVERGANG_DB_POOL_TIMEOUT  PostgreSQL: seconds a request waits for a free one (default 10)
OVERGANG_SECRET_KEY the secret key (default: generated once into var/secret_key)
OVERGANG_DEBUG      1/0 (default 0)
OVERGANG_ALLOWED_HOSTS  comma-separated (default: 127.0.0.1,localhost)
OVERGANG_TOKEN_HOURS    lifetime of API tokens in hours (default 12)
OVERGANG_TOKENS_PER_USER  live API tokens a user may hold; a new one ends the oldest (default 10)
OVERGANG_EMAIL_BACKEND  Django e-mail backend (default: the console, which prints them)
OVERGANG_EMAIL_HOST, OVERGANG_EMAIL_PORT, OVERGANG_EMAIL_FROM  for the SMTP backend
OVERGANG_EMAIL_FILE_PATH  the folder of the file backend's e-mails (default var/mail)
OVERGANG_WARN_MINUTES   how long before a deadline its holder is told (default 60)
OVERGANG_BASE_URL       the address people open Overgang at, for links in e-mails (default:
                        the address `overgang serve` listens on, else http://127.0.0.1:8000)
OVERGANG_LOG_FORMAT     json: one JSON object per log line; text (the default) for people.
                        `overgang serve` sets json for its processes unless it is set
OVERGANG_STATIC_HASHED  1: pages link to the copies named by their content `overgang collectstatic`
                        made (cached for ten years); `overgang serve` collects them and sets it

Security (docs/security.md; all off by default, so `make run` works over plain HTTP):
OVERGANG_SSL_REDIRECT   1: answer plain HTTP with a redirect to HTTPS
OVERGANG_SECURE_COOKIES 1: session and CSRF cookies are sent over HTTPS only
OVERGANG_HSTS_SECONDS   Strict-Transport-Security max-age (default 0: no header)
OVERGANG_HSTS_INCLUDE_SUBDOMAINS, OVERGANG_HSTS_PRELOAD  1/0 (default 0)
OVERGANG_PROXY_SSL_HEADER  the header the reverse proxy sets to "https" on HTTPS requests,
                        e.g. X-Forwarded-Proto (default: none, trust no header)
OVERGANG_SESSION_HOURS  a login ends this many hours after it began (default 10)
OVERGANG_SESSION_IDLE_MINUTES  and after this many minutes without activity (default 30)
OVERGANG_SSO_PROVIDERS  identity providers for single sign-on, each with its own
                        OVERGANG_SSO_<NAME>_* variables (docs/security.md, "Single sign-on")
OVERGANG_LOGIN_ACCOUNT_LIMIT  wrong passwords that pause an account (default 5)
OVERGANG_LOGIN_ADDRESS_LIMIT  wrong passwords that pause a client address (default 100)
OVERGANG_LOGIN_COOLOFF_MINUTES  how long a pause lasts after the last wrong password (default 15)
OVERGANG_TRUSTED_PROXIES  comma-separated addresses or networks of the reverse proxies whose
                        X-Forwarded-For is believed (default: none, REMOTE_ADDR is the client)

Metrics (docs/operations.md, "Metrics"):
OVERGANG_METRICS_NETWORKS  comma-separated networks whose clients may read /metrics
                        (default: this machine, 127.0.0.0/8,::1; set but empty: none)
OVERGANG_METRICS_TOKEN  a client showing `Authorization: Bearer <token>` may read it too
                        (default: none)
OVERGANG_METRICS_DIR    under gunicorn: the folder the worker processes keep their counts in,
                        emptied at start (default var/metrics; PROMETHEUS_MULTIPROC_DIR if set)
"""

import datetime
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from overgang.database import database
from overgang.env import env_bool, env_header, env_int, env_list, env_networks
from overgang.serving.logs import FORMATS as LOG_FORMATS
from overgang.serving.logs import logging_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def _secret_key() -> str:
    if key := os.environ.get("OVERGANG_SECRET_KEY"):
        return key
    # A local install keeps one generated key so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("OVERGANG_DEBUG", False)
ALLOWED_HOSTS = env_list("OVERGANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "overgang.organisations",
    "overgang.patients",
    "overgang.audit",
    "overgang.aids",
    "overgang.requisitions",
    "overgang.stays",
    "overgang.exchange",
    "overgang.ventilation",
    "overgang.survey",
    "overgang.revisions",
    "overgang.network",
    "overgang.indicators",
    "django_tasks_db",
    "overgang.web",
    "overgang.demo",
    "overgang.backup",
    # `overgang serve`, and the request log.
    "overgang.serving",
]

MIDDLEWARE = [
    # First: the request id is set before anything logs, and every answer is logged.
    "overgang.serving.middleware.RequestLogMiddleware",
    # Next, so that the time it measures includes every other middleware.
    "overgang.web.metrics.requests.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before the middleware that marks Django's own
    # answers no-store: they keep their caching (docs/security.md).
    "overgang.serving.static.StaticFilesMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "overgang.web.security.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "overgang.web.security.sessions.SessionExpiryMiddleware",
    "overgang.audit.middleware.ChannelMiddleware",
    "overgang.web.middleware.UserTimezoneMiddleware",
    # Agreement versions approved in the app (by any process) answer this request too.
    "overgang.web.post_only.PostOnlyRedirectMiddleware",
    # Last, so its 429 for a paused login is rendered in the request's language.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "overgang.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "overgang.web.context_processors.statuses",
                "overgang.web.context_processors.news",
                "overgang.web.context_processors.network_group",
                "overgang.web.context_processors.capacity",
                "overgang.web.context_processors.indicators",
            ],
        },
    },
]

WSGI_APPLICATION = "overgang.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'overgang.sqlite3'}"
DATABASES = {"default": database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: a paused account or address is refused before any password is checked.
    "overgang.organisations.logins.LoginThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend, with the permissions from the admin remembered while access is unchanged.
    "overgang.organisations.permission_backend.StampedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (overgang/organisations/logins.py, docs/security.md). Many nurses share
# one NAT address, so an address is paused only at many times an account's limit.
LOGIN_ACCOUNT_LIMIT = env_int("OVERGANG_LOGIN_ACCOUNT_LIMIT", 5)
LOGIN_ADDRESS_LIMIT = env_int("OVERGANG_LOGIN_ADDRESS_LIMIT", 100)
if not 1 <= LOGIN_ACCOUNT_LIMIT <= LOGIN_ADDRESS_LIMIT:
    raise ImproperlyConfigured(
        "OVERGANG_LOGIN_ACCOUNT_LIMIT must be at least 1 and at most OVERGANG_LOGIN_ADDRESS_LIMIT."
    )
TRUSTED_PROXIES = env_networks("OVERGANG_TRUSTED_PROXIES")
# Who may read /metrics (overgang/web/metrics/access.py, docs/operations.md "Metrics").
METRICS_NETWORKS = env_networks("OVERGANG_METRICS_NETWORKS", ["127.0.0.0/8", "::1"])
METRICS_TOKEN = os.environ.get("OVERGANG_METRICS_TOKEN", "")
AXES_HANDLER = "overgang.organisations.logins.LoginThrottle"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # this order: LoginThrottle counts on it
AXES_FAILURE_LIMIT = LOGIN_ACCOUNT_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("OVERGANG_LOGIN_COOLOFF_MINUTES", 15))
# Attempts while paused are not counted: they would extend the pause without end, and push
# a shared address towards its own limit.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False  # LoginThrottle forgets only the account's own failures
AXES_CLIENT_IP_CALLABLE = "overgang.organisations.logins.client_address"
AXES_LOCKOUT_CALLABLE = "overgang.organisations.logins.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # successful logins need no second log; failures are kept
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # overgang/organisations/admin.py shows them, leaving a trail
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Headers, cookies and sessions: docs/security.md says why each is as it is.
# Only our own files: no inline script or style, no eval. htmx is told so by the
# htmx-config meta tag in base.html; its indicator styles are in app.css.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
# Nothing in Overgang uses a camera, a microphone, the position or a payment: a page
# that tries (an injected script) is refused by the browser.
PERMISSIONS_POLICY: dict[str, list[str]] = {
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
        "serial",
        "hid",
    )
}
SECURE_SSL_REDIRECT = env_bool("OVERGANG_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("OVERGANG_SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = env_int("OVERGANG_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("OVERGANG_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("OVERGANG_HSTS_PRELOAD", False)
if _proxy_ssl_header := env_header("OVERGANG_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https")
# A login lasts a working day at most, and ends sooner when nobody uses it
# (overgang.web.security.sessions): those clocks end a login, not the cookie. The cookie
# lasts a week so that someone back after a weekend is still told why they must log in.
SESSION_HOURS = env_int("OVERGANG_SESSION_HOURS", 10)
SESSION_IDLE_MINUTES = env_int("OVERGANG_SESSION_IDLE_MINUTES", 30)
for _name, _value in [
    ("OVERGANG_SESSION_HOURS", SESSION_HOURS),
    ("OVERGANG_SESSION_IDLE_MINUTES", SESSION_IDLE_MINUTES),
]:
    if _value < 1:
        raise ImproperlyConfigured(f"{_name}={_value} must be at least 1.")
SESSION_COOKIE_AGE = 7 * 24 * 3600

LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("da", "Dansk"),
    ("en", "English"),
]
FORMAT_MODULE_PATH = ["overgang.formats"]
LOCALE_PATHS = [BASE_DIR / "overgang" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The app serves its static files itself (whitenoise), straight from the apps' folders, so
# that tests and `make dev` need no collecting. A server that collected them
# (`overgang serve` does, at start) sets OVERGANG_STATIC_HASHED: its pages then link to
# copies named by their content, which browsers keep for ten years. (Not compressed ones too:
# compressing the admin's hundreds of files tripled the time `overgang serve` takes to
# start, for a stylesheet and a script of a few kilobytes.)
WHITENOISE_USE_FINDERS = True
STATIC_HASHED = env_bool("OVERGANG_STATIC_HASHED", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if STATIC_HASHED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

API_TOKEN_HOURS = env_int("OVERGANG_TOKEN_HOURS", 12)
# A user's live tokens at most (docs/security.md): at the cap a new token ends the oldest.
API_TOKENS_PER_USER = env_int("OVERGANG_TOKENS_PER_USER", 10)
PATIENTS_PER_PAGE = 25

# Background work (`overgang worker`): Django's tasks, stored in the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEADLINE_WARNING_MINUTES = env_int("OVERGANG_WARN_MINUTES", 60)
# Worklists and the start page count open deadlines up to this many and then say "more":
# counting a municipality's hundred thousand exactly, twice a minute, tells nobody more.
WORKLIST_COUNT_CAP = 10_000
BASE_URL = os.environ.get("OVERGANG_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

_MAIL_BACKEND = os.environ.get(
    "OVERGANG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
_MAIL_OPTIONS: dict[str, object] = {}
if _MAIL_BACKEND.endswith("smtp.EmailBackend"):
    _MAIL_OPTIONS = {
        "host": os.environ.get("OVERGANG_EMAIL_HOST", "localhost"),
        "port": env_int("OVERGANG_EMAIL_PORT", 25),
    }
elif _MAIL_BACKEND.endswith("filebased.EmailBackend"):
    # E-mails as files in a folder, for a test or staging system that must send none; the
    # backend refuses to start without the folder.
    _MAIL_OPTIONS = {
        "file_path": os.environ.get("OVERGANG_EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
    }
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND, "OPTIONS": _MAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = os.environ.get("OVERGANG_EMAIL_FROM", "overgang@localhost")

LOG_FORMAT = os.environ.get("OVERGANG_LOG_FORMAT", "text")
if LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(
        f"OVERGANG_LOG_FORMAT={LOG_FORMAT!r}: one of {', '.join(LOG_FORMATS)}."
    )
LOGGING = logging_settings(LOG_FORMAT)

# The outbox of standard messages (docs/messages.md): a folder the hospital's integration
# engine reads, or a URL it receives HTTP POSTs on. Without either, messages wait in the
# folder var/outbox/.
OUTBOX_DIR = os.environ.get("OVERGANG_OUTBOX_DIR", "") or (
    "" if os.environ.get("OVERGANG_OUTBOX_URL") else str(VAR_DIR / "outbox")
)
OUTBOX_URL = os.environ.get("OVERGANG_OUTBOX_URL", "")
# How long a receiver's system has to answer with a receipt before the message shows as
# "no receipt in time".
RECEIPT_WAIT_MINUTES = env_int("OVERGANG_RECEIPT_WAIT_MINUTES", 120)

# --- Single sign-on over OpenID Connect (docs/security.md, "Single sign-on") ---------------
# The identity providers health personnel log in through, each tied to the organisations it
# may vouch for. None configured: only local passwords, as in the demo.
from overgang.web.sso.config import providers_from_env  # noqa: E402

SSO_PROVIDERS = providers_from_env(os.environ)
