"""Electrical installation checks on the patient's record (O4, U4)."""

from __future__ import annotations

import contextlib

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from overgang.aids import actions
from overgang.aids.models import ElectricalCheck
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient
from overgang.web.checks.forms import CheckForm
from overgang.web.common.views import AuthedRequest


def _patient(request: AuthedRequest, pk: int) -> Patient:
    return get_object_or_404(Patient.objects.restrict(request.user, VIEW), pk=pk)


@login_required
@permission_required("aids.manage_device", raise_exception=True)
def record_check(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_electrical_check(patient, actor=request.user, **form.cleaned_data)
        except InvalidInput as error:
            form.add_input_errors(error)
        else:
            return redirect("patient-detail", pk=patient.pk)
    checks = ElectricalCheck.objects.filter(patient=patient).select_related("checked_by")
    context = {"patient": patient, "form": form, "checks": checks}
    return render(request, "checks/form.html", context, status=422 if form.errors else 200)


@login_required
@permission_required("aids.manage_device", raise_exception=True)
def remedied(request: AuthedRequest, pk: int, check_id: int) -> HttpResponse:
    patient = _patient(request, pk)
    check = get_object_or_404(ElectricalCheck, pk=check_id, patient=patient)
    if request.method != "POST":
        return redirect("electrical-check", pk=patient.pk)
    # Already remedied (a second click): the patient page shows the current state.
    with contextlib.suppress(Conflict):
        actions.mark_remedied(check, actor=request.user, notes=request.POST.get("notes", ""))
    return redirect("patient-detail", pk=patient.pk)
