"""The indicators computed: one aggregate query per indicator, grouped by month in the
agreement's time zone (TruncMonth), never a loop over rows. Each answer carries counts
only: no patient, no stay, no name."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import TruncDate, TruncMonth

from overgang import clock
from overgang.aids.models import DeviceTransition, Loan
from overgang.aids.states import DeviceStatus
from overgang.indicators.definitions import BY_KEY, DAYS, DEFINITIONS, Definition
from overgang.rules import law
from overgang.rules.registry import Agreement
from overgang.stays.models import Deadline, Need, Stay, Training
from overgang.stays.models.deadlines import Outcome
from overgang.stays.models.needs import NeedKind, NeedStatus
from overgang.survey.actions import QUESTIONS
from overgang.survey.figures import INDICATOR_KEYS, answered, said_yes
from overgang.survey.models import Answer

DAY = 86400.0


@dataclass(frozen=True)
class Figures:
    numerator: float
    denominator: int
    value: float | None


@dataclass(frozen=True)
class Indicator:
    definition: Definition
    total: Figures
    months: list[tuple[datetime.date, Figures]]
    # notices-on-time: the same figures for each kind of duty (duty key, figures)
    parts: list[tuple[str, Figures]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.definition.key


@dataclass(frozen=True)
class Filter:
    """What the figures count: the stays seen (a `Q` on Stay), the months from `first` to
    `last` (days in the agreement's time zone), optionally one hospital, one municipality,
    one aid group (an AidCategory)."""

    agreement: Agreement
    stays: Q
    first: datetime.date
    last: datetime.date
    hospital: int | None = None
    municipality: int | None = None
    aid_group: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.agreement.time_zone)

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime.combine(self.first, datetime.time(), self.zone)

    @property
    def end(self) -> datetime.datetime:
        after = self.last + datetime.timedelta(days=1)
        return datetime.datetime.combine(after, datetime.time(), self.zone)

    def stay_q(self, prefix: str = "") -> Q:
        q = self.stays
        if self.hospital is not None:
            q &= Q(hospital=self.hospital)
        if self.municipality is not None:
            q &= Q(municipality=self.municipality)
        return prefixed(q, prefix)


def prefixed(q: Q, prefix: str) -> Q:
    """The same condition on Stay read from a model that reaches it through `prefix`."""
    if not prefix:
        return q
    copy = Q()
    copy.connector, copy.negated = q.connector, q.negated
    children: list[Any] = list(q.children)
    copy.children = [
        prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in children
    ]
    return copy


def figures(numerator: Any, denominator: int, unit: str) -> Figures:
    if isinstance(numerator, datetime.timedelta):
        numerator = round(numerator.total_seconds() / DAY, 2)
    numerator = numerator or 0
    if not denominator:
        return Figures(numerator, 0, None)
    value = numerator / denominator
    return Figures(numerator, denominator, round(value, 2 if unit == DAYS else 4))


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    month = first.replace(day=1)
    found = []
    while month <= last:
        found.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return found


def _numerator(row: dict[str, Any]) -> Any:
    return row["num"]


@dataclass(frozen=True)
class Query:
    """One indicator's aggregate query, the one definition of what it counts: the rows
    counted (each one in the denominator), the month each falls in, the aggregates of the
    numerator (`numerator` makes the number of one group's row of them), and the paths from
    the rows to the stay's hospital, trust and municipality and to the aid's category (an
    expression or a column name), by which the monthly figures table keeps them apart.
    The page's live figures and the table's refresh both run it."""

    key: str
    rows: QuerySet[Any]
    month: Any
    aggregates: dict[str, Any]
    stay: dict[str, Any]
    aid: Any = None
    by: str = ""
    numerator: Any = _numerator

    def grouped(self, *keys: str, **more: Any) -> QuerySet[Any]:
        """The query grouped by month, `by`, and the given further keys (annotated first)."""
        grouped: QuerySet[Any] = (
            self.rows.annotate(month=self.month, **more)
            .values("month", *([self.by] if self.by else []), *keys)
            .annotate(**self.aggregates, den=Count("pk"))
            .order_by()
        )
        return grouped


def month_of(when: Any, zone: ZoneInfo) -> datetime.date:
    if isinstance(when, datetime.datetime):
        return when.astimezone(zone).date()
    return when  # type: ignore[no-any-return]


def _by_month(
    query: Query, f: Filter, unit: str
) -> tuple[Figures, list[tuple[datetime.date, Figures]]]:
    total, months, _parts = _by_month_and(query, f, unit)
    return total, months


def _by_month_and(
    query: Query, f: Filter, unit: str
) -> tuple[Figures, list[tuple[datetime.date, Figures]], list[tuple[str, Figures]]]:
    """The figures by month, in all, and (when the query has a `by` column) by that column
    too: one query grouped by month (and the column), summed here over its few groups."""
    found: dict[datetime.date, tuple[Any, int]] = {}
    parts: dict[str, tuple[Any, int]] = {}
    by = query.by
    for row in query.grouped():  # one row per month (and part), not per case
        when = month_of(row["month"], f.zone)
        number = query.numerator(row)
        num, den = found.get(when, (None, 0))
        found[when] = (_plus(num, number), den + row["den"])
        if by:
            num, den = parts.get(row[by], (None, 0))
            parts[row[by]] = (_plus(num, number), den + row["den"])
    total_num: Any = None
    total_den = 0
    months = []
    for month_start in months_between(f.first, f.last):
        num, den = found.get(month_start, (None, 0))
        months.append((month_start, figures(num, den, unit)))
        total_num = _plus(total_num, num)
        total_den += den
    shown_parts = [(key, figures(*parts[key], unit)) for key in sorted(parts)]
    return figures(total_num, total_den, unit), months, shown_parts


def _plus(a: Any, b: Any) -> Any:
    if a is None:
        return b
    return a if b is None else a + b


STAY_KEYS = ("hospital", "trust", "municipality")


def _through(prefix: str) -> dict[str, Any]:
    return {key: F(prefix + key) for key in STAY_KEYS}


def notices_query(f: Filter, now: datetime.datetime) -> Query:
    rows = (
        Deadline.objects.filter(f.stay_q("stay__"), due__gte=f.start, due__lt=f.end)
        .filter(at_once=False)
        .filter(Q(done_at__isnull=False) | Q(due__lte=now))
        .exclude(outcome=Outcome.WITHDRAWN)
    )
    on_time = Count("pk", filter=Q(done_at__lte=F("due")))
    month = TruncMonth("due", tzinfo=f.zone)
    return Query("notices-on-time", rows, month, {"num": on_time}, _through("stay__"), by="duty")


def notices_on_time(f: Filter, now: datetime.datetime) -> Indicator:
    definition = BY_KEY["notices-on-time"]
    total, months, parts = _by_month_and(notices_query(f, now), f, definition.unit)
    return Indicator(definition, total, months, parts)


def _aid_needs(f: Filter) -> QuerySet[Need]:
    needs = (
        Need.objects.filter(f.stay_q("stay__"), kind=NeedKind.AID, aid_type__isnull=False)
        .filter(stay__ended_at__gte=f.start, stay__ended_at__lt=f.end)
        .exclude(status=NeedStatus.CANCELLED)
    )
    if f.aid_group:
        needs = needs.filter(aid_type__category=f.aid_group)
    return needs


def delivered_query(f: Filter) -> Query:
    rows = (
        _aid_needs(f)
        .filter(loan__isnull=False)
        .annotate(
            lent_on=TruncDate("loan__started_at", tzinfo=f.zone),
            left_on=TruncDate("stay__ended_at", tzinfo=f.zone),
        )
    )
    same_day = Count("pk", filter=Q(lent_on=F("left_on")))
    month = TruncMonth("stay__ended_at", tzinfo=f.zone)
    return Query(
        "aids-delivered-on-discharge-day",
        rows,
        month,
        {"num": same_day},
        _through("stay__"),
        aid=F("aid_type__category"),
    )


def delivered_on_discharge_day(f: Filter) -> Indicator:
    definition = BY_KEY["aids-delivered-on-discharge-day"]
    return Indicator(definition, *_by_month(delivered_query(f), f, definition.unit))


def trained_query(f: Filter) -> Query:
    trained = Training.objects.filter(
        stay=OuterRef("stay"), aid_type=OuterRef("aid_type"), at__lte=OuterRef("stay__ended_at")
    )
    rows = _aid_needs(f).annotate(trained=Exists(trained))
    month = TruncMonth("stay__ended_at", tzinfo=f.zone)
    count = Count("pk", filter=Q(trained=True))
    return Query(
        "trained-before-discharge",
        rows,
        month,
        {"num": count},
        _through("stay__"),
        aid=F("aid_type__category"),
    )


def trained_before_discharge(f: Filter) -> Indicator:
    definition = BY_KEY["trained-before-discharge"]
    return Indicator(definition, *_by_month(trained_query(f), f, definition.unit))


def _stay_loans(f: Filter) -> QuerySet[Loan]:
    """Loans made for an aid need of a stay seen."""
    needs = Need.objects.filter(f.stay_q("stay__"), loan=OuterRef("pk"))
    loans = Loan.objects.filter(Exists(needs))
    if f.aid_group:
        loans = loans.filter(device__aid_type__category=f.aid_group)
    return loans


def _loan_stay(f: Filter) -> dict[str, Any]:
    """The hospital, trust and municipality of the stay a loan was made for."""
    needs = Need.objects.filter(f.stay_q("stay__"), loan=OuterRef("pk")).order_by("pk")
    return {key: Subquery(needs.values("stay__" + key)[:1]) for key in STAY_KEYS}


def manual_query(f: Filter) -> Query:
    rows = _stay_loans(f).filter(started_at__gte=f.start, started_at__lt=f.end)
    count = Count("pk", filter=Q(manual_handed_over=True))
    month = TruncMonth("started_at", tzinfo=f.zone)
    return Query(
        "manual-handed-over",
        rows,
        month,
        {"num": count},
        _loan_stay(f),
        aid=F("device__aid_type__category"),
    )


def manual_handed_over(f: Filter) -> Indicator:
    definition = BY_KEY["manual-handed-over"]
    return Indicator(definition, *_by_month(manual_query(f), f, definition.unit))


def overdue_query(f: Filter, today: datetime.date) -> Query:
    rows = (
        _stay_loans(f)
        .filter(expected_end__gte=f.first, expected_end__lte=f.last, expected_end__lt=today)
        .annotate(back_on=TruncDate("returned_at", tzinfo=f.zone))
    )
    late = Count("pk", filter=Q(returned_at__isnull=True) | Q(back_on__gt=F("expected_end")))
    return Query(
        "overdue-loans",
        rows,
        TruncMonth("expected_end"),
        {"num": late},
        _loan_stay(f),
        aid=F("device__aid_type__category"),
    )


def overdue_loans(f: Filter, today: datetime.date) -> Indicator:
    definition = BY_KEY["overdue-loans"]
    return Indicator(definition, *_by_month(overdue_query(f, today), f, "share"))


def _waited(row: dict[str, Any]) -> int:
    total: int = row["days"].days if row["days"] is not None else 0
    return total - int(row.get("shifted") or 0)


def waiting_query(f: Filter) -> Query:
    """As overgang.stays.waiting counts them, for ended stays: from day 0 (the notice's day,
    the next for a notice outside the agreement's window) to the day the municipality can
    receive the patient or the day they left, whichever is first."""
    rows = Stay.objects.filter(
        f.stay_q(), notified_at__isnull=False, ended_at__gte=f.start, ended_at__lt=f.end
    )
    if not law.waiting_days_cites(f.agreement.country):
        rows = rows.none()
    ends = Case(
        When(
            can_receive=True,
            receive_at__isnull=False,
            receive_at__lt=F("ended_at"),
            then=F("receive_at"),
        ),
        default=F("ended_at"),
    )
    windowed = f.agreement.checklists.notice_window is not None
    rows = rows.annotate(
        day0=TruncDate("notified_at", tzinfo=f.zone), last=TruncDate(ends, tzinfo=f.zone)
    )
    waited = Q(last__gt=F("day0"))
    days = Sum(
        ExpressionWrapper(F("last") - F("day0"), output_field=DurationField()), filter=waited
    )
    aggregates: dict[str, Any] = {"days": days}
    if windowed:
        aggregates["shifted"] = Count("pk", filter=waited & Q(in_notice_window=False))
    month = TruncMonth("ended_at", tzinfo=f.zone)
    return Query("waiting-days", rows, month, aggregates, _through(""), numerator=_waited)


def waiting_days(f: Filter) -> Indicator:
    definition = BY_KEY["waiting-days"]
    return Indicator(definition, *_by_month(waiting_query(f), f, DAYS))


def reprocessing_query(f: Filter) -> Query:
    lent_for_stays = Need.objects.filter(f.stay_q("stay__"), loan__device=OuterRef("device"))
    back = DeviceTransition.objects.filter(
        device=OuterRef("device"), new=DeviceStatus.RETURNED, at__lte=OuterRef("at")
    ).order_by("-at", "-pk")
    rows = (
        DeviceTransition.objects.filter(
            new=DeviceStatus.AVAILABLE,
            old__in=[DeviceStatus.RETURNED, DeviceStatus.REPROCESSING],
            at__gte=f.start,
            at__lt=f.end,
        )
        .filter(Exists(lent_for_stays))
        .annotate(back=Subquery(back.values("at")[:1]))
        .filter(back__isnull=False)
    )
    if f.aid_group:
        rows = rows.filter(device__aid_type__category=f.aid_group)
    took = Sum(ExpressionWrapper(F("at") - F("back"), output_field=DurationField()))
    month = TruncMonth("at", tzinfo=f.zone)
    # The round's stay: the one the device was last lent for before it came back.
    last_lent = lent_for_stays.filter(loan__started_at__lte=OuterRef("at")).order_by(
        "-loan__started_at", "-pk"
    )
    stay = {key: Subquery(last_lent.values("stay__" + key)[:1]) for key in STAY_KEYS}
    return Query(
        "reprocessing-turnaround",
        rows,
        month,
        {"num": took},
        stay,
        aid=F("device__aid_type__category"),
    )


def reprocessing_turnaround(f: Filter) -> Indicator:
    definition = BY_KEY["reprocessing-turnaround"]
    return Indicator(definition, *_by_month(reprocessing_query(f), f, definition.unit))


def survey_query(f: Filter, question: str) -> Query:
    """Of the answers to a stay's patient-pathway survey that say yes or no to `question`,
    those that say yes (as `overgang.survey.figures` counts them); month: the discharge."""
    rows = Answer.objects.filter(
        f.stay_q("stay__"), stay__ended_at__gte=f.start, stay__ended_at__lt=f.end
    ).filter(answered(question))
    month = TruncMonth("stay__ended_at", tzinfo=f.zone)
    yes = Count("pk", filter=said_yes(question))
    return Query(INDICATOR_KEYS[question], rows, month, {"num": yes}, _through("stay__"))


def survey(f: Filter, question: str) -> Indicator:
    query = survey_query(f, question)
    definition = BY_KEY[query.key]
    return Indicator(definition, *_by_month(query, f, definition.unit))


def queries(f: Filter, now: datetime.datetime) -> list[Query]:
    """Every indicator's query for the filter, in the order of DEFINITIONS."""
    today = now.astimezone(f.zone).date()
    found = {
        one.key: one
        for one in (
            notices_query(f, now),
            delivered_query(f),
            trained_query(f),
            manual_query(f),
            waiting_query(f),
            reprocessing_query(f),
            overdue_query(f, today),
            *(survey_query(f, question) for question in QUESTIONS),
        )
    }
    return [found[d.key] for d in DEFINITIONS if d.key in found]


def compute(f: Filter, *, now: datetime.datetime | None = None) -> list[Indicator]:
    """Every indicator for the filter, computed live, in the order of DEFINITIONS."""
    now = now or clock.now()
    today = now.astimezone(f.zone).date()
    found = {
        "notices-on-time": notices_on_time(f, now),
        "aids-delivered-on-discharge-day": delivered_on_discharge_day(f),
        "trained-before-discharge": trained_before_discharge(f),
        "manual-handed-over": manual_handed_over(f),
        "waiting-days": waiting_days(f),
        "reprocessing-turnaround": reprocessing_turnaround(f),
        "overdue-loans": overdue_loans(f, today),
        **{INDICATOR_KEYS[question]: survey(f, question) for question in QUESTIONS},
    }
    return [found[d.key] for d in DEFINITIONS]
