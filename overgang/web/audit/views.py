"""Audit pages: who read which patient's record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render

from overgang.audit.models import PatientRead
from overgang.organisations.permissions import AUDIT
from overgang.patients.models import Patient
from overgang.web.common.reads import itself, read_page
from overgang.web.common.views import AuthedRequest, paginate
from overgang.web.patients.forms import (
    PatientSearchForm,
)
from overgang.web.patients.views import _visible_patient


@login_required
@permission_required("audit.view_patientread", raise_exception=True)
def audit_index(request: AuthedRequest) -> HttpResponse:
    form = PatientSearchForm(request.GET)
    form.is_valid()
    query = form.cleaned_data.get("q", "")
    patients = (
        Patient.objects.restrict(request.user, AUDIT).find(query).select_related("municipality")
        if query
        else Patient.objects.none()
    )
    page = read_page(request, paginate(request, patients, 25), patient=itself)
    context = {"form": form, "query": query, "page": page}
    return render(request, "audit/index.html", context)


@login_required
@permission_required("audit.view_patientread", raise_exception=True)
def audit_patient_reads(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _visible_patient(request, pk, AUDIT)
    reads = PatientRead.objects.restrict(request.user, AUDIT).filter(patient=patient)
    reads = reads.select_related("user")
    context = {"patient": patient, "page": paginate(request, reads, 50)}
    return render(request, "audit/reads.html", context)
