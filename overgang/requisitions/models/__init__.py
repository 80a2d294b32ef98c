from overgang.requisitions.models.appeals import Appeal, AppealStatus, Appellant
from overgang.requisitions.models.disputes import (
    LEVELS,
    Dispute,
    DisputeStatus,
    Level,
    Party,
    Payer,
    Question,
)
from overgang.requisitions.models.nav import NavApplication, NavReminder, NavStatus, Signer
from overgang.requisitions.models.requisitions import (
    DeliveryPlan,
    Lymphoedema,
    Phase,
    RequesterRole,
    Requisition,
    RequisitionStatus,
    Route,
)
from overgang.requisitions.models.swaps import OPEN_SWAPS, StartedBy, SwapReport, SwapStatus

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
