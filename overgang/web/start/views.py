"""The start page (what waits for the user today) and the page for an unknown address."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids import supplies
from overgang.aids.models import (
    OPEN_RETURNS,
    ConsumableOrder,
    ConsumptionPlan,
    Device,
    DeviceStatus,
    OrderStatus,
    ReturnRequest,
)
from overgang.network.alerts import unread_counts
from overgang.network.models import Question as NetworkQuestion
from overgang.network.models import Status as QuestionStatus
from overgang.organisations.network import network_agreements
from overgang.organisations.permissions import (
    DECIDE,
    MANAGE_DEVICES,
    VIEW,
    is_unrestricted,
    memberships_of,
)
from overgang.patients.models import Patient
from overgang.requisitions.access import (
    applying_offices,
    dispute_parties,
    has_dispute_route,
    nav_side,
    office_applies_to_nav,
)
from overgang.requisitions.models import (
    OPEN_SWAPS,
    Dispute,
    NavApplication,
    Requisition,
    SwapReport,
)
from overgang.requisitions.states import DisputeStatus, NavStatus, RequisitionStatus
from overgang.rules.registry import Agreement
from overgang.stays.figures import deadline_figures
from overgang.web.common.views import AuthedRequest
from overgang.web.context_processors import alerts_counted
from overgang.web.devices.loans import without_manual
from overgang.web.devices.views import TO_REPROCESS_STATUSES
from overgang.web.failures.views import open_failures


def _unit_figures(user: User) -> dict[str, int] | None:
    """What waits for a treatment-aids unit or depot today, for its start page."""
    if not user.has_perm("aids.manage_device"):
        return None
    devices = Device.objects.restrict(user, MANAGE_DEVICES)
    plans = ConsumptionPlan.objects.restrict(user, MANAGE_DEVICES)
    return {
        "on_loan": devices.filter(status=DeviceStatus.ON_LOAN).count(),
        "available": devices.filter(status=DeviceStatus.AVAILABLE).count(),
        "to_reprocess": devices.filter(status__in=sorted(TO_REPROCESS_STATUSES)).count(),
        "returns": ReturnRequest.objects.restrict(user, MANAGE_DEVICES)
        .filter(status__in=OPEN_RETURNS)
        .count(),
        "needs": ConsumableOrder.objects.filter(
            plan__in=plans, status=OrderStatus.REQUESTED
        ).count(),
        "running_out": len(supplies.due(plans, clock.today())),
        "swaps": SwapReport.objects.restrict(user, VIEW).filter(status__in=OPEN_SWAPS).count(),
        "to_assess": Requisition.objects.restrict(user, DECIDE)
        .filter(status__in=sorted(RequisitionStatus.TO_DECIDE))
        .count(),
        "to_deliver": Requisition.objects.restrict(user, DECIDE)
        .filter(status=RequisitionStatus.GRANTED)
        .count(),
        # Counted by the lists the figures open, so a figure and its list cannot disagree.
        "failures": open_failures(user).count(),
        "without_manual": without_manual(user).count(),
    }


@login_required
def start(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "unit": _unit_figures(user),
        "deadlines": deadline_figures(user) if user.has_perm("patients.view_patient") else None,
        "memberships": memberships_of(user),
        "unrestricted": is_unrestricted(user),
        "patients_in_scope": Patient.objects.restrict(user, VIEW).count()
        if user.has_perm("patients.view_patient")
        else None,
        "may_add": user.has_perm("patients.add_patient"),
        "may_audit": user.has_perm("audit.view_patientread"),
        "cases": _case_figures(user),
        "network_open": _network_open(user),
        "network_alerts_by_group": _network_alerts(request),
    }
    return render(request, "web/start.html", context)


def _network_alerts(request: AuthedRequest) -> list[tuple[Agreement, int]]:
    """The stock alerts new to the member, per group they sit in (N11); the menu shows
    their sum without counting again."""
    agreements = network_agreements(request.user)
    if not agreements:
        return []
    counts = unread_counts(request.user, agreements)
    alerts_counted(request, sum(counts.values()))
    return [(agreements[key], count) for key, count in counts.items()]


def _network_open(user: User) -> int | None:
    """The open delimitation questions of the groups the user sits in (N13); None for
    those who sit in none."""
    agreements = network_agreements(user)
    if not agreements:
        return None
    return NetworkQuestion.objects.filter(
        agreement__in=list(agreements), status=QuestionStatus.OPEN
    ).count()


def _case_figures(user: User) -> dict[str, int | bool] | None:
    """NAV applications (where the agreement has the office's side apply, H2, H5) and
    disputes (where the agreement has a procedure, N13), for the staff who work them."""
    if not user.has_perm("patients.view_patient"):
        return None
    offices = [o for o in applying_offices(user) if office_applies_to_nav(o)]
    parties = [o for o in dispute_parties(user) if has_dispute_route(o)]
    if not offices and not parties:
        return None
    figures: dict[str, int | bool] = {"nav": bool(offices), "disputes_shown": bool(parties)}
    if offices:
        applications = NavApplication.objects.restrict(user, VIEW).filter(municipality__in=offices)
        figures["unsigned"] = applications.filter(status=NavStatus.AWAITING_SIGNATURE).count()
        figures["nav_open"] = applications.filter(status__in=sorted(NavStatus.OPEN)).count()
        # The hospital applies by exception (H2): its card shows while it has one open.
        figures["nav"] = bool(figures["nav_open"]) or any(
            nav_side(o) == "municipality" for o in offices
        )
        if not figures["nav"] and not parties:
            return None
    if parties:
        disputes = Dispute.objects.restrict(user, VIEW).exclude(status=DisputeStatus.SETTLED)
        figures["disputes"] = disputes.count()
        figures["undelivered"] = disputes.filter(delivered_on__isnull=True).count()
    return figures


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {"message": _("Not found")}, status=404)
