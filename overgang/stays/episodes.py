"""An outpatient episode's life, as a table apart from the inpatient stay's (R11, U1).

An outpatient episode (day treatment, an outpatient consultation, ambulant treatment) is
kept as a `Stay` with `admission == "outpatient"`, so that it has the patient, the
hospital, the municipality and the timeline a stay has. But it is not an inpatient stay:
nobody declares it discharge-ready and nothing waits for a departure (the § 9 checklist and
R6 are about patients in hospital). It is open until the hospital closes it, or until the
patient dies. The inpatient table (`overgang.stays.states`) is left as it is.
"""

from __future__ import annotations

from overgang.stays.states import StayStatus

S = StayStatus
# Closed by the hospital ("discharged" is the status an ended stay has), or a death.
EPISODE_NEXT: dict[StayStatus, frozenset[StayStatus]] = {
    S.ADMITTED: frozenset({S.DISCHARGED, S.DIED}),
    S.DISCHARGE_READY: frozenset(),
    S.DEPARTURE_READY: frozenset(),
    S.DISCHARGED: frozenset(),
    S.DIED: frozenset(),
    S.LEFT: frozenset(),
}
del S


def may_move(admission: str, old: str, new: str) -> bool:
    """May a stay of this admission go from `old` to `new`? An outpatient episode follows
    its own table; every other admission the inpatient one."""
    if admission == "outpatient":
        return StayStatus(new) in EPISODE_NEXT.get(StayStatus(old), frozenset())
    return StayStatus.may_move(old, new)
