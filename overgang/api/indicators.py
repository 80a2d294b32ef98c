"""Indicators (issue 20, N12, U8): figures computed from what happened, for the caller's
organisations, the agreements whose network group they sit in, everything for the
superuser. Counts only: no patient is named, so no read is logged."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from overgang.api.auth import request_user
from overgang.api.errors import ErrorOut, InvalidOut
from overgang.api.inputs import Day
from overgang.errors import InvalidInput
from overgang.i18n import current_language
from overgang.indicators.actions import last_refreshed
from overgang.indicators.compute import Filter
from overgang.indicators.scope import agreements_seen, stays_seen
from overgang.indicators.table import read
from overgang.indicators.window import default_window

router = Router(tags=["indicators"])


class IndicatorsQuery(Schema):
    agreement: str = Field(max_length=40, description="The agreement's key, e.g. oslo, unn.")
    first: Day | None = Field(
        None, alias="from", description="From the month of this day (default: twelve months back)."
    )
    last: Day | None = Field(
        None, alias="to", description="To the month of this day, inclusive (this month)."
    )


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM, in the agreement's time zone.")
    numerator: float
    denominator: int
    value: float | None


class IndicatorOut(Schema):
    key: str
    title: str
    unit: str = Field(description="share (a fraction of 1) or days (days per case).")
    numerator: float
    denominator: int
    value: float | None = Field(description="numerator / denominator; null when nothing counted.")
    cites: list[str] = Field(description="Where the agreement asks for it; empty: Overgang's own.")
    definition: str
    months: list[MonthOut]


class IndicatorsOut(Schema):
    agreement: str
    refreshed_at: datetime.datetime | None = Field(
        description="When the figures were last computed (the worker refreshes them)."
    )
    indicators: list[IndicatorOut]


@router.get(
    "/indicators",
    response={200: IndicatorsOut, 404: ErrorOut, 422: InvalidOut},
)
def indicators(request: HttpRequest, query: Query[IndicatorsQuery]) -> dict[str, Any]:
    """The agreement's indicators over the months from `from` to `to`: 404 for an agreement
    unknown or outside the caller's scope; 422 naming `from` when it is after `to`."""
    user = request_user(request)
    agreement = agreements_seen(user).get(query.agreement)
    stays = stays_seen(user, query.agreement) if agreement is not None else None
    if agreement is None or stays is None:
        raise HttpError(404, "Not Found")
    first, last = default_window(agreement)
    first, last = query.first or first, query.last or last
    if first > last:
        raise InvalidInput({"from": "must not be after to"}, where="query")
    language = current_language()
    found = read(Filter(agreement, stays, first, last))
    refreshed = last_refreshed(agreement.id)
    return {
        "agreement": agreement.id,
        "refreshed_at": refreshed,
        "indicators": [
            {
                "key": one.key,
                "title": one.definition.said(language)[0],
                "definition": one.definition.said(language)[1],
                "unit": one.definition.unit,
                "numerator": one.total.numerator,
                "denominator": one.total.denominator,
                "value": one.total.value,
                "cites": list(one.definition.cites_for(agreement.id)),
                "months": [
                    {
                        "month": f"{month:%Y-%m}",
                        "numerator": figures.numerator,
                        "denominator": figures.denominator,
                        "value": figures.value,
                    }
                    for month, figures in one.months
                ],
            }
            for one in found
        ],
    }
