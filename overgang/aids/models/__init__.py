from overgang.aids.models.catalogue import AidCategory, AidType
from overgang.aids.models.checks import CheckResult, ElectricalCheck, RemedyStatus
from overgang.aids.models.devices import Device, DeviceStatus, DeviceTransition
from overgang.aids.models.failures import Criticality, FailureReport, FailureStatus
from overgang.aids.models.loans import Loan, Placement
from overgang.aids.models.stock import StockMinimum

__all__ = [
    "AidCategory",
    "AidType",
    "CheckResult",
    "Criticality",
    "Device",
    "DeviceStatus",
    "DeviceTransition",
    "ElectricalCheck",
    "FailureReport",
    "FailureStatus",
    "Loan",
    "Placement",
    "RemedyStatus",
    "StockMinimum",
]
