"""What the messages benchmark runs in the app's own process (`overgang shell -c`, see
bench.stays.common.inside): each function prints one line, INSIDE_MARK and JSON, with the
raw timings in milliseconds.

- setup: Levanger's integration account, its bearer token, and the bodies it posts;
- receiving: overgang.exchange.actions.receive on a stream of stays' messages;
- composing: compose(Outgoing) over the PLO codes, and document_for on received messages.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import connection

from bench.messages.common import (
    COMPOSE_MIX,
    DANISH_EVERY,
    INTEGRATION_KEY,
    INTEGRATION_USER,
    TO_MUNICIPALITY,
)
from bench.messages.stream import (
    Body,
    Parties,
    People,
    outgoing,
    stays,
)
from bench.stays.common import INSIDE_MARK
from overgang import clock
from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.demo.users import DEMO_PASSWORD
from overgang.exchange.actions import receive
from overgang.exchange.documents import NotSendable, document_for
from overgang.messages import NotComposable, compose
from overgang.organisations.actions import add_membership, create_user
from overgang.organisations.models import Organisation, Role
from overgang.organisations.tokens import issue_token
from overgang.stays.models import Message

API_SEED = 1501
RECEIVE_SEED = 1502
COMPOSE_SEED = 1503


def answer(value: Any) -> None:
    print(INSIDE_MARK + json.dumps(value, default=str))


@dataclass
class Timings:
    """One line's raw figures: each message's milliseconds and code, the line's seconds."""

    seconds: float = 0.0
    timings_ms: list[float] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    skipped: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, started: float) -> None:
        self.timings_ms.append((time.perf_counter() - started) * 1000)
        self.labels.append(label)


def setup(messages: int) -> None:
    """The integration account (made once), a token for it, and `messages` bodies for it to
    post: hospital → Levanger, the start of a stay for each patient."""
    user = User.objects.filter(username=INTEGRATION_USER).first()
    if user is None:
        with channel("command:bench"):
            system = system_actor()
            user = create_user(actor=system, username=INTEGRATION_USER, password=DEMO_PASSWORD)
            add_membership(
                user, Organisation.objects.get(key=INTEGRATION_KEY), Role.INTEGRATION, actor=system
            )
    people, parties = People(API_SEED), Parties()
    patients = -(-messages // len(TO_MUNICIPALITY))
    bodies = list(stays(patients, people, parties, plo_codes=TO_MUNICIPALITY))[:messages]
    answer(
        {
            "token": issue_token(user).token,
            "bodies": [{"code": b.code, "body": b.raw.decode()} for b in bodies],
        }
    )


def received(bodies: Sequence[Body], actor: User) -> Timings:
    line = Timings()
    started = time.perf_counter()
    for body in bodies:
        before = time.perf_counter()
        result = receive(body.raw, actor=actor)
        line.add(body.code, before)
        if result.status != "accepted":
            line.errors += 1
            line.first_error = line.first_error or f"{body.code}: {result.status} {result.errors}"
    line.seconds = time.perf_counter() - started
    return line


def receiving(patients: int, warmup: int) -> None:
    """receive() on the messages of `warmup` patients (untimed), then of `patients`; the
    messages are composed before, the actor is the system (as the CLI receives)."""
    people, parties = People(RECEIVE_SEED), Parties()
    # At least one Danish patient, so that each kind of message is read once before.
    first = list(stays(max(warmup, DANISH_EVERY), people, parties))
    timed_part = list(stays(patients, people, parties))
    actor = system_actor()
    received(first, actor)
    answer({**asdict(received(timed_part, actor)), "vendor": connection.vendor})


def composing(count: int, documents: int, warmup: int) -> None:
    """compose(Outgoing) `count` times over COMPOSE_MIX; then document_for on `documents`
    messages received on stays (the ones with no document of Overgang's are counted). Each
    after `warmup` untimed rounds (of every code, of the first messages)."""
    people, parties = People(COMPOSE_SEED), Parties()
    patient = people.next(danish=False)
    admitted = clock.now()
    for _ in range(warmup):
        for code in COMPOSE_MIX:
            compose(outgoing(code, parties, patient, admitted))
    composed = Timings()
    started = time.perf_counter()
    for number in range(count):
        code = COMPOSE_MIX[number % len(COMPOSE_MIX)]
        if number % len(COMPOSE_MIX) == 0:
            patient = people.next(danish=False)
        before = time.perf_counter()
        compose(outgoing(code, parties, patient, admitted))
        composed.add(code, before)
    composed.seconds = time.perf_counter() - started
    rows = list(Message.objects.select_related("stay").order_by("-id")[:documents])
    for row in rows[: warmup * len(COMPOSE_MIX)]:
        with contextlib.suppress(NotSendable, NotComposable):
            document_for(row)
    documented = Timings()
    started = time.perf_counter()
    for row in rows:
        before = time.perf_counter()
        try:
            document_for(row)
        except (NotSendable, NotComposable) as why:
            key = f"{row.code}: {type(why).__name__}"
            documented.skipped[key] = documented.skipped.get(key, 0) + 1
            continue
        documented.add(row.code, before)
    documented.seconds = time.perf_counter() - started
    answer({"compose": asdict(composed), "documents": asdict(documented)})
