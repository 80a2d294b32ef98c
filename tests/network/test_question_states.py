"""The delimitation question's states (overgang/network/states.py): open → answered → open
again (reopened) → answered…; nothing else. Property tests over any sequence of steps, on
the pure table and through the writers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overgang.errors import Conflict
from overgang.network import actions, states
from overgang.network.models import Question

STEPS = st.lists(st.sampled_from(states.STEPS), max_size=12)


@given(STEPS)
def test_the_state_table_alternates_open_and_answered(steps: list[str]) -> None:
    state = states.OPEN
    for step in steps:
        expected = {states.OPEN: states.ANSWER, states.ANSWERED: states.REOPEN}[state]
        if step == expected:
            new = states.after(state, step)
            assert new != state and new in states.STATES
            state = new
        else:
            with pytest.raises(states.NotAllowed):
                states.after(state, step)
    assert state in states.STATES


def test_every_state_has_exactly_one_way_out() -> None:
    for state in states.STATES:
        assert [step for (s, step) in states.NEXT if s == state] != []
        assert len([step for (s, step) in states.NEXT if s == state]) == 1


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_the_writers_follow_the_table(user, steps: list[str]) -> None:
    asker, member = user("tromso-case"), user("unn-network")
    question = actions.ask(actor=asker, agreement="unn", subject="s", text="t")
    model = states.OPEN
    answers = 0
    for step in steps:
        try:
            expected = states.after(model, step)
        except states.NotAllowed:
            expected = None
        try:
            if step == states.ANSWER:
                actions.answer(question, actor=member, text=f"svar {answers}")
            else:
                actions.reopen(question, actor=asker, reason="r")
        except Conflict:
            assert expected is None
        else:
            assert expected is not None
            model = expected
            answers += step == states.ANSWER
        question = Question.objects.get(pk=question.pk)
        assert question.status == model
        assert (question.answered_at is not None) == (answers > 0)
    Question.objects.filter(pk=question.pk).delete()
