"""The approved in-app versions joined to the agreement files in every process.

Each process (a gunicorn worker, a command) keeps the stamp of the approved versions it
published; `load_approved` compares it with the database's (one indexed query) and
publishes again when another process approved a version since.

When to look costs no query of its own: an approval writes a new access stamp, which every
signed-in request reads anyway (overgang/organisations/access_cache.py), and a process that
reads a stamp it has not seen calls `load_approved`. A version approved takes effect from a
later day than the approval, so a process learns of it well before it answers anything."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from overgang.organisations import access_cache
from overgang.revisions.models import AgreementVersion, Status
from overgang.rules.registry import publish_versions

_stamp: tuple[int, int | None] = (0, None)
_lock = threading.Lock()


def _current_stamp() -> tuple[int, int | None]:
    found = AgreementVersion.objects.filter(status=Status.APPROVED).aggregate(
        n=Count("id"), last=Max("id")
    )
    return (found["n"], found["last"])


def load_approved(*, force: bool = False) -> None:
    """Publish the approved in-app versions, if they changed since this process did."""
    global _stamp
    # One thread at a time compares, reads and publishes: a second thread waits and then
    # finds the stamp it would publish already there.
    with _lock:
        stamp = _current_stamp()
        if stamp == _stamp and not force:
            return
        texts = tuple(
            AgreementVersion.objects.filter(status=Status.APPROVED)
            .order_by("id")
            .values_list("text", flat=True)
        )
        publish_versions(texts)
        _stamp = stamp


def forget() -> None:
    """Drop what this process published and the access stamp it saw (tests start each from
    the files alone; a test of another process starts as one that never saw a change)."""
    global _stamp
    _stamp = (0, None)
    publish_versions(())
    access_cache.forget_seen_stamp()
