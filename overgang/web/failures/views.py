"""Failed devices on the pages (O5, 000 4.0): report a failure and see at once what to do,
and for the managing unit send the device to repair and mark the failure resolved. They read
and write through overgang.aids.failures, nothing else."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.aids import failures
from overgang.aids.models import Device, FailureReport
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW
from overgang.web.common.citations import cite_href
from overgang.web.common.views import AuthedRequest, Refused, attempt, paginate, scoped_or_404
from overgang.web.exports.respond import exported
from overgang.web.failures.forms import FailureForm, ResolveForm
from overgang.web.failures.tables import OPEN_FAILURES


def resolve_form_for(report: FailureReport, data: Any = None) -> ResolveForm:
    # Own field ids per report: the device page shows a form for each open failure.
    return ResolveForm(data, auto_id=f"failure-{report.pk}-%s")


def advised(report: FailureReport) -> dict[str, Any]:
    """A report with its advice in the page's language, ready for a template."""
    advice = report.advice
    language = get_language()
    return {
        "report": report,
        "advice": advice,
        "steps": [
            {
                "text": step.text(language),
                "citation": step.citation,
                "href": cite_href(step.citation),
                "emergency": step.emergency,
            }
            for step in advice.steps
        ],
    }


def unresolved(device: Device) -> list[dict[str, Any]]:
    """The device's open failures with their advice, the newest first."""
    reports = FailureReport.objects.filter(
        device=device, status__in=failures.UNRESOLVED
    ).select_related(
        "reported_by", "device__aid_type", "device__owner", "loan__patient__municipality"
    )
    return [advised(report) for report in reports]


def _device(request: AuthedRequest, serial: str) -> Device:
    return scoped_or_404(
        Device.objects.restrict(request.user, VIEW).select_related("aid_type", "owner__parent"),
        serial=serial,
    )


def _report(request: AuthedRequest, serial: str, pk: int, *, manage: bool) -> FailureReport:
    reports = (
        FailureReport.objects.restrict(request.user, MANAGE_DEVICES)
        if manage
        else FailureReport.objects.restrict(request.user, VIEW)
    )
    return scoped_or_404(
        reports.select_related("device__aid_type", "device__owner__parent", "reported_by"),
        pk=pk,
        device__serial=serial,
    )


@login_required
def failure_new(request: AuthedRequest, serial: str) -> HttpResponse:
    device = _device(request, serial)
    form = FailureForm(request.POST or None)
    if request.method != "POST":
        return _form_page(request, device, form, status=200)
    outcome = attempt(
        lambda: failures.report_failure(
            device,
            actor=request.user,
            description=form.cleaned_data["description"],
            danger_to_life=form.cleaned_data["danger_to_life"],
        ),
        form,
    )
    if isinstance(outcome, Refused):
        return _form_page(request, device, form, status=outcome.shown_on(form))
    return redirect("failure-detail", serial=device.serial, pk=outcome.pk)


def _form_page(
    request: AuthedRequest, device: Device, form: FailureForm, *, status: int
) -> HttpResponse:
    context = {
        "device": device,
        "form": form,
        # Shown before the form: a call for help never waits for typing.
        "emergency_number": failures.emergency_number(device),
    }
    return render(request, "failures/new.html", context, status=status)


@login_required
def failure_detail(request: AuthedRequest, serial: str, pk: int) -> HttpResponse:
    return _detail_page(request, _report(request, serial, pk, manage=False))


def _detail_page(
    request: AuthedRequest,
    report: FailureReport,
    *,
    resolve_form: ResolveForm | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    device = report.device
    manages = (
        FailureReport.objects.restrict(request.user, MANAGE_DEVICES).filter(pk=report.pk).exists()
    )
    context = {
        **advised(report),
        "device": device,
        "manages": manages,
        "resolve_form": resolve_form or resolve_form_for(report),
        "conflict": conflict,
    }
    return render(request, "failures/detail.html", context, status=status)


@login_required
@require_POST
def failure_repair(request: AuthedRequest, serial: str, pk: int) -> HttpResponse:
    report = _report(request, serial, pk, manage=True)
    outcome = attempt(lambda: failures.send_to_repair(report, actor=request.user))
    if isinstance(outcome, Refused):
        return _refused(request, report, None, outcome)
    report = outcome
    messages.success(request, _("%(serial)s is in repair.") % {"serial": report.device.serial})
    return redirect("failure-detail", serial=serial, pk=report.pk)


@login_required
@require_POST
def failure_resolve(request: AuthedRequest, serial: str, pk: int) -> HttpResponse:
    report = _report(request, serial, pk, manage=True)
    form = resolve_form_for(report, request.POST)
    outcome = attempt(
        lambda: failures.resolve_failure(
            report, actor=request.user, resolution=form.cleaned_data["resolution"]
        ),
        form,
    )
    if isinstance(outcome, Refused):
        return _refused(request, report, form, outcome)
    device = outcome.device
    messages.success(
        request,
        _("The failure is resolved. %(serial)s is %(status)s.")
        % {"serial": device.serial, "status": device.get_status_display()},
    )
    return redirect("failure-detail", serial=serial, pk=report.pk)


def _refused(
    request: AuthedRequest, report: FailureReport, form: ResolveForm | None, refused: Refused
) -> HttpResponse:
    """The failure's page again: bad input on its form; a conflict (the report or its device
    moved on meanwhile) above it, on the report as it is now."""
    if refused.status == 422:
        return _detail_page(
            request, report, resolve_form=form, conflict=refused.message, status=422
        )
    report.refresh_from_db()
    report.device.refresh_from_db()
    return _detail_page(request, report, conflict=refused.message, status=refused.status)


FAILURES_PER_PAGE = 50


def open_failures(user: Any) -> Any:
    """The unresolved failures of the devices the user's units manage: exactly what the
    start page counts."""
    return FailureReport.objects.restrict(user, MANAGE_DEVICES).filter(
        status__in=failures.UNRESOLVED
    )


@login_required
@permission_required("aids.manage_device", raise_exception=True)
def failure_list(request: AuthedRequest) -> HttpResponse:
    """The unit's open failures, the most critical and the oldest first (issue 19: the
    start page's figure opens this list, not a hint to look on each device's page)."""
    found = (
        open_failures(request.user)
        .select_related("device__aid_type")
        .order_by("-danger_to_life", "reported_at", "pk")
    )
    # Like a failure's own page it names the device, not who has it: no patient is read.
    export = exported(request, OPEN_FAILURES, found)
    if export is not None:
        return export
    page = paginate(request, found, FAILURES_PER_PAGE)
    return render(request, "failures/list.html", {"page": page})
