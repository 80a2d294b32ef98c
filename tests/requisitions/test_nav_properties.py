"""Properties of NAV applications under any sequence of what the office does and of the
worker's reminders (hypothesis): the status follows the table; reminders come only while the
signature is missing, each number once, never more than one per week; a refused step
changes nothing."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overgang.errors import Conflict, InvalidInput
from overgang.requisitions import actions
from overgang.requisitions.models import NavApplication, NavReminder
from overgang.requisitions.states import NavStatus

pytestmark = pytest.mark.django_db

OPERATIONS = ("sign", "send", "grant", "refuse", "deliver", "follow-up", "withdraw", "wait")
steps = st.lists(
    st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 20)), min_size=1, max_size=20
)


class Rollback(Exception):
    """Ends an example: everything it did is rolled back for the next one."""


def state() -> tuple[object, ...]:
    found = NavApplication.objects.get()
    return (found.status, found.remind_at, found.reminders, NavReminder.objects.count())


def act(operation: str, application: NavApplication, actor) -> None:
    if operation == "sign":
        actions.record_signature(application, actor=actor, signed_by="user")
    elif operation == "send":
        actions.record_sent(application, actor=actor)
    elif operation in ("grant", "refuse"):
        actions.record_nav_decision(
            application, actor=actor, granted=operation == "grant", note="NAVs vedtak."
        )
    elif operation == "deliver":
        actions.record_nav_delivery(application, actor=actor)
    elif operation == "follow-up":
        actions.record_follow_up(application, actor=actor, note="Fungerer.")
    elif operation == "withdraw":
        actions.withdraw_application(application, actor=actor)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_any_sequence_keeps_applications_and_reminders_sound(
    steps, application_for, levanger_office
):
    try:
        with transaction.atomic():
            application = application_for()
            clock = application.created_at
            seen = [application.status]
            for operation, days in steps:
                if operation == "wait":
                    clock += datetime.timedelta(days=days)
                    actions.remind_missing_signatures(clock)
                else:
                    before = state()
                    try:
                        act(operation, application, levanger_office)
                    except (Conflict, InvalidInput):
                        assert state() == before, f"{operation} was refused but changed it"
                application.refresh_from_db()
                if application.status != seen[-1]:
                    assert NavStatus.may_move(seen[-1], application.status)
                    seen.append(application.status)
                waiting = application.status == NavStatus.AWAITING_SIGNATURE
                assert (application.remind_at is not None) == waiting
                numbers = list(
                    NavReminder.objects.order_by("number").values_list("number", "due_at")
                )
                assert [n for n, _ in numbers] == list(range(1, application.reminders + 1))
                dues = [due for _, due in numbers]
                assert all(b - a >= datetime.timedelta(days=7) for a, b in itertools.pairwise(dues))
                if dues:
                    assert dues[0] == application.created_at + datetime.timedelta(days=3)
            raise Rollback
    except Rollback:
        pass
