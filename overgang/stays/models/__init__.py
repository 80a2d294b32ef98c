from overgang.stays.models.deadlines import BY_DUE, Deadline, DeadlineStatus, Outcome
from overgang.stays.models.leave import (
    LeaveAid,
    LeaveException,
    LeaveKind,
    LeavePeriod,
    LeaveStatus,
)
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
from overgang.stays.models.waiting import ObjectionStatus, WaitingDayObjection, WaitingDayRate
from overgang.stays.states import StayStatus

__all__ = [
    "BY_DUE",
    "Admission",
    "CareType",
    "Deadline",
    "DeadlineStatus",
    "Duration",
    "IndividualPlan",
    "LeaveAid",
    "LeaveException",
    "LeaveKind",
    "LeavePeriod",
    "LeaveStatus",
    "Message",
    "Need",
    "NeedKind",
    "NeedStatus",
    "News",
    "Notification",
    "NotificationKind",
    "ObjectionStatus",
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
    "WaitingDayObjection",
    "WaitingDayRate",
]
