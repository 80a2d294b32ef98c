"""Through what a change or a read happens: a page, the API, a command or a job.

Set once at the edge (middleware, command, job) so that writers deep down can
record it without every function passing it along.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_channel: ContextVar[str] = ContextVar("overgang_channel", default="shell")


def current_channel() -> str:
    return _channel.get()


@contextmanager
def channel(name: str) -> Iterator[None]:
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)
