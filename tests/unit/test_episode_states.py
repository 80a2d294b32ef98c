"""The outpatient episode's own table (R11, U1), as a property: whatever moves are tried, an
outpatient episode never becomes discharge-ready or ready to leave (so it never counts
waiting days), only ends (closed by the hospital, or a death); and every other admission
keeps the inpatient table unchanged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from overgang.stays.episodes import EPISODE_NEXT, may_move
from overgang.stays.states import StayStatus

statuses = st.sampled_from(list(StayStatus))


@given(st.lists(statuses, max_size=12))
def test_an_outpatient_episode_only_ever_ends(tried):
    status = StayStatus.ADMITTED
    for new in tried:
        if may_move("outpatient", status, new):
            assert status == StayStatus.ADMITTED  # only an open episode moves at all
            status = new
        assert status not in StayStatus.WAITING
        assert status in (StayStatus.ADMITTED, StayStatus.DISCHARGED, StayStatus.DIED)


@given(st.sampled_from(["emergency", "planned"]), statuses, statuses)
def test_an_inpatient_stay_keeps_its_table(admission, old, new):
    assert may_move(admission, old, new) == StayStatus.may_move(old, new)


def test_only_an_open_episode_moves():
    assert {old for old, nexts in EPISODE_NEXT.items() if nexts} == {StayStatus.ADMITTED}
