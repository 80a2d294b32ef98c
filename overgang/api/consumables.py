"""Consumables (O6, U5): a loan's consumption plans, needs reported by the patient's side,
supply from the unit's stock or by a decision letter for any pharmacy, what runs out soon,
and the unit's stock."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang import clock
from overgang.aids import actions, documents, supplies
from overgang.aids.access import managing_units
from overgang.aids.models import (
    ConsumableOrder,
    ConsumableStock,
    ConsumableType,
    ConsumptionPlan,
    Loan,
    OrderStatus,
)
from overgang.aids.models.consumables import Route as SupplyRoute
from overgang.aids.supplies import SupplyState
from overgang.api.auth import request_user
from overgang.api.inputs import Count, Day, Id, max_length, one_of
from overgang.api.paging import Page, page
from overgang.api.reads import read_list
from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW

router = Router(tags=["consumables"])


class PlanIn(Schema):
    consumable: str = Field(examples=["cpap-mask"])
    quantity: Count = Field(examples=[1])
    every_days: Count = Field(examples=[30])
    supplied_until: Day | None = Field(None, description="Has enough until.")
    note: str = Field("", max_length=max_length(ConsumptionPlan, "note"))


class OrderOut(Schema):
    id: int
    quantity: int
    route: Annotated[str, one_of(SupplyRoute, "")] = Field(examples=["", "unit", "pharmacy"])
    status: OrderStatus = Field(examples=OrderStatus.values)
    note: str
    requested_at: datetime.datetime
    handled_at: datetime.datetime | None
    covers_until: datetime.date | None
    valid_until: datetime.date | None


class PlanOut(Schema):
    id: int
    loan: int = Field(alias="loan_id")
    consumable: str = Field(alias="consumable.slug")
    quantity: int
    every_days: int
    supplied_until: datetime.date | None
    provider: str = Field(description="hospital (the lending unit), municipality, …")
    provider_cites: list[str]
    from_unit: bool
    ended_at: datetime.datetime | None
    orders: list[OrderOut]

    @staticmethod
    def resolve_orders(obj: ConsumptionPlan) -> list[ConsumableOrder]:
        return list(obj.orders.all())


class ConsumableNeedIn(Schema):
    quantity: Count | None = Field(None, description="Default: the plan's usual amount.")
    note: str = Field("", max_length=max_length(ConsumableOrder, "note"))


class SupplyIn(Schema):
    route: Annotated[str, one_of(SupplyRoute)] = Field(examples=["unit", "pharmacy"])
    quantity: Count
    valid_until: Day | None = Field(None, description="For a pharmacy decision.")
    note: str = Field("", max_length=max_length(ConsumableOrder, "note"))


class DueOut(Schema):
    plan: PlanOut
    state: SupplyState = Field(examples=SupplyState.values)
    days_left: int | None
    reported: bool


class StockIn(Schema):
    consumable: str
    received: Count = 0
    minimum: Count | None = None
    unit: str | None = Field(None, description="Key of your unit; default: your unit.")


class StockOut(Schema):
    unit: str = Field(alias="unit.key")
    consumable: str = Field(alias="consumable.slug")
    quantity: int
    minimum: int
    below_minimum: bool


def _loan(queryset: QuerySet[Loan], pk: int) -> Loan:
    loan = queryset.select_related("device__aid_type", "patient", "therapy").filter(pk=pk).first()
    if loan is None:
        raise HttpError(404, "Not Found")
    return loan


def _plan(queryset: QuerySet[Loan], pk: int) -> ConsumptionPlan:
    plan = (
        ConsumptionPlan.objects.filter(loan__in=queryset, pk=pk)
        .select_related("consumable")
        .first()
    )
    if plan is None:
        raise HttpError(404, "Not Found")
    return plan


def _consumable(slug: str, field: str = "consumable") -> ConsumableType:
    found = ConsumableType.objects.filter(slug=slug).first()
    if found is None:
        raise InvalidInput({field: f"Unknown consumable: {slug}."})
    return found


def _plans(loan: Loan) -> QuerySet[ConsumptionPlan]:
    return (
        ConsumptionPlan.objects.filter(loan=loan)
        .select_related("consumable")
        .prefetch_related("orders")
        .order_by("id")
    )


@router.get("/loans/{int:pk}/consumables", response=list[PlanOut])
def list_plans(request: HttpRequest, pk: Id, paging: Query[Page]) -> QuerySet[ConsumptionPlan]:
    """The loan's consumption plans with their orders; 404 unless you may see the loan."""
    actor = request_user(request)
    loan = _loan(Loan.objects.restrict(actor, VIEW), pk)
    log_read(loan.patient, user=actor, purpose=ReadPurpose.CONSUMABLES)
    return page(_plans(loan), paging)


@router.post("/loans/{int:pk}/consumables", response={201: PlanOut})
def add_plan(request: HttpRequest, pk: Id, payload: PlanIn) -> Status[ConsumptionPlan]:
    """The lending unit adds what the patient uses; who provides it follows the agreement."""
    actor = request_user(request)
    plan = actions.add_plan(
        _loan(Loan.objects.restrict(actor, MANAGE_DEVICES), pk),
        actor=actor,
        consumable=_consumable(payload.consumable),
        quantity=payload.quantity,
        every_days=payload.every_days,
        supplied_until=payload.supplied_until,
        note=payload.note,
    )
    return Status(201, _plans(plan.loan).get(pk=plan.pk))


@router.post("/consumption-plans/{int:pk}/needs", response={201: OrderOut})
def report_need(request: HttpRequest, pk: Id, payload: ConsumableNeedIn) -> Status[ConsumableOrder]:
    """The patient's side reports that more is needed (000 5.0: 1–2 weeks before)."""
    actor = request_user(request)
    order = actions.report_need(
        _plan(Loan.objects.restrict(actor, VIEW), pk),
        actor=actor,
        quantity=payload.quantity,
        note=payload.note,
    )
    return Status(201, order)


@router.post("/consumption-plans/{int:pk}/supply", response={201: OrderOut})
def supply(request: HttpRequest, pk: Id, payload: SupplyIn) -> Status[ConsumableOrder]:
    """The unit sends from its stock or issues a decision letter for any pharmacy."""
    actor = request_user(request)
    order = actions.supply(
        _plan(Loan.objects.restrict(actor, MANAGE_DEVICES), pk),
        actor=actor,
        route=payload.route,
        quantity=payload.quantity,
        valid_until=payload.valid_until,
        note=payload.note,
    )
    return Status(201, order)


PDF_RESPONSE = {
    "responses": {200: {"description": "The decision letter.", "content": {"application/pdf": {}}}}
}


@router.get("/consumable-orders/{int:pk}/decision-letter", openapi_extra=PDF_RESPONSE)
def decision_letter(request: HttpRequest, pk: Id, lang: str = "") -> HttpResponse:
    """The decision letter (PDF) of an order met through a pharmacy; `lang` nb or da."""
    actor = request_user(request)
    order = (
        ConsumableOrder.objects.restrict(actor, VIEW)
        .filter(pk=pk)
        .select_related("plan__consumable", "plan__loan__device__owner", "plan__loan__patient")
        .first()
    )
    if order is None or order.status != OrderStatus.DECIDED:
        raise HttpError(404, "Not Found")
    unit = order.plan.loan.device.owner
    language = next(
        (code for code in documents.LANGUAGES if code == lang), documents.default_language(unit)
    )
    log_read(order.plan.loan.patient, user=actor, purpose=ReadPurpose.DECISION_LETTER)
    return HttpResponse(
        documents.decision_letter(order, language=language), content_type="application/pdf"
    )


@router.get("/consumables/due", response=list[DueOut])
def due(request: HttpRequest, paging: Query[Page]) -> list[Any]:
    """Your unit's plans whose patient runs out within the agreement's notice, soonest first."""
    mine = ConsumptionPlan.objects.restrict(request_user(request), MANAGE_DEVICES)
    # Which plans are due is decided in Python (each patient's notice): paged once decided.
    return read_list(request, page(supplies.due(mine, clock.today()), paging), patient=_patient_of)


def _patient_of(due: supplies.Due) -> int:
    return due.plan.loan.patient_id


@router.get("/consumables/stock", response=list[StockOut])
def stock(request: HttpRequest, paging: Query[Page]) -> QuerySet[ConsumableStock]:
    units = managing_units(request_user(request))
    found = (
        ConsumableStock.objects.filter(unit__in=units)
        .select_related("unit", "consumable")
        .order_by("unit__key", "consumable__slug", "id")
    )
    return page(found, paging)


@router.post("/consumables/stock", response=StockOut)
def receive_stock(request: HttpRequest, payload: StockIn) -> ConsumableStock:
    """Goods received at your unit, and the minimum it keeps."""
    actor = request_user(request)
    units = managing_units(actor)
    if not units:
        raise HttpError(403, "Only treatment-aids or depot staff keep stock.")
    unit = next((u for u in units if payload.unit in (None, u.key)), None)
    if unit is None:
        raise InvalidInput({"unit": "Not a unit you work for."})
    return actions.receive_stock(
        unit,
        _consumable(payload.consumable),
        actor=actor,
        received=payload.received,
        minimum=payload.minimum,
    )
