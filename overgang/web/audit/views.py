"""Audit pages: who was shown which patient, filtered, and exported as CSV."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from overgang.audit.history import is_system
from overgang.audit.models import PatientRead, ReadPurpose
from overgang.organisations.permissions import AUDIT
from overgang.patients.access_log import ReadFilter, organisations_of, readers, reads_of
from overgang.patients.models import Patient
from overgang.web.audit import tables
from overgang.web.audit.forms import ReadFilterForm
from overgang.web.common.reads import itself, read_one, read_page
from overgang.web.common.views import AuthedRequest, paginate
from overgang.web.exports.respond import (
    CAP,
    FORMATS,
    asked,
    described,
    export_as,
    unknown_format,
)
from overgang.web.patients.forms import (
    PatientSearchForm,
)
from overgang.web.patients.views import _visible_patient

READS_PER_PAGE = 50


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


def _filtered(request: AuthedRequest, patient: Patient) -> tuple[ReadFilterForm, Any]:
    """The filter form and the reads it keeps (none while the form has an error)."""
    who = readers(patient, auditor=request.user)
    form = ReadFilterForm(
        request.GET or None,
        readers=who,
        organisations=sorted(
            {org for orgs in organisations_of(u.pk for u in who).values() for org in orgs},
            key=lambda org: org.name,
        ),
    )
    if form.is_bound and not form.is_valid():
        return form, PatientRead.objects.none()
    shown = form.shown() if form.is_bound else ReadFilter()
    return form, reads_of(patient, auditor=request.user, shown=shown)


def _entries(reads: list[PatientRead]) -> list[dict[str, Any]]:
    """Each read as the auditor reads it: the reader's organisations, the purpose in the
    auditor's language."""
    where = organisations_of(read.user_id for read in reads)
    return [
        {
            "read": read,
            "reader": read.user.get_full_name() or read.user.username,
            "organisation": _("Overgang (a command or job)")
            if is_system(read.user)
            else ", ".join(org.name for org in where.get(read.user_id, [])),
            "purpose": read.get_purpose_display(),
        }
        for read in reads
    ]


@login_required
@permission_required("audit.view_patientread", raise_exception=True)
def audit_patient_reads(request: AuthedRequest, pk: int) -> HttpResponse:
    if asked(request):
        return _export(request, pk, request.GET.get("format", ""))
    patient = _visible_patient(request, pk, AUDIT)
    form, reads = _filtered(request, patient)
    page = paginate(request, reads, READS_PER_PAGE)
    entries = _entries(list(page.object_list))
    # The page names the patient: the auditor's own look is in the log too, from now on.
    read_one(request, patient, ReadPurpose.AUDIT)
    context = {
        "patient": patient,
        "form": form,
        "page": page,
        "entries": entries,
        "csv_query": request.GET.urlencode(),
    }
    status = 422 if form.errors else 200
    return render(request, "audit/reads.html", context, status=status)


@login_required
@permission_required("audit.view_patientread", raise_exception=True)
def audit_patient_reads_csv(request: AuthedRequest, pk: int) -> HttpResponse:
    """The filtered access log as CSV (the first export address, kept)."""
    return _export(request, pk, "csv")


def _export(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    """The filtered access log exported; exporting it is itself a read of the patient."""
    patient = _visible_patient(request, pk, AUDIT)
    form, reads = _filtered(request, patient)
    if form.errors:
        return render(request, "audit/reads.html", {"patient": patient, "form": form}, status=422)
    if kind not in FORMATS:
        return unknown_format(request)
    entries = _entries(list(reads[: CAP + 1]))
    read_one(request, patient, ReadPurpose.EXPORT, what=f"access log, {len(entries)} reads")
    about = [(_("Patient"), patient.name), *described(request, form)]
    return export_as(request, kind, tables.PATIENT_READS, entries, filters=about)
