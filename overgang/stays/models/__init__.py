from overgang.stays.models.deadlines import BY_DUE, Deadline, DeadlineStatus, Outcome
from overgang.stays.models.messages import Message, Receipt, StayEvent
from overgang.stays.models.needs import (
    Duration,
    Need,
    NeedKind,
    NeedStatus,
    TraineeKind,
    Training,
)
from overgang.stays.models.notifications import (
    News,
    Notification,
    NotificationKind,
    PendingNotice,
)
from overgang.stays.models.stays import Admission, CareType, IndividualPlan, Stay
from overgang.stays.models.training import ProcedureDocument, ProcedureSource, StaffTraining
from overgang.stays.models.waiting import WaitingDayRate
from overgang.stays.states import StayStatus

__all__ = [
    "BY_DUE",
    "Admission",
    "CareType",
    "Deadline",
    "DeadlineStatus",
    "Duration",
    "IndividualPlan",
    "Message",
    "Need",
    "NeedKind",
    "NeedStatus",
    "News",
    "Notification",
    "NotificationKind",
    "Outcome",
    "PendingNotice",
    "ProcedureDocument",
    "ProcedureSource",
    "Receipt",
    "StaffTraining",
    "Stay",
    "StayEvent",
    "StayStatus",
    "TraineeKind",
    "Training",
    "WaitingDayRate",
]
