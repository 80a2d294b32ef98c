"""Logging: one JSON object per line for a log collector (OVERGANG_LOG_FORMAT=json, what
`overgang serve` uses), plain lines for people (the default: `make dev`, tests, commands).

Every record written while a request is served carries its request id, errors included,
so one id finds everything a request did.
"""

from __future__ import annotations

import logging
from typing import Any

from overgang.serving import request_id

FORMATS = ("text", "json")
# One JSON object per line: level, logger, message, request_id, whatever `extra` the call
# passed (the request log's status, duration_ms …) and the time in UTC, ISO 8601.
JSON_FORMATTER: dict[str, Any] = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
    "rename_fields": {"levelname": "level", "name": "logger"},
    "timestamp": "time",
}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if (current := request_id.current.get()) is not None:
            record.request_id = current
        return True


def logging_settings(log_format: str) -> dict[str, Any]:
    """settings.LOGGING in `log_format` (one of FORMATS)."""
    formatters: dict[str, dict[str, Any]] = {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            # Records outside a request have no id.
            "defaults": {"request_id": "-"},
        },
        "json": JSON_FORMATTER,
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "overgang.serving.logs.RequestIdFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            # The pool warns of every attempt to connect that failed, several a second
            # while the database is away; each request it fails is logged as a 503 with its
            # reason anyway.
            "psycopg.pool": {"level": "ERROR"},
            # One line per request (overgang.serving.middleware) and the worker's own.
            "overgang.requests": {"level": "INFO"},
            "overgang.worker": {"level": "INFO"},
        },
    }
