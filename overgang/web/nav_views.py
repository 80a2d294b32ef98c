"""NAV applications (H5, H6) and disputes (N13) on the pages.

The municipal office registers an application from the patient's page; its page shows the
next step (signature, sending, NAV's decision, delivery, follow-up) and the reminders given
while the signature is missing. A dispute names at once who delivers to the citizen, and is
escalated level by level until it is settled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.audit.history import log_read
from overgang.errors import Conflict, InvalidInput
from overgang.i18n import current_language
from overgang.organisations.models import Kind, Organisation
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient
from overgang.requisitions import actions
from overgang.requisitions.access import (
    applying_offices,
    may_act_in_dispute,
    may_apply_to_nav,
    visible_disputes,
    visible_nav_applications,
)
from overgang.requisitions.models import Dispute, Level, NavApplication
from overgang.requisitions.states import DisputeStatus, NavStatus
from overgang.rules.disputes import NoDisputeRoute, route_for
from overgang.web.nav_forms import (
    DisputeDeliveryForm,
    DisputeForm,
    EscalateForm,
    FollowUpForm,
    NavApplicationForm,
    NavDecisionForm,
    NavDeliveryForm,
    SentForm,
    SettleForm,
    SignatureForm,
)
from overgang.web.views import AuthedRequest, _page

PER_PAGE = 25
NAV_SHOWS = ("unsigned", "open", "all")
# The form of each step, by the status it follows.
NEXT_STEP: dict[str, tuple[str, type[Form]]] = {
    NavStatus.AWAITING_SIGNATURE: ("signature", SignatureForm),
    NavStatus.SIGNED: ("sent", SentForm),
    NavStatus.SENT: ("decision", NavDecisionForm),
    NavStatus.GRANTED: ("delivery", NavDeliveryForm),
    NavStatus.DELIVERED: ("follow-up", FollowUpForm),
}


def _patient(request: AuthedRequest, pk: int) -> Patient:
    patient = Patient.objects.restrict(request.user, VIEW).filter(pk=pk).first()
    if patient is None:
        raise Http404
    return patient


def _on_page(
    request: AuthedRequest,
    render_page: Callable[..., HttpResponse],
    obj: Any,
    form: Any,
    write: Callable[[], Any],
    done: str,
    target: str,
) -> HttpResponse:
    """Run a writer for a form: its errors on the form (422), a state that forbids it as a
    message (409), or back to the page with `done`."""
    try:
        write()
    except InvalidInput as error:
        form.add_input_errors(error)
        return render_page(request, obj, form=form, status=422)
    except Conflict as error:
        return render_page(request, obj, form=form, error=str(error), status=409)
    messages.success(request, done)
    return redirect(target, pk=obj.pk)


@login_required
def nav_new(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    offices = applying_offices(request.user)
    if not offices:
        raise PermissionDenied
    initial = {"municipality": offices[0]} if len(offices) == 1 else {}
    form = NavApplicationForm(request.POST or None, initial=initial, offices=offices)
    status = 200
    if request.method == "POST":
        form.is_valid()
        data = form.cleaned_data
        try:
            application = actions.register_application(
                patient,
                actor=request.user,
                municipality=data.get("municipality"),
                aid_type=data.get("aid_type", ""),
                duration_months=data.get("duration_months"),
                terminal=data.get("terminal", False),
                description=data.get("description", ""),
                urgent=data.get("urgent", False),
                urgent_reason=data.get("urgent_reason", ""),
            )
        except InvalidInput as error:
            form.add_input_errors(error)
            status = 422
        else:
            messages.success(request, _("Registered. Get the user's signature next."))
            return redirect("nav-detail", pk=application.pk)
    return render(request, "nav/new.html", {"patient": patient, "form": form}, status=status)


@login_required
def nav_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("patients.view_patient"):
        raise PermissionDenied
    show = request.GET.get("show", "open")
    show = show if show in NAV_SHOWS else "open"
    found = visible_nav_applications(request.user).select_related(
        "patient", "aid_type", "municipality"
    )
    if show == "unsigned":
        found = found.filter(status=NavStatus.AWAITING_SIGNATURE).order_by("created_at", "id")
    elif show == "open":
        found = found.filter(status__in=sorted(NavStatus.OPEN)).order_by("created_at", "id")
    else:
        found = found.order_by("-created_at", "-id")
    return render(request, "nav/list.html", {"page": _page(request, found, PER_PAGE), "show": show})


def _application(request: AuthedRequest, pk: int) -> NavApplication:
    found = (
        visible_nav_applications(request.user)
        .select_related("patient", "aid_type", "municipality", "stay", "created_by")
        .prefetch_related("reminder_log")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _nav_page(
    request: AuthedRequest,
    application: NavApplication,
    *,
    form: Any = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    step = NEXT_STEP.get(application.status)
    mine = may_apply_to_nav(request.user, application)
    context = {
        "application": application,
        "step": step[0] if step and mine else "",
        "form": form or (step[1]() if step else None),
        "mine": mine,
        "may_withdraw": mine and application.status in NavStatus.OPEN,
        "error": error,
    }
    return render(request, "nav/detail.html", context, status=status)


@login_required
def nav_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    log_read(application.patient, user=request.user, purpose="NAV application")
    return _nav_page(request, application)


@login_required
@require_POST
def nav_step(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    application = _application(request, pk)
    if not may_apply_to_nav(request.user, application):
        raise Http404
    expected = NEXT_STEP.get(application.status)
    if step == "withdraw":
        return _on_page(
            request,
            _nav_page,
            application,
            None,
            lambda: actions.withdraw_application(application, actor=request.user),
            _("The application is withdrawn."),
            "nav-detail",
        )
    if expected is None or expected[0] != step:
        return _nav_page(
            request,
            application,
            error=_("This application is %(status)s: that step is not next.")
            % {"status": application.get_status_display()},
            status=409,
        )
    form = expected[1](request.POST)
    form.is_valid()
    data = form.cleaned_data
    actor = request.user
    writers: dict[str, Callable[[], Any]] = {
        "signature": lambda: actions.record_signature(
            application,
            actor=actor,
            signed_by=data.get("signed_by", ""),
            signer_name=data.get("signer_name", ""),
            signed_on=data.get("signed_on"),
        ),
        "sent": lambda: actions.record_sent(
            application,
            actor=actor,
            sent_on=data.get("sent_on"),
            nav_reference=data.get("nav_reference", ""),
        ),
        "decision": lambda: _decision(application, actor, data),
        "delivery": lambda: actions.record_nav_delivery(
            application, actor=actor, delivered_on=data.get("delivered_on")
        ),
        "follow-up": lambda: actions.record_follow_up(
            application,
            actor=actor,
            note=data.get("note", ""),
            followed_up_on=data.get("followed_up_on"),
        ),
    }
    return _on_page(request, _nav_page, application, form, writers[step], _("Saved."), "nav-detail")


def _decision(application: NavApplication, actor: Any, data: dict[str, Any]) -> Any:
    granted = data.get("granted")
    if granted in ("", None):
        raise InvalidInput({"granted": _("Choose NAV's decision: granted or refused.")})
    return actions.record_nav_decision(
        application,
        actor=actor,
        granted=bool(granted),
        note=data.get("note", ""),
        decided_on=data.get("decided_on"),
    )


# Disputes (N13).


def _parties(patient: Patient) -> tuple[Any, Any]:
    """The hospital departments and the municipal allocation offices a dispute is between."""
    hospital = patient.responsible_hospital
    hospitals = Organisation.objects.filter(kind=Kind.DEPARTMENT)
    if hospital is not None:
        hospitals = hospitals.filter(parent__parent=hospital) | hospitals.filter(parent=hospital)
    municipalities = Organisation.objects.filter(
        kind=Kind.ALLOCATION_OFFICE, parent=patient.municipality
    ) | Organisation.objects.filter(
        kind=Kind.ALLOCATION_OFFICE, parent__parent=patient.municipality
    )
    return hospitals.order_by("name"), municipalities.order_by("name")


@login_required
def dispute_new(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    if not may_act_in_dispute(request.user):
        raise PermissionDenied
    hospitals, municipalities = _parties(patient)
    form = DisputeForm(
        request.POST or None,
        initial={"aid_type": request.GET.get("aid_type", "")},
        hospitals=hospitals,
        municipalities=municipalities,
    )
    status = 200
    if request.method == "POST":
        form.is_valid()
        data = form.cleaned_data
        try:
            dispute = actions.raise_dispute(
                patient,
                actor=request.user,
                aid_type=data.get("aid_type", ""),
                question=data.get("question", ""),
                description=data.get("description", ""),
                hospital=data.get("hospital"),
                municipality=data.get("municipality"),
            )
        except InvalidInput as error:
            form.add_input_errors(error)
            status = 422
        else:
            return redirect("dispute-detail", pk=dispute.pk)
    return render(request, "disputes/new.html", {"patient": patient, "form": form}, status=status)


@login_required
def dispute_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("patients.view_patient"):
        raise PermissionDenied
    show = "all" if request.GET.get("show") == "all" else "open"
    found = visible_disputes(request.user).select_related(
        "patient", "aid_type", "hospital", "municipality"
    )
    if show == "open":
        found = found.exclude(status=DisputeStatus.SETTLED)
    page = _page(request, found.order_by("raised_at", "id"), PER_PAGE)
    return render(request, "disputes/list.html", {"page": page, "show": show})


def _dispute(request: AuthedRequest, pk: int) -> Dispute:
    found = (
        visible_disputes(request.user)
        .select_related("patient", "aid_type", "hospital", "municipality", "raised_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


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
    }
    if form is not None:
        forms[
            {
                DisputeDeliveryForm: "delivery_form",
                EscalateForm: "escalate_form",
                SettleForm: "settle_form",
            }[type(form)]
        ] = form
    context = {
        "dispute": dispute,
        "levels": levels,
        "party": party and dispute.status != DisputeStatus.SETTLED,
        "at_top": dispute.level == levels[-1],
        "reason": dispute.closest_reasons.get(current_language("en"), ""),
        "error": error,
        **forms,
    }
    return render(request, "disputes/detail.html", context, status=status)


@login_required
def dispute_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    dispute = _dispute(request, pk)
    log_read(dispute.patient, user=request.user, purpose="dispute")
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
            return actions.escalate(dispute, actor=actor, note=note)

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
    else:
        raise Http404
    return _on_page(request, _dispute_page, dispute, form, write, done, "dispute-detail")
