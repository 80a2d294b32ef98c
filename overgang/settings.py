"""Django settings. Everything that differs between machines comes from the environment.

DATABASE_URL        sqlite:///… (default: var/overgang.sqlite3) or postgres://…
OVERGANG_DB_POOL_SIZE     PostgreSQL: the most connections one process holds (default 10)
OVERGANG_DB_POOL_TIMEOUT  PostgreSQL: seconds a request waits for a free one (default 10)
OVERGANG_SECRET_KEY the secret key (default: generated once into var/secret_key)
OVERGANG_DEBUG      1/0 (default 0)
OVERGANG_ALLOWED_HOSTS  comma-separated (default: 127.0.0.1,localhost)
OVERGANG_TOKEN_HOURS    lifetime of API tokens in hours (default 12)
OVERGANG_EMAIL_BACKEND  Django e-mail backend (default: the console, which prints them)
OVERGANG_EMAIL_HOST, OVERGANG_EMAIL_PORT, OVERGANG_EMAIL_FROM  for the SMTP backend
OVERGANG_WARN_MINUTES   how long before a deadline its holder is told (default 60)
OVERGANG_BASE_URL       the address people open Overgang at, for links in e-mails
"""

import os
import secrets
from pathlib import Path

from overgang.database import database
from overgang.env import env_bool, env_int, env_list

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
    "rules.apps.AutodiscoverRulesConfig",
    "overgang.organisations",
    "overgang.patients",
    "overgang.audit",
    "overgang.aids",
    "overgang.requisitions",
    "overgang.stays",
    "overgang.exchange",
    "django_tasks_db",
    "overgang.web",
    "overgang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "overgang.audit.middleware.ChannelMiddleware",
    "overgang.web.middleware.UserTimezoneMiddleware",
    "overgang.web.post_only.PostOnlyRedirectMiddleware",
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
            ],
        },
    },
]

WSGI_APPLICATION = "overgang.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'overgang.sqlite3'}"
DATABASES = {"default": database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

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

API_TOKEN_HOURS = env_int("OVERGANG_TOKEN_HOURS", 12)
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
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": os.environ.get("OVERGANG_EMAIL_HOST", "localhost"),
            "port": env_int("OVERGANG_EMAIL_PORT", 25),
        }
        if _MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("OVERGANG_EMAIL_FROM", "overgang@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # The pool warns of every attempt to connect that failed, several a second while the
    # database is away; each request it fails is logged as a 503 with its reason anyway.
    "loggers": {"psycopg.pool": {"level": "ERROR"}},
}

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
