"""The life of a device, as a table: which status may follow which (O7, O8).

The statuses and their table live on one ``TextChoices``, so a status has one spelling
everywhere: ``DeviceStatus.ON_LOAN``. A returned device is never lent again before it has
been reprocessed (technical check and infection control) or it is discarded.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceStatus(models.TextChoices):
    AVAILABLE = "available", _("available")
    RESERVED = "reserved", _("reserved")
    ON_LOAN = "on-loan", _("on loan")
    RETURNED = "returned", _("returned")
    REPROCESSING = "reprocessing", _("reprocessing")
    IN_REPAIR = "in-repair", _("in repair")
    DISCARDED = "discarded", _("discarded")

    NEXT: ClassVar[dict[DeviceStatus, frozenset[DeviceStatus]]]
    LENDABLE: ClassVar[frozenset[DeviceStatus]]

    @classmethod
    def may_move(cls, old: str, new: str) -> bool:
        return new in cls.NEXT[cls(old)]


DeviceStatus.NEXT = {
    DeviceStatus.AVAILABLE: frozenset(
        {
            DeviceStatus.RESERVED,
            DeviceStatus.ON_LOAN,
            DeviceStatus.IN_REPAIR,
            DeviceStatus.DISCARDED,
        }
    ),
    DeviceStatus.RESERVED: frozenset({DeviceStatus.AVAILABLE, DeviceStatus.ON_LOAN}),
    DeviceStatus.ON_LOAN: frozenset({DeviceStatus.RETURNED}),
    DeviceStatus.RETURNED: frozenset(
        {DeviceStatus.REPROCESSING, DeviceStatus.IN_REPAIR, DeviceStatus.DISCARDED}
    ),
    DeviceStatus.REPROCESSING: frozenset(
        {DeviceStatus.AVAILABLE, DeviceStatus.IN_REPAIR, DeviceStatus.DISCARDED}
    ),
    # A repaired device is reprocessed before anyone borrows it again.
    DeviceStatus.IN_REPAIR: frozenset({DeviceStatus.REPROCESSING, DeviceStatus.DISCARDED}),
    DeviceStatus.DISCARDED: frozenset(),
}
DeviceStatus.LENDABLE = frozenset({DeviceStatus.AVAILABLE, DeviceStatus.RESERVED})
