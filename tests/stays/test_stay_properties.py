"""Properties of a stay under any sequence of what the hospital and the municipality do
(hypothesis): documenting § 9, declaring and withdrawing discharge-ready, the messages of
both sides, the municipality's answer, the departure checklist, ready to leave, discharge
(also by force majeure), leaving on own responsibility, death, and duties done another way.

After every step: a refused action changes nothing; the status only moves as
overgang.stays.states allows; an ended stay stays ended and owes nothing but the death
notice; nobody is discharge-ready with open § 9 items unless a physician gave a reason;
one open deadline per rule, each held by the department or the allocation office; and every
status change is in the stay's history.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st

from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.rules.registry import all_agreements
from overgang.rules.transitions import transitions
from overgang.stays import actions
from overgang.stays.checklist import discharge_blockers
from overgang.stays.models import Deadline, Message, Stay, StayEvent
from overgang.stays.states import StayStatus
from tests.stays.conftest import written

pytestmark = pytest.mark.django_db

NORWAY = transitions("NO")
# The stays here are Levanger's: HNT's agreement with the law (§ 9) for somatic care.
HNT = next(a for a in all_agreements() if a.id == "hnt").checklists
SECTION_9 = tuple(i.item for i in HNT.discharge_ready("somatic"))
TICKED = tuple(i.item for i in HNT.departure_ready("somatic") if not i.message)
CODES = tuple(NORWAY.messages)
HOSPITAL_CODES = tuple(c for c, kind in NORWAY.messages.items() if kind.sender == "hospital")
MUNICIPAL_CODES = tuple(c for c, kind in NORWAY.messages.items() if kind.sender == "municipality")
ACTORS = ("physician", "case-worker")


def items(choices: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    return st.one_of(st.just(frozenset(choices)), st.frozensets(st.sampled_from(choices)))


physician_mostly = st.sampled_from(("physician", "physician", "physician", "case-worker"))
step = st.one_of(
    # The next step on the way out, whatever that is from where the stay stands (`advance`).
    st.tuples(st.just("advance"), st.just("physician"), st.just("discharge")),
    st.tuples(st.just("advance"), st.just("physician"), st.just("discharge")),
    st.tuples(st.just("advance"), st.just("physician"), st.just("leave")),
    st.tuples(st.just("document"), physician_mostly, items(SECTION_9)),
    st.tuples(st.just("declare"), physician_mostly, st.sampled_from(("", "", "Seen by phone."))),
    st.tuples(st.just("withdraw"), physician_mostly, st.sampled_from(("Worse again.", " "))),
    st.tuples(st.just("message"), st.sampled_from(ACTORS), st.sampled_from(CODES)),
    st.tuples(st.just("message"), st.just("physician"), st.sampled_from(HOSPITAL_CODES)),
    st.tuples(st.just("message"), st.just("case-worker"), st.sampled_from(MUNICIPAL_CODES)),
    st.tuples(
        st.just("answer"),
        st.sampled_from(("case-worker", "case-worker", "physician")),
        st.sampled_from(("yes", "not yet", "not yet", "yes without time")),
    ),
    st.tuples(st.just("prepare"), physician_mostly, items(TICKED)),
    st.tuples(st.just("departure-ready"), physician_mostly, st.just("")),
    st.tuples(st.just("discharge"), physician_mostly, st.sampled_from(("", "The ward burnt."))),
    st.tuples(
        st.just("leave"),
        physician_mostly,
        st.sampled_from(("competent and safe", "not competent", "unsafe")),
    ),
    st.tuples(
        st.just("death"),
        physician_mostly,
        st.sampled_from(("now", "before admission", "before admission")),
    ),
    st.tuples(
        st.just("complete"),
        st.sampled_from(ACTORS),
        st.tuples(st.integers(0, 15), st.sampled_from(("By phone at 10:40.", " "))),
    ),
)
# Each step happens some minutes after the one before.
steps = st.lists(st.tuples(st.integers(0, 8 * 60), step), min_size=10, max_size=40)


class Rollback(Exception):
    """Ends an example: everything it did is rolled back for the next one."""


def state(stay: Stay) -> tuple[object, ...]:
    return (
        Stay.objects.filter(pk=stay.pk).values().get(),
        tuple(Deadline.objects.filter(stay=stay).order_by("pk").values_list("pk", "done_at")),
        Message.objects.filter(stay=stay).count(),
        StayEvent.objects.filter(stay=stay).count(),
        ChangeRecord.objects.count(),
    )


def advance(stay: Stay, goal: str) -> tuple[str, str, Any]:
    """The step that takes the stay on towards its `goal` (discharge, or leaving on own
    responsibility) from where it stands."""
    stay = Stay.objects.get(pk=stay.pk)
    if stay.status == StayStatus.ADMITTED:
        if set(stay.documented) != set(SECTION_9):
            return "document", "physician", frozenset(SECTION_9)
        return "declare", "physician", ""
    if stay.status == StayStatus.DISCHARGE_READY:
        return _advance_discharge_ready(stay, goal)
    if stay.status == StayStatus.DEPARTURE_READY and goal == "leave":
        return "leave", "physician", "competent and safe"
    return "discharge", "physician", ""


def _advance_discharge_ready(stay: Stay, goal: str) -> tuple[str, str, Any]:
    """From discharge-ready: the updated application and the notice first, then either the
    discharge summary and leaving, or the municipality's answer and the departure checklist."""
    sent = {m.code for m in Message.objects.filter(stay=stay)}
    if "HELSEOPPL_SOKNAD:oppdatert" not in sent:
        return "message", "physician", "HELSEOPPL_SOKNAD:oppdatert"
    if stay.notified_at is None:
        return "message", "physician", "LOG_UTSKRIVNINGSKLAR"
    if goal == "leave":
        if "EPIKRISE" not in sent:
            return "message", "physician", "EPIKRISE"
        return "leave", "physician", "competent and safe"
    if not stay.can_receive:
        return "answer", "case-worker", "yes"
    if set(stay.prepared) != set(TICKED):
        return "prepare", "physician", frozenset(TICKED)
    if "UTSKRIVNINGSRAPPORT" not in sent:
        return "message", "physician", "UTSKRIVNINGSRAPPORT"
    return "departure-ready", "physician", ""


def act(
    operation: str,
    actor: Any,
    choice: Any,
    stay: Stay,
    when: datetime.datetime,
) -> None:
    OPERATIONS[operation](stay, actor, choice, when)


def _document(stay: Stay, actor: Any, choice: Any, when: datetime.datetime) -> None:
    actions.document(stay, sorted(choice), actor=actor, texts=written(sorted(choice)))


def _declare(stay: Stay, actor: Any, choice: Any, when: datetime.datetime) -> None:
    actions.declare_discharge_ready(stay, actor=actor, at=when, override=choice)


def _withdraw(stay: Stay, actor: Any, choice: Any, when: datetime.datetime) -> None:
    actions.withdraw_discharge_ready(stay, actor=actor, reason=choice)


def _message(stay: Stay, actor: Any, choice: Any, when: datetime.datetime) -> None:
    actions.record_message(stay, choice, actor=actor, sent_at=when)


def _answer(stay: Stay, actor: Any, choice: Any, when: datetime.datetime) -> None:
    actions.record_answer(
        stay,
        actor=actor,
        can_receive=choice != "not yet",
        receive_at=when + datetime.timedelta(hours=4) if choice == "yes" else None,
        service="Home nursing twice a day" if choice == "yes" else "",
        needs_from_hospital="Oxygen for the weekend",
        sent_at=when,
    )


def _prepare(stay: Stay, actor: Any, choice: Any, when: datetime.datetime) -> None:
    actions.prepare(stay, sorted(choice), actor=actor)


def _departure_ready(stay: Stay, actor: Any, choice: Any, when: datetime.datetime) -> None:
    actions.declare_departure_ready(stay, actor=actor, at=when)


def _discharge(stay: Stay, actor: Any, choice: Any, when: datetime.datetime) -> None:
    actions.discharge(stay, actor=actor, at=when, force_majeure=choice)


def _leave(stay: Stay, actor: Any, choice: Any, when: datetime.datetime) -> None:
    actions.leave_on_own_responsibility(
        stay,
        actor=actor,
        competent=choice != "not competent",
        safe=choice != "unsafe",
        note="The daughter takes over.",
        at=when,
    )


def _death(stay: Stay, actor: Any, choice: Any, when: datetime.datetime) -> None:
    if choice == "before admission":
        when = stay.admitted_at - datetime.timedelta(hours=1)
    actions.record_death(stay, actor=actor, at=when)


def _complete(stay: Stay, actor: Any, choice: Any, when: datetime.datetime) -> None:
    index, note_text = choice
    found = list(Deadline.objects.filter(stay=stay).order_by("pk"))
    if found:
        actions.complete_deadline(found[index % len(found)], actor=actor, note=note_text)


# What each operation of a step does to the stay.
OPERATIONS: dict[str, Callable[[Stay, Any, Any, datetime.datetime], None]] = {
    "document": _document,
    "declare": _declare,
    "withdraw": _withdraw,
    "message": _message,
    "answer": _answer,
    "prepare": _prepare,
    "departure-ready": _departure_ready,
    "discharge": _discharge,
    "leave": _leave,
    "death": _death,
    "complete": _complete,
}


def status_history(stay: Stay) -> list[list[str | None]]:
    return [
        change.changes["status"]
        for change in ChangeRecord.objects.filter(
            model="stays.stay", object_id=str(stay.pk)
        ).order_by("id")
        if "status" in change.changes
    ]


def check_invariants(stay: Stay, previous: str, holders: set[int], changes_before: int) -> None:
    stay = Stay.objects.get(pk=stay.pk)
    # (b) The status moves only as the table of states allows.
    assert stay.status == previous or StayStatus.may_move(previous, stay.status), (
        f"{previous} -> {stay.status}"
    )
    # (c) An ended stay stays ended, and owes nothing but the notice of a death.
    if previous in StayStatus.ENDED:
        assert stay.status == previous
    open_duties = sorted(
        Deadline.objects.filter(stay=stay, done_at__isnull=True).values_list("duty", flat=True)
    )
    if stay.status in StayStatus.ENDED:
        assert stay.ended_at is not None
        allowed = {"death-notice"} if stay.status == StayStatus.DIED else set()
        assert set(open_duties) <= allowed, f"{stay.status} with open {open_duties}"
    else:
        assert stay.ended_at is None
    # (d) Discharge-ready with open items only with the physician's reason for it.
    if stay.status == StayStatus.DISCHARGE_READY and previous != StayStatus.DISCHARGE_READY:
        blockers = discharge_blockers(stay)
        assert not blockers or stay.override_reason, [str(b) for b in blockers]
        assert stay.discharge_ready_at is not None and stay.discharge_ready_by_id is not None
    # (e) One open deadline per rule, held by the department or the allocation office.
    open_rules = list(
        Deadline.objects.filter(stay=stay, done_at__isnull=True).values_list("rule", flat=True)
    )
    assert len(open_rules) == len(set(open_rules)), sorted(open_rules)
    assert set(Deadline.objects.filter(stay=stay).values_list("holder", flat=True)) <= holders
    # (f) Every status change is in the history, old and new, in order.
    history = status_history(stay)
    assert history[0] == [None, StayStatus.ADMITTED]
    for (_old, new), (old, _new) in itertools.pairwise(history):
        assert new == old, history
    assert history[-1][1] == stay.status, history
    if stay.status != previous:
        new_records = ChangeRecord.objects.filter(
            model="stays.stay", object_id=str(stay.pk), id__gt=changes_before
        )
        assert [r.changes["status"] for r in new_records if "status" in r.changes] == [
            [previous, stay.status]
        ]


@settings(
    max_examples=50,
    deadline=None,
    # Explaining a failure replays it hundreds of times: minutes, for little.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_any_sequence_of_steps_keeps_the_stay_sound(
    steps, areas, levanger_patient, hnt_physician, levanger_case_worker
):
    people = {"physician": hnt_physician, "case-worker": levanger_case_worker}
    holders = {areas["hnt-levanger-med"].pk, areas["levanger-tildeling"].pk}
    now = timezone.now().replace(second=0, microsecond=0)
    admitted = now - datetime.timedelta(days=12)
    try:
        with transaction.atomic():
            stay = actions.admit(
                levanger_patient,
                actor=hnt_physician,
                unit=areas["hnt-levanger-med"],
                admission="emergency",
                admitted_at=admitted,
                expected_stay_hours=96,
            )
            clock = admitted
            for minutes, (operation, who, choice) in steps:
                if operation == "advance":
                    operation, who, choice = advance(stay, choice)
                clock = min(clock + datetime.timedelta(minutes=minutes), now)
                previous = Stay.objects.get(pk=stay.pk).status
                before = state(stay)
                last_change = ChangeRecord.objects.order_by("-id").values_list("id", flat=True)
                changes_before = last_change.first() or 0
                try:
                    act(operation, people[who], choice, stay, clock)
                except (Conflict, InvalidInput) as refused:
                    note(f"{previous}: {operation} {who} {choice!r} refused: {refused}")
                    assert state(stay) == before, f"{operation} was refused but changed something"
                else:
                    note(f"{previous}: {operation} {who} {choice!r}")
                    event(f"done: {previous} {operation}")
                check_invariants(stay, previous, holders, changes_before)
            event(f"ends {Stay.objects.get(pk=stay.pk).status}")
            raise Rollback
    except Rollback:
        pass
