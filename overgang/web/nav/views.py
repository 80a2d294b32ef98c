"""NAV applications (H2, H5, H6) on the pages.

The office the agreement names registers an application from the patient's page or from a
need on the stay (the municipality; HNT for a fitted aid for the journey home); its page
shows the
next step (signature, sending, NAV's decision, delivery, follow-up) and the reminders given
while the signature is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.i18n import current_language
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import CHANGE, VIEW
from overgang.patients.models import Patient
from overgang.requisitions import actions
from overgang.requisitions.access import (
    applying_offices,
    may_apply_to_nav,
    nav_offices,
    nav_side,
)
from overgang.requisitions.models import NavApplication
from overgang.requisitions.states import NavStatus
from overgang.rules.nav import nav_applicants
from overgang.rules.registry import RulesError
from overgang.stays.models import Need, NeedKind, NeedStatus
from overgang.stays.states import StayStatus
from overgang.web.common.forms import Form
from overgang.web.common.reads import read_one, read_page
from overgang.web.common.views import (
    AuthedRequest,
    Refused,
    attempt,
    paginate,
    run_step,
    scoped_or_404,
)
from overgang.web.exports.respond import exported
from overgang.web.nav import tables
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


@login_required
def nav_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Register an application, from the patient's page or from a need on the stay (the
    need preselected). Only the offices on a side the patient's agreement has apply to NAV
    (H2, H5); elsewhere the page says why there is nothing to register."""
    patient = scoped_or_404(Patient.objects.restrict(request.user, CHANGE), pk=pk)
    if not applying_offices(request.user):
        raise PermissionDenied
    needs = (
        Need.objects.restrict(request.user, CHANGE)
        .filter(
            stay__patient=patient,
            stay__status__in=sorted(StayStatus.OPEN),
            kind=NeedKind.AID,
            status=NeedStatus.OPEN,
            aid_type__category="technical-aid",
        )
        .select_related("aid_type", "stay")
    )
    chosen = _chosen_need(request, needs)
    offices = nav_offices(request.user, patient)
    context: dict[str, Any] = {"patient": patient, "routes": _routes(patient, offices)}
    if not offices:
        refusal = actions.not_routed_to_nav(patient) or _(
            "The patient's agreement does not have your office apply to NAV."
        )
        context.update(form=None, refusal=refusal)
        read_one(request, patient, ReadPurpose.NAV_APPLICATION)
        return render(request, "nav/new.html", context, status=409)
    form = NavApplicationForm(
        request.POST or None,
        initial=_initial(offices, chosen),
        offices=offices,
        needs=needs,
    )
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
    context["form"] = form
    read_one(request, patient, ReadPurpose.NAV_APPLICATION)
    return render(request, "nav/new.html", context, status=status)


def _chosen_need(request: AuthedRequest, needs: QuerySet[Need]) -> Need | None:
    """The need the page was opened for (?need=); 404 when it is not one of the open aid
    needs on this patient's stays that the user may see."""
    asked = request.GET.get("need")
    if not asked:
        return None
    if not asked.isdigit():
        raise Http404
    return scoped_or_404(needs, pk=int(asked))


def _initial(offices: list[Organisation], need: Need | None) -> dict[str, Any]:
    initial: dict[str, Any] = {"municipality": offices[0]} if len(offices) == 1 else {}
    if need is not None and need.aid_type is not None:
        initial.update(need=need, aid_type=need.aid_type.slug, description=need.description)
    return initial


def _routes(patient: Patient, offices: list[Organisation]) -> list[str]:
    """What the patient's agreement says about the user's side applying to NAV, cited."""
    try:
        agreement = patient.agreement_today()
    except RulesError:
        return []
    sides = {nav_side(o) for o in offices}
    language = current_language()
    return [
        f"{route.text.get(language) or route.text.get('en', '')} ({', '.join(route.cites)})"
        for route in nav_applicants(agreement)
        if route.applicant in sides
    ]


def _application_input(patient: Patient, form: NavApplicationForm) -> actions.NavApplicationInput:
    data = form.cleaned_data
    need = data.get("need")
    return actions.NavApplicationInput(
        patient=patient,
        municipality=data.get("municipality"),
        aid_type=data.get("aid_type", ""),
        duration_months=data.get("duration_months"),
        terminal=data.get("terminal", False),
        description=data.get("description", ""),
        urgent=data.get("urgent", False),
        urgent_reason=data.get("urgent_reason", ""),
        stay=need.stay if need is not None else None,
        need=need,
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
    export = exported(request, tables.NAV_APPLICATIONS, found)
    if export is not None:
        return export
    return render(
        request,
        "nav/list.html",
        {"page": read_page(request, paginate(request, found, PER_PAGE)), "show": show},
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
