"""Requisitions as they go out (RequisitionRow, RequisitionOut), read as plain rows.

Only the columns the answer shows, under the schemas' names, and each nested list from one
query: whole requisitions with their aid type, department, unit, device and patient (and
whole loans with their device, type and owner) were most of an answer's time, and the
schema's dotted names are slow to resolve on a model.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

from overgang.api.auth import request_user
from overgang.i18n import current_language
from overgang.organisations.permissions import VIEW
from overgang.requisitions import actions
from overgang.requisitions.models import Requisition
from overgang.requisitions.models.appeals import Appeal
from overgang.requisitions.models.requisitions import reason_in
from overgang.rules.appeals import appeal_route

Row = dict[str, Any]

# RequisitionRow's fields in its order, by the column (or the answer's name) each comes from.
_SHOWN = (
    ("id", "id"),
    ("patient_id", "patient_id"),
    ("route", "route"),
    ("stay_id", "stay_id"),
    ("need_id", "need_id"),
    ("aid_type.slug", "aid_type__slug"),
    ("justification", "justification"),
    ("phase", "phase"),
    ("lymphoedema", "lymphoedema"),
    ("requester_name", "requester_name"),
    ("requester_role", "requester_role"),
    ("department.key", "department__key"),
    ("referred_by", "referred_by"),
    ("referred_on", "referred_on"),
    ("conferred_with", "conferred_with"),
    ("conferred_at", "conferred_at"),
    ("agreement", "agreement"),
    ("reasons", "reasons"),
    ("cites", "cites"),
    ("unit.key", "unit__key"),
    ("status", "status"),
    ("submitted_at", "submitted_at"),
    ("assessment", "assessment"),
    ("decision_reason", "decision_reason"),
    ("decided_at", "decided_at"),
    ("delivery", "delivery"),
    ("deliver_by", "deliver_by"),
    ("device", "device__serial"),
    ("loan_id", "loan_id"),
    ("delivered_at", "delivered_at"),
    ("reopened", "reopened"),
)
# What the computed fields come from: the reason, the appeal route, the existing loans.
_BEHIND = ("appeal_route", "country", "aid_type_id", "aid_type__parts")
COLUMNS = (*(column for _, column in _SHOWN), *_BEHIND)
_NAMES = tuple(name for name, _ in _SHOWN)

APPEAL_COLUMNS = (
    *("id", "requisition_id", "appellant", "appellant_name", "grounds", "received_on"),
    *("body", "status", "forwarded_on", "outcome", "decided_on"),
)
LOAN_COLUMNS = (
    *("id", "device__serial", "device__aid_type__slug", "device__owner__key", "started_at"),
)
_LOAN_NAMES = ("id", "device.serial", "device.aid_type.slug", "device.owner.key", "started_at")


def requisition_rows(found: QuerySet[Requisition]) -> list[Row]:
    """The requisitions of `found` (in its order) as RequisitionRow's rows; the ids of the
    aid type and its parts stay in each row, under names the schema ignores."""
    language = current_language("nb")
    rows = [_row(values, language) for values in found.values_list(*COLUMNS)]
    _attach_appeals(rows)
    return rows


def _row(values: tuple[Any, ...], language: str) -> Row:
    """A row of COLUMNS (and what follows them) under RequisitionRow's names."""
    row = dict(zip(_NAMES, values, strict=False))
    stored_route, country, aid_type_id, parts = values[len(_NAMES) : len(COLUMNS)]
    row["reason"] = reason_in(row["reasons"], language)
    row["appeal"] = stored_route or appeal_route(None, country)
    row["_aid_type"] = (aid_type_id, parts)
    return row


def _attach_appeals(rows: list[Row]) -> None:
    """Each row's appeals in their order (registered, then id), from one query."""
    by_requisition: dict[int, list[Row]] = {row["id"]: [] for row in rows}
    if not by_requisition:
        return
    appeals = (
        Appeal.objects.filter(requisition_id__in=list(by_requisition))
        .order_by("registered_at", "id")
        .values(*APPEAL_COLUMNS)
    )
    for appeal in appeals:
        by_requisition[appeal["requisition_id"]].append(appeal)
    for row in rows:
        row["appeals"] = by_requisition[row["id"]]


# One requisition is read with its appeals joined, a row per appeal (a requisition has
# few: one open at a time): a query fewer than a page's separate one.
_APPEAL_LOOKUPS = tuple(f"appeals__{column}" for column in APPEAL_COLUMNS)


def shown(request: HttpRequest, pk: int) -> Row:
    """The requisition `pk` the caller may see as RequisitionOut answers it; 404 if none."""
    found = (
        Requisition.objects.restrict(request_user(request), VIEW)
        .filter(pk=pk)
        .order_by("appeals__registered_at", "appeals__id")
        .values_list(*COLUMNS, *_APPEAL_LOOKUPS)
    )
    joined = list(found)
    if not joined:
        raise HttpError(404, "Not Found")
    row = _row(joined[0], current_language("nb"))
    row["appeals"] = [
        dict(zip(APPEAL_COLUMNS, values[len(COLUMNS) :], strict=True))
        for values in joined
        if values[len(COLUMNS)] is not None
    ]
    aid_type_id, parts = row["_aid_type"]
    loans = actions.loans_of_kind(row["patient_id"], aid_type_id, parts).values_list(*LOAN_COLUMNS)
    row["existing_loans"] = [dict(zip(_LOAN_NAMES, loan, strict=True)) for loan in loans]
    return row
