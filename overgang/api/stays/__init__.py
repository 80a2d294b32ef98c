"""Stays (R1–R10, H1, H4, N5): admission, the events and messages of the transition, the
deadlines they open and close, the needs, and waiting days. One router, in parts by concept."""

from ninja import Router

from overgang.api.stays import (
    admissions,
    deadlines,
    events,
    leave,
    needs,
    training,
    waiting_days,
)

router = Router(tags=["stays"])
for part in (admissions, events, deadlines, needs, training, leave, waiting_days):
    router.add_router("", part.router)
