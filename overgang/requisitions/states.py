"""The life of a requisition and of an appeal, as tables (U1, U3).

Pure Python so the state machines can be tested on their own. A requisition the
rules refuse (U2) is never stored: the requester gets the cited reason at once. A
stored one is assessed by the treatment-aids unit, granted or refused; a granted one
is delivered (handed out at discharge or sent afterwards); a refused one reopens when
an appeal succeeds.
"""

from __future__ import annotations

SUBMITTED = "submitted"
ASSESSING = "assessing"
GRANTED = "granted"
REFUSED = "refused"
DELIVERED = "delivered"
WITHDRAWN = "withdrawn"

STATUSES = (SUBMITTED, ASSESSING, GRANTED, REFUSED, DELIVERED, WITHDRAWN)

NEXT: dict[str, frozenset[str]] = {
    SUBMITTED: frozenset({ASSESSING, GRANTED, REFUSED, WITHDRAWN}),
    ASSESSING: frozenset({GRANTED, REFUSED, WITHDRAWN}),
    # A granted aid may still not be wanted (the patient died, the plan changed).
    GRANTED: frozenset({DELIVERED, WITHDRAWN}),
    # Back in the unit's queue when the appeal succeeds (U3).
    REFUSED: frozenset({SUBMITTED}),
    DELIVERED: frozenset(),
    WITHDRAWN: frozenset(),
}
TO_DECIDE = frozenset({SUBMITTED, ASSESSING})
OPEN = frozenset({SUBMITTED, ASSESSING, GRANTED})


def may_move(old: str, new: str) -> bool:
    return new in NEXT[old]


# Appeals: received by the unit, which may reverse its own decision at once; otherwise
# forwarded to the appeal body, whose outcome is recorded.
RECEIVED = "received"
FORWARDED = "forwarded"
UPHELD = "upheld"
DISMISSED = "dismissed"
APPEAL_WITHDRAWN = "withdrawn"

APPEAL_STATUSES = (RECEIVED, FORWARDED, UPHELD, DISMISSED, APPEAL_WITHDRAWN)

APPEAL_NEXT: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({FORWARDED, UPHELD, APPEAL_WITHDRAWN}),
    FORWARDED: frozenset({UPHELD, DISMISSED, APPEAL_WITHDRAWN}),
    UPHELD: frozenset(),
    DISMISSED: frozenset(),
    APPEAL_WITHDRAWN: frozenset(),
}
APPEAL_OPEN = frozenset({RECEIVED, FORWARDED})


def appeal_may_move(old: str, new: str) -> bool:
    return new in APPEAL_NEXT[old]


# NAV applications for long-term technical aids (H5, H6): the municipality applies with
# the user's signed application; NAV decides and delivers; the municipality follows up.
AWAITING_SIGNATURE = "awaiting-signature"
SIGNED = "signed"
SENT = "sent"
NAV_GRANTED = "granted"
NAV_REFUSED = "refused"
NAV_DELIVERED = "delivered"
FOLLOWED_UP = "followed-up"
NAV_WITHDRAWN = "withdrawn"

NAV_STATUSES = (
    AWAITING_SIGNATURE,
    SIGNED,
    SENT,
    NAV_GRANTED,
    NAV_REFUSED,
    NAV_DELIVERED,
    FOLLOWED_UP,
    NAV_WITHDRAWN,
)
NAV_NEXT: dict[str, frozenset[str]] = {
    AWAITING_SIGNATURE: frozenset({SIGNED, NAV_WITHDRAWN}),
    SIGNED: frozenset({SENT, NAV_WITHDRAWN}),
    SENT: frozenset({NAV_GRANTED, NAV_REFUSED, NAV_WITHDRAWN}),
    NAV_GRANTED: frozenset({NAV_DELIVERED, NAV_WITHDRAWN}),
    NAV_REFUSED: frozenset(),
    NAV_DELIVERED: frozenset({FOLLOWED_UP}),
    FOLLOWED_UP: frozenset(),
    NAV_WITHDRAWN: frozenset(),
}
NAV_OPEN = frozenset({AWAITING_SIGNATURE, SIGNED, SENT, NAV_GRANTED, NAV_DELIVERED})


def nav_may_move(old: str, new: str) -> bool:
    return new in NAV_NEXT[old]


# Disputes about who pays or delivers (N13, 003 8): the party closest to the citizen delivers
# at once; the dispute is settled at the lowest level, escalated when it is not.
DISPUTE_OPEN = "open"
DISPUTE_ESCALATED = "escalated"
DISPUTE_SETTLED = "settled"
DISPUTE_STATUSES = (DISPUTE_OPEN, DISPUTE_ESCALATED, DISPUTE_SETTLED)
