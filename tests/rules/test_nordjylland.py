"""The Nordjylland agreement decides from what a need is for (N2, seed 003 section 2), and
N5's first care plan opens once a stay has lasted 24 hours when no expected length was
given (003 3: "Ved indlæggelsesforløb over 24 timer ... senest 48 timer efter
indlæggelsen")."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from overgang.rules import deadlines, decide
from overgang.rules.law import is_law, source_of
from overgang.rules.registry import agreement_by_id, aid_types

NORDJYLLAND = agreement_by_id("nordjylland", on=datetime.date(2026, 3, 2))
RULES = {rule.id: rule for rule in NORDJYLLAND.rules}
# The purposes a Danish need is asked for (the agreement's own), and those 003 4 refuses.
PURPOSES = [p.key for p in NORDJYLLAND.purposes] + ["activity-outside-home", "spare"]


def danish(cite: str) -> bool:
    """A citation of seed 003 or of Danish law, never another region's routine."""
    return cite.startswith("003 ") or (is_law(cite) and source_of(cite, "DK") is not None)


def test_the_agreement_asks_the_purposes_of_003_2_in_its_own_words():
    assert [p.key for p in NORDJYLLAND.purposes] == [
        "treatment",
        "rehabilitation",
        "specialised-rehabilitation",
        "lasting-function-loss",
        "temporary",
    ]
    lasting = NORDJYLLAND.purpose("lasting-function-loss")
    assert lasting is not None and "serviceloven § 112" in lasting.cites
    assert lasting.text["da"] == "Varigt nedsat funktionsevne (serviceloven § 112)"
    assert not NORDJYLLAND.asks_duration  # no two-year question for Danish needs


def test_norwegian_agreements_ask_no_purpose_and_keep_the_duration():
    for key in ("oslo", "unn", "hnt"):
        agreement = agreement_by_id(key, on=datetime.date(2026, 3, 2))
        assert agreement.purposes == () and agreement.asks_duration


@settings(max_examples=300, deadline=None)
@given(
    purpose=st.sampled_from(PURPOSES),
    aid=st.sampled_from(sorted(aid_types())),
    municipality=st.sampled_from([m.name for m in NORDJYLLAND.municipalities]),
    residence=st.sampled_from(["home", "institution"]),
    phase=st.sampled_from([None, "inpatient", "outpatient", "after-discharge"]),
    lender=st.sampled_from(["hospital", "private-hospital"]),
)
def test_every_purpose_and_aid_is_decided_citing_only_003_or_danish_law(
    purpose, aid, municipality, residence, phase, lender
):
    need = {"purpose": purpose, **({"phase": phase} if phase else {})}
    answer = decide(
        {
            "patient": {"municipality": municipality, "residence": residence},
            "aid": {"type": aid},
            "need": need,
            "lender": lender,
            "date": "2026-03-02",
        },
        language="da",
    )
    assert answer["agreement"]["id"] == "nordjylland"
    decided = any(answer["duties"].values()) or not answer["lendable"]
    assert decided, (purpose, aid)
    assert not any("afgør ikke" in note for note in answer["notes"])
    cites = [c for rule in answer["rules"] for c in RULES[rule].cites]
    cites += [c for duty in answer["duties"].values() if duty for c in duty["cites"]]
    assert all(danish(c) for c in cites), cites


def test_the_first_care_plan_waits_for_24_hours_without_an_expected_length():
    answer = deadlines(
        {
            "agreement": "nordjylland",
            "event": "admitted",
            "at": "2026-03-02T08:00:00+01:00",
            "context": {"admission": "emergency"},
        }
    )
    assert answer["deadlines"] == []
    (later,) = answer["opens_later"]
    assert (later["duty"], later["party"], later["cites"]) == (
        "first-care-plan",
        "hospital",
        ["003 3"],
    )
    assert later["opens"] == "2026-03-03T08:00:00+01:00"
    assert later["due"] == "2026-03-04T08:00:00+01:00"


def test_a_stay_expected_to_be_short_or_long_waits_for_nothing():
    for hours, opened in ((12, []), (72, ["first-care-plan"])):
        answer = deadlines(
            {
                "agreement": "nordjylland",
                "event": "admitted",
                "at": "2026-03-02T08:00:00+01:00",
                "context": {"expected_stay_hours": hours},
            }
        )
        assert answer["opens_later"] == []
        assert [d["duty"] for d in answer["deadlines"]] == opened


@settings(max_examples=200, deadline=None)
@given(
    at=st.datetimes(
        min_value=datetime.datetime(2024, 1, 1),  # noqa: DTZ001 (hypothesis takes naive bounds)
        max_value=datetime.datetime(2030, 12, 31),  # noqa: DTZ001
        timezones=st.just(datetime.UTC),
    ),
    agreement=st.sampled_from(["oslo", "unn", "hnt", "nordjylland"]),
)
def test_a_deadline_that_waits_opens_24_real_hours_in_and_is_due_as_if_known(at, agreement):
    event = {"agreement": agreement, "event": "admitted", "at": at.isoformat()}
    waiting = deadlines(event)["opens_later"]
    if agreement != "nordjylland":
        assert waiting == []  # no Norwegian routine waits on the stay's length
        return
    (later,) = waiting
    opens = datetime.datetime.fromisoformat(later["opens"])
    due = datetime.datetime.fromisoformat(later["due"])
    assert opens - at == datetime.timedelta(hours=24)
    known = deadlines({**event, "context": {"expected_stay_hours": 25}})["deadlines"]
    assert [d["due"] for d in known if d["duty"] == "first-care-plan"] == [later["due"]]
    assert due - at == datetime.timedelta(hours=48)
