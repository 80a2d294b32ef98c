"""The life of a stay, as a table: which status may follow which (R3, R6, R8).

Pure Python so the state machine can be tested on its own. A patient is discharge-ready
when a physician says so (R3), departure-ready when the municipality has answered and the
departure is prepared (R6), and then discharged. A patient who dies, or leaves on their own
responsibility (R8), ends the stay from where it stands.
"""

from __future__ import annotations

ADMITTED = "admitted"
DISCHARGE_READY = "discharge-ready"
DEPARTURE_READY = "departure-ready"
DISCHARGED = "discharged"
DIED = "died"
LEFT = "left-on-own-responsibility"

STATUSES = (ADMITTED, DISCHARGE_READY, DEPARTURE_READY, DISCHARGED, DIED, LEFT)

NEXT: dict[str, frozenset[str]] = {
    ADMITTED: frozenset({DISCHARGE_READY, DIED}),
    # The physician may withdraw the decision (the patient got worse): back to admitted.
    # Discharged straight from discharge-ready only by force majeure (R8 b).
    DISCHARGE_READY: frozenset({ADMITTED, DEPARTURE_READY, DISCHARGED, LEFT, DIED}),
    DEPARTURE_READY: frozenset({ADMITTED, DISCHARGED, LEFT, DIED}),
    DISCHARGED: frozenset(),
    DIED: frozenset(),
    LEFT: frozenset(),
}
ENDED = frozenset({DISCHARGED, DIED, LEFT})
OPEN = tuple(s for s in STATUSES if s not in ENDED)
# Waiting days run while the patient is discharge-ready and still in hospital (R9).
WAITING = frozenset({DISCHARGE_READY, DEPARTURE_READY})


def may_move(old: str, new: str) -> bool:
    return new in NEXT[old]
