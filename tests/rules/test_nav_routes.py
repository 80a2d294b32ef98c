"""Who applies to NAV comes from the agreements (H2, H5): HNT (002) routes long-term
technical aids to NAV, applied for by the municipality, and a fitted aid for the journey
home by the hospital; Oslo (000), UNN (001) and Nordjylland (003) route nothing to NAV."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from overgang.rules import decide
from overgang.rules.nav import applying_parties, nav_applicants, nav_application
from overgang.rules.registry import agreement_by_id, aid_types

DAY = datetime.date(2026, 3, 28)
HOMES = {"oslo": "0301", "unn": "5501", "hnt": "5037", "nordjylland": "851"}
TECHNICAL = sorted(slug for slug, kind in aid_types().items() if kind.category == "technical-aid")


def test_only_hnts_routine_has_anyone_apply_to_nav():
    found = {
        key: {(r.applicant, r.cites) for r in nav_applicants(agreement_by_id(key, on=DAY))}
        for key in HOMES
    }
    assert found == {
        "hnt": {("municipality", ("002 2",)), ("hospital", ("002 1",))},
        "oslo": set(),
        "unn": set(),
        "nordjylland": set(),
    }


@settings(max_examples=200, deadline=None)
@given(
    agreement=st.sampled_from(sorted(HOMES)),
    aid=st.sampled_from(TECHNICAL),
    months=st.one_of(st.none(), st.integers(1, 240)),
    terminal=st.booleans(),
    journey_home=st.booleans(),
)
def test_a_decision_routes_to_nav_only_as_the_agreement_says(
    agreement, aid, months, terminal, journey_home
):
    need: dict[str, object] = {}
    if months is not None:
        need["duration_months"] = months
    if journey_home:
        need["needed_for_journey_home"] = True
    case = {
        "date": DAY.isoformat(),
        "patient": {"municipality": HOMES[agreement], "terminal": terminal},
        "aid": {"type": aid},
        "need": need,
    }
    route = nav_application(decide(case))
    parties = applying_parties(agreement_by_id(agreement, on=DAY))
    if not parties:
        assert route is None  # Oslo, Tromsø, Aalborg: never NAV
        return
    long_term = terminal or (months is not None and months >= 24)
    assert (route is not None) == long_term
    if route is not None:
        assert route.applicant in parties
        fitted = aid_types()[aid].fitted
        assert route.applicant == ("hospital" if fitted and journey_home else "municipality")
        assert route.cites == (("002 1",) if route.applicant == "hospital" else ("002 2",))
