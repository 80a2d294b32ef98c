"""The device state machine (O7): no path from a return to a new loan skips reprocessing."""

from hypothesis import given
from hypothesis import strategies as st

from overgang.aids.states import DeviceStatus


def test_every_status_can_be_reached_from_available():
    seen, todo = {DeviceStatus.AVAILABLE}, [DeviceStatus.AVAILABLE]
    while todo:
        for new in DeviceStatus.NEXT[todo.pop()]:
            if new not in seen:
                seen.add(new)
                todo.append(new)
    assert seen == set(DeviceStatus)


def test_a_discarded_device_stays_discarded():
    assert DeviceStatus.NEXT[DeviceStatus.DISCARDED] == frozenset()


@given(st.lists(st.sampled_from(DeviceStatus), max_size=30))
def test_after_a_return_the_device_is_reprocessed_before_it_is_lent_again(wishes):
    status, reprocessed_since_return = DeviceStatus.AVAILABLE, True
    for wish in wishes:
        if not DeviceStatus.may_move(status, wish):
            continue
        if wish == DeviceStatus.RETURNED:
            reprocessed_since_return = False
        if wish == DeviceStatus.REPROCESSING:
            reprocessed_since_return = True
        if wish == DeviceStatus.ON_LOAN:
            assert reprocessed_since_return
        status = wish


@given(st.sampled_from(DeviceStatus), st.sampled_from(DeviceStatus))
def test_only_an_available_or_reserved_device_goes_on_loan(old, new):
    if new == DeviceStatus.ON_LOAN and DeviceStatus.may_move(old, new):
        assert old in DeviceStatus.LENDABLE
