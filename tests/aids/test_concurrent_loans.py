"""Of many clerks lending one available device at the same moment, exactly one wins (O7)."""

import threading

import pytest
from django.db import close_old_connections, connection

from overgang.aids import actions
from overgang.aids.models import Loan
from overgang.errors import Conflict

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
