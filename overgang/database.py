"""The database from DATABASE_URL: SQLite for the embedded demo, PostgreSQL through a pool.

A server process serves each request in a thread of its own (`make run`). Each thread that
kept a connection of its own would hold as many connections as requests ran at once, until
PostgreSQL refused everyone, its administrator included. With the pool a process holds at
most OVERGANG_DB_POOL_SIZE connections; a request that finds them all busy waits up to
OVERGANG_DB_POOL_TIMEOUT seconds for one and is then answered 503 (overgang.unavailable).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from overgang.env import env_int

POOL_SIZE = 10
POOL_TIMEOUT_SECONDS = 10
# Kept open while idle, so that a quiet server answers its first request without connecting.
POOL_MIN_SIZE = 2


def shown(url: str) -> str:
    """DATABASE_URL as it may be printed and logged: without its password."""
    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.netloc.rpartition("@")[2]
        parts = parts._replace(netloc=f"{parts.username or ''}:***@{host}")
    if parts.query:
        query = [(k, "***" if k == "password" else v) for k, v in parse_qsl(parts.query)]
        parts = parts._replace(query=urlencode(query, safe="*"))
    return urlunsplit(parts)


def database(url: str) -> dict[str, Any]:
    """Django's settings of the one database at `url`."""
    try:
        settings: dict[str, Any] = dict(dj_database_url.parse(url))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL={shown(url)}: {error}") from None
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of
        # failing half-way through a transaction; WAL lets readers go on meanwhile.
        settings["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        settings["CONN_MAX_AGE"] = 0
        return settings
    if settings["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_URL={shown(url)}: Overgang runs on SQLite or PostgreSQL only."
        )
    size = env_int("OVERGANG_DB_POOL_SIZE", POOL_SIZE)
    if size < 1:
        raise ImproperlyConfigured(f"OVERGANG_DB_POOL_SIZE={size}: at least 1.")
    settings["OPTIONS"] = {
        **settings.get("OPTIONS", {}),
        "pool": {
            "min_size": min(POOL_MIN_SIZE, size),
            "max_size": size,
            "timeout": env_int("OVERGANG_DB_POOL_TIMEOUT", POOL_TIMEOUT_SECONDS),
        },
    }
    # The pool keeps the connections; a request borrows one and gives it back when it ends.
    settings["CONN_MAX_AGE"] = 0
    # A connection the server dropped (a restart) is replaced before a request gets it.
    settings["CONN_HEALTH_CHECKS"] = True
    return settings
