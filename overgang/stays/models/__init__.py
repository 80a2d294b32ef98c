from overgang.stays.models.deadlines import Deadline, DeadlineStatus, Outcome
from overgang.stays.models.messages import Message, Receipt, StayEvent
from overgang.stays.models.notifications import Notification, NotificationKind
from overgang.stays.models.stays import Admission, Stay, StayStatus

__all__ = [
    "Admission",
    "Deadline",
    "DeadlineStatus",
    "Message",
    "Notification",
    "NotificationKind",
    "Outcome",
    "Receipt",
    "Stay",
    "StayEvent",
    "StayStatus",
]
