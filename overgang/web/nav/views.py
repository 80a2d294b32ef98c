"""NAV applications (H5, H6) on the pages.

The municipal office registers an application from the patient's page; its page shows the
next step (signature, sending, NAV's decision, delivery, follow-up) and the reminders given
while the signature is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient
from overgang.requisitions import actions
from overgang.requisitions.access import (
    applying_offices,
    may_apply_to_nav,
)
from overgang.requisitions.models import NavApplication
from overgang.requisitions.states import NavStatus
from overgang.web.common.forms import Form
from overgang.web.common.views import (
    AuthedRequest,
    Refused,
    attempt,
    paginate,
    run_step,
    scoped_or_404,
)
from overgang.web.nav.forms import (
    FollowUpForm,
    NavApplicationForm,
    NavDecisionForm,
    NavDeliveryForm,
    SentForm,
    SignatureForm,
)

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
    return scoped_or_404(Patient.objects.restrict(request.user, VIEW), pk=pk)


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
        outcome = attempt(
            lambda: actions.register_application(
                _application_input(patient, form), actor=request.user
            ),
            form,
        )
        if not isinstance(outcome, Refused):
            messages.success(request, _("Registered. Get the user's signature next."))
            return redirect("nav-detail", pk=outcome.pk)
        status = outcome.shown_on(form)
    return render(request, "nav/new.html", {"patient": patient, "form": form}, status=status)


def _application_input(patient: Patient, form: NavApplicationForm) -> actions.NavApplicationInput:
    data = form.cleaned_data
    return actions.NavApplicationInput(
        patient=patient,
        municipality=data.get("municipality"),
        aid_type=data.get("aid_type", ""),
        duration_months=data.get("duration_months"),
        terminal=data.get("terminal", False),
        description=data.get("description", ""),
        urgent=data.get("urgent", False),
        urgent_reason=data.get("urgent_reason", ""),
    )


@login_required
def nav_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("patients.view_patient"):
        raise PermissionDenied
    show = request.GET.get("show", "open")
    show = show if show in NAV_SHOWS else "open"
    found = NavApplication.objects.restrict(request.user, VIEW).select_related(
        "patient", "aid_type", "municipality"
    )
    if show == "unsigned":
        found = found.filter(status=NavStatus.AWAITING_SIGNATURE).order_by("created_at", "id")
    elif show == "open":
        found = found.filter(status__in=sorted(NavStatus.OPEN)).order_by("created_at", "id")
    else:
        found = found.order_by("-created_at", "-id")
    return render(
        request, "nav/list.html", {"page": paginate(request, found, PER_PAGE), "show": show}
    )


def _application(request: AuthedRequest, pk: int) -> NavApplication:
    return scoped_or_404(
        NavApplication.objects.restrict(request.user, VIEW)
        .select_related("patient", "aid_type", "municipality", "stay", "created_by")
        .prefetch_related("reminder_log"),
        pk=pk,
    )


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
    log_read(application.patient, user=request.user, purpose=ReadPurpose.NAV_APPLICATION)
    return _nav_page(request, application)


@login_required
@require_POST
def nav_step(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    application = _application(request, pk)
    if not may_apply_to_nav(request.user, application):
        raise Http404
    expected = NEXT_STEP.get(application.status)
    if step == "withdraw":
        return run_step(
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
    return run_step(request, _nav_page, application, form, writers[step], _("Saved."), "nav-detail")


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
