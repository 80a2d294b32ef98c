"""The life of a stay, as a table: which status may follow which (R3, R6, R8).

The statuses and their table live on one ``TextChoices``, so a status has one spelling
everywhere: ``StayStatus.ADMITTED``. A patient is discharge-ready when a physician says so
(R3), departure-ready when the municipality has answered and the departure is prepared (R6),
and then discharged. A patient who dies, or leaves on their own responsibility (R8), ends
the stay from where it stands.

A planned admission (H4, N5) is a stay before the patient arrives: it is the patient's open
stay (one at a time), its notices run from the day the admission date is set, and it
becomes admitted when the patient arrives. If the admission is called off, the stay is
cancelled with a reason. A planned stay is not in hospital: it counts no waiting days and is
not among the admitted patients.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class StayStatus(models.TextChoices):
    PLANNED = "planned", _("planned, not yet arrived")
    ADMITTED = "admitted", _("admitted")
    DISCHARGE_READY = "discharge-ready", _("discharge-ready")
    DEPARTURE_READY = "departure-ready", _("ready to leave")
    DISCHARGED = "discharged", _("discharged")
    DIED = "died", _("died")
    LEFT = "left-on-own-responsibility", _("left on own responsibility")
    CANCELLED = "cancelled", _("planned admission cancelled")

    NEXT: ClassVar[dict[StayStatus, frozenset[StayStatus]]]
    ENDED: ClassVar[frozenset[StayStatus]]
    OPEN: ClassVar[tuple[StayStatus, ...]]
    WAITING: ClassVar[frozenset[StayStatus]]
    IN_HOSPITAL: ClassVar[tuple[StayStatus, ...]]

    @classmethod
    def may_move(cls, old: str, new: str) -> bool:
        return new in cls.NEXT[cls(old)]


S = StayStatus
S.NEXT = {
    # The patient arrives, or the planned admission is called off before they do.
    S.PLANNED: frozenset({S.ADMITTED, S.CANCELLED}),
    S.ADMITTED: frozenset({S.DISCHARGE_READY, S.DIED}),
    # The physician may withdraw the decision (the patient got worse): back to admitted.
    # Discharged straight from discharge-ready only by force majeure (R8 b).
    S.DISCHARGE_READY: frozenset({S.ADMITTED, S.DEPARTURE_READY, S.DISCHARGED, S.LEFT, S.DIED}),
    S.DEPARTURE_READY: frozenset({S.ADMITTED, S.DISCHARGED, S.LEFT, S.DIED}),
    S.DISCHARGED: frozenset(),
    S.DIED: frozenset(),
    S.LEFT: frozenset(),
    S.CANCELLED: frozenset(),
}
S.ENDED = frozenset({S.DISCHARGED, S.DIED, S.LEFT, S.CANCELLED})
S.OPEN = tuple(s for s in S if s not in S.ENDED)
# The patient is in hospital: open, and arrived (a planned stay is open but not yet here).
S.IN_HOSPITAL = tuple(s for s in S.OPEN if s != S.PLANNED)
# Waiting days run while the patient is discharge-ready and still in hospital (R9).
S.WAITING = frozenset({S.DISCHARGE_READY, S.DEPARTURE_READY})
del S
