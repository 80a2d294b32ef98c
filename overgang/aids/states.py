"""The life of a device, as a table: which status may follow which (O7, O8).

Pure Python so the state machine can be tested on its own. A returned device is
never lent again before it has been reprocessed (technical check and infection
control) or it is discarded.
"""

from __future__ import annotations

AVAILABLE = "available"
RESERVED = "reserved"
ON_LOAN = "on-loan"
RETURNED = "returned"
REPROCESSING = "reprocessing"
IN_REPAIR = "in-repair"
DISCARDED = "discarded"

STATUSES = (AVAILABLE, RESERVED, ON_LOAN, RETURNED, REPROCESSING, IN_REPAIR, DISCARDED)

NEXT: dict[str, frozenset[str]] = {
    AVAILABLE: frozenset({RESERVED, ON_LOAN, IN_REPAIR, DISCARDED}),
    RESERVED: frozenset({AVAILABLE, ON_LOAN}),
    ON_LOAN: frozenset({RETURNED}),
    RETURNED: frozenset({REPROCESSING, IN_REPAIR, DISCARDED}),
    REPROCESSING: frozenset({AVAILABLE, IN_REPAIR, DISCARDED}),
    # A repaired device is reprocessed before anyone borrows it again.
    IN_REPAIR: frozenset({REPROCESSING, DISCARDED}),
    DISCARDED: frozenset(),
}
LENDABLE = frozenset({AVAILABLE, RESERVED})


def may_move(old: str, new: str) -> bool:
    return new in NEXT[old]
