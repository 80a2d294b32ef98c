"""Patient pages: the list, a patient's page, registering and editing, relatives.
Thin: they read through `restrict`, write through the apps' actions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.aids.models import (
    OPEN_RETURNS,
    ElectricalCheck,
    Loan,
    ReturnRequest,
)
from overgang.audit.history import log_read
from overgang.audit.models import ChangeRecord, ReadPurpose
from overgang.organisations.permissions import (
    CHANGE,
    VIEW,
)
from overgang.organisations.regions import region_of
from overgang.patients import actions
from overgang.patients.models import MoveInRequest, Patient, Residence
from overgang.requisitions.access import (
    may_act_in_dispute,
    may_report_swaps,
    may_requisition,
    nav_offices,
)
from overgang.requisitions.models import (
    Dispute,
    NavApplication,
    Requisition,
    SwapReport,
)
from overgang.rules.disputes import NoDisputeRoute, route_for
from overgang.rules.registry import RulesError
from overgang.stays.access import admitting_units
from overgang.stays.models import Stay
from overgang.web.common.reads import read_one, read_page
from overgang.web.common.views import AuthedRequest, Refused, attempt, paginate, scoped_or_404
from overgang.web.exports.respond import exported
from overgang.web.patients import rows, tables
from overgang.web.patients.forms import (
    PatientEditForm,
    PatientForm,
    PatientSearchForm,
    RelativeForm,
)


def _disputes_agreed(patient: Patient) -> bool:
    """Does the patient's agreement name a procedure for disputes (N13)?"""
    try:
        route_for(patient.agreement_today().id)
    except (RulesError, NoDisputeRoute):
        return False
    return True


@login_required
@permission_required("patients.view_patient", raise_exception=True)
def patient_list(request: AuthedRequest) -> HttpResponse:
    form = PatientSearchForm(request.GET)
    form.is_valid()
    query = form.cleaned_data.get("q", "")
    sort = form.cleaned_data.get("sort") or "name"
    found = Patient.objects.restrict(request.user, VIEW).find(query, sort=sort)
    export = exported(
        request, tables.PATIENTS, found.select_related("municipality", "district"), form=form
    )
    if export is not None:
        return export
    # Only the columns a row shows, as tuples (see `rows`). Counted without them: a count of
    # those rows keeps their joins, and counting all patients with two joins took 40 ms.
    shown = found.values_list(*rows.COLUMNS)
    counted = (found.count(), False)
    page = read_page(
        request,
        paginate(request, shown, settings.PATIENTS_PER_PAGE, counted=counted),
        patient=rows.PATIENT,
    )
    page.object_list = rows.rows(page.object_list)
    context = {
        "form": form,
        "query": query,
        "sort": sort,
        "page": page,
        "table_rows": rows.table_rows(page.object_list),
        "may_add": request.user.has_perm("patients.add_patient"),
    }
    template = "patients/_results.html" if request.htmx else "patients/list.html"
    return render(request, template, context)


def _visible_patient(request: AuthedRequest, pk: int, action: str = VIEW) -> Patient:
    return scoped_or_404(
        Patient.objects.restrict(request.user, action).select_related(
            "municipality", "district", "institution", "responsible_hospital"
        ),
        pk=pk,
    )


@login_required
def patient_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _visible_patient(request, pk)
    log_read(patient, user=request.user, purpose=ReadPurpose.PATIENT_PAGE)
    history = ChangeRecord.objects.filter(
        model=Patient._meta.label_lower, object_id=str(patient.pk)
    ).select_related("actor")[:20]
    context = {
        "patient": patient,
        "relatives": patient.relatives.all(),
        "history": history,
        # Registrations of this person by areas that do not hold the record: has the
        # person moved? (docs/security.md)
        "move_in_requests": MoveInRequest.objects.restrict(request.user, VIEW)
        .filter(patient=patient)
        .select_related("requested_by", "municipality", "district")[:10],
        "may_change": Patient.objects.restrict(request.user, CHANGE).filter(pk=pk).exists(),
        "relative_form": RelativeForm(),
        "checks": ElectricalCheck.objects.filter(patient=patient),
        "loans": Loan.objects.restrict(request.user, VIEW)
        .active()
        .filter(patient=patient)
        .select_related("device__aid_type", "device__owner")
        .order_by("device__aid_type__slug", "device__serial"),
        "open_returns": set(
            ReturnRequest.objects.filter(patient=patient, status__in=OPEN_RETURNS).values_list(
                "loans", flat=True
            )
        ),
        "may_check": request.user.has_perm("aids.manage_device"),
        "may_report_swap": patient.residence == Residence.INSTITUTION
        and may_report_swaps(request.user),
        "swaps": SwapReport.objects.restrict(request.user, VIEW)
        .filter(patient=patient)
        .select_related("aid_type"),
        "requisitions": Requisition.objects.restrict(request.user, VIEW)
        .filter(patient=patient)
        .select_related("aid_type", "unit")
        .order_by("-submitted_at"),
        "may_requisition": may_requisition(request.user),
        "nav_applications": NavApplication.objects.restrict(request.user, VIEW)
        .filter(patient=patient)
        .select_related("aid_type")
        .order_by("-created_at"),
        "may_apply_to_nav": bool(nav_offices(request.user, patient)),
        "disputes": Dispute.objects.restrict(request.user, VIEW)
        .filter(patient=patient)
        .select_related("aid_type")
        .order_by("-raised_at"),
        "may_dispute": may_act_in_dispute(request.user) and _disputes_agreed(patient),
        "stays": Stay.objects.restrict(request.user, VIEW)
        .filter(patient=patient)
        .select_related("hospital", "department"),
        "may_admit": bool(admitting_units(request.user)),
    }
    return render(request, "patients/detail.html", context)


@login_required
@permission_required("patients.add_patient", raise_exception=True)
def patient_create(request: AuthedRequest) -> HttpResponse:
    form = PatientForm(request.POST or None, region=region_of(request.user))
    if request.method == "POST":
        outcome = attempt(lambda: _register(form, request.user), form)
        if not isinstance(outcome, Refused):
            # The same answer whether the record is new or the person was registered
            # outside what the user may see (docs/security.md): the page of the record,
            # which opens to them once the holder has confirmed a move.
            messages.success(
                request,
                _(
                    "%(name)s is registered. If another municipality or hospital already "
                    "holds the person's record, it is asked to confirm the move, and the "
                    "record opens to you when it has."
                )
                % {"name": outcome.as_entered.name},
            )
            return redirect("patient-detail", pk=outcome.id)
        # The one conflict is a patient registered before: it is about the number.
        outcome.shown_on(form, "national_id")
    status = 422 if form.errors else 200
    return render(request, "patients/form.html", {"form": form}, status=status)


def _register(form: PatientForm, actor: Any) -> actions.Registered:
    data = form.cleaned_data
    return actions.register_patient(
        actor=actor,
        national_id_number=data["national_id"],
        name=data["name"],
        municipality=data["municipality"],
        district=data["district"],
        address=data["address"],
        postcode=data["postcode"],
        post_town=data["post_town"],
        residence=data["residence"],
        institution=data["institution"],
        interpreter_needed=data["interpreter_needed"],
        language=data["language"],
    )


@login_required
def patient_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _visible_patient(request, pk, CHANGE)
    read_one(request, patient, ReadPurpose.PATIENT_EDIT)
    initial = {
        "name": patient.name,
        "address": patient.address,
        "postcode": patient.postcode,
        "post_town": patient.post_town,
        "municipality": patient.municipality.name,
        "district": patient.district.name if patient.district else "",
        "residence": patient.residence,
        "institution": patient.institution,
        "interpreter_needed": patient.interpreter_needed,
        "language": patient.language,
    }
    form = PatientEditForm(
        request.POST or None,
        initial=initial,
        region=region_of(request.user),
        current=patient.institution,
    )
    status = 200
    if request.method == "POST":
        outcome = attempt(
            lambda: actions.update_patient(patient, actor=request.user, **form.cleaned_data), form
        )
        if not isinstance(outcome, Refused):
            return redirect("patient-detail", pk=patient.pk)
        status = outcome.shown_on(form)
    context = {"form": form, "patient": patient}
    return render(request, "patients/edit.html", context, status=status)


@login_required
@require_POST
def relative_add(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _visible_patient(request, pk, CHANGE)
    form = RelativeForm(request.POST)
    outcome = attempt(
        lambda: actions.add_relative(patient, actor=request.user, **form.cleaned_data), form
    )
    status = 200
    if isinstance(outcome, Refused):
        status = outcome.shown_on(form)
    else:
        form = RelativeForm()
    context = {
        "patient": patient,
        "relatives": patient.relatives.all(),
        "relative_form": form,
        "may_change": True,
    }
    if request.htmx:
        return render(request, "patients/_relatives.html", context, status=status)
    if status == 200:
        return redirect("patient-detail", pk=patient.pk)
    return render(request, "patients/detail.html", {**context, "history": []}, status=status)
