"""The unit's loans whose user manual has not been handed over: the list the start page's
figure opens (issue 19: no figure is a dead end). A loan is complete only when its manual
went with it, so each row leads to the device page where the handover is recorded."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from overgang.aids.models import Loan
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW
from overgang.patients.models import Patient
from overgang.web.common.reads import itself, read_list
from overgang.web.common.views import AuthedRequest, paginate
from overgang.web.devices.tables import LOANS_WITHOUT_MANUAL
from overgang.web.exports.respond import CAP, asked, exported

LOANS_PER_PAGE = 50


def without_manual(user: Any) -> QuerySet[Loan]:
    """The open loans of the user's units whose manual was not handed over: exactly what
    the start page counts."""
    return Loan.objects.restrict(user, MANAGE_DEVICES).filter(
        returned_at__isnull=True, manual_handed_over=False
    )


def _shown(user: Any, loans: list[Any]) -> list[Any]:
    """The loans, each with `shown_patient`: the unit manages the loan, but its patient is
    named only where the user may see them."""
    visible = set(
        Patient.objects.restrict(user, VIEW)
        .filter(pk__in={loan.patient_id for loan in loans})
        .values_list("pk", flat=True)
    )
    for loan in loans:
        loan.shown_patient = loan.patient if loan.patient_id in visible else None
    return loans


@login_required
@permission_required("aids.manage_device", raise_exception=True)
def loans_without_manual(request: AuthedRequest) -> HttpResponse:
    found = (
        without_manual(request.user)
        .select_related("device__aid_type", "patient")
        .order_by("started_at", "pk")
    )
    if asked(request):
        whole = _shown(request.user, list(found[: CAP + 1]))
        return exported(request, LOANS_WITHOUT_MANUAL, whole) or HttpResponse(status=204)
    page = paginate(request, found, LOANS_PER_PAGE)
    loans = _shown(request.user, list(page.object_list))
    read_list(request, [loan.shown_patient for loan in loans], patient=itself)
    page.object_list = loans
    return render(request, "devices/loans_without_manual.html", {"page": page})
