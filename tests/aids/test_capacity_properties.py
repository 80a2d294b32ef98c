"""Property of the shortfall notices (hypothesis): under any sequence of the available
count and the minimum changing, with the worker's sweep now and then, the unit is told
exactly once for each sweep that finds it newly below (below now, not below at the sweep
before), and at most one shortfall is open at a time."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overgang.aids import actions
from overgang.aids.models import AidType, Device, StockShortfall
from overgang.stays import capacity
from overgang.stays.models import News, Notification

pytestmark = pytest.mark.django_db

steps = st.lists(
    st.one_of(
        st.tuples(st.just("available"), st.integers(0, 4)),
        st.tuples(st.just("minimum"), st.one_of(st.none(), st.integers(0, 4))),
        st.tuples(st.just("sweep"), st.just(0)),
    ),
    min_size=1,
    max_size=30,
)


class Rollback(Exception):
    """Ends an example: everything it did is rolled back for the next one."""


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_a_unit_is_told_once_per_fall_seen_by_a_sweep(steps, system, areas):
    unit = areas["rn-depot"]
    kind = AidType.objects.get(slug="wheelchair")
    try:
        with transaction.atomic():
            devices = [
                actions.register_device(
                    actor=system, aid_type="wheelchair", serial=f"WC-{n}", owner=unit
                )
                for n in range(4)
            ]
            minimum: int | None = None
            available = 4
            was_below = False
            falls = 0
            for step, value in steps:
                if step == "available":
                    available = value
                    for n, device in enumerate(devices):
                        status = "available" if n < value else "in-repair"
                        Device.objects.filter(pk=device.pk).update(status=status)
                elif step == "minimum":
                    minimum = value
                    actions.set_stock_minimum(unit, kind, actor=system, minimum=value)
                else:
                    capacity.sweep()
                    below = minimum is not None and available < minimum
                    falls += below and not was_below
                    was_below = below
                    told = Notification.objects.filter(
                        organisation=unit, news=News.BELOW_MINIMUM
                    ).count()
                    assert told == falls
                    still_open = StockShortfall.objects.filter(recovered_at__isnull=True)
                    assert still_open.count() == (1 if below else 0)
            raise Rollback
    except Rollback:
        pass
