"""What a case and an event may say: the fields, their allowed values, and their defaults.

Input comes as JSON-like dicts (from the command line, the API or a page). It is
checked here, field by field; anything unknown is an error that names the field,
never a guess.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from overgang.rules.clock import today_on_agreements_clock
from overgang.rules.registry import RulesError

RESIDENCES = ("home", "institution")
PURPOSES = (
    "treatment",
    "rehabilitation",
    "specialised-rehabilitation",
    "lasting-function-loss",
    "temporary",
    "activity-outside-home",
    "spare",
    "multi-patient",
    "acute",
)
STARTED_BY = (
    "specialist",
    "nursing-home-doctor",
    "supervising-doctor",
    "emergency-doctor",
    "gp",
)
PHASES = (
    "inpatient",
    "outpatient",
    "palliative",
    "after-discharge",
    "before-pre-examination",
    "after-pre-examination",
)
REQUESTER_ROLES = (
    "specialist-physician",
    "private-specialist-with-agreement",
    "gp",
    "supervising-doctor",
    "nursing-home-doctor",
    "physiotherapist",
    "lymphoedema-physiotherapist",
)
LYMPHOEDEMA = ("primary", "secondary")
LENDERS = ("hospital", "private-hospital")
EVENTS = (
    "admitted",
    "admission-notified",
    "admission-date-set",
    "pre-examination",
    # The hospital asks the municipality for supplementary information ("ved behov", R1).
    "supplementary-information-requested",
    "discharge-planned",
    "discharge-ready-notified",
    "died",
    # An outpatient's needs of municipal services arose or changed (R11: HNT 004 4).
    "outpatient-needs-changed",
    # The hospital reported the need for an individual plan or a coordinator to the
    # municipality's coordinating unit (R10: HNT 004 5.1 b; spesialisthelsetjenesteloven).
    "coordination-requested",
)
ADMISSIONS = ("emergency", "planned")
PATIENT_KEYS = ("municipality", "district", "residence", "terminal")
CONSUMABLE_KEYS = ("type",)
NEED_KEYS = (
    "purpose",
    "duration_months",
    "started_by",
    "phase",
    "needed_for_journey_home",
    "uses_institution_equipment",
    "treatment_started_in_specialist_care",
    "lymphoedema",
)


class InvalidField(RulesError):
    """A field with a value the engine does not accept."""

    def __init__(self, field: str, message: str, *, reason: str = "", **params: str) -> None:
        self.field = field
        self.reason = reason or "invalid"
        self.params = params
        ValueError.__init__(self, f"{field}: {message}")


def _section(raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = raw.get(name) or {}
    if not isinstance(value, Mapping):
        raise InvalidField(name, "must be an object")
    return value


def choice(section: Mapping[str, Any], key: str, field: str, allowed: tuple[str, ...]) -> Any:
    value = section.get(key)
    if value is None:
        return None
    if value not in allowed:
        raise InvalidField(field, f"unknown value {value!r}; one of: {', '.join(allowed)}")
    return value


def flag(section: Mapping[str, Any], key: str, field: str, default: bool = False) -> bool:
    value = section.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InvalidField(field, f"must be true or false, not {value!r}")
    return value


def number(section: Mapping[str, Any], key: str, field: str) -> float | None:
    value = section.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise InvalidField(field, f"must be a number of zero or more, not {value!r}")
    return float(value)


def text(section: Mapping[str, Any], key: str, field: str) -> str | None:
    value = section.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidField(field, "must be a non-empty text")
    return value.strip()


def day(raw: Mapping[str, Any], field: str = "date") -> datetime.date:
    value = raw.get(field)
    if value is None:
        return today_on_agreements_clock()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidField(field, f"must be a date as YYYY-MM-DD, not {value!r}") from None


# The years a deadline can fall in; the API refuses the same (overgang/api/inputs.py).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


def instant(raw: Mapping[str, Any], field: str = "at") -> datetime.datetime:
    value = raw.get(field)
    if value is None:
        raise InvalidField(field, "is required (ISO 8601 with a UTC offset)")
    try:
        parsed = (
            value
            if isinstance(value, datetime.datetime)
            else datetime.datetime.fromisoformat(str(value))
        )
    except ValueError:
        raise InvalidField(field, f"must be ISO 8601 with a UTC offset, not {value!r}") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InvalidField(field, "must include a UTC offset, e.g. 2026-03-02T08:00:00+01:00")
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        # Near the calendar's ends the deadline arithmetic overflows.
        raise InvalidField(
            field,
            f"must be in the years {EARLIEST_YEAR} to {LATEST_YEAR}",
            reason="year-out-of-range",
            earliest=str(EARLIEST_YEAR),
            latest=str(LATEST_YEAR),
        )
    return parsed


def known_keys(section: Mapping[str, Any], name: str, keys: tuple[str, ...]) -> None:
    """A misspelt key would silently change the answer: refuse it, naming it."""
    for key in section:
        if key not in keys:
            raise InvalidField(f"{name}.{key}", f"unknown field; known: {', '.join(keys)}")


def require_object(raw: Any) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidField("(input)", "must be a JSON object")
    return raw


def sections(raw: Mapping[str, Any], *names: str) -> list[Mapping[str, Any]]:
    return [_section(raw, name) for name in names]
