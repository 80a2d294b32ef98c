"""Returns on the pages (O8, 000 7.0): whoever sees a loan reports its devices for return;
the unit has a worklist of returns to agree and collect. Reads go through
overgang.aids.access, writes through overgang.aids.actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.aids import actions, sets
from overgang.aids.models import OPEN_RETURNS, Device, Loan, ReturnRequest, ReturnStatus
from overgang.audit.models import ChangeRecord, ReadPurpose
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW
from overgang.web.common.reads import read_one, read_page
from overgang.web.common.views import AuthedRequest, Refused, attempt, paginate, scoped_or_404
from overgang.web.exports.respond import exported
from overgang.web.returns import tables
from overgang.web.returns.forms import CancelReturnForm, ReturnRequestForm, ScheduleForm

RETURNS_PER_PAGE = 25
RETURN_SORTS = ("due", "-due", "reported", "-reported")
MANAGE = "aids.manage_device"


def _device_and_set(request: AuthedRequest, serial: str) -> tuple[Device, list[Loan]]:
    """The device (if the user may see it) and the active loans of its set they may see."""
    device = scoped_or_404(
        Device.objects.restrict(request.user, VIEW).select_related("aid_type"), serial=serial
    )
    loan = device.loans.filter(returned_at__isnull=True).first()
    if loan is None:
        return device, []
    main = sets.main_of(loan)
    visible = set(
        Loan.objects.restrict(request.user, VIEW)
        .values_list("pk", flat=True)
        .filter(Q(pk=main.pk) | Q(main=main.pk))
    )
    return device, [x for x in sets.loans_of_set(main) if x.active and x.pk in visible]


@login_required
def return_new(request: AuthedRequest, serial: str) -> HttpResponse:
    device, loans = _device_and_set(request, serial)
    if not loans:
        messages.info(request, _("%(serial)s is not on loan.") % {"serial": serial})
        return redirect("device-detail", serial=serial)
    choices = Loan.objects.filter(pk__in=[loan.pk for loan in loans]).select_related(
        "device__aid_type"
    )
    form = ReturnRequestForm(request.POST or None, loans=choices)
    status = 200
    if request.method == "POST":
        outcome = attempt(lambda: _request_return(form, request.user), form)
        if not isinstance(outcome, Refused):
            messages.success(
                request,
                _("The return is reported to %(unit)s.") % {"unit": outcome.unit.name},
            )
            return redirect("device-detail", serial=serial)
        status = outcome.shown_on(form)
    read_one(request, loans[0].patient, ReadPurpose.RETURN, what=device.serial)
    context = {"device": device, "form": form, "address": loans[0].address}
    return render(request, "returns/new.html", context, status=status)


def _request_return(form: ReturnRequestForm, actor: Any) -> ReturnRequest:
    data = form.cleaned_data
    return actions.request_return(
        list(data.get("loans") or []),
        actor=actor,
        method=data.get("method", ""),
        reported_for=data.get("reported_for", ""),
        contact_name=data.get("contact_name", ""),
        contact_phone=data.get("contact_phone", ""),
        address=data.get("address", ""),
        note=data.get("note", ""),
    )


def _due_order() -> Case:
    # Agreed pickups first by their time; then reported ones by when they were reported.
    return Case(
        When(status=ReturnStatus.SCHEDULED, then=Value(0)),
        When(status=ReturnStatus.REQUESTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _sorted(found: QuerySet[ReturnRequest], sort: str) -> QuerySet[ReturnRequest]:
    if sort.lstrip("-") == "reported":
        key = "requested_at"
        return found.order_by(f"-{key}" if sort.startswith("-") else key, "id")
    if sort.startswith("-"):
        return found.order_by(_due_order().desc(), "-appointment", "-requested_at", "-id")
    return found.order_by(_due_order(), "appointment", "requested_at", "id")


@login_required
@permission_required(MANAGE, raise_exception=True)
def return_list(request: AuthedRequest) -> HttpResponse:
    """The unit's worklist: open returns, agreed pickups first by their time."""
    show = request.GET.get("show", "open")
    sort = request.GET.get("sort", "due")
    if sort not in RETURN_SORTS:
        sort = "due"
    found = ReturnRequest.objects.restrict(request.user, MANAGE_DEVICES).select_related(
        "patient", "unit"
    )
    if show != "all":
        found = found.filter(status__in=OPEN_RETURNS)
    whole = _sorted(found, sort).prefetch_related("loans__device")
    export = exported(request, tables.RETURNS, whole)
    if export is not None:
        return export
    page = read_page(
        request,
        paginate(request, _sorted(found, sort).prefetch_related("loans__device"), RETURNS_PER_PAGE),
    )
    query = request.GET.copy()
    query.pop("page", None)
    links = {}
    for key in ("due", "reported"):
        query["sort"] = f"-{key}" if sort == key else key
        links[key] = f"?{query.urlencode()}"
    context = {"page": page, "show": show, "sort": sort, "sort_links": links}
    return render(request, "returns/list.html", context)


def _visible_request(request: AuthedRequest, pk: int) -> ReturnRequest:
    return scoped_or_404(
        ReturnRequest.objects.restrict(request.user, VIEW).select_related("patient", "unit"),
        pk=pk,
    )


def _managed_request(request: AuthedRequest, pk: int) -> ReturnRequest:
    return scoped_or_404(
        ReturnRequest.objects.restrict(request.user, MANAGE_DEVICES).select_related(
            "patient", "unit"
        ),
        pk=pk,
    )


def _detail(
    request: AuthedRequest,
    found: ReturnRequest,
    *,
    schedule_form: ScheduleForm | None = None,
    cancel_form: CancelReturnForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    manages = (
        ReturnRequest.objects.restrict(request.user, MANAGE_DEVICES).filter(pk=found.pk).exists()
    )
    history = list(
        ChangeRecord.objects.filter(
            model=ReturnRequest._meta.label_lower, object_id=str(found.pk)
        ).select_related("actor")
    )
    read_one(request, found.patient, ReadPurpose.RETURN, what=f"return {found.pk}")
    labels = dict(ReturnStatus.choices)
    for change in history:
        new_status = change.changes.get("status", [None, None])[1]
        change.status_label = labels.get(str(new_status), "")  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "item": found,
        "loans": found.loans.select_related("device__aid_type"),
        "manages": manages,
        "history": history,
        "schedule_form": schedule_form or ScheduleForm(initial={"appointment": found.appointment}),
        "cancel_form": cancel_form or CancelReturnForm(),
        "error": error,
    }
    return render(request, "returns/detail.html", context, status=status)


@login_required
def return_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_request(request, pk))


@login_required
@require_POST
def return_schedule(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _managed_request(request, pk)
    form = ScheduleForm(request.POST)
    outcome = attempt(
        lambda: actions.schedule_pickup(
            found,
            actor=request.user,
            at=form.cleaned_data["appointment"],
            note=form.cleaned_data["note"],
        ),
        form,
    )
    if isinstance(outcome, Refused):
        return _detail(
            request, found, schedule_form=form, error=outcome.message, status=outcome.status
        )
    messages.success(request, _("The pickup is agreed."))
    return redirect("return-detail", pk=found.pk)


@login_required
@require_POST
def return_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _visible_request(request, pk)
    manages = (
        ReturnRequest.objects.restrict(request.user, MANAGE_DEVICES).filter(pk=found.pk).exists()
    )
    if not manages and found.requested_by_id != request.user.pk:
        raise Http404  # only the unit, or whoever reported it, takes a report back
    form = CancelReturnForm(request.POST)
    outcome = attempt(
        lambda: actions.cancel_return(
            found, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        form,
    )
    if isinstance(outcome, Refused):
        return _detail(
            request, found, cancel_form=form, error=outcome.message, status=outcome.status
        )
    messages.success(request, _("The return is cancelled; the devices stay with the patient."))
    return redirect("return-detail", pk=found.pk)
