"""An agreement's case catalogue (N1): every case the version decides, and who does what."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from overgang.api.auth import request_user
from overgang.api.inputs import Day
from overgang.errors import InvalidInput
from overgang.organisations.catalogue import may_read, today_of, version_on
from overgang.rules.catalogue import SHORT, catalogue
from overgang.rules.spec import LANGUAGES

router = Router(tags=["agreements"])


class CatalogueQuery(Schema):
    date: Day | None = Field(
        None,
        description="The version in force on this day (YYYY-MM-DD); today on the "
        "agreement's clock when left out.",
    )


class DutyOut(Schema):
    party: str
    cites: list[str]
    rule: str = Field(description="The rule of the agreement the answer comes from.")


class CaseOut(Schema):
    case: str = Field(description="A stable key of the case within the version.")
    title: dict[str, str] = Field(description="The case in words, in nb, da and en.")
    duties: dict[str, DutyOut | None] = Field(
        description="Who carries each duty; null where the agreement does not say."
    )
    decides: bool = Field(description="False: the agreement decides nothing in this case.")
    lendable: bool
    category: str
    aid_types: list[str]
    situation: dict[str, list[Any]] = Field(
        description="The fields that narrow the case and the values it covers; a field "
        "not named holds any value."
    )


class CatalogueOut(Schema):
    agreement: str
    version: str
    title: str
    valid_from: str
    valid_to: str | None
    cases: list[CaseOut]


@router.get("/agreements/{key}/catalogue", response={200: CatalogueOut})
def agreement_catalogue(request: HttpRequest, key: str, query: Query[CatalogueQuery]) -> Any:
    """Every case the agreement version decides (and, marked `decides: false`, those it
    does not), with who carries each duty and where the agreement says so. For the people
    of the agreement's region, its network group and superusers; 404 for others."""
    user = request_user(request)
    if not may_read(user, key):
        raise HttpError(404, "Not Found")
    day = query.date or today_of(key)
    agreement = version_on(key, day) if day is not None else None
    if agreement is None:
        raise InvalidInput({"date": "No version of the agreement is in force then."}, where="query")
    return {
        "agreement": agreement.id,
        "version": agreement.version,
        "title": agreement.title,
        "valid_from": agreement.valid_from.isoformat(),
        "valid_to": agreement.valid_to.isoformat() if agreement.valid_to else None,
        "cases": [
            {
                "case": row.case,
                "title": {language: row.title[language] for language in LANGUAGES},
                "duties": {
                    duty: None
                    if answer is None
                    else {"party": answer.party, "cites": list(answer.cites), "rule": answer.rule}
                    for duty, answer in row.duties
                },
                "decides": row.decides,
                "lendable": row.lendable,
                "category": row.category,
                "aid_types": list(row.aid_types),
                "situation": {
                    SHORT[field]: [_plain(v) for v in values] for field, values in row.situation
                },
            }
            for row in catalogue(agreement)
        ],
    }


def _plain(value: Any) -> Any:
    """A value as JSON holds it: a duration interval as {"from", "below"} months."""
    if isinstance(value, tuple):
        low, high = value
        return {"from": low, "below": None if high == float("inf") else high}
    return value
