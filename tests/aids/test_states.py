"""The device state machine (O7): no path from a return to a new loan skips reprocessing."""

from hypothesis import given
from hypothesis import strategies as st

from overgang.aids import states


def test_every_status_can_be_reached_from_available():
    seen, todo = {states.AVAILABLE}, [states.AVAILABLE]
    while todo:
        for new in states.NEXT[todo.pop()]:
            if new not in seen:
                seen.add(new)
                todo.append(new)
    assert seen == set(states.STATUSES)


def test_a_discarded_device_stays_discarded():
    assert states.NEXT[states.DISCARDED] == frozenset()


@given(st.lists(st.sampled_from(states.STATUSES), max_size=30))
def test_after_a_return_the_device_is_reprocessed_before_it_is_lent_again(wishes):
    status, reprocessed_since_return = states.AVAILABLE, True
    for wish in wishes:
        if not states.may_move(status, wish):
            continue
        if wish == states.RETURNED:
            reprocessed_since_return = False
        if wish == states.REPROCESSING:
            reprocessed_since_return = True
        if wish == states.ON_LOAN:
            assert reprocessed_since_return
        status = wish


@given(st.sampled_from(states.STATUSES), st.sampled_from(states.STATUSES))
def test_only_an_available_or_reserved_device_goes_on_loan(old, new):
    if new == states.ON_LOAN and states.may_move(old, new):
        assert old in states.LENDABLE
