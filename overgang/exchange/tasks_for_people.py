"""The worklist task a rejected message gives its sender."""

from __future__ import annotations

import datetime

from overgang import clock
from overgang.audit.history import system_actor
from overgang.stays.access import holder_for
from overgang.stays.actions.deadlines import add_deadline
from overgang.stays.models import Deadline, Message

# The receiver's system refused the message: the sender has a working day's hours to see
# why and send it again, so it is due soon and its holder is told.
RESEND_WITHIN = datetime.timedelta(hours=2)


def resend_task(message: Message, *, errors: list[str]) -> Deadline:
    """Open a task for the side that sent the message, on its worklist."""
    now = clock.now()
    reasons = "; ".join(e for e in errors if e) or "—"
    return add_deadline(
        actor=system_actor(),
        now=now,
        stay=message.stay,
        duty="message-rejected",
        party=message.sender,
        holder=holder_for(message.stay, message.sender),
        due=now + RESEND_WITHIN,
        rule="receipt-error",
        text={
            "nb": f"Mottakerens system avviste meldingen ({message.code}): {reasons}",
            "da": f"Modtagerens system afviste meddelelsen ({message.code}): {reasons}",
            "en": f"The receiver's system rejected the message ({message.code}): {reasons}",
        },
    )
