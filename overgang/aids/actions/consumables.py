"""Consumables (O6, U5): a plan per loan of what the patient uses, the unit's stock, needs
reported 1–2 weeks before the patient runs out, and supply from the unit's stock or, for
some consumables, from any pharmacy on a decision letter invoiced to the unit."""

from __future__ import annotations

import datetime
import math

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids.cases import decide_for
from overgang.aids.models import (
    ConsumableOrder,
    ConsumableStock,
    ConsumableType,
    ConsumptionPlan,
    Loan,
    OrderStatus,
    Provider,
    Route,
)
from overgang.aids.sets import main_of
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import Organisation
from overgang.rules.registry import consumable_types

PLAN_FIELDS = ("consumable", "quantity", "every_days", "supplied_until", "provider", "ended_at")
ORDER_FIELDS = ("quantity", "route", "status", "covers_until", "valid_until", "note")
STOCK_FIELDS = ("quantity", "minimum")
MAX_EVERY_DAYS = 366
MAX_DECISION_DAYS = 366  # a decision letter is renewed at least once a year


def provider_of(loan: Loan, consumable: ConsumableType) -> tuple[str, list[str]]:
    """Who provides `consumable` with `loan`'s aid under the patient's agreement (U5): the
    party of its consumables duty, and the citations."""
    main = main_of(loan)
    aid = main.therapy.slug if main.therapy is not None else loan.device.aid_type.slug
    decision = decide_for(
        loan.patient,
        aid,
        placement=loan.placement,
        purpose=main.purpose,
        consumable=consumable.slug,
    )
    duty = decision["duties"]["consumables"] if decision else None
    if duty is not None:
        return duty["party"], list(duty["cites"])
    # The agreement is silent (HNT, Region Nordjylland): what goes with the aid comes from
    # whoever lent it; anything else is the municipality's, as everywhere (U5).
    supply = consumable_types().get(consumable.slug)
    if supply is not None and not supply.linked(aid):
        return Provider.MUNICIPALITY, []
    return Provider.UNDECIDED, []


def _positive(value: int | None, field: str, most: int | None = None) -> dict[str, str]:
    if value is None or value < 1:
        return {field: _("Give a whole number of at least 1.")}
    if most is not None and value > most:
        return {field: _("At most %(most)s.") % {"most": most}}
    return {}


def add_plan(
    loan: Loan,
    *,
    actor: User,
    consumable: ConsumableType,
    quantity: int,
    every_days: int,
    supplied_until: datetime.date | None = None,
    note: str = "",
) -> ConsumptionPlan:
    """The patient uses `quantity` of `consumable` every `every_days` days with this loan."""
    errors = {
        **_positive(quantity, "quantity"),
        **_positive(every_days, "every_days", MAX_EVERY_DAYS),
    }
    if errors:
        raise InvalidInput(errors)
    if loan.returned_at is not None:
        raise Conflict(_("This loan was already returned."))
    provider, cites = provider_of(loan, consumable)
    try:
        with transaction.atomic():
            plan = ConsumptionPlan.objects.create(
                loan=loan,
                consumable=consumable,
                quantity=quantity,
                every_days=every_days,
                supplied_until=supplied_until,
                provider=provider,
                provider_cites=cites,
                note=note.strip(),
                created_by=actor,
            )
            record_change(
                plan, actor=actor, action=ChangeAction.CREATED, after=snapshot(plan, PLAN_FIELDS)
            )
    except IntegrityError:
        raise Conflict(
            _("The loan already has a plan for %(consumable)s.") % {"consumable": consumable.name}
        ) from None
    return plan


def end_plan(plan: ConsumptionPlan, *, actor: User) -> ConsumptionPlan:
    with transaction.atomic():
        plan = ConsumptionPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.ended_at is not None:
            raise Conflict(_("The plan has ended already."))
        return save_changed(plan, PLAN_FIELDS, {"ended_at": clock.now()}, actor=actor)


def _open_plan(plan: ConsumptionPlan) -> ConsumptionPlan:
    plan = (
        ConsumptionPlan.objects.select_for_update(of=("self",))
        .select_related("consumable", "loan__device__owner")
        .get(pk=plan.pk)
    )
    if plan.ended_at is not None or plan.loan.returned_at is not None:
        raise Conflict(_("The plan has ended: the consumable is no longer supplied."))
    return plan


def _refuse_municipal(plan: ConsumptionPlan) -> None:
    if plan.from_unit:
        return
    said = _("%(consumable)s is not directly linked to the aid: %(party)s provides it.") % {
        "consumable": plan.consumable.name,
        "party": plan.get_provider_display(),
    }
    if plan.provider_cites:
        said = f"{said[:-1]} ({', '.join(plan.provider_cites)})."
    raise Conflict(said)


def report_need(
    plan: ConsumptionPlan, *, actor: User, quantity: int | None = None, note: str = ""
) -> ConsumableOrder:
    """The patient, a relative, home nursing or the institution reports that more is needed
    (000 5.0). At most one reported need per plan is open at a time."""
    errors = _positive(quantity, "quantity") if quantity is not None else {}
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        plan = _open_plan(plan)
        _refuse_municipal(plan)
        if plan.orders.filter(status=OrderStatus.REQUESTED).exists():
            raise Conflict(_("The need is reported already; the unit has not handled it yet."))
        order = ConsumableOrder.objects.create(
            plan=plan,
            quantity=quantity or plan.quantity,
            note=note.strip(),
            requested_by=actor,
        )
        record_change(
            order, actor=actor, action=ChangeAction.CREATED, after=snapshot(order, ORDER_FIELDS)
        )
    return order


def _covers_until(plan: ConsumptionPlan, quantity: int, today: datetime.date) -> datetime.date:
    """The day the patient runs out once `quantity` more has come."""
    start = max(today, plan.supplied_until or today)
    return start + datetime.timedelta(days=math.floor(quantity * plan.every_days / plan.quantity))


def supply(
    plan: ConsumptionPlan,
    *,
    actor: User,
    route: str,
    quantity: int,
    valid_until: datetime.date | None = None,
    note: str = "",
) -> ConsumableOrder:
    """The unit meets the need: sends `quantity` from its stock, or issues a decision letter
    for any pharmacy (invoiced to the unit) valid until `valid_until`. An open reported need
    of the plan is the one met; otherwise a new order is recorded."""
    today = clock.today_in(plan.loan.device.owner.country)
    errors = _positive(quantity, "quantity")
    if route not in Route.values:
        errors["route"] = _("Choose the unit's stock or a pharmacy.")
    if route == Route.PHARMACY:
        if valid_until is None:
            errors["valid_until"] = _("Give the date the decision is valid until.")
        elif not today < valid_until <= today + datetime.timedelta(days=MAX_DECISION_DAYS):
            errors["valid_until"] = _("A decision is valid for a day up to a year from today.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        plan = _open_plan(plan)
        _refuse_municipal(plan)
        if route == Route.PHARMACY and not plan.consumable.pharmacy:
            raise InvalidInput(
                {
                    "route": _("%(consumable)s is not handed out by pharmacies.")
                    % {"consumable": plan.consumable.name}
                }
            )
        if route == Route.UNIT:
            _take_from_stock(plan.loan.device.owner, plan.consumable, quantity, actor=actor)
        order = plan.orders.select_for_update().filter(
            status=OrderStatus.REQUESTED
        ).first() or ConsumableOrder(plan=plan, requested_by=actor, quantity=quantity)
        before = snapshot(order, ORDER_FIELDS) if order.pk else None
        covers = _covers_until(plan, quantity, today)
        if route == Route.PHARMACY and valid_until is not None:
            covers = max(covers, valid_until)
        order.quantity = quantity
        order.route = route
        order.status = OrderStatus.SENT if route == Route.UNIT else OrderStatus.DECIDED
        order.valid_until = valid_until if route == Route.PHARMACY else None
        order.covers_until = covers
        order.handled_by = actor
        order.handled_at = clock.now()
        if note.strip():
            order.note = f"{order.note}\n{note.strip()}".strip()
        order.save()
        record_change(
            order,
            actor=actor,
            action=ChangeAction.CHANGED if before else ChangeAction.CREATED,
            before=before,
            after=snapshot(order, ORDER_FIELDS),
        )
        save_changed(plan, PLAN_FIELDS, {"supplied_until": covers}, actor=actor)
    return order


def _take_from_stock(
    unit: Organisation, consumable: ConsumableType, quantity: int, *, actor: User
) -> None:
    # Lock the stock row: two clerks may send from the same shelf at once.
    stock = (
        ConsumableStock.objects.select_for_update().filter(unit=unit, consumable=consumable).first()
    )
    if stock is None or stock.quantity < quantity:
        raise Conflict(
            _("Only %(count)s of %(consumable)s in stock at %(unit)s.")
            % {"count": stock.quantity if stock else 0, "consumable": consumable.name, "unit": unit}
        )
    before = snapshot(stock, STOCK_FIELDS)
    ConsumableStock.objects.filter(pk=stock.pk).update(quantity=F("quantity") - quantity)
    stock.refresh_from_db(fields=["quantity"])
    record_change(
        stock,
        actor=actor,
        action=ChangeAction.CHANGED,
        before=before,
        after=snapshot(stock, STOCK_FIELDS),
    )


def cancel_need(order: ConsumableOrder, *, actor: User) -> ConsumableOrder:
    """A need reported by mistake, or met another way, before the unit handled it."""
    with transaction.atomic():
        order = ConsumableOrder.objects.select_for_update().get(pk=order.pk)
        if order.status != OrderStatus.REQUESTED:
            raise Conflict(
                _("The order is already %(status)s.") % {"status": order.get_status_display()}
            )
        return save_changed(
            order,
            ORDER_FIELDS,
            {"status": OrderStatus.CANCELLED, "handled_by": actor, "handled_at": clock.now()},
            actor=actor,
        )


def receive_stock(
    unit: Organisation,
    consumable: ConsumableType,
    *,
    actor: User,
    received: int = 0,
    minimum: int | None = None,
) -> ConsumableStock:
    """Goods received at the unit (added to the stock), and the minimum it keeps."""
    errors: dict[str, str] = {}
    if received < 0:
        errors["received"] = _("Give the number received (0 or more).")
    if minimum is not None and minimum < 0:
        errors["minimum"] = _("The minimum is 0 or more.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        stock, _created = ConsumableStock.objects.select_for_update().get_or_create(
            unit=unit, consumable=consumable
        )
        before = snapshot(stock, STOCK_FIELDS)
        stock.quantity += received
        if minimum is not None:
            stock.minimum = minimum
        stock.save(update_fields=["quantity", "minimum"])
        record_change(
            stock,
            actor=actor,
            action=ChangeAction.CHANGED,
            before=before,
            after=snapshot(stock, STOCK_FIELDS),
        )
    return stock
