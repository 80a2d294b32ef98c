"""Consumables on the pages (O6, U5): a loan's consumption plans, where the patient's side
reports a need and the unit supplies it (from stock, or by a decision letter for any
pharmacy); the unit's worklist of what runs out soon, and its stock."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang import clock
from overgang.aids import actions, documents, supplies
from overgang.aids.access import managing_units
from overgang.aids.models import (
    ConsumableOrder,
    ConsumableStock,
    ConsumptionPlan,
    Loan,
    OrderStatus,
)
from overgang.aids.sets import main_of
from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.errors import Conflict
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW
from overgang.web.common.reads import itself, read_list
from overgang.web.common.views import AuthedRequest, Refused, attempt, scoped_or_404
from overgang.web.consumables import tables
from overgang.web.consumables.forms import NeedForm, PlanForm, StockForm, SupplyForm
from overgang.web.exports.respond import exported

MANAGE = "aids.manage_device"
DUE_PER_PAGE = 50


def _loan(request: AuthedRequest, pk: int) -> Loan:
    return scoped_or_404(
        Loan.objects.restrict(request.user, VIEW).select_related(
            "device__aid_type", "device__owner", "patient", "therapy"
        ),
        pk=pk,
    )


def _plan(request: AuthedRequest, loan: Loan, plan_id: int | None) -> ConsumptionPlan:
    plan = ConsumptionPlan.objects.filter(loan=loan, pk=plan_id).first() if plan_id else None
    if plan is None:
        raise Conflict(_("The page was out of date. Look again and repeat."))
    return plan


def _linked(loan: Loan) -> list[int]:
    main = main_of(loan)
    kind = main.therapy or loan.device.aid_type
    return list(kind.consumables.values_list("pk", flat=True))


def _page_of(
    request: AuthedRequest,
    loan: Loan,
    *,
    failed: tuple[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    manages = Loan.objects.restrict(request.user, MANAGE_DEVICES).filter(pk=loan.pk).exists()
    today = clock.today()
    plans = list(
        ConsumptionPlan.objects.filter(loan=loan, ended_at__isnull=True)
        .select_related("consumable")
        .prefetch_related("orders__requested_by")
    )
    for plan in plans:
        plan.days_left = (  # type: ignore[attr-defined]
            (plan.supplied_until - today).days if plan.supplied_until else None
        )
        orders = list(plan.orders.all())
        plan.open_need = next(  # type: ignore[attr-defined]
            (o for o in orders if o.status == OrderStatus.REQUESTED), None
        )
        plan.recent = orders[:3]  # type: ignore[attr-defined]
        plan.supply_form = SupplyForm(  # type: ignore[attr-defined]
            initial={"plan": plan.pk, "quantity": plan.quantity}, auto_id=f"supply-{plan.pk}-%s"
        )
        plan.need_form = NeedForm(  # type: ignore[attr-defined]
            initial={"plan": plan.pk}, auto_id=f"need-{plan.pk}-%s"
        )
    if failed is not None:
        name, form = failed
        for plan in plans:
            if name != "plan" and str(plan.pk) == str(form.data.get("plan")):
                setattr(plan, f"{name}_form", form)
    log_read(loan.patient, user=request.user, purpose=ReadPurpose.CONSUMABLES)
    context = {
        "loan": loan,
        "plans": plans,
        "manages": manages,
        "notice": supplies.notice_for_patient(loan.patient, today),
        "plan_form": failed[1]
        if failed and failed[0] == "plan"
        else PlanForm(linked=_linked(loan)),
        "error": error,
    }
    return render(request, "consumables/loan.html", context, status=status)


@login_required
def loan_consumables(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page_of(request, _loan(request, pk))


def _failed(
    request: AuthedRequest, loan: Loan, name: str, form: Any, refused: Refused
) -> HttpResponse:
    """The loan's page again with the form `name` as it came back and what was refused."""
    return _page_of(
        request, loan, failed=(name, form), error=refused.message, status=refused.status
    )


def _managed_loan(request: AuthedRequest, pk: int) -> Loan:
    loan = _loan(request, pk)
    if not Loan.objects.restrict(request.user, MANAGE_DEVICES).filter(pk=loan.pk).exists():
        raise Http404
    return loan


@login_required
@require_POST
def plan_add(request: AuthedRequest, pk: int) -> HttpResponse:
    loan = _managed_loan(request, pk)
    form = PlanForm(request.POST, linked=_linked(loan))

    def write() -> ConsumptionPlan:
        data = form.cleaned_data
        return actions.add_plan(
            loan,
            actor=request.user,
            consumable=data["consumable"],
            quantity=data["quantity"],
            every_days=data["every_days"],
            supplied_until=data["supplied_until"],
            note=data["note"],
        )

    plan = attempt(write, form)
    if isinstance(plan, Refused):
        return _failed(request, loan, "plan", form, plan)
    if plan.from_unit:
        messages.success(request, _("%(name)s is added.") % {"name": plan.consumable.name})
    else:
        messages.warning(
            request,
            _("%(name)s is added as the municipality's: it is not directly linked to the aid.")
            % {"name": plan.consumable.name},
        )
    return redirect("loan-consumables", pk=loan.pk)


@login_required
@require_POST
def plan_supply(request: AuthedRequest, pk: int) -> HttpResponse:
    loan = _managed_loan(request, pk)
    form = SupplyForm(request.POST)

    def write() -> ConsumableOrder:
        data = form.cleaned_data
        return actions.supply(
            _plan(request, loan, data["plan"]),
            actor=request.user,
            route=data["route"],
            quantity=data["quantity"],
            valid_until=data["valid_until"],
            note=data["note"],
        )

    order = attempt(write, form)
    if isinstance(order, Refused):
        return _failed(request, loan, "supply", form, order)
    if order.status == OrderStatus.DECIDED:
        messages.success(request, _("The decision letter is ready to print."))
    else:
        messages.success(request, _("Sent from the unit's stock."))
    return redirect("loan-consumables", pk=loan.pk)


@login_required
@require_POST
def plan_need(request: AuthedRequest, pk: int) -> HttpResponse:
    """The patient's side reports that more is needed; anyone who sees the loan may."""
    loan = _loan(request, pk)
    form = NeedForm(request.POST)
    outcome = attempt(
        lambda: actions.report_need(
            _plan(request, loan, form.cleaned_data["plan"]),
            actor=request.user,
            quantity=form.cleaned_data["quantity"],
            note=form.cleaned_data["note"],
        ),
        form,
    )
    if isinstance(outcome, Refused):
        return _failed(request, loan, "need", form, outcome)
    messages.success(
        request, _("The need is reported to %(unit)s.") % {"unit": loan.device.owner.name}
    )
    return redirect("loan-consumables", pk=loan.pk)


@login_required
@require_POST
def plan_end(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    loan = _managed_loan(request, pk)
    outcome = attempt(lambda: actions.end_plan(_plan(request, loan, plan_id), actor=request.user))
    if isinstance(outcome, Refused):
        return _page_of(request, loan, error=outcome.message, status=outcome.status)
    return redirect("loan-consumables", pk=loan.pk)


@login_required
def decision_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    """The decision letter of an order met through a pharmacy, for whoever sees the loan
    (the patient's side takes it to the pharmacy)."""
    order = scoped_or_404(
        ConsumableOrder.objects.restrict(request.user, VIEW).select_related(
            "plan__consumable", "plan__loan__device__owner__parent", "plan__loan__patient"
        ),
        pk=pk,
    )
    if order.status != OrderStatus.DECIDED:
        raise Http404
    unit = order.plan.loan.device.owner
    requested = request.GET.get("lang", "")
    language = next(
        (code for code in documents.LANGUAGES if code == requested),
        documents.default_language(unit),
    )
    log_read(order.plan.loan.patient, user=request.user, purpose=ReadPurpose.DECISION_LETTER)
    response = HttpResponse(
        documents.decision_letter(order, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="vedtak-{order.pk}.pdf"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@permission_required(MANAGE, raise_exception=True)
def worklist(
    request: AuthedRequest, *, stock_form: StockForm | None = None, status: int = 200
) -> HttpResponse:
    """The unit's consumables: what runs out soon, needs reported, and the stock."""
    today = clock.today()
    mine = ConsumptionPlan.objects.restrict(request.user, MANAGE_DEVICES)
    due = supplies.due(mine, today)
    needs = list(
        ConsumableOrder.objects.filter(plan__in=mine, status=OrderStatus.REQUESTED)
        .select_related(
            "plan__consumable", "plan__loan__patient", "plan__loan__device", "requested_by"
        )
        .order_by("requested_at")
    )
    export = exported(request, tables.CONSUMABLES, tables.needs_and_due(needs, due))
    if export is not None:
        return export
    page = Paginator(due, DUE_PER_PAGE).get_page(request.GET.get("page"))
    page.query = ""  # type: ignore[attr-defined]
    units = managing_units(request.user)
    # The patients of the page of what runs out, and of the needs reported.
    shown = [*(d.plan.loan.patient_id for d in page.object_list)]
    read_list(request, [*shown, *(o.plan.loan.patient_id for o in needs)], patient=itself)
    context = {
        "page": page,
        "needs": needs,
        "stock": ConsumableStock.objects.filter(unit__in=units)
        .select_related("consumable", "unit")
        .order_by("unit__name", "consumable__slug"),
        "units": units,
        "stock_form": stock_form or StockForm(),
        "today": today,
    }
    return render(request, "consumables/worklist.html", context, status=status)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def stock_receive(request: AuthedRequest) -> HttpResponse:
    units = managing_units(request.user)
    form = StockForm(request.POST)
    if not units:
        raise Http404
    chosen = request.POST.get("unit")
    unit = next((u for u in units if u.key == chosen), None) if chosen else None
    if unit is None and len(units) == 1 and not chosen:
        unit = units[0]
    if unit is None:
        form.add_error(None, _("Choose one of your units."))
    if unit is None:
        return worklist(request, stock_form=form, status=422)
    outcome = attempt(
        lambda: actions.receive_stock(
            unit,
            form.cleaned_data["consumable"],
            actor=request.user,
            received=form.cleaned_data["received"],
            minimum=form.cleaned_data["minimum"],
        ),
        form,
    )
    if isinstance(outcome, Refused):
        return worklist(request, stock_form=form, status=outcome.shown_on(form))
    name = form.cleaned_data["consumable"]
    messages.success(request, _("The stock of %(name)s is saved.") % {"name": name})
    return redirect("consumables")
