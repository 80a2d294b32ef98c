"""Pages log what they show of patients: one patient's page, or the patients of a list.

A list logs the patients on the page it shows, not everything its query could reach: the
rows a person saw. One INSERT for the page, however many rows (`audit.history.log_reads`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.paginator import Page
from django.db.models import Model

from overgang.audit.history import BY_PATIENT_ID, itself, log_read, log_rows
from overgang.audit.models import ReadPurpose
from overgang.web.common.views import AuthedRequest

__all__ = ["itself", "read_list", "read_one", "read_page"]


def read_one(request: AuthedRequest, patient: Model, purpose: str, what: str = "") -> None:
    """The page shows one patient's record (`what`: which of their things, e.g. "loan 12")."""
    # The channel already names the page's address; `what` adds only what it does not say.
    log_read(patient, user=request.user, purpose=purpose, what=what)


def read_list[T](
    request: AuthedRequest,
    rows: Iterable[T],
    *,
    patient: Callable[[T], Any] = BY_PATIENT_ID,
    purpose: str = ReadPurpose.LIST,
    what: str = "",
) -> list[T]:
    """The page lists `rows` (see `audit.history.log_rows`); returns them for the template.
    `what` by default: the address with its search, which says what the list was."""
    return log_rows(
        rows,
        user=request.user,
        patient=patient,
        purpose=purpose,
        what=what or request.get_full_path(),
    )


def read_page[T](
    request: AuthedRequest,
    page: Page[T],
    *,
    patient: Callable[[T], Any] = BY_PATIENT_ID,
    purpose: str = ReadPurpose.LIST,
) -> Page[T]:
    """A page of a list (`paginate`), its patients logged as shown; its rows read once."""
    page.object_list = read_list(request, page.object_list, patient=patient, purpose=purpose)
    return page
