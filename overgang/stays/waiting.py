"""Waiting days (R9): the days a discharge-ready patient stays in hospital because the
municipality cannot receive them, and what the municipality pays for them.

How the days are counted: by the law (forskrift om kommunal betaling for utskrivningsklare
pasienter § 13 annet ledd), payment runs from the day the patient is declared discharge-ready
and the municipality is notified (§ 10), when it says it cannot receive the patient or does
not answer: day 0 is the day of the notice. An agreement with a notice window (HNT, 004
Vedlegg 3.1 a, 3.2 b: 08–15 on working days, when the municipality normally receives the
patient the same day) moves day 0 to the day after for a notice sent outside it.
Every day from day 0 until the day the municipality can receive the patient (or the
patient leaves, or today) is a waiting day; that day itself is not. A stay the municipality
answered "yes, today" has none. The daily rate is the one of each day's year. Only where the
country's law counts waiting days (overgang/rules/law: Norway's [waiting_days]); a Danish
stay has none.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from overgang import clock
from overgang.organisations.models import Kind, Organisation
from overgang.rules import law
from overgang.rules.law import waiting_day_rates
from overgang.stays.models import ObjectionStatus, Stay, WaitingDayObjection, WaitingDayRate


@dataclass(frozen=True)
class Waiting:
    stay: Stay
    days: tuple[datetime.date, ...]

    def within(self, first: datetime.date, last: datetime.date) -> tuple[datetime.date, ...]:
        return tuple(d for d in self.days if first <= d <= last)


def _local_date(value: datetime.datetime, zone: str) -> datetime.date:
    return value.astimezone(ZoneInfo(zone)).date()


def waiting_days(stay: Stay, *, today: datetime.date | None = None) -> Waiting:
    if not law.waiting_days_cites(stay.country) or stay.notified_at is None:
        return Waiting(stay, ())
    zone = stay.time_zone
    today = today or clock.today(zone)
    day0 = _local_date(stay.notified_at, zone)
    if stay.checklists.notice_window is not None and stay.in_notice_window is False:
        # The agreement's window (HNT): a notice outside it starts day 0 the next day.
        day0 += datetime.timedelta(days=1)
    ends = [today + datetime.timedelta(days=1)]
    if stay.ended_at is not None:
        ends.append(_local_date(stay.ended_at, zone))
    if stay.can_receive and stay.receive_at is not None:
        ends.append(_local_date(stay.receive_at, zone))
    end = min(ends)
    count = max(0, (end - day0).days)
    return Waiting(stay, tuple(day0 + datetime.timedelta(days=n) for n in range(count)))


@dataclass(frozen=True)
class Rate:
    year: int
    rate: Decimal
    law: bool  # from the national law's data (with its sources), else entered by an admin


def rate_table() -> list[Rate]:
    """The daily rate of each year: the law's data (overgang/rules/law, with its sources)
    first; a year it does not have yet, as an administrator entered it. A year in neither
    has no rate, and the statements say so."""
    law_rates = waiting_day_rates("NO")
    found = {
        year: Rate(year, rate, True)
        for year, rate in (law_rates.rates if law_rates else {}).items()
    }
    for year, rate in WaitingDayRate.objects.values_list("year", "rate"):
        found.setdefault(year, Rate(year, rate, False))
    return [found[year] for year in sorted(found)]


def rates() -> dict[int, Decimal]:
    return {r.year: r.rate for r in rate_table()}


@dataclass
class StatementLine:
    stay: Stay
    days: tuple[datetime.date, ...]  # the days billed: waiting days less accepted objections
    amount: Decimal | None  # None when a day's year has no rate yet
    rate: Decimal | None = None  # the daily rate of the month's year
    removed: tuple[datetime.date, ...] = ()  # waiting days an accepted objection took off
    objections: list[WaitingDayObjection] = field(default_factory=list)


@dataclass
class Statement:
    """What one municipality pays for one month."""

    municipality: str
    first: datetime.date
    last: datetime.date
    lines: list[StatementLine] = field(default_factory=list)
    missing_rates: set[int] = field(default_factory=set)
    key: str = ""  # the municipality's organisation key: its own statement is asked by it

    @property
    def days(self) -> int:
        return sum(len(line.days) for line in self.lines)

    @property
    def amount(self) -> Decimal:
        return sum((line.amount or Decimal(0) for line in self.lines), Decimal(0))


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)


def candidates(stays: QuerySet[Stay], first: datetime.date, last: datetime.date) -> QuerySet[Stay]:
    """Stays that may have waiting days in the month: notified before it ended, not ended
    before it began."""
    before = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time(), datetime.UTC
    )
    after = datetime.datetime.combine(first, datetime.time(), datetime.UTC) - datetime.timedelta(
        days=1
    )
    return stays.filter(country__in=law.waiting_days_countries(), notified_at__lt=before).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=after)
    )


def accepted_days(stay: Stay) -> set[datetime.date]:
    """The waiting days the hospital accepted an objection to: not billed (R9)."""
    found: set[datetime.date] = set()
    for objection in stay.waiting_day_objections.all():
        if objection.status == ObjectionStatus.ACCEPTED:
            found |= set(objection.dates)
    return found


def billed_days(
    days: Iterable[datetime.date], accepted: set[datetime.date]
) -> tuple[tuple[datetime.date, ...], tuple[datetime.date, ...]]:
    """The days billed and the days an accepted objection removed, in order."""
    ordered = tuple(days)
    return (
        tuple(d for d in ordered if d not in accepted),
        tuple(d for d in ordered if d in accepted),
    )


def statement(
    municipality: str, stays: Iterable[Stay], first: datetime.date, last: datetime.date
) -> Statement:
    found = Statement(municipality, first, last)
    prices = rates()
    for stay in stays:
        counted = waiting_days(stay).within(first, last)
        if not counted:
            continue
        days, removed = billed_days(counted, accepted_days(stay))
        missing = {d.year for d in days if d.year not in prices}
        found.missing_rates |= missing
        amount = None if missing else sum((prices[d.year] for d in days), Decimal(0))
        found.lines.append(
            StatementLine(
                stay,
                days,
                amount,
                rate=prices.get(first.year),
                removed=removed,
                objections=list(stay.waiting_day_objections.all()),
            )
        )
    found.lines.sort(key=lambda line: (line.stay.patient.sort_name, line.stay.pk))
    return found


def statements(
    stays: QuerySet[Stay],
    first: datetime.date,
    last: datetime.date,
    municipality: str | None = None,
) -> list[Statement]:
    """One statement per municipality with waiting days in the period, of the stays given
    (already restricted to what the reader may see), by municipality name; only the
    `municipality` of that key where given (the statement sent to it names no other's
    patients)."""
    if municipality is not None:
        stays = stays.filter(patient__municipality__key=municipality)
    found = (
        candidates(stays, first, last)
        .select_related("patient__municipality", "hospital")
        .prefetch_related("waiting_day_objections")
    )
    grouped: dict[tuple[str, str], list[Stay]] = {}
    for stay in found:
        home = stay.patient.municipality
        grouped.setdefault((home.name, home.key), []).append(stay)
    made = []
    for (name, key), group in sorted(grouped.items()):
        made.append(statement(name, group, first, last))
        made[-1].key = key
    return [s for s in made if s.lines]


def is_municipality(key: str) -> bool:
    """Is there a municipality of this key (whose statement may be asked for)?"""
    return Organisation.objects.filter(key=key, kind=Kind.MUNICIPALITY).exists()


def apply_to(countries: Iterable[str]) -> bool:
    """Does the law of any of these countries count waiting days?"""
    return bool(set(countries) & set(law.waiting_days_countries()))
