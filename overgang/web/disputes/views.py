"""Disputes (N13) on the pages.

A dispute names at once who delivers to the citizen, and is escalated level by level until
it is settled.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.i18n import current_language
from overgang.network import actions as network_actions
from overgang.network.models import Question as NetworkQuestion
from overgang.network.models import Status as QuestionStatus
from overgang.organisations.models import Kind, Organisation
from overgang.organisations.permissions import VIEW
from overgang.organisations.regions import region_of, within_region
from overgang.patients.models import Patient
from overgang.requisitions import actions
from overgang.requisitions.access import (
    may_act_in_dispute,
)
from overgang.requisitions.models import Dispute, Level
from overgang.requisitions.states import DisputeStatus
from overgang.rules.disputes import NoDisputeRoute, route_for
from overgang.web.common.reads import read_page
from overgang.web.common.views import (
    AuthedRequest,
    Refused,
    attempt,
    paginate,
    run_step,
    scoped_or_404,
)
from overgang.web.disputes import tables
from overgang.web.disputes.forms import (
    DisputeDeliveryForm,
    DisputeForm,
    EscalateForm,
    SettleForm,
)
from overgang.web.exports.respond import exported
from overgang.web.network.forms import ReferForm

PER_PAGE = 25


def _parties(patient: Patient, user: Any) -> tuple[Any, Any]:
    """The hospital departments and the municipal allocation offices a dispute is between,
    of the user's region only (a patient without a responsible hospital would otherwise be
    offered every department of every country)."""
    hospital = patient.responsible_hospital
    hospitals = Organisation.objects.filter(kind=Kind.DEPARTMENT)
    if hospital is not None:
        hospitals = hospitals.filter(parent__parent=hospital) | hospitals.filter(parent=hospital)
    municipalities = Organisation.objects.filter(
        kind=Kind.ALLOCATION_OFFICE, parent=patient.municipality
    ) | Organisation.objects.filter(
        kind=Kind.ALLOCATION_OFFICE, parent__parent=patient.municipality
    )
    region = region_of(user)
    return (
        within_region(hospitals, region).order_by("name"),
        within_region(municipalities, region).order_by("name"),
    )


@login_required
def dispute_new(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = scoped_or_404(Patient.objects.restrict(request.user, VIEW), pk=pk)
    if not may_act_in_dispute(request.user):
        raise PermissionDenied
    hospitals, municipalities = _parties(patient, request.user)
    form = DisputeForm(
        request.POST or None,
        initial={"aid_type": request.GET.get("aid_type", "")},
        hospitals=hospitals,
        municipalities=municipalities,
    )
    status = 200
    if request.method == "POST":
        outcome = attempt(lambda: _raise(patient, form, request.user), form)
        if not isinstance(outcome, Refused):
            return redirect("dispute-detail", pk=outcome.pk)
        status = outcome.shown_on(form)
    log_read(patient, user=request.user, purpose=ReadPurpose.DISPUTE)
    return render(request, "disputes/new.html", {"patient": patient, "form": form}, status=status)


def _raise(patient: Patient, form: DisputeForm, actor: Any) -> Dispute:
    data = form.cleaned_data
    return actions.raise_dispute(
        patient,
        actor=actor,
        aid_type=data.get("aid_type", ""),
        question=data.get("question", ""),
        description=data.get("description", ""),
        hospital=data.get("hospital"),
        municipality=data.get("municipality"),
    )


@login_required
def dispute_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("patients.view_patient"):
        raise PermissionDenied
    show = "all" if request.GET.get("show") == "all" else "open"
    found = Dispute.objects.restrict(request.user, VIEW).select_related(
        "patient", "aid_type", "hospital", "municipality"
    )
    if show == "open":
        found = found.exclude(status=DisputeStatus.SETTLED)
    export = exported(request, tables.DISPUTES, found.order_by("raised_at", "id"))
    if export is not None:
        return export
    page = read_page(request, paginate(request, found.order_by("raised_at", "id"), PER_PAGE))
    return render(request, "disputes/list.html", {"page": page, "show": show})


def _dispute(request: AuthedRequest, pk: int) -> Dispute:
    return scoped_or_404(
        Dispute.objects.restrict(request.user, VIEW).select_related(
            "patient", "aid_type", "hospital", "municipality", "raised_by"
        ),
        pk=pk,
    )


def _dispute_page(
    request: AuthedRequest,
    dispute: Dispute,
    *,
    form: Any = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    try:
        levels = [Level(level) for level in route_for(dispute.agreement).levels]
    except NoDisputeRoute:
        levels = [Level(dispute.level)]
    party = may_act_in_dispute(request.user, dispute)
    forms = {
        "delivery_form": DisputeDeliveryForm(),
        "escalate_form": EscalateForm(),
        "settle_form": SettleForm(),
        "refer_form": ReferForm(),
    }
    if form is not None:
        forms[
            {
                DisputeDeliveryForm: "delivery_form",
                EscalateForm: "escalate_form",
                SettleForm: "settle_form",
                ReferForm: "refer_form",
            }[type(form)]
        ] = form
    context = {
        "dispute": dispute,
        "levels": levels,
        "party": party and dispute.status != DisputeStatus.SETTLED,
        "at_top": dispute.level == levels[-1],
        # At the agreement's last level the parties may put the dispute to the network group.
        "with_network": NetworkQuestion.objects.filter(dispute=dispute)
        .order_by("-asked_at", "-id")
        .first(),
        "network_open": QuestionStatus.OPEN,
        "reason": dispute.closest_reasons.get(current_language("en"), ""),
        "error": error,
        **forms,
    }
    return render(request, "disputes/detail.html", context, status=status)


@login_required
def dispute_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    dispute = _dispute(request, pk)
    log_read(dispute.patient, user=request.user, purpose=ReadPurpose.DISPUTE)
    return _dispute_page(request, dispute)


@login_required
@require_POST
def dispute_step(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    dispute = _dispute(request, pk)
    if not may_act_in_dispute(request.user, dispute):
        raise Http404
    actor = request.user
    form: Any
    if step == "delivery":
        form = DisputeDeliveryForm(request.POST)
        form.is_valid()
        data = form.cleaned_data

        def write() -> Any:
            return actions.record_dispute_delivery(
                dispute,
                actor=actor,
                note=data.get("note", ""),
                delivered_on=data.get("delivered_on"),
            )

        done = _("The delivery to the citizen is recorded.")
    elif step == "escalate":
        form = EscalateForm(request.POST)
        form.is_valid()
        note = form.cleaned_data.get("note", "")

        def write() -> Any:
            # Reaching the network group puts the dispute's question in its queue.
            return network_actions.escalate_dispute(dispute, actor=actor, note=note)

        done = _("Escalated to the next level.")
    elif step == "settle":
        form = SettleForm(request.POST)
        form.is_valid()
        data = form.cleaned_data

        def write() -> Any:
            return actions.settle(
                dispute,
                actor=actor,
                payer=data.get("payer", ""),
                settlement=data.get("settlement", ""),
                settled_on=data.get("settled_on"),
            )

        done = _("The dispute is settled.")
    elif step == "network":
        form = ReferForm(request.POST)
        form.is_valid()
        text = form.cleaned_data.get("text", "")

        def write() -> Any:
            return network_actions.refer_dispute(dispute, actor=actor, text=text)

        done = _("The question is with the network group.")
    else:
        raise Http404
    return run_step(request, _dispute_page, dispute, form, write, done, "dispute-detail")
