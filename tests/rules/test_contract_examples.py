"""Every example and promise of docs/contracts/rules.md, exactly as written there.

Other systems and acceptance tests drive the engine through that contract, so these
tests pin its shape: keys, spellings, inference of the agreement, nulls.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from overgang.rules import deadlines, decide
from overgang.rules.spec import PARTIES
from tests.rules.contract import DECIDE_KEYS, DUTY_NAMES

DATE = "2026-11-22"


def case(**parts: Any) -> dict[str, Any]:
    return {"date": DATE, **parts}


# ---------------------------------------------------------------------------------------
# deadlines: the example of the contract, to the letter.
# ---------------------------------------------------------------------------------------


def test_deadlines_example_as_written():
    answer = deadlines(
        {
            "agreement": "nordjylland",
            "event": "admitted",
            "at": "2026-03-02T08:00:00+01:00",
            "context": {"admission": "emergency", "expected_stay_hours": 72},
        }
    )
    assert [(d["duty"], d["party"], d["due"], d["cites"]) for d in answer["deadlines"]] == [
        ("first-care-plan", "hospital", "2026-03-04T08:00:00+01:00", ["003 3"])
    ]
    assert answer["in_notice_window"] is None
    assert answer["same_day_reception_expected"] is None


def test_deadlines_output_keys_are_always_there():
    answer = deadlines({"agreement": "oslo", "event": "died", "at": "2026-03-02T08:00:00+01:00"})
    assert {"deadlines", "in_notice_window", "same_day_reception_expected"} <= answer.keys()
    assert isinstance(answer["deadlines"], list)


# ---------------------------------------------------------------------------------------
# decide: every key, always.
# ---------------------------------------------------------------------------------------

SHAPE_CASES = [
    pytest.param(
        case(
            agreement="oslo",
            patient={"municipality": "Oslo", "district": "Stovner", "residence": "home"},
            aid={"type": "home-ventilator"},
            need={"purpose": "treatment", "started_by": "specialist", "duration_months": 36},
            requester={"role": "specialist-physician"},
        ),
        id="oslo-home-ventilator-full",
    ),
    pytest.param(case(agreement="oslo", aid={"type": "rollator"}), id="oslo-minimal-technical"),
    pytest.param(case(agreement="unn", aid={"type": "long-term-oxygen"}), id="unn-oxygen"),
    pytest.param(
        case(patient={"municipality": "Levanger"}, aid={"type": "care-bed"}), id="hnt-care-bed"
    ),
    pytest.param(
        case(
            agreement="nordjylland",
            aid={"type": "training-equipment"},
            need={"purpose": "rehabilitation"},
        ),
        id="nordjylland-not-lendable",
    ),
    pytest.param(
        case(agreement="nordjylland", aid={"type": "ecg"}), id="nordjylland-nothing-decided"
    ),
    pytest.param(
        case(
            agreement="unn",
            aid={"type": "long-term-oxygen"},
            need={"phase": "palliative"},
            requester={"role": "gp"},
        ),
        id="unn-requisition-and-appeal",
    ),
    pytest.param(
        case(
            agreement="oslo",
            patient={"residence": "institution"},
            aid={"type": "cpap"},
            need={"uses_institution_equipment": True},
        ),
        id="oslo-swap-question",
    ),
]


@pytest.mark.parametrize("raw", SHAPE_CASES)
def test_decide_has_every_key_of_the_contract(raw):
    answer = decide(raw)
    missing = [key for key in DECIDE_KEYS if key not in answer]
    assert not missing, f"keys missing from the answer: {missing}"
    assert set(answer["agreement"]) >= {"id", "version", "title"}
    assert all(isinstance(answer["agreement"][k], str) for k in ("id", "version", "title"))
    assert isinstance(answer["responsible_hospital"], str | None)
    assert isinstance(answer["lendable"], bool)
    assert isinstance(answer["reasons"], list)
    assert set(answer["duties"]) >= set(DUTY_NAMES), "all ten duties, null or not"
    for name, duty in answer["duties"].items():
        if duty is not None:
            assert duty["party"] in PARTIES, name
            assert duty["cites"], f"{name} needs at least one citation"
    assert (
        answer["requisition"] is None
        or {"allowed", "reason", "cites"} <= answer["requisition"].keys()
    )
    assert isinstance(answer["units"], int)
    assert answer["units"] >= 1
    assert isinstance(answer["bundle"], list)
    assert isinstance(answer["electrical_check_required"], bool)
    assert answer["swap_to_hospital_equipment"] in (None, True, False)
    assert answer["appeal"] is None or {"body", "basis"} <= answer["appeal"].keys()
    assert isinstance(answer["notes"], list)
    assert all(isinstance(note, str) for note in answer["notes"])


def test_decide_example_values():
    """The values the contract's output example shows for an Oslo home ventilator."""
    answer = decide(
        case(
            agreement="oslo",
            patient={"municipality": "Oslo", "district": "Stovner"},
            aid={"type": "home-ventilator"},
        )
    )
    assert answer["agreement"]["id"] == "oslo"
    assert answer["responsible_hospital"] == "Akershus universitetssykehus HF"
    assert answer["lendable"] is True
    assert answer["reasons"] == []
    assert answer["duties"]["assessment"]["party"] == "hospital"
    assert answer["duties"]["return"]["party"] == "municipality"
    assert answer["units"] == 2
    assert answer["electrical_check_required"] is True
    assert answer["swap_to_hospital_equipment"] is None


def test_bundle_of_long_term_oxygen_as_in_the_example():
    answer = decide(case(agreement="oslo", aid={"type": "long-term-oxygen"}))
    assert answer["bundle"] == ["oxygen-concentrator", "portable-oxygen-cylinder"]


def test_appeal_as_in_the_example():
    answer = decide(case(agreement="unn", aid={"type": "home-ventilator"}))
    assert answer["appeal"] is not None
    assert answer["appeal"]["body"] == "Statsforvalteren"
    assert answer["appeal"]["basis"] == "pasient- og brukerrettighetsloven § 7-2"


def test_units_one_and_bundle_empty_unless_the_agreement_says_more():
    answer = decide(case(agreement="oslo", aid={"type": "nebuliser"}))
    assert answer["units"] == 1
    assert answer["bundle"] == []


# ---------------------------------------------------------------------------------------
# The agreement from the municipality; spellings of municipalities.
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("municipality", "agreement"),
    [
        pytest.param("Oslo", "oslo", id="Oslo-oslo"),
        pytest.param("Tromsø", "unn", id="Tromso-unn"),
        pytest.param("Levanger", "hnt", id="Levanger-hnt"),
        pytest.param("Aalborg", "nordjylland", id="Aalborg-nordjylland"),
    ],
)
def test_agreement_inferred_from_municipality(municipality, agreement):
    answer = decide(case(patient={"municipality": municipality}, aid={"type": "cpap"}))
    assert answer["agreement"]["id"] == agreement


@pytest.mark.parametrize(
    ("spelling", "agreement"),
    [
        ("oslo", "oslo"),
        ("OSLO", "oslo"),
        ("Oslo kommune", "oslo"),
        ("Oslo Kommune", "oslo"),
        ("oslo KOMMUNE", "oslo"),
        ("0301", "oslo"),
        ("tromsø", "unn"),
        ("Tromsø kommune", "unn"),
        ("levanger Kommune", "hnt"),
        ("aalborg", "nordjylland"),
        ("Aalborg Kommune", "nordjylland"),
        ("851", "nordjylland"),
    ],
)
def test_municipality_by_any_spelling_or_number(spelling, agreement):
    answer = decide(case(patient={"municipality": spelling}, aid={"type": "cpap"}))
    assert answer["agreement"]["id"] == agreement


def test_municipality_number_under_a_named_agreement():
    answer = decide(
        case(agreement="nordjylland", patient={"municipality": "851"}, aid={"type": "cpap"})
    )
    assert answer["agreement"]["id"] == "nordjylland"
    assert answer["responsible_hospital"] == "Region Nordjylland"


@pytest.mark.parametrize(
    ("patient", "hospital"),
    [
        pytest.param(
            {"municipality": "Oslo", "district": "Stovner"},
            "Akershus universitetssykehus HF",
            id="stovner",
        ),
        pytest.param(
            {"municipality": "Oslo", "district": "Frogner"},
            "Oslo universitetssykehus HF",
            id="frogner",
        ),
        pytest.param(
            {"municipality": "Tromsø"}, "Universitetssykehuset Nord-Norge HF", id="tromso"
        ),
        pytest.param({"municipality": "Levanger"}, "Helse Nord-Trøndelag HF", id="levanger"),
    ],
)
def test_responsible_hospital_of_the_address(patient, hospital):
    answer = decide(case(patient=patient, aid={"type": "cpap"}))
    assert answer["responsible_hospital"] == hospital


# ---------------------------------------------------------------------------------------
# Nulls the contract promises.
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("agreement", ["oslo", "unn", "hnt", "nordjylland"])
def test_requisition_is_null_without_a_requester(agreement):
    answer = decide(case(agreement=agreement, aid={"type": "long-term-oxygen"}))
    assert answer["requisition"] is None


@pytest.mark.parametrize("agreement", ["oslo", "unn", "hnt", "nordjylland"])
def test_requisition_is_given_when_a_specialist_requests(agreement):
    answer = decide(
        case(
            agreement=agreement,
            aid={"type": "long-term-oxygen"},
            requester={"role": "specialist-physician"},
        )
    )
    assert answer["requisition"] is not None
    assert answer["requisition"]["allowed"] is True
    assert answer["requisition"]["cites"]


# Seeds 000 (Oslo), 002 (HNT) and 003 (Nordjylland) name no appeal route; seed 001
# does: "Fylkesmannen er klageinstans, jf. Pasient - og brukerettighetsloven § 7-2".
@pytest.mark.parametrize("agreement", ["oslo", "hnt", "nordjylland"])
@pytest.mark.parametrize("aid", ["home-ventilator", "rollator"])
def test_appeal_is_null_where_the_agreement_names_none(agreement, aid):
    assert decide(case(agreement=agreement, aid={"type": aid}))["appeal"] is None


def test_swap_is_null_unless_the_case_is_a_swap_question():
    answer = decide(case(agreement="oslo", patient={"residence": "home"}, aid={"type": "cpap"}))
    assert answer["swap_to_hospital_equipment"] is None


# ---------------------------------------------------------------------------------------
# Duty names of deadlines, as the contract lists them.
# ---------------------------------------------------------------------------------------

ADMITTED = "2026-03-02T08:00:00+01:00"  # a Monday in winter time
HOUR = datetime.timedelta(hours=1)


def _due(answer: dict[str, Any]) -> dict[tuple[str, str], datetime.datetime]:
    return {
        (d["duty"], d["party"]): datetime.datetime.fromisoformat(d["due"])
        for d in answer["deadlines"]
    }


@pytest.mark.parametrize(
    ("agreement", "event", "context", "expected"),
    [
        pytest.param(
            "hnt",
            "admission-notified",
            {},
            {("admission-report", "municipality"): 4 * HOUR},
            id="R1-admission-report-4h",
        ),
        pytest.param(
            "hnt",
            "admitted",
            {"admission": "emergency"},
            {
                ("hospital-admission-information", "hospital"): 24 * HOUR,
                # end of day 2: 2026-03-04 23:59:59 local, 63h59m59s after 08:00 on day 0
                ("functional-needs-description", "hospital"): datetime.timedelta(
                    hours=63, minutes=59, seconds=59
                ),
            },
            id="R1-R2-H1-admitted",
        ),
        pytest.param(
            "hnt",
            "supplementary-information-requested",
            {},
            {("supplementary-admission-information", "municipality"): 24 * HOUR},
            id="R1-supplementary-information-when-asked",
        ),
        pytest.param(
            "hnt",
            "admission-date-set",
            {"admission": "planned"},
            {("aid-needs-notice", "hospital"): 0 * HOUR},
            id="H4-aid-needs-notice",
        ),
        pytest.param(
            "hnt",
            "discharge-ready-notified",
            {},
            {("municipality-answer", "municipality"): 0 * HOUR},
            id="R5-municipality-answer",
        ),
        pytest.param(
            "hnt", "died", {}, {("death-notice", "hospital"): 0 * HOUR}, id="R2-death-notice"
        ),
        pytest.param(
            "nordjylland",
            "admitted",
            {"expected_stay_hours": 72},
            {("first-care-plan", "hospital"): 48 * HOUR},
            id="N5-first-care-plan",
        ),
        pytest.param(
            "nordjylland",
            "pre-examination",
            {},
            {("aid-needs-notice", "hospital"): 0 * HOUR},
            id="N5-aid-needs-notice",
        ),
    ],
)
def test_deadline_duty_names_of_the_contract(agreement, event, context, expected):
    answer = deadlines({"agreement": agreement, "event": event, "at": ADMITTED, "context": context})
    found = _due(answer)
    start = datetime.datetime.fromisoformat(ADMITTED)
    for (duty, party), after in expected.items():
        assert (duty, party) in found, f"{duty} ({party}) missing: {sorted(found)}"
        assert found[(duty, party)] - start == after, duty
    for item in answer["deadlines"]:
        assert item["party"] in PARTIES
        assert item["cites"]


def test_discharge_planned_duty_names():
    # a Wednesday discharge: final care plan Tuesday 12:00; aids handed out on the day
    answer = deadlines(
        {
            "agreement": "nordjylland",
            "event": "discharge-planned",
            "at": "2026-03-04T11:00:00+01:00",
        }
    )
    duties = {d["duty"] for d in answer["deadlines"]}
    assert {"final-care-plan", "aids-handed-out"} <= duties
    for item in answer["deadlines"]:
        if item["duty"] == "final-care-plan":
            assert item["party"] == "hospital"
            assert item["due"] == "2026-03-03T12:00:00+01:00"
        if item["duty"] == "aids-handed-out":
            assert item["party"] in ("hospital", "municipality")
            assert item["due"].startswith("2026-03-04T")
