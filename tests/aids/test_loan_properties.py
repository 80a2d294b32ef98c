"""Properties of the registry under any sequence of what clerks do (hypothesis): lending
(alone or as a pair), returning, reprocessing, discarding, reporting and cancelling returns.

After every step: a device is on loan exactly when it has one active loan; its history
is an unbroken chain ending in its status; a returned device is never lent again before
it has been reprocessed (O7); a refused action changes nothing; a return is done exactly
when all its devices are back.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overgang.aids import actions
from overgang.aids.models import Device, DeviceTransition, Loan, ReturnRequest
from overgang.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db

OPERATIONS = (
    "lend",
    "lend-pair",
    "return",
    "reprocess-passed",
    "reprocess-failed",
    "discard",
    "report-return",
    "cancel-return",
)
steps = st.lists(
    st.tuples(
        st.sampled_from(OPERATIONS),
        st.integers(0, 2),  # a device
        st.integers(0, 2),  # another device
        st.integers(0, 1),  # a patient
    ),
    min_size=1,
    max_size=25,
)


class Rollback(Exception):
    """Ends an example: everything it did is rolled back for the next one."""


def state() -> tuple[object, ...]:
    return (
        tuple(Device.objects.order_by("pk").values_list("status", flat=True)),
        tuple(Loan.objects.order_by("pk").values_list("pk", "returned_at")),
        tuple(ReturnRequest.objects.order_by("pk").values_list("pk", "status")),
        DeviceTransition.objects.count(),
    )


def act(operation: str, devices, patients, i: int, j: int, p: int, actor) -> None:
    device, other = devices[i], devices[j]
    active = Loan.objects.active().filter(device=device).first()
    if operation == "lend":
        actions.lend_device(device, patients[p], actor=actor)
    elif operation == "lend-pair":
        actions.lend_device(device, patients[p], actor=actor, companions=[other])
    elif operation == "return" and active:
        actions.return_loan(active, actor=actor)
    elif operation.startswith("reprocess"):
        result = operation.removeprefix("reprocess-")
        actions.reprocess_device(
            device, actor=actor, technical_check=result, disinfection="thermal 90 °C"
        )
    elif operation == "discard":
        actions.discard_device(device, actor=actor, reason="worn out")
    elif operation == "report-return" and active:
        actions.request_return([active], actor=actor, method="drop-off", reported_for="patient")
    elif operation == "cancel-return":
        for request in ReturnRequest.objects.filter(status__in=["requested", "scheduled"]):
            actions.cancel_return(request, actor=actor, reason="still needed")


def check_invariants(devices) -> None:
    for device in Device.objects.filter(pk__in=[d.pk for d in devices]):
        active = Loan.objects.active().filter(device=device).count()
        assert active == (1 if device.status == "on-loan" else 0), device.status
        path = list(
            DeviceTransition.objects.filter(device=device)
            .order_by("at", "id")
            .values_list("old", "new")
        )
        assert all(old == before for (old, _), (_, before) in zip(path[1:], path, strict=False))
        assert path[-1][1] == device.status
        statuses = [new for _, new in path]
        for k, status in enumerate(statuses):
            if status == "on-loan" and "returned" in statuses[:k]:
                # From the latest return up to this loan: reprocessed, then available (O7).
                last_return = k - 1 - statuses[k - 1 :: -1].index("returned")
                between = statuses[last_return:k]
                assert "reprocessing" in between and between[-1] == "available", statuses
    for request in ReturnRequest.objects.exclude(status="cancelled"):
        all_back = not request.loans.filter(returned_at__isnull=True).exists()
        assert (request.status == "done") == all_back


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_any_sequence_of_clerks_work_keeps_the_registry_sound(
    steps, system, areas, frogner_patient, stovner_patient
):
    try:
        with transaction.atomic():
            devices = [
                actions.register_device(
                    actor=system, aid_type="cpap", serial=f"CP-{n}", owner=areas["ous-bhm"]
                )
                for n in range(3)
            ]
            patients = [frogner_patient, stovner_patient]
            for operation, i, j, p in steps:
                before = state()
                try:
                    act(operation, devices, patients, i, j, p, system)
                except (Conflict, InvalidInput):
                    assert state() == before, f"{operation} was refused but changed something"
                check_invariants(devices)
            raise Rollback
    except Rollback:
        pass
