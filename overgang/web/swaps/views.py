"""Swap reports on the pages (O3, 000 3.1): the institution reports a resident who uses its
own equipment for treatment the hospital started; the agreement's answer shows at once with
its citation; the treatment-aids unit lends its device to the resident in the institution."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.aids.models import Device
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW
from overgang.patients.models import Patient
from overgang.requisitions import actions
from overgang.requisitions.access import may_lend_for_swaps, may_report_swaps
from overgang.requisitions.models import OPEN_SWAPS, SwapReport, SwapStatus
from overgang.web.common.citations import cite_links
from overgang.web.common.forms import split_serials
from overgang.web.common.views import AuthedRequest, _page, scoped_or_404
from overgang.web.swaps.forms import SwapForm, SwapLendForm

SWAPS_PER_PAGE = 25


def _patient(request: AuthedRequest, pk: int) -> Patient:
    return scoped_or_404(Patient.objects.restrict(request.user, VIEW), pk=pk)


@login_required
def swap_new(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    if not may_report_swaps(request.user):
        raise PermissionDenied
    form = SwapForm(request.POST or None)
    status = 200
    if request.method == "POST":
        form.is_valid()
        data = form.cleaned_data
        try:
            report = actions.report_swap(
                patient,
                actor=request.user,
                aid_type=data.get("aid_type", ""),
                started_by=data.get("started_by", ""),
                documentation=data.get("documentation", ""),
                terminal=data.get("terminal", False),
            )
        except InvalidInput as error:
            form.add_input_errors(error)
            status = 422
        except Conflict as error:
            form.add_error(None, str(error))
            status = 409
        else:
            return redirect("swap-detail", pk=report.pk)
    return render(request, "swaps/new.html", {"patient": patient, "form": form}, status=status)


@login_required
def swap_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("patients.view_patient"):
        raise PermissionDenied
    show = request.GET.get("show", "open")
    found = SwapReport.objects.restrict(request.user, VIEW).select_related(
        "patient", "institution", "aid_type"
    )
    if show != "all":
        found = found.filter(status__in=OPEN_SWAPS)
    page = _page(request, found.order_by("reported_at", "id"), SWAPS_PER_PAGE)
    return render(request, "swaps/list.html", {"page": page, "show": show})


def _report(request: AuthedRequest, pk: int) -> SwapReport:
    found = (
        SwapReport.objects.restrict(request.user, VIEW)
        .select_related("patient", "institution", "aid_type", "loan__device", "reported_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _detail(
    request: AuthedRequest,
    report: SwapReport,
    *,
    form: SwapLendForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    lends = may_lend_for_swaps(request.user)
    context = {
        "report": report,
        "links": cite_links(report.cites),
        "lends": lends and report.status == SwapStatus.TO_SWAP,
        "may_withdraw": report.status == SwapStatus.TO_SWAP
        and (lends or report.reported_by_id == request.user.pk),
        "form": form or SwapLendForm(),
        "error": error,
    }
    return render(request, "swaps/detail.html", context, status=status)


@login_required
def swap_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, _report(request, pk))


@login_required
@require_POST
def swap_lend(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not may_lend_for_swaps(request.user):
        raise Http404
    form = SwapLendForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    serials = [data.get("device", "").strip(), *split_serials(data.get("companions", ""))]
    found, missing = (
        Device.objects.restrict(request.user, MANAGE_DEVICES).by_serials(serials)
        if serials[0]
        else ([], [])
    )
    if not serials[0] or missing:
        form.add_error(
            "device",
            _("No device of your unit has the serial number %(serials)s.")
            % {"serials": ", ".join(missing)}
            if missing
            else _("Enter the serial number of the device to lend."),
        )
        return _detail(request, report, form=form, status=422)
    try:
        actions.lend_for_swap(
            report,
            found[0],
            actor=request.user,
            companions=found[1:],
            manual_handed_over=data.get("manual_handed_over", False),
            instruction_given=data.get("instruction_given", False),
        )
    except InvalidInput as error:
        form.add_input_errors(error)
        return _detail(request, report, form=form, status=422)
    except Conflict as error:
        return _detail(request, report, form=form, error=str(error), status=409)
    messages.success(request, _("The hospital's equipment is lent; the swap is done."))
    return redirect("swap-detail", pk=report.pk)


@login_required
@require_POST
def swap_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not may_lend_for_swaps(request.user) and report.reported_by_id != request.user.pk:
        raise Http404
    try:
        actions.withdraw_swap(report, actor=request.user)
    except Conflict as error:
        return _detail(request, report, error=str(error), status=409)
    return redirect("swap-detail", pk=report.pk)
