"""The API logs what it answers about patients: one patient, or the patients of a list.

The twin of the pages' `web.common.reads` (the API imports no page); both list through
`audit.history.log_rows`: a list logs the patients of the rows it answers with, with one
INSERT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from overgang.api.auth import request_user
from overgang.audit.history import BY_PATIENT_ID, itself, log_reads, log_rows
from overgang.audit.models import ReadPurpose

__all__ = ["itself", "read_list", "read_one"]


def read_one(request: HttpRequest, patient: Model | int, purpose: str, what: str) -> None:
    """The answer shows one patient, or the patient of that id (`what`: which of their
    things, e.g. "loan 12")."""
    log_reads([patient], user=request_user(request), purpose=purpose, what=what)


def read_list[T](
    request: HttpRequest,
    rows: Iterable[T],
    *,
    patient: Callable[[T], Any] = BY_PATIENT_ID,
    purpose: str = ReadPurpose.LIST,
) -> list[T]:
    """The answer lists `rows` (see `log_rows`); the address with its query says which list."""
    return log_rows(
        rows,
        user=request_user(request),
        patient=patient,
        purpose=purpose,
        what=request.get_full_path(),
    )
