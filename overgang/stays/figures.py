"""The start page's figures of stays and deadlines."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from overgang import clock
from overgang.organisations.permissions import VIEW
from overgang.stays.access import capped_counts, holders_of, worklist
from overgang.stays.models import Stay
from overgang.stays.states import StayStatus


def deadline_figures(user: Any) -> dict[str, int] | None:
    """Open and overdue deadlines of the user's organisations (up to the cap of
    capped_counts; `more_…` says there are more), and their patients in hospital and those of
    them waiting to leave, for the start page."""
    holders = holders_of(user)
    if holders == []:
        return None
    found = worklist(user)
    now = clock.now()
    # A planned stay's patient has not arrived: not among those in hospital.
    # Only the open stays are read, and only from the index of their municipality or
    # district and status (hence counting statuses, not ids).
    stays = (
        Stay.objects.restrict(user, VIEW)
        .filter(status__in=StayStatus.IN_HOSPITAL)
        .aggregate(
            stays=Count("status"),
            waiting=Count("status", filter=Q(status__in=sorted(StayStatus.WAITING))),
        )
    )
    (open_count, more_open), (overdue, more_overdue) = capped_counts(
        found, found.filter(due__lte=now)
    )
    return {
        "open": open_count,
        "more_open": more_open,
        "overdue": overdue,
        "more_overdue": more_overdue,
        "stays": stays["stays"],
        "waiting": stays["waiting"],
    }
