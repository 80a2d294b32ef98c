"""Electrical installation checks on the patient's record (O4, U4)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from overgang.aids import actions
from overgang.aids.models import ElectricalCheck
from overgang.audit.models import ReadPurpose
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient
from overgang.web.checks.forms import CheckForm
from overgang.web.common.reads import read_one
from overgang.web.common.views import AuthedRequest, Refused, attempt, scoped_or_404


def _patient(request: AuthedRequest, pk: int) -> Patient:
    return scoped_or_404(Patient.objects.restrict(request.user, VIEW), pk=pk)


@login_required
@permission_required("aids.manage_device", raise_exception=True)
def record_check(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    form = CheckForm(request.POST or None)
    status = 200
    if request.method == "POST":
        outcome = attempt(
            lambda: actions.record_electrical_check(
                patient, actor=request.user, **form.cleaned_data
            ),
            form,
        )
        if not isinstance(outcome, Refused):
            return redirect("patient-detail", pk=patient.pk)
        status = outcome.shown_on(form)
    read_one(request, patient, ReadPurpose.ELECTRICAL_CHECK)
    checks = ElectricalCheck.objects.filter(patient=patient).select_related("checked_by")
    context = {"patient": patient, "form": form, "checks": checks}
    return render(request, "checks/form.html", context, status=status)


@login_required
@permission_required("aids.manage_device", raise_exception=True)
def remedied(request: AuthedRequest, pk: int, check_id: int) -> HttpResponse:
    patient = _patient(request, pk)
    check = scoped_or_404(ElectricalCheck.objects.filter(patient=patient), pk=check_id)
    if request.method != "POST":
        return redirect("electrical-check", pk=patient.pk)
    # Refused, most often already remedied (a second click): the patient page shows the
    # current state.
    attempt(
        lambda: actions.mark_remedied(
            check, actor=request.user, notes=request.POST.get("notes", "")
        )
    )
    return redirect("patient-detail", pk=patient.pk)
