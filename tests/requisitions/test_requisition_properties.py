"""Properties of requisitions under any sequence of what the unit does (hypothesis): assess,
grant (with or without a device), refuse, reserve, deliver, withdraw, appeal, forward,
uphold, dismiss.

After every step: the status follows the table; a device is reserved exactly while a granted
requisition holds it, and no device is held by two; a delivered requisition has its loan; a
refused action changes nothing; an upheld appeal puts the refusal back in the queue.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overgang.aids import actions as aids
from overgang.aids.models import Device
from overgang.errors import Conflict, InvalidInput
from overgang.requisitions import actions
from overgang.requisitions.models import Appeal, Requisition
from overgang.requisitions.states import AppealStatus, RequisitionStatus

pytestmark = pytest.mark.django_db

OPERATIONS = (
    "assess",
    "grant",
    "grant-with-device",
    "refuse",
    "reserve",
    "deliver",
    "withdraw",
    "appeal",
    "forward",
    "uphold",
    "dismiss",
)
steps = st.lists(
    st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 1), st.integers(0, 1)),
    min_size=1,
    max_size=20,
)


class Rollback(Exception):
    """Ends an example: everything it did is rolled back for the next one."""


def state() -> tuple[object, ...]:
    return (
        tuple(Requisition.objects.order_by("pk").values_list("status", "device", "loan")),
        tuple(Appeal.objects.order_by("pk").values_list("status")),
        tuple(Device.objects.order_by("pk").values_list("status", flat=True)),
    )


def act(operation: str, requisition: Requisition, device: Device, actor) -> None:
    appeal = requisition.appeals.filter(status__in=sorted(AppealStatus.OPEN)).first()
    if operation == "assess":
        actions.start_assessment(requisition, actor=actor)
    elif operation.startswith("grant"):
        chosen = device if operation == "grant-with-device" else None
        actions.decide_requisition(
            requisition, actor=actor, approved=True, reason="", device=chosen
        )
    elif operation == "refuse":
        actions.decide_requisition(requisition, actor=actor, approved=False, reason="Nei.")
    elif operation == "reserve":
        actions.reserve_for(requisition, device, actor=actor)
    elif operation == "deliver":
        actions.deliver(requisition, actor=actor)
    elif operation == "withdraw":
        actions.withdraw_requisition(requisition, actor=actor, reason="Ikke lenger aktuelt.")
    elif operation == "appeal":
        actions.register_appeal(requisition, actor=actor, appellant="patient", grounds="Uenig.")
    elif operation == "forward" and appeal:
        actions.forward_appeal(appeal, actor=actor)
    elif operation in ("uphold", "dismiss") and appeal:
        actions.record_outcome(
            appeal, actor=actor, upheld=operation == "uphold", outcome="Vurdert."
        )


def check_invariants(requisitions, devices, history) -> None:
    for requisition, seen in zip(requisitions, history, strict=True):
        requisition.refresh_from_db()
        if seen[-1] != requisition.status:
            assert RequisitionStatus.may_move(seen[-1], requisition.status), (
                seen,
                requisition.status,
            )
            seen.append(requisition.status)
        if requisition.status == "delivered":
            assert requisition.loan is not None and requisition.loan.device == requisition.device
        if requisition.status in ("submitted", "assessing"):
            assert requisition.decided_at is None
        if requisition.status == "submitted" and "refused" in seen:
            assert requisition.reopened == seen.count("refused")
    for device in Device.objects.filter(pk__in=[d.pk for d in devices]):
        holders = Requisition.objects.filter(device=device, status="granted").count()
        assert holders <= 1
        assert (device.status == "reserved") == (holders == 1), device.status


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_any_sequence_of_the_units_work_keeps_requisitions_sound(steps, system, requisition_of):
    try:
        with transaction.atomic():
            unit = requisition_of().unit
            requisitions = [*Requisition.objects.all(), requisition_of()]
            devices = [
                aids.register_device(
                    actor=system, aid_type="oxygen-concentrator", serial=f"OC-{n}", owner=unit
                )
                for n in range(2)
            ]
            history = [["submitted"] for _ in requisitions]
            for operation, r, d in steps:
                before = state()
                try:
                    act(operation, requisitions[r], devices[d], system)
                except (Conflict, InvalidInput):
                    assert state() == before, f"{operation} was refused but changed something"
                check_invariants(requisitions, devices, history)
            raise Rollback
    except Rollback:
        pass


def test_the_table_reaches_every_status_and_ends_in_delivered_or_withdrawn():
    seen, todo = {RequisitionStatus.SUBMITTED}, [RequisitionStatus.SUBMITTED]
    while todo:
        for new in RequisitionStatus.NEXT[todo.pop()]:
            if new not in seen:
                seen.add(new)
                todo.append(new)
    assert seen == set(RequisitionStatus)
    assert {s for s in RequisitionStatus if not RequisitionStatus.NEXT[s]} == {
        "delivered",
        "withdrawn",
    }
