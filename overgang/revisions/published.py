"""The approved in-app versions joined to the agreement files in every process.

Each process (a gunicorn worker, a command) keeps the stamp of the approved versions it
published; `load_approved` compares it with the database's (one indexed query) and
publishes again when another process approved a version since."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse

from overgang.revisions.models import AgreementVersion, Status
from overgang.rules.registry import publish_versions

_stamp: tuple[int, int | None] = (0, None)


def _current_stamp() -> tuple[int, int | None]:
    found = AgreementVersion.objects.filter(status=Status.APPROVED).aggregate(
        n=Count("id"), last=Max("id")
    )
    return (found["n"], found["last"])


def load_approved(*, force: bool = False) -> None:
    """Publish the approved in-app versions, if they changed since this process did."""
    global _stamp
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
    """Drop what this process published (tests start each from the files alone)."""
    global _stamp
    _stamp = (0, None)
    publish_versions(())


class ApprovedVersionsMiddleware:
    """Before each request: the approved in-app versions are those answering it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        load_approved()
        return self.get_response(request)
