"""`overgang check --deploy` is clean with the production environment docs/security.md
gives, and a wrong value there stops start-up with a message that names it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

# docs/security.md, "Production environment", with a made-up host and a fresh key.
PRODUCTION = {
    "OVERGANG_SECRET_KEY": secrets.token_urlsafe(50),
    "OVERGANG_ALLOWED_HOSTS": "overgang.example.org",
    "OVERGANG_BASE_URL": "https://overgang.example.org",
    "OVERGANG_SSL_REDIRECT": "1",
    "OVERGANG_SECURE_COOKIES": "1",
    "OVERGANG_HSTS_SECONDS": "31536000",
    "OVERGANG_HSTS_INCLUDE_SUBDOMAINS": "1",
    "OVERGANG_HSTS_PRELOAD": "1",
    "OVERGANG_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "OVERGANG_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "OVERGANG_EMAIL_HOST": "smtp.example.org",
}


def overgang(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    # Settings are read once, at start-up: a fresh process reads this environment, and
    # none of the test run's own (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("OVERGANG_", "DJANGO_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "overgang", *args],
        env=env | environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_is_clean_in_the_documented_production_setup():
    result = overgang("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_settings_arrive_where_django_reads_them():
    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = overgang("shell", "-c", script, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_a_wrong_proxy_header_stops_start_up_and_names_itself():
    result = overgang(
        "check", **PRODUCTION | {"OVERGANG_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"}
    )
    assert result.returncode != 0
    assert "OVERGANG_PROXY_SSL_HEADER" in result.stderr


def test_a_session_lifetime_of_zero_stops_start_up_and_names_itself():
    result = overgang("check", OVERGANG_SESSION_IDLE_MINUTES="0")
    assert result.returncode != 0
    assert "OVERGANG_SESSION_IDLE_MINUTES" in result.stderr
