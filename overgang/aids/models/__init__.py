from overgang.aids.models.capacity import StockShortfall, StockSnapshot
from overgang.aids.models.catalogue import AidCategory, AidType, ConsumableType, UserManual
from overgang.aids.models.checks import CheckResult, ElectricalCheck, RemedyStatus
from overgang.aids.models.consumables import (
    ConsumableOrder,
    ConsumableStock,
    ConsumptionPlan,
    OrderStatus,
    Provider,
    Route,
)
from overgang.aids.models.devices import Device, DeviceTransition
from overgang.aids.models.failures import Criticality, FailureReport, FailureStatus
from overgang.aids.models.loans import Delivery, Loan, LoanRole, Placement
from overgang.aids.models.returns import (
    OPEN_RETURNS,
    ReportedFor,
    ReturnMethod,
    ReturnRequest,
    ReturnStatus,
)
from overgang.aids.models.stock import StockMinimum
from overgang.aids.states import DeviceStatus

__all__ = [
    "OPEN_RETURNS",
    "AidCategory",
    "AidType",
    "CheckResult",
    "ConsumableOrder",
    "ConsumableStock",
    "ConsumableType",
    "ConsumptionPlan",
    "Criticality",
    "Delivery",
    "Device",
    "DeviceStatus",
    "DeviceTransition",
    "ElectricalCheck",
    "FailureReport",
    "FailureStatus",
    "Loan",
    "LoanRole",
    "OrderStatus",
    "Placement",
    "Provider",
    "RemedyStatus",
    "ReportedFor",
    "ReturnMethod",
    "ReturnRequest",
    "ReturnStatus",
    "Route",
    "StockMinimum",
    "StockShortfall",
    "StockSnapshot",
    "UserManual",
]
