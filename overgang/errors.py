"""Errors every writer raises and every edge (page, API, command) turns into a message."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise


class InvalidInput(Exception):
    """Input that cannot be accepted; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: Mapping[str, str | Promise], *, where: str = "body") -> None:
        self.where = where  # the part of an HTTP request the fields are in: body or query
        self.errors = {field: str(message) for field, message in errors.items()}
        super().__init__("; ".join(f"{f}: {m}" for f, m in self.errors.items()))


class Conflict(Exception):
    """The current state forbids the action (HTTP 409)."""
