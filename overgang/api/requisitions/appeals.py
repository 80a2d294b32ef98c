"""Appeals of a requisition's decision: registering one, forwarding it, its outcome."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.api.auth import request_user
from overgang.api.inputs import Day, Id, max_length, one_of
from overgang.api.reads import read_one
from overgang.api.requisitions.common import AppealOut, _deciding
from overgang.audit.models import ReadPurpose
from overgang.organisations.permissions import VIEW
from overgang.requisitions import actions
from overgang.requisitions.access import may_decide
from overgang.requisitions.models import Appeal
from overgang.requisitions.models.appeals import Appellant

router = Router()


class AppealIn(Schema):
    appellant: Annotated[str, one_of(Appellant)] = Field(
        examples=["patient", "relative", "guardian"]
    )
    appellant_name: str = Field("", max_length=max_length(Appeal, "appellant_name"))
    grounds: str
    received_on: Day | None = None


class ForwardIn(Schema):
    forwarded_on: Day | None = None


class OutcomeIn(Schema):
    upheld: bool
    outcome: str
    decided_on: Day | None = None


@router.post("/requisitions/{int:pk}/appeals", response={201: AppealOut})
def register_appeal(request: HttpRequest, pk: Id, payload: AppealIn) -> Status[Appeal]:
    """Register an appeal of a refusal (the unit receives it)."""
    actor = request_user(request)
    appeal = actions.register_appeal(
        _deciding(request, pk),
        actor=actor,
        appellant=payload.appellant,
        appellant_name=payload.appellant_name,
        grounds=payload.grounds,
        received_on=payload.received_on,
    )
    return Status(201, appeal)


def _appeal(request: HttpRequest, pk: int) -> Appeal:
    actor = request_user(request)
    found = Appeal.objects.restrict(actor, VIEW).select_related("requisition").filter(pk=pk).first()
    if found is None or not may_decide(actor, found.requisition):
        raise HttpError(404, "Not Found")
    return found


@router.get("/appeals/{int:pk}", response=AppealOut)
def get_appeal(request: HttpRequest, pk: Id) -> Appeal:
    found = (
        Appeal.objects.restrict(request_user(request), VIEW)
        .select_related("requisition")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise HttpError(404, "Not Found")
    patient = found.requisition.patient_id
    read_one(request, patient, ReadPurpose.APPEAL, what=f"appeal {found.pk}")
    return found


@router.post("/appeals/{int:pk}/forward", response=AppealOut)
def forward_appeal(request: HttpRequest, pk: Id, payload: ForwardIn) -> Appeal:
    """Keep the refusal and send the appeal on to the appeal body."""
    return actions.forward_appeal(
        _appeal(request, pk), actor=request_user(request), forwarded_on=payload.forwarded_on
    )


@router.post("/appeals/{int:pk}/outcome", response=AppealOut)
def record_outcome(request: HttpRequest, pk: Id, payload: OutcomeIn) -> Appeal:
    """Upheld: the requisition is assessed again. Dismissed: the refusal stands."""
    return actions.record_outcome(
        _appeal(request, pk),
        actor=request_user(request),
        upheld=payload.upheld,
        outcome=payload.outcome,
        decided_on=payload.decided_on,
    )


@router.post("/appeals/{int:pk}/withdraw", response=AppealOut)
def withdraw_appeal(request: HttpRequest, pk: Id) -> Appeal:
    return actions.withdraw_appeal(_appeal(request, pk), actor=request_user(request))
