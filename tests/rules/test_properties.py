"""Properties of decide() and deadlines() over random valid cases (hypothesis).

Random cases are drawn from what the files allow: the agreements and municipalities of
overgang/rules/agreements/, the aid types of aids.toml, and the field values of
overgang/rules/case.py.
"""

from __future__ import annotations

import copy
import datetime
import json
import random
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overgang.rules import all_agreements, deadlines, decide
from overgang.rules import case as fields
from overgang.rules.check import cite_problem
from overgang.rules.law import is_law, source_of
from overgang.rules.registry import aid_types
from overgang.rules.spec import PARTIES
from tests.rules.contract import DECIDE_KEYS, DUTY_NAMES

SETTINGS = settings(max_examples=150, deadline=None)
CITE = re.compile(r"^\d{3} \S.*$")
# Where a routine quotes the law, the law is cited as law: "<source> § <section>".
LAW_CITE = re.compile(r"^[a-zæøå]+ § \S+$")
AGREEMENTS = all_agreements()
AGREEMENT_IDS = sorted({a.id for a in AGREEMENTS})
ZONES = {a.id: ZoneInfo(a.time_zone) for a in AGREEMENTS}
COUNTRIES = {a.id: a.country for a in AGREEMENTS}
WINDOWED = {a.id for a in AGREEMENTS if a.checklists.notice_window is not None}
AID_TYPES = sorted(aid_types())


def without_none(table: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in table.items() if v is not None}


def _places() -> list[dict[str, Any]]:
    """Every way a case may say where the patient lives: the agreement, the municipality
    (spelled as people do, or by number) or both, with or without a district."""
    found = []
    for agreement in AGREEMENTS:
        for municipality in agreement.municipalities:
            name = municipality.name
            spellings = [name, name.upper(), name.lower(), f"{name} kommune", f"{name} Kommune"]
            for spelling in [*spellings, municipality.number]:
                for district in (None, *municipality.districts):
                    patient = without_none({"municipality": spelling, "district": district})
                    found.append({"agreement": agreement.id, "patient": patient})
                    found.append({"patient": patient})
        found.append({"agreement": agreement.id, "patient": {}})
    return found


PLACES = _places()
# Drawn with fixed_dictionaries: far cheaper than one draw per field, and the whole
# folder must stay fast.
PATIENT = st.fixed_dictionaries(
    {},
    optional={
        "residence": st.sampled_from(fields.RESIDENCES),
        "terminal": st.booleans(),
    },
)
NEED = st.fixed_dictionaries(
    {},
    optional={
        "purpose": st.sampled_from(fields.PURPOSES),
        "duration_months": st.one_of(
            st.integers(0, 120), st.floats(0, 120, allow_nan=False, allow_infinity=False)
        ),
        "started_by": st.sampled_from(fields.STARTED_BY),
        "phase": st.sampled_from(fields.PHASES),
        "needed_for_journey_home": st.booleans(),
        "uses_institution_equipment": st.booleans(),
        "treatment_started_in_specialist_care": st.booleans(),
        "lymphoedema": st.sampled_from(fields.LYMPHOEDEMA),
    },
)
REST = st.fixed_dictionaries(
    {
        "date": st.dates(datetime.date(2020, 1, 1), datetime.date(2035, 12, 31)).map(
            datetime.date.isoformat
        ),
        "aid": st.fixed_dictionaries({"type": st.sampled_from(AID_TYPES)}),
    },
    optional={
        "need": NEED,
        "requester": st.fixed_dictionaries({"role": st.sampled_from(fields.REQUESTER_ROLES)}),
        "lender": st.sampled_from(fields.LENDERS),
    },
)


def _case(place: dict[str, Any], patient: dict[str, Any], rest: dict[str, Any]) -> dict[str, Any]:
    raw = {**place, "patient": {**place["patient"], **patient}, **rest}
    return {k: v for k, v in raw.items() if v != {}}


def cases() -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(_case, st.sampled_from(PLACES), PATIENT, REST)


def shuffled(value: Any, rnd: random.Random) -> Any:
    """The same JSON value with the keys of every object in another order."""
    if isinstance(value, dict):
        keys = list(value)
        rnd.shuffle(keys)
        return {k: shuffled(value[k], rnd) for k in keys}
    if isinstance(value, list):
        return [shuffled(v, rnd) for v in value]
    return value


def reversed_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: reversed_keys(value[k]) for k in reversed(list(value))}
    return value


def agreement_of(answer: dict[str, Any]) -> str:
    return str(answer["agreement"]["id"])


# ---------------------------------------------------------------------------------------
# decide (the properties share their examples: hypothesis' drawing is the slow part)
# ---------------------------------------------------------------------------------------


DECIDE_KEYS_SET = set(DECIDE_KEYS)


def assert_contract_shape(raw: dict[str, Any], answer: dict[str, Any]) -> None:
    json.dumps(answer)  # the answer is JSON as it stands
    assert answer.keys() >= DECIDE_KEYS_SET, "every key of the contract, always"
    assert {"id", "version", "title"} <= answer["agreement"].keys()
    assert agreement_of(answer) in AGREEMENT_IDS
    if "agreement" in raw:
        assert agreement_of(answer) == raw["agreement"]
    assert tuple(answer["duties"]) == DUTY_NAMES
    for name, duty in answer["duties"].items():
        if duty is None:
            continue
        assert duty["party"] in PARTIES, name
        assert len(duty["cites"]) >= 1, f"{name} has no citation"
        for cite in duty["cites"]:
            assert CITE.match(cite) or (
                LAW_CITE.match(cite) and source_of(cite, COUNTRIES[agreement_of(answer)])
            ), cite
    if "requester" not in raw:
        assert answer["requisition"] is None
    if answer["requisition"] is not None:
        assert isinstance(answer["requisition"]["allowed"], bool)
        assert answer["requisition"]["cites"]
        assert all(CITE.match(c) for c in answer["requisition"]["cites"])
    assert isinstance(answer["lendable"], bool)
    assert bool(answer["reasons"]) == (not answer["lendable"])
    assert answer["units"] >= 1
    assert all(b in AID_TYPES for b in answer["bundle"])
    assert answer["swap_to_hospital_equipment"] in (None, True, False)


def assert_citations_stand_in_the_seeds(answer: dict[str, Any]) -> None:
    cites = [c for d in answer["duties"].values() if d for c in d["cites"]]
    cites += (answer["requisition"] or {}).get("cites", [])
    cites += (answer["appeal"] or {}).get("cites", [])
    country = COUNTRIES[agreement_of(answer)]
    problems = [p for c in sorted(set(cites)) if (p := cite_problem(c, country))]
    assert not problems


@SETTINGS
@given(cases())
def test_decide_never_raises_and_answers_in_the_contracts_shape(raw):
    answer = decide(raw)
    assert_contract_shape(raw, answer)
    assert_citations_stand_in_the_seeds(answer)


@SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_decide_is_deterministic_and_independent_of_key_order(raw, rnd):
    before = copy.deepcopy(raw)
    answer = decide(raw)
    assert raw == before, "decide changed its input"
    assert decide(copy.deepcopy(raw)) == answer
    assert decide(json.loads(json.dumps(raw))) == answer
    assert decide(reversed_keys(raw)) == answer
    assert decide(shuffled(raw, rnd)) == answer


# ---------------------------------------------------------------------------------------
# deadlines
# ---------------------------------------------------------------------------------------

OFFSETS = st.integers(-12 * 4, 14 * 4).map(
    lambda q: datetime.timezone(datetime.timedelta(minutes=15 * q))
)


CONTEXT = st.fixed_dictionaries(
    {},
    optional={
        "admission": st.sampled_from(fields.ADMISSIONS),
        "expected_stay_hours": st.integers(0, 500),
    },
)
MOMENTS = st.datetimes(datetime.datetime(2020, 1, 1), datetime.datetime(2035, 12, 31))  # noqa: DTZ001 (hypothesis takes naive bounds)


def _event(
    agreement: str, name: str, moment: datetime.datetime, zone: Any, context: dict[str, Any]
) -> dict[str, Any]:
    tz = ZONES[agreement] if zone == "local" else zone
    at = moment.replace(microsecond=0, tzinfo=tz)
    raw = {"agreement": agreement, "event": name, "at": at.isoformat(), "context": context}
    return {k: v for k, v in raw.items() if v != {}}


def events() -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        _event,
        st.sampled_from(AGREEMENT_IDS),
        st.sampled_from(fields.EVENTS),
        MOMENTS,
        st.one_of(st.just("local"), st.just(datetime.UTC), OFFSETS),
        CONTEXT,
    )


# Deadlines given as a real duration after the event (contract: "4 hours", "24 hours",
# "48 hours"): the same length of time whatever the clocks do.
HOURS_AFTER = {
    ("hnt", "admission-notified", "admission-report"): 4,
    ("hnt", "supplementary-information-requested", "supplementary-admission-information"): 24,
    ("hnt", "admitted", "hospital-admission-information"): 24,
    ("nordjylland", "admitted", "first-care-plan"): 48,
}


@SETTINGS
@given(events())
def test_deadlines_are_due_in_the_agreements_zone_and_not_before_their_event(raw):
    answer = deadlines(raw)
    json.dumps(answer)
    zone = ZONES[raw["agreement"]]
    at = datetime.datetime.fromisoformat(raw["at"])
    dated = [item for item in answer["deadlines"] if item["due"] is not None]
    # A duty without a time comes after every dated one.
    assert answer["deadlines"][: len(dated)] == dated
    for item in answer["deadlines"]:
        assert item["party"] in PARTIES
        assert all(CITE.match(c) or is_law(c) for c in item["cites"])
    for item in dated:
        due = datetime.datetime.fromisoformat(item["due"])  # parses back
        assert due.isoformat() == item["due"]
        assert item["due"][-6:] in ("+01:00", "+02:00"), item["due"]
        assert due.utcoffset() == due.astimezone(zone).utcoffset(), item["due"]
        assert item["cites"]
        if raw["event"] == "discharge-planned":
            # N5: these lead up to the discharge: due on or before it, never weeks before.
            assert at - datetime.timedelta(days=14) <= due <= at, item
        else:
            assert due >= at, f"{item['duty']} due {item['due']} before its event {raw['at']}"
        hours = HOURS_AFTER.get((raw["agreement"], raw["event"], item["duty"]))
        if hours is not None:
            assert due - at == datetime.timedelta(hours=hours), item
    # R4/R5: the window only for a discharge-ready notice under an agreement with one (HNT).
    if raw["event"] == "discharge-ready-notified" and raw["agreement"] in WINDOWED:
        assert isinstance(answer["in_notice_window"], bool)
        assert answer["same_day_reception_expected"] is answer["in_notice_window"]
        local = at.astimezone(zone)
        if local.weekday() >= 5 or not (8 <= local.hour < 15):
            assert answer["in_notice_window"] is False
    else:
        assert answer["in_notice_window"] is None
        assert answer["same_day_reception_expected"] is None


@SETTINGS
@given(events(), st.randoms(use_true_random=False))
def test_deadlines_deterministic_and_independent_of_key_order(raw, rnd):
    answer = deadlines(raw)
    assert deadlines(copy.deepcopy(raw)) == answer
    assert deadlines(reversed_keys(raw)) == answer
    assert deadlines(shuffled(raw, rnd)) == answer


@pytest.mark.parametrize(
    ("agreement", "name", "at", "duty", "due"),
    [
        pytest.param(
            "hnt",
            "admitted",
            "2026-03-28T12:00:00+01:00",
            "hospital-admission-information",
            "2026-03-29T13:00:00+02:00",
            id="spring-forward-24h-is-23h-on-the-wall",
        ),
        pytest.param(
            "hnt",
            "supplementary-information-requested",
            "2026-10-24T12:00:00+02:00",
            "supplementary-admission-information",
            "2026-10-25T11:00:00+01:00",
            id="fall-back-24h-is-25h-on-the-wall",
        ),
        pytest.param(
            "hnt",
            "admission-notified",
            "2026-03-29T00:30:00+01:00",
            "admission-report",
            "2026-03-29T05:30:00+02:00",
            id="4h-across-the-skipped-hour",
        ),
        pytest.param(
            "hnt",
            "admission-notified",
            "2026-10-25T00:30:00+02:00",
            "admission-report",
            "2026-10-25T03:30:00+01:00",
            id="4h-across-the-repeated-hour",
        ),
        pytest.param(
            "nordjylland",
            "admitted",
            "2026-03-28T12:00:00+01:00",
            "first-care-plan",
            "2026-03-30T13:00:00+02:00",
            id="copenhagen-48h-across-spring-forward",
        ),
        pytest.param(
            "hnt",
            "died",
            "2026-07-01T10:00:00Z",
            "death-notice",
            "2026-07-01T12:00:00+02:00",
            id="utc-input-answered-on-the-oslo-clock",
        ),
    ],
)
def test_instants_across_daylight_saving(agreement, name, at, duty, due):
    context = {"expected_stay_hours": 72} if agreement == "nordjylland" else {}
    answer = deadlines({"agreement": agreement, "event": name, "at": at, "context": context})
    found = [d["due"] for d in answer["deadlines"] if d["duty"] == duty]
    assert found == [due]


# The routines each agreement file is written from (docs/requirements.md, seeds).
ROUTINES = {"oslo": {"000"}, "unn": {"001"}, "hnt": {"002", "004"}, "nordjylland": {"003"}}


@SETTINGS
@given(events())
def test_every_opened_deadline_cites_its_own_routine_or_its_countrys_law(raw):
    """Issue 14: a deadline never carries another region's routine, nor another country's
    law: each is the agreement's own or national law of the agreement's country."""
    answer = deadlines(raw)
    country = COUNTRIES[raw["agreement"]]
    for item in answer["deadlines"]:
        for cite in item["cites"]:
            if is_law(cite):
                assert source_of(cite, country) is not None, (raw["agreement"], cite)
            else:
                assert cite[:3] in ROUTINES[raw["agreement"]], (raw["agreement"], cite)


def test_the_routines_cover_every_agreement():
    assert set(ROUTINES) == {a.id for a in AGREEMENTS}


@pytest.mark.parametrize("agreement", ["oslo", "unn", "hnt"])
def test_every_norwegian_municipality_answers_a_discharge_ready_notice_at_once(agreement):
    """R5 for all of Norway: the law's "straks" where the routine is silent (Oslo, UNN), the
    routine's own words where it speaks (HNT, 004 Vedlegg 3.2 a)."""
    at = "2026-03-02T10:00:00+01:00"
    answer = deadlines({"agreement": agreement, "event": "discharge-ready-notified", "at": at})
    found = [d for d in answer["deadlines"] if d["duty"] == "municipality-answer"]
    assert [(d["party"], d["due"]) for d in found] == [("municipality", at)]
    expected = ["004 Vedlegg 3.2 a"] if agreement == "hnt" else ["utskrivningsklare § 10"]
    assert found[0]["cites"] == expected


def test_supplementary_information_is_not_due_at_admission():
    """R1 "ved behov": nothing for the municipality to send until the hospital asks."""
    at = "2026-03-02T10:00:00+01:00"
    admitted = deadlines({"agreement": "hnt", "event": "admitted", "at": at})
    assert "supplementary-admission-information" not in {d["duty"] for d in admitted["deadlines"]}
    asked = deadlines(
        {"agreement": "hnt", "event": "supplementary-information-requested", "at": at}
    )
    assert [d["due"] for d in asked["deadlines"]] == ["2026-03-03T10:00:00+01:00"]


def test_a_duty_without_a_time_has_no_due_and_comes_last():
    answer = deadlines(
        {"agreement": "oslo", "event": "admission-notified", "at": "2026-03-02T10:00:00+01:00"}
    )
    assert [(d["duty"], d["due"], d["cites"]) for d in answer["deadlines"]] == [
        ("care-level", None, ["000 8.0"])
    ]
