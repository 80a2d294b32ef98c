"""The id of the request being served: taken from the caller's `X-Request-ID` when it is a
sane one (a load balancer or an integration that already logs it), made up otherwise.

It lives in a context variable, so every log record written while the request runs can
carry it (overgang.serving.logs.RequestIdFilter) without passing the request around.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# Letters, digits and a few separators, as uuids and the usual proxies' ids are: nothing
# that could break a log line or smuggle a second header, and short enough for a log.
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,64}")

current: ContextVar[str | None] = ContextVar("request_id", default=None)


def accepted(offered: str | None) -> str:
    """The caller's id if it is sane, else a new one."""
    if offered and _SANE.fullmatch(offered):
        return offered
    return uuid.uuid4().hex
