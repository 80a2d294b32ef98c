"""Reading the monthly figures table: the sums over the keys a filter leaves (the user's
scope on the stays' agreement, hospital, trust and municipality; the hospital, the
municipality and the aid group chosen), by indicator, month and kind of duty, in one
grouped query. The same `Indicator`s as the live computation gives."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, Sum

from overgang.indicators.compute import Filter, Indicator, figures, months_between
from overgang.indicators.definitions import DAYS, DEFINITIONS
from overgang.indicators.models import MonthlyFigure


def read(f: Filter) -> list[Indicator]:
    """Every indicator for the filter, from the table, in the order of DEFINITIONS. The
    months are whole months: from the month of `f.first` to that of `f.last`."""
    rows = MonthlyFigure.objects.filter(
        f.stays, month__gte=f.first.replace(day=1), month__lte=f.last
    )
    if f.hospital is not None:
        rows = rows.filter(hospital=f.hospital)
    if f.municipality is not None:
        rows = rows.filter(municipality=f.municipality)
    if f.aid_group:
        aids = [d.key for d in DEFINITIONS if d.by_aid]
        rows = rows.filter(~Q(indicator__in=aids) | Q(aid_group=f.aid_group))
    grouped = (
        rows.values("indicator", "month", "duty")
        .annotate(num=Sum("numerator"), den=Sum("denominator"))
        .order_by()
    )
    sums: dict[str, dict[datetime.date, list[Any]]] = {}
    parts: dict[str, dict[str, list[Any]]] = {}
    for row in grouped:  # one row per indicator, month and duty: a few hundred at most
        month = sums.setdefault(row["indicator"], {}).setdefault(row["month"], [0.0, 0])
        month[0] += row["num"]
        month[1] += row["den"]
        if row["duty"]:
            part = parts.setdefault(row["indicator"], {}).setdefault(row["duty"], [0.0, 0])
            part[0] += row["num"]
            part[1] += row["den"]
    found = []
    for definition in DEFINITIONS:
        unit = definition.unit
        by_month = sums.get(definition.key, {})
        months = []
        total_num, total_den = 0.0, 0
        for month_start in months_between(f.first, f.last):
            num, den = by_month.get(month_start, (0.0, 0))
            months.append((month_start, figures(_shown(num, unit), den, unit)))
            total_num += num
            total_den += den
        shown_parts = [
            (duty, figures(_shown(num, unit), den, unit))
            for duty, (num, den) in sorted(parts.get(definition.key, {}).items())
        ]
        found.append(
            Indicator(
                definition, figures(_shown(total_num, unit), total_den, unit), months, shown_parts
            )
        )
    return found


def _shown(number: float, unit: str) -> float | int:
    """Days to two decimals (as the live figures round them), counts as whole numbers."""
    if unit == DAYS:
        return round(number, 2)
    return round(number)
