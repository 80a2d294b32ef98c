"""What the requisition endpoints share: a requisition and an appeal as they go out, and
finding a requisition the caller may see or decide."""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError

from overgang.api.auth import request_user
from overgang.organisations.permissions import VIEW
from overgang.requisitions.access import may_decide
from overgang.requisitions.models import Requisition
from overgang.requisitions.models.appeals import Appellant
from overgang.requisitions.models.requisitions import DeliveryPlan, Lymphoedema, Phase, Route
from overgang.requisitions.states import AppealStatus, RequisitionStatus


class LoanSeen(Schema):
    id: int
    serial: str = Field(alias="device.serial")
    aid_type: str = Field(alias="device.aid_type.slug")
    owner: str = Field(alias="device.owner.key")
    started_at: datetime.datetime


class AppealRoute(Schema):
    body: str
    basis: str
    decision_basis: str
    cites: list[str]


class AppealOut(Schema):
    id: int
    requisition: int = Field(alias="requisition_id")
    appellant: Appellant
    appellant_name: str
    grounds: str
    received_on: datetime.date
    body: str
    status: AppealStatus = Field(examples=AppealStatus.values)
    forwarded_on: datetime.date | None
    outcome: str
    decided_on: datetime.date | None


class RequisitionRow(Schema):
    id: int
    patient: int = Field(alias="patient_id")
    route: Route
    stay: int | None = Field(alias="stay_id")
    need: int | None = Field(alias="need_id")
    aid_type: str = Field(alias="aid_type.slug")
    justification: str
    phase: Phase
    lymphoedema: Lymphoedema | Literal[""]
    requester_name: str
    requester_role: str
    department: str = Field(alias="department.key")
    referred_by: str
    referred_on: datetime.date | None
    conferred_with: str
    conferred_at: datetime.datetime | None
    agreement: str
    reason: str = Field(description="Why the requester may apply, in the request's language.")
    reasons: dict[str, str]
    cites: list[str]
    unit: str = Field(alias="unit.key")
    status: RequisitionStatus = Field(
        examples=["submitted", "assessing", "granted", "refused", "delivered", "withdrawn"]
    )
    submitted_at: datetime.datetime
    assessment: str
    decision_reason: str
    decided_at: datetime.datetime | None
    delivery: DeliveryPlan | Literal[""] = Field(examples=["at-discharge", "send", "hand-out"])
    deliver_by: datetime.date | None
    device: str | None = Field(None, description="Serial number of the reserved device.")
    loan: int | None = Field(alias="loan_id")
    delivered_at: datetime.datetime | None
    reopened: int
    appeal: AppealRoute = Field(description="Where a refusal is appealed; the legal basis.")
    appeals: list[AppealOut]


class RequisitionOut(RequisitionRow):
    existing_loans: list[LoanSeen] = Field(
        description="The patient's active loans of the same kind, to see before asking again."
    )


def _found(request: HttpRequest, pk: int) -> Requisition:
    found = (
        Requisition.objects.restrict(request_user(request), VIEW)
        .select_related("aid_type", "department", "unit", "device", "patient")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise HttpError(404, "Not Found")
    return found


def _deciding(request: HttpRequest, pk: int) -> Requisition:
    requisition = _found(request, pk)
    if not may_decide(request_user(request), requisition):
        raise HttpError(404, "Not Found")
    return requisition
