"""The API logs what it answers about patients: one patient, or the patients of a list.

The twin of the pages' `web.common.reads` (the API imports no page): a list logs the
patients of the rows it answers with, with one INSERT (`audit.history.log_reads`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from overgang.api.auth import request_user
from overgang.audit.history import log_reads
from overgang.audit.models import ReadPurpose

# Most rows name their patient by a foreign key: its id is at hand without a query.
BY_PATIENT_ID: Callable[[Any], Any] = attrgetter("patient_id")


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
    """The answer lists `rows`, each showing the patient `patient(row)` gives (a patient,
    its id, or None). Returns the rows, read once, to answer with."""
    shown = list(rows)
    log_reads(
        (patient(row) for row in shown),
        user=request_user(request),
        purpose=purpose,
        what=request.get_full_path(),
    )
    return shown


def itself(patient: Any) -> Any:
    """For `read_list` over patients, or their ids."""
    return patient
