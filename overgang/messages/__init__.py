"""Standard messages in and out (docs/contracts/messages.md). Pure Python, no Django.

`check(raw)` looks at an incoming PLO message before anything changes: its size, that it is
well-formed XML without a DTD, and the schema. It answers `Checked` or `Rejected`.
`read_plo(checked)` turns a checked PLO or Dialogmelding message into plain `Incoming` data.
`receipt()` answers either with an AppRec v1.1; `parse_receipt()` reads one.
"""

from overgang.messages.check import Checked, Rejected, check
from overgang.messages.compose import InvalidOutgoing, NotComposable, Outgoing, compose
from overgang.messages.errors import AppRecError
from overgang.messages.medcom import (
    Notification,
    acknowledgement,
    check_medcom,
    hospital_notification,
)
from overgang.messages.plo import read as read_plo
from overgang.messages.receipts import (
    Party,
    ReceiptStatus,
    ReceivedReceipt,
    parse_receipt,
    receipt,
)

__all__ = [
    "AppRecError",
    "Checked",
    "InvalidOutgoing",
    "NotComposable",
    "Notification",
    "Outgoing",
    "Party",
    "ReceiptStatus",
    "ReceivedReceipt",
    "Rejected",
    "acknowledgement",
    "check",
    "check_medcom",
    "compose",
    "hospital_notification",
    "parse_receipt",
    "read_plo",
    "receipt",
]
