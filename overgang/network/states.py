"""The states of a delimitation question and the steps between them. Pure Python.

- open: asked, waiting for the network group's answer;
- answered: the group answered (the asker is told);
- an answered question may be reopened (the asker or a member finds the answer does not
  settle it): it is open again and waits for a new answer.

Nothing else: a question is never deleted, and an open one is not answered twice.
"""

from __future__ import annotations

OPEN = "open"
ANSWERED = "answered"
STATES = (OPEN, ANSWERED)

ANSWER = "answer"
REOPEN = "reopen"
STEPS = (ANSWER, REOPEN)

NEXT: dict[tuple[str, str], str] = {
    (OPEN, ANSWER): ANSWERED,
    (ANSWERED, REOPEN): OPEN,
}


class NotAllowed(ValueError):
    """The step is not allowed from the question's state."""


def after(state: str, step: str) -> str:
    """The state the step leads to from `state`; NotAllowed when it may not be taken."""
    try:
        return NEXT[(state, step)]
    except KeyError:
        raise NotAllowed(f"{step} from {state}") from None
