"""Telling one side what the other did: the municipality answered, a requisition was
decided, NAV decided, the patient left hospital. One call from the writer that did it,
inside its transaction: `tell(News.ANSWERED, to=..., patient=..., link=...)`.

The news is a `Notification` without a deadline (kind "event"): on the organisation's
notifications page, in the menu's count, and e-mailed by `send_emails` with the step's name
and the link only, never the patient's name or health.
"""

from __future__ import annotations

from overgang import clock
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient
from overgang.stays.models import News, Notification, NotificationKind


def tell(
    news: News | str,
    *,
    to: Organisation | None,
    patient: Patient | None = None,
    link: str = "",
) -> Notification | None:
    """Tell the organisation `to` (None: nobody to tell) that `news` happened."""
    if to is None:
        return None
    return Notification.objects.create(
        kind=NotificationKind.EVENT,
        news=News(news),
        organisation=to,
        patient=patient,
        link=link,
        created_at=clock.now(),
    )
