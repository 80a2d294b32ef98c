"""Standard messages in and out (docs/contracts/messages.md). Pure Python, no Django.

`check(raw)` looks at an incoming PLO message before anything changes: its size, that it is
well-formed XML without a DTD, and the schema. It answers `Checked` or `Rejected`.
"""

from overgang.messages.check import Checked, Rejected, check
from overgang.messages.errors import AppRecError

__all__ = ["AppRecError", "Checked", "Rejected", "check"]
