"""The stay's state table with planned admissions (issue 17), as properties (hypothesis):
any walk the table allows starts planned or admitted, never comes back to planned, reaches
"in hospital" only through an arrival, and a cancelled planned stay was never in hospital."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from overgang.stays.states import StayStatus

S = StayStatus


@st.composite
def walks(draw: st.DrawFn) -> list[StayStatus]:
    """A sequence of statuses the table allows, from a new stay (planned or admitted)."""
    status = draw(st.sampled_from((S.PLANNED, S.ADMITTED)))
    walk = [status]
    for _ in range(draw(st.integers(0, 12))):
        following = sorted(S.NEXT[status])
        if not following:
            break
        status = draw(st.sampled_from(following))
        walk.append(status)
    return walk


@given(walks())
def test_planned_comes_first_or_not_at_all(walk):
    assert S.PLANNED not in walk[1:]


@given(walks())
def test_a_planned_stay_is_in_hospital_only_after_it_arrived(walk):
    for before, after in itertools.pairwise(walk):
        if before == S.PLANNED:
            assert after in (S.ADMITTED, S.CANCELLED)
    if walk[0] == S.PLANNED and len(walk) > 1 and walk[1] == S.ADMITTED:
        assert all(s in S.IN_HOSPITAL or s in S.ENDED for s in walk[1:])


@given(walks())
def test_a_cancelled_stay_was_never_in_hospital_and_ends_there(walk):
    if S.CANCELLED in walk:
        assert walk == [S.PLANNED, S.CANCELLED]


@given(walks())
def test_only_ended_statuses_are_final_and_planned_is_open_but_not_waiting(walk):
    last = walk[-1]
    assert (not S.NEXT[last]) == (last in S.ENDED)
    assert S.PLANNED in S.OPEN
    assert S.PLANNED not in S.IN_HOSPITAL
    assert S.PLANNED not in S.WAITING
    assert set(S.IN_HOSPITAL) >= S.WAITING


@given(st.sampled_from(list(S)), st.sampled_from(list(S)))
def test_may_move_is_the_table(old, new):
    assert S.may_move(old, new) == (new in S.NEXT[old])
    if new == S.PLANNED:
        assert not S.may_move(old, new)
