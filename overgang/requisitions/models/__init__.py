from overgang.requisitions.models.appeals import Appeal, Appellant
from overgang.requisitions.models.disputes import (
    LEVELS,
    Dispute,
    Level,
    Party,
    Payer,
    Question,
)
from overgang.requisitions.models.nav import NavApplication, NavReminder, Signer
from overgang.requisitions.models.requisitions import (
    DeliveryPlan,
    Lymphoedema,
    Phase,
    RequesterRole,
    Requisition,
    Route,
)
from overgang.requisitions.models.swaps import OPEN_SWAPS, StartedBy, SwapReport, SwapStatus
from overgang.requisitions.states import (
    AppealStatus,
    DisputeStatus,
    NavStatus,
    RequisitionStatus,
)

__all__ = [
    "LEVELS",
    "OPEN_SWAPS",
    "Appeal",
    "AppealStatus",
    "Appellant",
    "DeliveryPlan",
    "Dispute",
    "DisputeStatus",
    "Level",
    "Lymphoedema",
    "NavApplication",
    "NavReminder",
    "NavStatus",
    "Party",
    "Payer",
    "Phase",
    "Question",
    "RequesterRole",
    "Requisition",
    "RequisitionStatus",
    "Route",
    "Signer",
    "StartedBy",
    "SwapReport",
    "SwapStatus",
]
