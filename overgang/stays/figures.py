"""The start page's figures of stays and deadlines."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from overgang.stays.access import holders_of, visible_stays, worklist
from overgang.stays.models import StayStatus


def deadline_figures(user: Any) -> dict[str, int] | None:
    """Open and overdue deadlines of the user's organisations, for the start page."""
    holders = holders_of(user)
    if holders == []:
        return None
    found = worklist(user)
    now = timezone.now()
    return {
        "open": found.count(),
        "overdue": found.filter(due__lte=now).count(),
        "stays": visible_stays(user).filter(ended_at__isnull=True).count(),
        "waiting": visible_stays(user)
        .filter(status__in=[StayStatus.DISCHARGE_READY, StayStatus.DEPARTURE_READY])
        .count(),
    }
