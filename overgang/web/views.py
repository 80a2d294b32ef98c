"""Pages. Thin: they read through `restrict`, write through the apps' actions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from overgang import clock
from overgang.aids import supplies
from overgang.aids.access import managed_devices, managed_loans, managed_returns
from overgang.aids.failures import UNRESOLVED, managed_failures
from overgang.aids.models import (
    OPEN_RETURNS,
    ConsumableOrder,
    ConsumptionPlan,
    DeviceStatus,
    ElectricalCheck,
    Loan,
    OrderStatus,
    ReturnRequest,
)
from overgang.audit.history import log_read
from overgang.audit.models import ChangeRecord, PatientRead
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.catchment import catchment_of
from overgang.organisations.filters import filter_organisations
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import AUDIT, CHANGE, VIEW, memberships_of
from overgang.patients import actions
from overgang.patients.models import Patient, Residence
from overgang.requisitions.access import (
    applying_offices,
    decided_by_user,
    dispute_parties,
    may_act_in_dispute,
    may_report_swaps,
    may_requisition,
    visible_disputes,
    visible_nav_applications,
    visible_requisitions,
    visible_swaps,
)
from overgang.requisitions.models import OPEN_SWAPS
from overgang.requisitions.states import DisputeStatus, NavStatus, RequisitionStatus
from overgang.rules.disputes import NoDisputeRoute, route_for
from overgang.rules.registry import RulesError, agreement_for_municipality
from overgang.stays.access import admitting_units, visible_stays
from overgang.stays.figures import deadline_figures
from overgang.web.forms import (
    OrganisationSearchForm,
    PatientEditForm,
    PatientForm,
    PatientSearchForm,
    RelativeForm,
)


class AuthedRequest(HttpRequest):
    """What a page behind login_required sees (django-htmx adds `htmx`)."""

    user: User
    htmx: HtmxDetails


class CountedPaginator(Paginator):
    """A paginator told its count (a capped one: `more` says there are more) instead of
    counting everything itself."""

    def __init__(self, object_list: Any, per_page: int, *, count: int, more: bool) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count
        self.more = more

    @cached_property
    def count(self) -> int:
        return self.known_count

    def page(self, number: Any) -> Page:
        """A full page also at the end of a capped count: its rows are there."""
        if not self.more:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return Page(self.object_list[bottom : bottom + self.per_page], number, self)


def _page(
    request: HttpRequest, items: Any, per_page: int, *, counted: tuple[int, bool] | None = None
) -> Page:
    paginator = (
        Paginator(items, per_page)
        if counted is None
        else CountedPaginator(items, per_page, count=counted[0], more=counted[1])
    )
    page = paginator.get_page(request.GET.get("page"))
    # The pager's links keep the search and the sort order.
    query = request.GET.copy()
    query.pop("page", None)
    page.query = query.urlencode()  # type: ignore[attr-defined]
    return page


def _unit_figures(user: User) -> dict[str, int] | None:
    """What waits for a treatment-aids unit or depot today, for its start page."""
    if not user.has_perm("aids.manage_device"):
        return None
    devices = managed_devices(user)
    loans = managed_loans(user).filter(returned_at__isnull=True)
    plans = ConsumptionPlan.objects.filter(loan__in=managed_loans(user))
    return {
        "on_loan": devices.filter(status=DeviceStatus.ON_LOAN).count(),
        "available": devices.filter(status=DeviceStatus.AVAILABLE).count(),
        "to_reprocess": devices.filter(
            status__in=[DeviceStatus.RETURNED, DeviceStatus.REPROCESSING]
        ).count(),
        "returns": managed_returns(user).filter(status__in=OPEN_RETURNS).count(),
        "needs": ConsumableOrder.objects.filter(
            plan__in=plans, status=OrderStatus.REQUESTED
        ).count(),
        "running_out": len(supplies.due(plans, clock.today())),
        "swaps": visible_swaps(user).filter(status__in=OPEN_SWAPS).count(),
        "to_assess": decided_by_user(user)
        .filter(status__in=sorted(RequisitionStatus.TO_DECIDE))
        .count(),
        "to_deliver": decided_by_user(user).filter(status=RequisitionStatus.GRANTED).count(),
        "failures": managed_failures(user).filter(status__in=UNRESOLVED).count(),
        "without_manual": loans.filter(manual_handed_over=False).count(),
    }


@login_required
def start(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "unit": _unit_figures(user),
        "deadlines": deadline_figures(user) if user.has_perm("patients.view_patient") else None,
        "memberships": memberships_of(user),
        "patients_in_scope": Patient.objects.restrict(user, VIEW).count()
        if user.has_perm("patients.view_patient")
        else None,
        "may_add": user.has_perm("patients.add_patient"),
        "may_audit": user.has_perm("audit.view_patientread"),
        "cases": _case_figures(user),
    }
    return render(request, "web/start.html", context)


def _disputes_agreed(patient: Patient) -> bool:
    """Does the patient's agreement name a procedure for disputes (N13)?"""
    try:
        agreement = agreement_for_municipality(
            patient.municipality.number, on=clock.today_in(patient.municipality.country)
        )
        route_for(agreement.id)
    except (RulesError, NoDisputeRoute):
        return False
    return True


def _case_figures(user: User) -> dict[str, int | bool] | None:
    """NAV applications (Norway, H5) and disputes (where the agreement has a procedure, N13),
    for the staff who work them."""
    if not user.has_perm("patients.view_patient"):
        return None
    offices = [o for o in applying_offices(user) if o.country == "NO"]
    parties = [o for o in dispute_parties(user) if o.country == "DK"]
    if not offices and not parties:
        return None
    figures: dict[str, int | bool] = {"nav": bool(offices), "disputes_shown": bool(parties)}
    if offices:
        applications = visible_nav_applications(user).filter(municipality__in=offices)
        figures["unsigned"] = applications.filter(status=NavStatus.AWAITING_SIGNATURE).count()
        figures["nav_open"] = applications.filter(status__in=sorted(NavStatus.OPEN)).count()
    if parties:
        disputes = visible_disputes(user).exclude(status=DisputeStatus.SETTLED)
        figures["disputes"] = disputes.count()
        figures["undelivered"] = disputes.filter(delivered_on__isnull=True).count()
    return figures


@login_required
@permission_required("patients.view_patient", raise_exception=True)
def patient_list(request: AuthedRequest) -> HttpResponse:
    form = PatientSearchForm(request.GET)
    form.is_valid()
    query = form.cleaned_data.get("q", "")
    sort = form.cleaned_data.get("sort") or "name"
    patients = (
        Patient.objects.restrict(request.user, VIEW)
        .find(query, sort=sort)
        .select_related("municipality", "district")
    )
    context = {
        "form": form,
        "query": query,
        "sort": sort,
        "page": _page(request, patients, settings.PATIENTS_PER_PAGE),
        "may_add": request.user.has_perm("patients.add_patient"),
    }
    template = "patients/_results.html" if request.htmx else "patients/list.html"
    return render(request, template, context)


def _visible_patient(request: AuthedRequest, pk: int, action: str = VIEW) -> Patient:
    return get_object_or_404(
        Patient.objects.restrict(request.user, action).select_related(
            "municipality", "district", "institution", "responsible_hospital"
        ),
        pk=pk,
    )


@login_required
def patient_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _visible_patient(request, pk)
    log_read(patient, user=request.user, purpose="patient page")
    history = ChangeRecord.objects.filter(
        model=Patient._meta.label_lower, object_id=str(patient.pk)
    ).select_related("actor")[:20]
    context = {
        "patient": patient,
        "relatives": patient.relatives.all(),
        "history": history,
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
        "swaps": visible_swaps(request.user).filter(patient=patient).select_related("aid_type"),
        "requisitions": visible_requisitions(request.user)
        .filter(patient=patient)
        .select_related("aid_type", "unit")
        .order_by("-submitted_at"),
        "may_requisition": may_requisition(request.user),
        "nav_applications": visible_nav_applications(request.user)
        .filter(patient=patient)
        .select_related("aid_type")
        .order_by("-created_at"),
        "may_apply_to_nav": patient.municipality.country == "NO"
        and bool(applying_offices(request.user)),
        "disputes": visible_disputes(request.user)
        .filter(patient=patient)
        .select_related("aid_type")
        .order_by("-raised_at"),
        "may_dispute": may_act_in_dispute(request.user) and _disputes_agreed(patient),
        "stays": visible_stays(request.user)
        .filter(patient=patient)
        .select_related("hospital", "department"),
        "may_admit": bool(admitting_units(request.user)),
    }
    return render(request, "patients/detail.html", context)


@login_required
@permission_required("patients.add_patient", raise_exception=True)
def patient_create(request: AuthedRequest) -> HttpResponse:
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patient = actions.create_patient(
                actor=request.user,
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
        except InvalidInput as error:
            form.add_input_errors(error)
        except Conflict as error:
            form.add_error("national_id", str(error))
        else:
            return redirect("patient-detail", pk=patient.pk)
    status = 422 if form.errors else 200
    return render(request, "patients/form.html", {"form": form}, status=status)


@login_required
def patient_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _visible_patient(request, pk, CHANGE)
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
    form = PatientEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            actions.update_patient(
                patient, actor=request.user, reason=form.cleaned_data["reason"], **changes
            )
        except InvalidInput as error:
            form.add_input_errors(error)
        else:
            return redirect("patient-detail", pk=patient.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "patient": patient}
    return render(request, "patients/edit.html", context, status=status)


@login_required
@require_POST
def relative_add(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _visible_patient(request, pk, CHANGE)
    form = RelativeForm(request.POST)
    if form.is_valid():
        try:
            actions.add_relative(patient, actor=request.user, **form.cleaned_data)
        except InvalidInput as error:
            form.add_input_errors(error)
        else:
            form = RelativeForm()
    context = {
        "patient": patient,
        "relatives": patient.relatives.all(),
        "relative_form": form,
        "may_change": True,
    }
    status = 422 if form.errors else 200
    if request.htmx:
        return render(request, "patients/_relatives.html", context, status=status)
    if status == 200:
        return redirect("patient-detail", pk=patient.pk)
    return render(request, "patients/detail.html", {**context, "history": []}, status=status)


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
    context = {"form": form, "query": query, "page": _page(request, patients, 25)}
    return render(request, "audit/index.html", context)


@login_required
@permission_required("audit.view_patientread", raise_exception=True)
def audit_patient_reads(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _visible_patient(request, pk, AUDIT)
    reads = PatientRead.objects.filter(patient=patient).select_related("user")
    context = {"patient": patient, "page": _page(request, reads, 50)}
    return render(request, "audit/reads.html", context)


@login_required
def organisation_list(request: AuthedRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    organisations = filter_organisations(
        Organisation.objects.select_related("parent"),
        q=data.get("q", ""),
        kind=data.get("kind", ""),
        country=data.get("country", ""),
    ).order_by("name", "id")
    context = {
        "form": form,
        "page": _page(request, organisations, 50),
    }
    return render(request, "organisations/list.html", context)


@login_required
def organisation_detail(request: AuthedRequest, key: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), key=key)
    context = {
        "organisation": organisation,
        "ancestors": organisation.ancestors_and_self()[1:],
        "children": organisation.children.order_by("kind", "name"),
        "catchment": catchment_of(organisation),
    }
    return render(request, "organisations/detail.html", context)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {"message": _("Not found")}, status=404)
