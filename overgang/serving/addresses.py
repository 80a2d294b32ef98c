"""The address `overgang serve` listens on, and the address links in e-mails point to."""

from __future__ import annotations

import socket

DEFAULT_HOST = "127.0.0.1"
# Listening on every interface: people open the machine by its name, not by 0.0.0.0.
_EVERY_INTERFACE = {"0.0.0.0", "::", ""}


class BadAddress(ValueError):
    pass


def bind_of_port(port: int) -> str:
    if not 1 <= port <= 65535:
        raise BadAddress(f"--port {port}: a port is a number from 1 to 65535.")
    return f"{DEFAULT_HOST}:{port}"


def checked_bind(bind: str) -> str:
    """`host:port`, `[v6]:port` or `unix:/path`, as gunicorn takes it."""
    if bind.startswith("unix:") and len(bind) > len("unix:"):
        return bind
    host, colon, port = bind.rpartition(":")
    if not colon or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise BadAddress(f"--bind {bind!r}: give host:port (127.0.0.1:8000) or unix:/path.")
    bracketed = host.startswith("[") and host.endswith("]")
    if (":" in host and not bracketed) or host.startswith("[") != host.endswith("]"):
        raise BadAddress(f"--bind {bind!r}: an IPv6 address goes in brackets, [::1]:8000.")
    return bind


def base_url_of(bind: str) -> str | None:
    """http://host:port for a server listening at `bind`; None for a Unix socket, which
    only a proxy in front knows the public address of."""
    if bind.startswith("unix:"):
        return None
    host, _, port = bind.rpartition(":")
    if host.strip("[]") in _EVERY_INTERFACE:
        host = socket.getfqdn()
    return f"http://{host}:{port}"
