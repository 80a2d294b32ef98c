"""What every page template may read besides its own context."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import HttpRequest

from overgang import clock
from overgang.aids.models import (
    DeviceStatus,
    FailureStatus,
    OrderStatus,
    RemedyStatus,
    ReturnStatus,
)
from overgang.aids.supplies import SupplyState
from overgang.requisitions.models import (
    AppealStatus,
    DisputeStatus,
    NavStatus,
    RequisitionStatus,
    SwapStatus,
)
from overgang.stays.access import holders_of
from overgang.stays.models import DeadlineStatus, NeedStatus, Notification, Outcome, StayStatus

STATUS_CHOICES: tuple[type[models.TextChoices], ...] = (
    AppealStatus,
    DeadlineStatus,
    DeviceStatus,
    DisputeStatus,
    FailureStatus,
    NavStatus,
    NeedStatus,
    OrderStatus,
    Outcome,
    RemedyStatus,
    RequisitionStatus,
    ReturnStatus,
    StayStatus,
    SupplyState,
    SwapStatus,
)


# An inclusion tag renders with a fresh context, without what processors add: it merges
# these itself.
STATUSES_BY_NAME = {choices.__name__: choices for choices in STATUS_CHOICES}


def statuses(request: HttpRequest) -> dict[str, type[models.TextChoices]]:
    """The status choices by class name, so a template compares with the member
    (``device.status == DeviceStatus.ON_LOAN``) and a status has one spelling."""
    return STATUSES_BY_NAME


# When the user last opened the notifications page (ISO 8601), kept in the session.
SEEN_KEY = "notifications_seen_at"
# Counted up to this many, shown as "99+": the count reads no more index entries than that.
NEWS_CAP = 99
# Without a visit in this session: what came in the last week is new.
NEWS_WINDOW = datetime.timedelta(days=7)


def news_since(request: HttpRequest) -> datetime.datetime:
    seen = request.session.get(SEEN_KEY) if hasattr(request, "session") else None
    if seen:
        try:
            return datetime.datetime.fromisoformat(seen)
        except ValueError:
            pass
    return clock.now() - NEWS_WINDOW


def mark_news_seen(request: HttpRequest) -> None:
    request.session[SEEN_KEY] = clock.now().isoformat()


def unseen_news(request: HttpRequest) -> int:
    """How many notifications (deadlines due soon or now, and news of what the other side
    did) came to the user's organisations since they last opened the notifications page,
    up to NEWS_CAP + 1: one query on the inbox index (organisation, created_at)."""
    return unseen_news_query(request).count()


def unseen_news_query(request: HttpRequest) -> models.QuerySet[Any]:
    """What `unseen_news` counts, for a page that counts it in a query of its own figures
    (and says so with `news_counted`); none at all when nothing can be new to the user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    found = Notification.objects.filter(created_at__gt=news_since(request))
    holders = holders_of(user)
    if holders is not None:
        if not holders:
            return Notification.objects.none()
        found = found.filter(organisation__in=holders)
    return found.order_by().values("pk")[: NEWS_CAP + 1]


def news_counted(request: HttpRequest, count: int) -> None:
    """The page counted `unseen_news_query` itself: the menu shows that count."""
    request._overgang_news_count = count  # type: ignore[attr-defined]


def news(request: HttpRequest) -> dict[str, Callable[[], int] | int]:
    """The menu's count of new notifications, computed only where a page shows it (a
    template calls it; the worklist's half-minute refresh renders no menu), unless the
    page counted it already with its own figures (`news_counted`)."""
    counted: list[int] = []

    def count() -> int:
        if not counted:
            already = getattr(request, "_overgang_news_count", None)
            counted.append(unseen_news(request) if already is None else already)
        return counted[0]

    return {"news_count": count, "news_cap": NEWS_CAP}


def network_group(request: HttpRequest) -> dict[str, object]:
    """Whether the menu offers the network group's pages (members, agreement versions): to
    those who sit in some agreement's group, as the pages themselves ask; and how many stock
    alerts are new to them. Asked only when a template reads it."""
    from overgang.organisations.network import network_agreements

    user = getattr(request, "user", None)

    def sits() -> bool:
        return bool(user is not None and user.is_authenticated and network_agreements(user))

    counted: list[int] = []

    def alerts() -> int:
        """The stock alerts new to the member in all their groups (N11): two queries, for
        members only, once a request, when a template reads it (none when the page counted
        them already: `alerts_counted`)."""
        from overgang.network.alerts import unread_counts

        if not counted:
            already = getattr(request, "_overgang_alerts_count", None)
            if already is None:
                mine = network_agreements(user) if sits() else {}
                already = sum(unread_counts(user, mine).values())
            counted.append(already)
        return counted[0]

    return {"in_network_group": sits, "network_alerts": alerts}


def alerts_counted(request: HttpRequest, count: int) -> None:
    """The page counted the member's new stock alerts itself: the menu shows that count."""
    request._overgang_alerts_count = count  # type: ignore[attr-defined]


def capacity(request: HttpRequest) -> dict[str, object]:
    """Whether the menu offers the shared capacity overview: to those who follow some
    agreement's capacity (its network group, its contact committees), as the page asks.
    Asked only when a template reads it; the memberships are the ones already read."""
    from overgang.organisations.network import capacity_agreements

    user = getattr(request, "user", None)

    def follows() -> bool:
        return bool(user is not None and user.is_authenticated and capacity_agreements(user))

    return {"follows_capacity": follows}


def indicators(request: HttpRequest) -> dict[str, Any]:
    """Whether the menu offers the indicators page: to whoever sees some agreement's figures
    (their own organisations', their network group's, the superuser's). Asked only when a
    template reads it."""
    from overgang.indicators.scope import agreements_seen

    user = getattr(request, "user", None)

    def shows() -> bool:
        return bool(user is not None and user.is_authenticated and agreements_seen(user))

    return {"shows_indicators": shows}
