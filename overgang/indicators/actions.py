"""The one writer of the monthly figures table: a refresh runs the indicators' own
aggregate queries (`overgang.indicators.compute.queries`, the one definition of each
figure), grouped further by hospital, trust, municipality and aid group, over whole
months of one agreement, and replaces those months' rows. Derived figures: the history
gets one row per refresh (which agreement, which months, how many rows), not one per
figure row."""

from __future__ import annotations

import datetime
import time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q

from overgang import clock
from overgang.audit.history import record_change
from overgang.audit.models import ChangeAction
from overgang.indicators.compute import DAY, Filter, month_of, queries
from overgang.indicators.models import FiguresRefresh, MonthlyFigure
from overgang.rules.registry import (
    Agreement,
    NotInForce,
    UnknownAgreement,
    agreement_by_id,
    all_agreements,
)

RECENT_EVERY = datetime.timedelta(minutes=10)  # the current and the previous month
ALL_EVERY = datetime.timedelta(hours=24)  # every month kept
KEPT_MONTHS = 24


def _number(value: Any) -> float:
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / DAY
    return float(value or 0)


def months_back(agreement: Agreement, months: int, now: datetime.datetime) -> datetime.date:
    """The first day of the month `months - 1` months before this one (in the agreement's
    time zone): `months` months, this one included."""
    first = now.astimezone(ZoneInfo(agreement.time_zone)).date()
    first = first.replace(day=1)
    for _ in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def refresh_figures(
    agreement: Agreement,
    *,
    months: int,
    actor: User,
    now: datetime.datetime | None = None,
) -> FiguresRefresh:
    """Compute the agreement's last `months` months (this one included) again and replace
    their rows in the table, in one transaction, with one history row."""
    if months < 1:
        raise ValueError("months must be at least 1")
    now = now or clock.now()
    started = time.monotonic()
    first = months_back(agreement, months, now)
    # To the end of this month: a deadline due later this month may be done already.
    this_month = now.astimezone(ZoneInfo(agreement.time_zone)).date().replace(day=1)
    last = (this_month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    f = Filter(agreement, Q(agreement=agreement.id), first, last)
    rows: list[MonthlyFigure] = []
    for query in queries(f, now):
        keys = {f"k_{name}": path for name, path in query.stay.items()}
        if query.aid is not None:
            keys["k_aid"] = query.aid
        for row in query.grouped(*keys, **keys):
            rows.append(
                MonthlyFigure(
                    agreement=agreement.id,
                    month=month_of(row["month"], f.zone),
                    indicator=query.key,
                    hospital_id=row["k_hospital"],
                    trust_id=row["k_trust"],
                    municipality_id=row["k_municipality"],
                    aid_group=row.get("k_aid") or "",
                    duty=row[query.by] if query.by else "",
                    numerator=_number(query.numerator(row)),
                    denominator=row["den"],
                )
            )
    with transaction.atomic():
        MonthlyFigure.objects.filter(
            agreement=agreement.id, month__gte=first, month__lte=last
        ).delete()
        MonthlyFigure.objects.bulk_create(rows, batch_size=2000)
        refresh = FiguresRefresh.objects.create(
            agreement=agreement.id,
            at=now,
            first_month=first,
            last_month=this_month,
            rows=len(rows),
            seconds=round(time.monotonic() - started, 3),
        )
        record_change(
            refresh,
            actor=actor,
            action=ChangeAction.CREATED,
            after={
                "agreement": agreement.id,
                "first_month": first.isoformat(),
                "last_month": refresh.last_month.isoformat(),
                "rows": len(rows),
            },
        )
    return refresh


def agreements_in_force(now: datetime.datetime) -> list[Agreement]:
    found = []
    for agreement_id in sorted({a.id for a in all_agreements()}):
        try:
            found.append(agreement_by_id(agreement_id, on=now.date()))
        except (NotInForce, UnknownAgreement):
            continue
    return found


def refresh_due(*, actor: User, now: datetime.datetime | None = None) -> dict[str, int]:
    """The worker's sweep: for each agreement, the current and the previous month when
    their last refresh is ten minutes old, every kept month when the last refresh of them
    all is a day old (or there was none)."""
    now = now or clock.now()
    refreshed = {"figures_recent": 0, "figures_all": 0}
    for agreement in agreements_in_force(now):
        done = FiguresRefresh.objects.filter(agreement=agreement.id)
        oldest = months_back(agreement, KEPT_MONTHS, now)
        if not done.filter(first_month__lte=oldest, at__gt=now - ALL_EVERY).exists():
            refresh_figures(agreement, months=KEPT_MONTHS, actor=actor, now=now)
            refreshed["figures_all"] += 1
            continue
        recent = months_back(agreement, 2, now)
        if not done.filter(first_month__lte=recent, at__gt=now - RECENT_EVERY).exists():
            refresh_figures(agreement, months=2, actor=actor, now=now)
            refreshed["figures_recent"] += 1
    return refreshed


def last_refreshed(agreement_id: str) -> datetime.datetime | None:
    """When the agreement's current month was last refreshed (None: never)."""
    found = (
        FiguresRefresh.objects.filter(agreement=agreement_id)
        .order_by(F("last_month").desc(), "-at")
        .values_list("at", flat=True)
        .first()
    )
    return found
