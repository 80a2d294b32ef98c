"""What the stays benchmark runs in the app's own process (`overgang shell -c`, see
bench.stays.common.inside): each function prints one line, INSIDE_MARK and JSON.

- setup: the bench's users, each municipality's agreement, the deadline rules to draw
  duties from;
- plans: the worklist's queries for each reader, timed and under EXPLAIN ANALYZE, and
  each measured request made in this process, with the time its queries took;
- sweeps: overgang.stays.notify.sweep at the given times, then send_emails batches.
"""

from __future__ import annotations

import datetime
import json
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from bench.stays.common import (
    ACTOR,
    API_ROWS,
    INSIDE_MARK,
    MUNICIPALITY_KEY,
    MUNICIPALITY_USER,
    PAGE_ROWS,
    READERS,
    START_PAGE_USERS,
)
from overgang import clock
from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.demo.users import DEMO_PASSWORD
from overgang.organisations.actions import add_membership, create_user
from overgang.organisations.models import Kind, Organisation, Role
from overgang.organisations.permissions import VIEW
from overgang.organisations.tokens import issue_token
from overgang.patients.models import Patient
from overgang.rules.registry import RulesError, agreement_for_municipality, all_agreements
from overgang.stays import notify
from overgang.stays.access import capped_count, holders_of, worklist
from overgang.stays.figures import deadline_figures
from overgang.stays.models import Notification, PendingNotice
from overgang.web.stays.worklist import WORKLIST_COLUMNS

PARTIES = ("hospital", "municipality")


def answer(value: Any) -> None:
    print(INSIDE_MARK + json.dumps(value, default=str))


# Setup


def bench_users() -> User:
    """The stays' author (who cannot log in), and the municipality's reader."""
    actor, created = User.objects.get_or_create(username=ACTOR, defaults={"is_active": False})
    if created:
        actor.set_unusable_password()
        actor.save(update_fields=["password"])
    if not User.objects.filter(username=MUNICIPALITY_USER).exists():
        with channel("command:bench"):
            system = system_actor()
            user = create_user(
                actor=system,
                username=MUNICIPALITY_USER,
                password=DEMO_PASSWORD,
                first_name="Olga",
                last_name="Kommunesen",
                email=f"{MUNICIPALITY_USER}@example.org",
            )
            add_membership(
                user,
                Organisation.objects.get(key=MUNICIPALITY_KEY),
                Role.CASE_WORKER,
                actor=system,
            )
    return actor


def agreements(today: datetime.date) -> list[dict[str, Any]]:
    found = []
    for municipality in Organisation.objects.filter(kind=Kind.MUNICIPALITY).order_by("id"):
        try:
            agreement = agreement_for_municipality(municipality.name, on=today)
        except RulesError:
            continue
        found.append(
            {
                "municipality_id": municipality.pk,
                "agreement": agreement.id,
                "country": agreement.country,
                "time_zone": agreement.time_zone,
            }
        )
    return found


def templates(today: datetime.date) -> list[dict[str, Any]]:
    """The duties of the agreements' deadline rules, by country and party, numbered from 1
    within each (country, party)."""
    by_key: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for agreement in all_agreements():
        if not agreement.in_force(today):
            continue
        for rule in agreement.deadline_rules:
            if rule.party in PARTIES:
                duties = by_key.setdefault((agreement.country, rule.party), {})
                duties.setdefault(
                    rule.duty,
                    {"duty": rule.duty, "cites": list(rule.cites), "text": dict(rule.text)},
                )
    found = []
    for (country, party), duties in sorted(by_key.items()):
        for number, duty in enumerate(sorted(duties.values(), key=lambda d: d["duty"]), 1):
            found.append({"country": country, "party": party, "rn": number, **duty})
    return found


def setup() -> None:
    today = clock.today()
    actor = bench_users()
    answer(
        {
            "actor": actor.pk,
            "agreements": agreements(today),
            "templates": templates(today),
            "warning_minutes": settings.DEADLINE_WARNING_MINUTES,
        }
    )


# Plans


def captured(action: Callable[[], object]) -> list[tuple[str, Any]]:
    """The statements `action` runs (after running it once to warm up)."""
    action()
    statements: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        action()
    return statements


def explain(what: str, statements: Sequence[tuple[str, Any]], repeat: int) -> list[dict[str, Any]]:
    plans = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
            plans.append(
                {
                    "what": what,
                    "sql": connection.ops.last_executed_query(cursor, sql, params).removeprefix(
                        "EXPLAIN (ANALYZE, BUFFERS) "
                    ),
                    "ms": round(statistics.median(times), 2),
                    "plan": plan,
                }
            )
    return plans


def reader_plans(user: User, now: datetime.datetime, repeat: int) -> dict[str, Any]:
    # The page's own queries (overgang.web.stays.views._worklist), but for the organisations
    # and aid types it then fetches by id, and its two counts it makes in one query.
    page = worklist(user).values_list(*WORKLIST_COLUMNS)
    api = worklist(user).select_related("holder", "stay", "need__aid_type")
    started = time.perf_counter()
    holders = holders_of(user)
    holders_ms = (time.perf_counter() - started) * 1000
    queries = [
        *explain("page rows", captured(lambda: list(page[:PAGE_ROWS])), repeat),
        *explain("page count", captured(lambda: capped_count(page)), repeat),
        *explain("page overdue", captured(lambda: capped_count(page.filter(due__lte=now))), repeat),
        *explain("API rows", captured(lambda: list(api[:API_ROWS])), repeat),
    ]
    return {
        "user": user.username,
        "holders": None if holders is None else len(holders),
        "holders_of_ms": round(holders_ms, 2),
        "open": page.count(),
        "overdue": page.filter(due__lte=now).count(),
        "queries": queries,
    }


def split(user: User, path: str, repeat: int) -> dict[str, Any]:
    """A request in this process (Django's test client, no network): its time, and how much
    of it the database took, median of `repeat`."""
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    headers = {}
    if path.startswith("/api/"):
        headers["Authorization"] = f"Bearer {issue_token(user).token}"
    else:
        client.force_login(user)
    for _ in range(3):
        client.get(path, headers=headers)
    totals, sqls, counts = [], [], []
    for _ in range(repeat):
        spent: list[float] = []

        def timing(
            execute: Any, sql: str, params: Any, many: bool, context: Any, spent: Any = spent
        ) -> Any:
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent.append(time.perf_counter() - started)

        started = time.perf_counter()
        with connection.execute_wrapper(timing):
            status = client.get(path, headers=headers).status_code
        totals.append((time.perf_counter() - started) * 1000)
        sqls.append(sum(spent) * 1000)
        counts.append(len(spent))
        if status != 200:
            raise RuntimeError(f"{path} as {user.username}: HTTP {status}")
    return {
        "user": user.username,
        "path": path,
        "request_ms": round(statistics.median(totals), 2),
        "sql_ms": round(statistics.median(sqls), 2),
        "queries": statistics.median_low(counts),
    }


def plans(repeat: int = 5, requests: int = 20) -> None:
    now = timezone.now()
    users = {u.username: u for u in User.objects.filter(username__in=[r[0] for r in READERS])}
    found = [reader_plans(users[name], now, repeat) for name, _, _ in READERS if name in users]
    for name in START_PAGE_USERS:
        user = User.objects.get(username=name)

        def start_figures(user: User = user) -> None:
            deadline_figures(user)
            Patient.objects.restrict(user, VIEW).count()

        found.append(
            {
                "user": name,
                "what": "start page figures",
                "queries": explain("start page", captured(start_figures), repeat),
            }
        )
    splits = []
    for name, _, _ in READERS:
        for path in ("/worklist/", "/api/v1/deadlines"):
            splits.append(split(users[name], path, requests))
        if name in START_PAGE_USERS:
            splits.append(split(users[name], "/", requests))
    answer({"plans": found, "splits": splits})


# Sweeps and e-mails


def kinds() -> dict[str, int]:
    rows = Notification.objects.order_by().values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def sweeps(times: Sequence[tuple[str, str]], email_batches: int, email_limit: int) -> None:
    """notify.sweep at each (label, ISO time) in turn, then `email_batches` × send_emails."""
    runs = []
    last = timezone.now()
    for label, iso in times:
        now = datetime.datetime.fromisoformat(iso)
        expected = PendingNotice.objects.filter(at__lte=now).count()
        before = kinds()
        started = time.perf_counter()
        result = notify.sweep(now)
        seconds = time.perf_counter() - started
        after = kinds()
        runs.append(
            {
                "label": label,
                "now": now.isoformat(),
                "seconds": round(seconds, 3),
                "deadlines": result.deadlines,
                "notifications": result.notifications,
                "expected": expected,
                "written": {k: after.get(k, 0) - before.get(k, 0) for k in after},
                "notifications_in_all": sum(after.values()),
            }
        )
        last = now
    emails = []
    for number in range(email_batches):
        now = last + datetime.timedelta(seconds=number + 1)
        outbox = len(getattr(mail, "outbox", []))
        unsent = Notification.objects.filter(emailed_at__isnull=True).count()
        started = time.perf_counter()
        sent = notify.send_emails(now, limit=email_limit)
        seconds = time.perf_counter() - started
        emails.append(
            {
                "seconds": round(seconds, 3),
                "limit": email_limit,
                "notifications": unsent
                - Notification.objects.filter(emailed_at__isnull=True).count(),
                "emails": sent,
                "in_outbox": len(getattr(mail, "outbox", [])) - outbox,
                "backend": settings.MAILERS["default"]["BACKEND"],
            }
        )
    answer({"sweeps": runs, "emails": emails, "vendor": connection.vendor})
