"""What every page template may read besides its own context."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from overgang.aids.models import (
    DeviceStatus,
    FailureStatus,
    OrderStatus,
    RemedyStatus,
    ReturnStatus,
)
from overgang.aids.supplies import SupplyState
from overgang.requisitions.models import (
    AppealStatus,
    DisputeStatus,
    NavStatus,
    RequisitionStatus,
    SwapStatus,
)
from overgang.stays.models import DeadlineStatus, NeedStatus, Outcome, StayStatus

STATUS_CHOICES: tuple[type[models.TextChoices], ...] = (
    AppealStatus,
    DeadlineStatus,
    DeviceStatus,
    DisputeStatus,
    FailureStatus,
    NavStatus,
    NeedStatus,
    OrderStatus,
    Outcome,
    RemedyStatus,
    RequisitionStatus,
    ReturnStatus,
    StayStatus,
    SupplyState,
    SwapStatus,
)


# An inclusion tag renders with a fresh context, without what processors add: it merges
# these itself.
STATUSES_BY_NAME = {choices.__name__: choices for choices in STATUS_CHOICES}


def statuses(request: HttpRequest) -> dict[str, type[models.TextChoices]]:
    """The status choices by class name, so a template compares with the member
    (``device.status == DeviceStatus.ON_LOAN``) and a status has one spelling."""
    return STATUSES_BY_NAME
