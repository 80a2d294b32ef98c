"""Of many clerks lending one available device at the same moment, exactly one wins (O7)."""

import threading

import pytest
from django.db import close_old_connections, connection

from overgang.aids import actions
from overgang.aids.models import Loan
from overgang.errors import Conflict, InvalidInput

CLERKS = 8


@pytest.mark.django_db(transaction=True)
def test_exactly_one_of_concurrent_loans_of_one_device_succeeds(
    areas, system, frogner_patient, ventilator
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers by itself")
    start = threading.Barrier(CLERKS)
    outcomes: list[str] = []

    def clerk() -> None:
        try:
            start.wait()
            actions.lend_device(ventilator, frogner_patient, actor=system)
            outcomes.append("lent")
        except Conflict:
            outcomes.append("conflict")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=clerk) for _ in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict"] * (CLERKS - 1) + ["lent"]
    assert Loan.objects.filter(returned_at__isnull=True).count() == 1


def run_at_once(count: int, work) -> list[str]:
    """Run `work(n)` in `count` threads that start together; what each ended in."""
    start = threading.Barrier(count)
    outcomes: list[str] = []

    def clerk(n: int) -> None:
        try:
            start.wait()
            work(n)
            outcomes.append("done")
        except (Conflict, InvalidInput) as error:
            outcomes.append(type(error).__name__)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_of_clerks_lending_different_wheelchairs_to_one_patient_one_wins_in_nordjylland(
    areas, system, aalborg_patient
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers by itself")
    chairs = [
        actions.register_device(
            actor=system, aid_type="wheelchair", serial=f"KS-{n}", owner=areas["aalborg-depot"]
        )
        for n in range(CLERKS)
    ]
    outcomes = run_at_once(
        CLERKS, lambda n: actions.lend_device(chairs[n], aalborg_patient, actor=system)
    )
    assert sorted(outcomes) == ["InvalidInput"] * (CLERKS - 1) + ["done"], "no spares (003 4)"
    assert Loan.objects.filter(returned_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_of_nurses_reporting_one_resident_at_once_one_report_stays_open(areas, system, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers by itself")
    from overgang.patients import actions as patients
    from overgang.requisitions import actions as requisitions
    from overgang.requisitions.models import SwapReport

    resident = patients.create_patient(
        actor=system,
        national_id_number="24107240027",
        name="Ragnhild Berg",
        municipality="Oslo",
        district="Frogner",
        address="Skovveien 40",
        residence="institution",
        institution=areas["oslo-frogner-skillebekk"],
    )
    outcomes = run_at_once(
        4,
        lambda n: requisitions.report_swap(
            resident,
            actor=system,
            aid_type="oxygen-concentrator",
            started_by="specialist",
            documentation="Epikrise 12.03.2026",
        ),
    )
    assert sorted(outcomes) == ["Conflict"] * 3 + ["done"]
    assert SwapReport.objects.filter(status="to-swap").count() == 1
