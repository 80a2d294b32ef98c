"""Waiting days (R9): what each municipality pays in a month for patients ready to leave."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from overgang.api.auth import request_user
from overgang.api.inputs import MONTH_PATTERN
from overgang.api.reads import itself, read_list
from overgang.organisations.permissions import VIEW
from overgang.stays import waiting
from overgang.stays.models import Stay

router = Router()


class WaitingFilter(Schema):
    month: str = Field(..., examples=["2026-11"], pattern=MONTH_PATTERN)


class WaitingLineOut(Schema):
    stay: int
    patient: int
    hospital: str
    days: list[datetime.date]
    amount_nok: str | None


class WaitingOut(Schema):
    municipality: str
    month: str
    days: int
    amount_nok: str | None
    missing_rates: list[int]
    lines: list[WaitingLineOut]


@router.get("/waiting-days", response=list[WaitingOut])
def get_waiting_days(
    request: HttpRequest, filters: Query[WaitingFilter]
) -> list[dict[str, object]]:
    """What each municipality pays for waiting days in a month (R9), per stay you can see."""
    year, month = (int(part) for part in filters.month.split("-"))
    first, last = waiting.month_bounds(year, month)
    found = []
    statements = waiting.statements(Stay.objects.restrict(request_user(request), VIEW), first, last)
    read_list(
        request,
        [line.stay.patient_id for statement in statements for line in statement.lines],
        patient=itself,
    )
    for statement in statements:
        found.append(
            {
                "municipality": statement.municipality,
                "month": filters.month,
                "days": statement.days,
                "amount_nok": None if statement.missing_rates else str(statement.amount),
                "missing_rates": sorted(statement.missing_rates),
                "lines": [
                    {
                        "stay": line.stay.pk,
                        "patient": line.stay.patient_id,
                        "hospital": line.stay.hospital.key,
                        "days": list(line.days),
                        "amount_nok": None if line.amount is None else str(line.amount),
                    }
                    for line in statement.lines
                ],
            }
        )
    return found
