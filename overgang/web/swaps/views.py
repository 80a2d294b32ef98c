"""Swap reports on the pages (O3, 000 3.1): the institution reports a resident who uses its
own equipment for treatment the hospital started; the agreement's answer shows at once with
its citation; the treatment-aids unit lends its device to the resident in the institution."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.aids.models import Device
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW
from overgang.patients.models import Patient
from overgang.requisitions import actions
from overgang.requisitions.access import may_lend_for_swaps, may_report_swaps
from overgang.requisitions.models import OPEN_SWAPS, SwapReport, SwapStatus
from overgang.web.common.citations import cite_links
from overgang.web.common.forms import split_serials
from overgang.web.common.reads import read_one, read_page
from overgang.web.common.views import (
    AuthedRequest,
    Refused,
    attempt,
    paginate,
    run_step,
    scoped_or_404,
)
from overgang.web.exports.respond import exported
from overgang.web.swaps import tables
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
        outcome = attempt(
            lambda: actions.report_swap(
                patient,
                actor=request.user,
                aid_type=form.cleaned_data.get("aid_type", ""),
                started_by=form.cleaned_data.get("started_by", ""),
                documentation=form.cleaned_data.get("documentation", ""),
                terminal=form.cleaned_data.get("terminal", False),
            ),
            form,
        )
        if not isinstance(outcome, Refused):
            return redirect("swap-detail", pk=outcome.pk)
        status = outcome.shown_on(form)
    read_one(request, patient, ReadPurpose.SWAP)
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
    export = exported(request, tables.SWAPS, found.order_by("reported_at", "id"))
    if export is not None:
        return export
    page = read_page(
        request, paginate(request, found.order_by("reported_at", "id"), SWAPS_PER_PAGE)
    )
    return render(request, "swaps/list.html", {"page": page, "show": show})


def _report(request: AuthedRequest, pk: int) -> SwapReport:
    return scoped_or_404(
        SwapReport.objects.restrict(request.user, VIEW).select_related(
            "patient", "institution", "aid_type", "loan__device", "reported_by"
        ),
        pk=pk,
    )


def _detail(
    request: AuthedRequest,
    report: SwapReport,
    *,
    form: SwapLendForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    lends = may_lend_for_swaps(request.user)
    read_one(request, report.patient, ReadPurpose.SWAP, what=f"swap {report.pk}")
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

    def write() -> None:
        data = form.cleaned_data
        devices = _devices(request, data.get("device", ""), data.get("companions", ""))
        actions.lend_for_swap(
            report,
            devices[0],
            actor=request.user,
            companions=devices[1:],
            manual_handed_over=data.get("manual_handed_over", False),
            instruction_given=data.get("instruction_given", False),
        )

    return run_step(
        request,
        _detail,
        report,
        form,
        write,
        _("The hospital's equipment is lent; the swap is done."),
        "swap-detail",
    )


def _devices(request: AuthedRequest, device: str, companions: str) -> list[Device]:
    """The device to lend and its companions, by their serial numbers, of the user's unit."""
    serials = [device.strip(), *split_serials(companions)]
    if not serials[0]:
        raise InvalidInput({"device": _("Enter the serial number of the device to lend.")})
    found, missing = Device.objects.restrict(request.user, MANAGE_DEVICES).by_serials(serials)
    if missing:
        raise InvalidInput(
            {
                "device": _("No device of your unit has the serial number %(serials)s.")
                % {"serials": ", ".join(missing)}
            }
        )
    return found


@login_required
@require_POST
def swap_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not may_lend_for_swaps(request.user) and report.reported_by_id != request.user.pk:
        raise Http404
    outcome = attempt(lambda: actions.withdraw_swap(report, actor=request.user))
    if isinstance(outcome, Refused):
        return _detail(request, report, error=outcome.message, status=outcome.status)
    return redirect("swap-detail", pk=report.pk)
