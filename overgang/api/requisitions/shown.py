"""Requisitions as they go out (RequisitionRow, RequisitionOut), read as plain rows.

Only the columns the answer shows, under the schemas' names, and each nested list from one
query: whole requisitions with their aid type, department, unit, device and patient (and
whole loans with their device, type and owner) were most of an answer's time, and the
schema's dotted names are slow to resolve on a model.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connections
from django.db.models import JSONField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest
from ninja.errors import HttpError

from overgang.aids.models import AidType, Device, Loan
from overgang.api.auth import request_user
from overgang.api.sql_names import column, table
from overgang.i18n import current_language
from overgang.organisations.models import Organisation
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


def _existing_loans_sql() -> RawSQL:
    """On PostgreSQL, `existing_loans` in the requisition's own row: a JSON array of
    LOAN_COLUMNS rows, the loans `actions.loans_of_kind` finds, by when they started (then
    by id, where they started at once). A query fewer, written once as SQL."""

    requisition = table(Requisition)
    loan, device, kind, owner = "l", "d", "t", "o"
    return RawSQL(
        f"(SELECT JSONB_AGG(JSONB_BUILD_ARRAY({loan}.id, {device}.{column(Device, 'serial')}, "
        f"{kind}.{column(AidType, 'slug')}, {owner}.{column(Organisation, 'key')}, "
        f"{loan}.{column(Loan, 'started_at')}) "
        f"ORDER BY {loan}.{column(Loan, 'started_at')} ASC, {loan}.id ASC) "
        f"FROM {table(Loan)} {loan} "
        f"INNER JOIN {table(Device)} {device} ON {loan}.{column(Loan, 'device')} = {device}.id "
        f"INNER JOIN {table(AidType)} {kind} ON {device}.{column(Device, 'aid_type')} = {kind}.id "
        f"INNER JOIN {table(Organisation)} {owner} "
        f"ON {device}.{column(Device, 'owner')} = {owner}.id "
        f"WHERE {loan}.{column(Loan, 'returned_at')} IS NULL "
        f"AND {loan}.{column(Loan, 'patient')} = {requisition}.{column(Requisition, 'patient')} "
        f"AND ({device}.{column(Device, 'aid_type')} = "
        f"{requisition}.{column(Requisition, 'aid_type')} "
        f"OR {loan}.{column(Loan, 'therapy')} = {requisition}.{column(Requisition, 'aid_type')} "
        f"OR {kind}.{column(AidType, 'slug')} IN (SELECT JSONB_ARRAY_ELEMENTS_TEXT(p."
        f"{column(AidType, 'parts')}) FROM {table(AidType)} p "
        f"WHERE p.id = {requisition}.{column(Requisition, 'aid_type')})))",
        (),
        output_field=JSONField(),
    )


_EXISTING_LOANS = _existing_loans_sql()


def shown(request: HttpRequest, pk: int) -> Row:
    """The requisition `pk` the caller may see as RequisitionOut answers it; 404 if none."""
    found = Requisition.objects.restrict(request_user(request), VIEW).filter(pk=pk)
    on_postgresql = connections[found.db].vendor == "postgresql"
    loans: tuple[str, ...] = ()
    if on_postgresql:
        found = found.annotate(existing_loans_json=_EXISTING_LOANS)
        loans = ("existing_loans_json",)
    joined = list(
        found.order_by("appeals__registered_at", "appeals__id").values_list(
            *COLUMNS, *loans, *_APPEAL_LOOKUPS
        )
    )
    if not joined:
        raise HttpError(404, "Not Found")
    row = _row(joined[0], current_language("nb"))
    first_appeal = len(COLUMNS) + len(loans)
    row["appeals"] = [
        dict(zip(APPEAL_COLUMNS, values[first_appeal:], strict=True))
        for values in joined
        if values[first_appeal] is not None
    ]
    if on_postgresql:
        existing = [
            (*values[:4], datetime.datetime.fromisoformat(values[4]))
            for values in joined[0][len(COLUMNS)] or []
        ]
    else:
        aid_type_id, parts = row["_aid_type"]
        existing = list(
            actions.loans_of_kind(row["patient_id"], aid_type_id, parts).values_list(*LOAN_COLUMNS)
        )
    row["existing_loans"] = [dict(zip(_LOAN_NAMES, loan, strict=True)) for loan in existing]
    return row


# RequisitionOut's fields in its order, each by the row's key (its alias, else its name).
_OUT = (
    *(("id", "id"), ("patient", "patient_id"), ("route", "route"), ("stay", "stay_id")),
    *(("need", "need_id"), ("aid_type", "aid_type.slug"), ("justification", "justification")),
    *(("phase", "phase"), ("lymphoedema", "lymphoedema"), ("requester_name", "requester_name")),
    *(("requester_role", "requester_role"), ("department", "department.key")),
    *(("referred_by", "referred_by"), ("referred_on", "referred_on")),
    *(("conferred_with", "conferred_with"), ("conferred_at", "conferred_at")),
    *(("agreement", "agreement"), ("reason", "reason"), ("reasons", "reasons")),
    *(("cites", "cites"), ("unit", "unit.key"), ("status", "status")),
    *(("submitted_at", "submitted_at"), ("assessment", "assessment")),
    *(("decision_reason", "decision_reason"), ("decided_at", "decided_at")),
    *(("delivery", "delivery"), ("deliver_by", "deliver_by"), ("device", "device")),
    *(("loan", "loan_id"), ("delivered_at", "delivered_at"), ("reopened", "reopened")),
)
_ROUTE = ("body", "basis", "decision_basis", "cites")
_APPEAL_OUT = ("id", "requisition", *APPEAL_COLUMNS[2:])
_LOAN_OUT = ("id", "serial", "aid_type", "owner", "started_at")


def requisition_out(row: Row) -> Row:
    """A row of `shown` as RequisitionOut's validation dumps it: its fields by their names,
    in its order, the appeal route's and each appeal's and loan's too (tests hold the two
    equal)."""
    out = {name: row[key] for name, key in _OUT}
    route = row["appeal"]
    out["appeal"] = {name: route[name] for name in _ROUTE}
    out["appeals"] = [dict(zip(_APPEAL_OUT, a.values(), strict=True)) for a in row["appeals"]]
    out["existing_loans"] = [
        dict(zip(_LOAN_OUT, loan.values(), strict=True)) for loan in row["existing_loans"]
    ]
    return out
