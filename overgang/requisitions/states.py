"""The life of a requisition, an appeal, a NAV application and a dispute, as tables (U1, U3).

Each set of statuses and its table live on one ``TextChoices``, so a status has one
spelling everywhere: ``RequisitionStatus.GRANTED``. A requisition the rules refuse (U2) is
never stored: the requester gets the cited reason at once. A stored one is assessed by the
treatment-aids unit, granted or refused; a granted one is delivered (handed out at discharge
or sent afterwards); a refused one reopens when an appeal succeeds.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequisitionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("to be assessed")
    ASSESSING = "assessing", _("being assessed")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")
    DELIVERED = "delivered", _("delivered")
    WITHDRAWN = "withdrawn", _("withdrawn")

    NEXT: ClassVar[dict[RequisitionStatus, frozenset[RequisitionStatus]]]
    TO_DECIDE: ClassVar[frozenset[RequisitionStatus]]
    OPEN: ClassVar[frozenset[RequisitionStatus]]

    @classmethod
    def may_move(cls, old: str, new: str) -> bool:
        return new in cls.NEXT[cls(old)]


R = RequisitionStatus
R.NEXT = {
    R.SUBMITTED: frozenset({R.ASSESSING, R.GRANTED, R.REFUSED, R.WITHDRAWN}),
    R.ASSESSING: frozenset({R.GRANTED, R.REFUSED, R.WITHDRAWN}),
    # A granted aid may still not be wanted (the patient died, the plan changed).
    R.GRANTED: frozenset({R.DELIVERED, R.WITHDRAWN}),
    # Back in the unit's queue when the appeal succeeds (U3).
    R.REFUSED: frozenset({R.SUBMITTED}),
    R.DELIVERED: frozenset(),
    R.WITHDRAWN: frozenset(),
}
R.TO_DECIDE = frozenset({R.SUBMITTED, R.ASSESSING})
R.OPEN = frozenset({R.SUBMITTED, R.ASSESSING, R.GRANTED})


class AppealStatus(models.TextChoices):
    """Received by the unit, which may reverse its own decision at once; otherwise
    forwarded to the appeal body, whose outcome is recorded."""

    RECEIVED = "received", _("received by the unit")
    FORWARDED = "forwarded", _("forwarded to the appeal body")
    UPHELD = "upheld", _("upheld: the requisition is assessed again")
    DISMISSED = "dismissed", _("dismissed: the refusal stands")
    WITHDRAWN = "withdrawn", _("withdrawn")

    NEXT: ClassVar[dict[AppealStatus, frozenset[AppealStatus]]]
    OPEN: ClassVar[frozenset[AppealStatus]]

    @classmethod
    def may_move(cls, old: str, new: str) -> bool:
        return new in cls.NEXT[cls(old)]


A = AppealStatus
A.NEXT = {
    A.RECEIVED: frozenset({A.FORWARDED, A.UPHELD, A.WITHDRAWN}),
    A.FORWARDED: frozenset({A.UPHELD, A.DISMISSED, A.WITHDRAWN}),
    A.UPHELD: frozenset(),
    A.DISMISSED: frozenset(),
    A.WITHDRAWN: frozenset(),
}
A.OPEN = frozenset({A.RECEIVED, A.FORWARDED})


class NavStatus(models.TextChoices):
    """NAV applications for long-term technical aids (H5, H6): the municipality applies with
    the user's signed application; NAV decides and delivers; the municipality follows up."""

    AWAITING_SIGNATURE = "awaiting-signature", _("awaiting the user's signature")
    SIGNED = "signed", _("signed, to be sent")
    SENT = "sent", _("sent to NAV")
    GRANTED = "granted", _("granted by NAV")
    REFUSED = "refused", _("refused by NAV")
    DELIVERED = "delivered", _("delivered")
    FOLLOWED_UP = "followed-up", _("followed up after delivery")
    WITHDRAWN = "withdrawn", _("withdrawn")

    NEXT: ClassVar[dict[NavStatus, frozenset[NavStatus]]]
    OPEN: ClassVar[frozenset[NavStatus]]

    @classmethod
    def may_move(cls, old: str, new: str) -> bool:
        return new in cls.NEXT[cls(old)]


N = NavStatus
N.NEXT = {
    N.AWAITING_SIGNATURE: frozenset({N.SIGNED, N.WITHDRAWN}),
    N.SIGNED: frozenset({N.SENT, N.WITHDRAWN}),
    N.SENT: frozenset({N.GRANTED, N.REFUSED, N.WITHDRAWN}),
    N.GRANTED: frozenset({N.DELIVERED, N.WITHDRAWN}),
    N.REFUSED: frozenset(),
    N.DELIVERED: frozenset({N.FOLLOWED_UP}),
    N.FOLLOWED_UP: frozenset(),
    N.WITHDRAWN: frozenset(),
}
N.OPEN = frozenset({N.AWAITING_SIGNATURE, N.SIGNED, N.SENT, N.GRANTED, N.DELIVERED})


class DisputeStatus(models.TextChoices):
    """Disputes about who pays or delivers (N13, 003 8): the party closest to the citizen
    delivers at once; the dispute is settled at the lowest level, escalated when it is not."""

    OPEN = "open", _("open")
    ESCALATED = "escalated", _("escalated")
    SETTLED = "settled", _("settled")


del R, A, N
