"""The ceiling the API is measured against: plain Django views of the same rows.

Each answers the same fields of the same table, in the API's order, with `.values()` and
JsonResponse: what Django and the database cost, and nothing of the product's own layers
(no token or session check, no scope, no read log, no schema). They still run through
the project's MIDDLEWARE, as any view of the app does. A list answers `limit` rows
(?limit=N), so that it answers as many as the API did for the user measured; nested lists
(a requisition's appeals, a return's loans) come from one more query, as the API's
prefetch does. Fields the API computes (reasons in the request's language, the status of a
deadline now) are answered as the stored values they come from.

For the bench only: served through bench/load/urls.py, never by the product.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path

from overgang.aids.models import OPEN_RETURNS, AidType, ConsumableType, Device, Loan, ReturnRequest
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient, Relative
from overgang.requisitions.models import (
    OPEN_SWAPS,
    Dispute,
    DisputeStatus,
    NavApplication,
    Requisition,
    RequisitionStatus,
    SwapReport,
)
from overgang.requisitions.models.appeals import Appeal
from overgang.requisitions.states import NavStatus
from overgang.stays.models import Deadline, StaffTraining, Stay
from overgang.stays.models.messages import Message, StayEvent
from overgang.ventilation.models import VentilationAgreement

Row = dict[str, Any]
NESTED = Sequence[tuple[str, str]]  # (answer's key, lookup of the related values)

MAX_LIMIT = 500
DEFAULT_LIMIT = 50


def _rows(
    found: QuerySet[Any], fields: Sequence[str], limit: int, nested: NESTED = ()
) -> list[Row]:
    rows = list(found.values(*fields)[:limit])
    for key, lookup in nested:
        _attach(found.model, rows, key, lookup)
    return rows


def _attach(model: Any, rows: list[Row], key: str, lookup: str) -> None:
    """The related values of each row as a list, from one query (the API's prefetch)."""
    grouped: dict[Any, list[Any]] = {row["id"]: [] for row in rows}
    pairs = model.objects.filter(pk__in=list(grouped)).values_list("pk", lookup)
    for pk, value in pairs:
        if value is not None:
            grouped[pk].append(value)
    for row in rows:
        row[key] = grouped[row["id"]]


# Lists: the API's base query of each, without the scope.

DEADLINE_FIELDS = (
    *("id", "duty", "party", "holder__key", "due", "done_at", "at_once", "outcome"),
    *("cites", "text", "stay_id"),
)
REQUISITION_FIELDS = (
    *("id", "patient_id", "route", "stay_id", "need_id", "aid_type__slug", "justification"),
    *("phase", "lymphoedema", "requester_name", "requester_role", "department__key"),
    *("referred_by", "referred_on", "conferred_with", "conferred_at", "agreement", "reasons"),
    *("cites", "appeal_route", "unit__key", "status", "submitted_at", "assessment"),
    *("decision_reason", "decided_at", "delivery", "deliver_by", "device__serial", "loan_id"),
    *("delivered_at", "reopened"),
)
LISTS: dict[str, Callable[[int], list[Row]]] = {
    "patients": lambda n: _rows(
        Patient.objects.order_by("sort_name", "id"),
        ("id", "national_id", "name", "birth_date", "municipality__name", "district__name"),
        n,
    ),
    "stays": lambda n: _rows(
        Stay.objects.filter(ended_at__isnull=True).order_by("-admitted_at", "-id"),
        (
            *("id", "patient_id", "hospital__key", "status", "admitted_at"),
            *("expected_discharge", "agreement"),
        ),
        n,
    ),
    "deadlines": lambda n: _rows(
        Deadline.objects.filter(done_at__isnull=True).order_by(F("due").asc(nulls_last=True), "id"),
        DEADLINE_FIELDS,
        n,
    ),
    "requisitions": lambda n: _rows(
        Requisition.objects.filter(status__in=sorted(RequisitionStatus.OPEN)).order_by(
            "submitted_at", "id"
        ),
        REQUISITION_FIELDS,
        n,
        (("appeals", "appeals__id"),),
    ),
    "returns": lambda n: _rows(
        ReturnRequest.objects.filter(status__in=OPEN_RETURNS).order_by("requested_at", "id"),
        (
            *("id", "patient_id", "unit__key", "method", "reported_for", "contact_name"),
            *("contact_phone", "address", "note", "status", "appointment", "requested_at"),
            *("closed_at", "cancel_reason"),
        ),
        n,
        (("loans", "loans__id"),),
    ),
    "swaps": lambda n: _rows(
        SwapReport.objects.filter(status__in=OPEN_SWAPS).order_by("reported_at", "id"),
        (
            *("id", "patient_id", "institution__key", "aid_type__slug", "started_by"),
            *("documentation", "terminal", "swap", "reasons", "cites", "status", "loan_id"),
            *("reported_at", "closed_at"),
        ),
        n,
    ),
    "disputes": lambda n: _rows(
        Dispute.objects.exclude(status=DisputeStatus.SETTLED).order_by("raised_at", "id"),
        (
            *("id", "patient_id", "aid_type__slug", "requisition_id", "question"),
            *("description", "hospital__key", "municipality__key", "agreement", "cites"),
            *("delivered_on", "delivery_note", "level", "status", "escalation_note", "payer"),
            *("settlement", "settled_on", "raised_at"),
        ),
        n,
    ),
    "nav-applications": lambda n: _rows(
        NavApplication.objects.filter(status__in=sorted(NavStatus.OPEN)).order_by(
            "created_at", "id"
        ),
        (
            *("id", "patient_id", "stay_id", "need_id", "municipality__key", "aid_type__slug"),
            *("description", "duration_months", "terminal", "urgent", "urgent_reason", "cites"),
            *("status", "signed_by", "signer_name", "signed_on", "sent_on", "nav_reference"),
            *("decided_on", "decision_note", "delivered_on", "followed_up_on"),
            *("follow_up_note", "remind_at", "reminders", "created_at"),
        ),
        n,
        (("reminder_log", "reminder_log__id"),),
    ),
    "consumables": lambda n: _rows(
        ConsumableType.objects.order_by("slug"),
        ("id", "slug", "name_nb", "unit_nb", "pharmacy"),
        n,
        (("linked_to", "linked_to__slug"),),
    ),
    "aid-types": lambda n: _rows(
        AidType.objects.order_by("slug"),
        (
            *("id", "slug", "name_nb", "iso9999", "category", "life_sustaining"),
            *("electrical_check", "multi_patient", "staff_training"),
        ),
        n,
        (("parts", "parts__slug"), ("consumables", "consumables__slug")),
    ),
    "staff-trainings": lambda n: _rows(
        StaffTraining.objects.order_by("-held_on", "-id"),
        (
            *("id", "organisation__key", "aid_type__slug", "held_on", "trainer"),
            *("given_by__key", "staff", "covered", "recorded_by__username"),
        ),
        n,
    ),
    "ventilation-agreements": lambda n: _rows(
        VentilationAgreement.objects.order_by("id"),
        ("id", "stay_id", "patient_id", "agreement", "hospital__key", "municipality__key"),
        n,
        (("versions", "versions__number"),),
    ),
    "organisations": lambda n: _rows(
        Organisation.objects.order_by("name", "id"),
        (
            *("id", "key", "kind", "name", "parent__key", "country", "number", "her_id"),
            *("sor_id", "address", "phone", "email", "opening_hours"),
        ),
        n,
    ),
}


def bare_list(request: HttpRequest, name: str) -> JsonResponse:
    rows = LISTS.get(name)
    if rows is None:
        raise Http404(name)
    try:
        limit = int(request.GET.get("limit", DEFAULT_LIMIT))
    except ValueError:
        return JsonResponse({"limit": "A whole number."}, status=400)
    if not 0 <= limit <= MAX_LIMIT:
        return JsonResponse({"limit": f"From 0 to {MAX_LIMIT}."}, status=400)
    return JsonResponse({"rows": rows(limit)})


# Single objects: the API's answer's own row and the lists it nests.

PATIENT_FIELDS = (
    *("id", "national_id", "id_kind", "birth_date", "sex", "name", "address", "postcode"),
    *("post_town", "residence", "interpreter_needed", "language", "created_at"),
    "updated_at",
    *(
        f"{related}__{field}"
        for related in ("municipality", "district", "institution", "responsible_hospital")
        for field in ("id", "key", "name", "number")
    ),
)
RELATIVE_FIELDS = (
    *("id", "name", "relation", "phone", "next_of_kin", "minor_child", "needs_support"),
)
STAY_FIELDS = (
    *("id", "patient_id", "hospital__key", "department__key", "admission", "care"),
    *("admitted_at", "expected_stay_hours", "expected_discharge", "agreement", "status"),
    *("early_reason", "documented", "documented_texts", "override_reason"),
    *("discharge_ready_at", "notified_at", "in_notice_window", "same_day_expected"),
    *("prepared", "supplies_until", "ended_at", "relatives_assessed_at", "individual_plan"),
    "coordinator_needed",
)


def _one(found: QuerySet[Any], fields: Sequence[str]) -> Row:
    row = found.values(*fields).first()
    if row is None:
        raise Http404
    return dict(row)


def one_patient(key: str) -> Row:
    row = _one(Patient.objects.filter(pk=int(key)), PATIENT_FIELDS)
    row["relatives"] = list(Relative.objects.filter(patient_id=row["id"]).values(*RELATIVE_FIELDS))
    return row


def one_device(key: str) -> Row:
    row = _one(
        Device.objects.filter(serial=key),
        ("serial", "aid_type__slug", "status", "owner__key", "location"),
    )
    row["current_loan"] = (
        Loan.objects.filter(device__serial=key, returned_at__isnull=True)
        .values("id", "patient_id", "started_at", "expected_end")
        .first()
    )
    return row


MESSAGE_FIELDS = (
    *("id", "message_id", "type", "variant", "version", "sender", "sent_at", "received_at"),
    *("receipt", "delivery__state", "cancelled_at"),
)


def one_stay(key: str) -> Row:
    row = _one(Stay.objects.filter(pk=int(key)), STAY_FIELDS)
    row["deadlines"] = list(
        Deadline.objects.filter(stay_id=row["id"])
        .order_by(F("due").asc(nulls_last=True), "id")
        .values(*DEADLINE_FIELDS)
    )
    # The messages too: the API's answer lists them (with each one's delivery state).
    row["messages"] = list(
        Message.objects.filter(stay_id=row["id"]).order_by("sent_at", "id").values(*MESSAGE_FIELDS)
    )
    row["events"] = list(StayEvent.objects.filter(stay_id=row["id"]).order_by("id").values())
    return row


def one_requisition(key: str) -> Row:
    row = _one(Requisition.objects.filter(pk=int(key)), REQUISITION_FIELDS)
    row["appeals"] = list(Appeal.objects.filter(requisition_id=row["id"]).order_by("id").values())
    return row


ONES: dict[str, Callable[[str], Row]] = {
    "patient": one_patient,
    "device": one_device,
    "stay": one_stay,
    "requisition": one_requisition,
}


def bare_one(request: HttpRequest, name: str, key: str) -> JsonResponse:
    one = ONES.get(name)
    if one is None:
        raise Http404(name)
    try:
        return JsonResponse(one(key))
    except ValueError:
        raise Http404(key) from None


urlpatterns = [
    path("bench-bare/list/<str:name>", bare_list),
    path("bench-bare/one/<str:name>/<path:key>", bare_one),
]
