"""O1: the registered home address decides which hospital serves the patient."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from overgang import rules

TODAY = datetime.date(2026, 11, 23)
OSLO = next(a for a in rules.all_agreements() if a.id == "oslo").municipalities[0]


@pytest.mark.parametrize(
    ("municipality", "district", "hospital"),
    [
        ("Oslo", "Frogner", "ous"),
        ("Oslo", "Grorud", "ahus"),
        ("Oslo", "Stovner", "ahus"),
        ("Oslo", "Alna", "ahus"),
        ("Oslo", "Søndre Nordstrand", "ous"),
        ("Tromsø", None, "unn"),
        ("Narvik", None, "unn"),
        ("Levanger", None, "hnt"),
        ("Namsos", None, "hnt"),
        ("Aalborg", None, "rn"),
        ("Læsø", None, "rn"),
    ],
)
def test_responsible_hospital_follows_the_address(municipality, district, hospital):
    found = rules.responsible_hospital(municipality, district, on=TODAY)
    assert found.key == hospital
    assert found.cites, "every answer says where the agreement says so"


@pytest.mark.parametrize("spelling", ["Oslo", "oslo", "OSLO kommune", " Oslo  Kommune ", "0301"])
def test_municipality_by_any_usual_spelling_or_number(spelling):
    assert rules.agreement_for_municipality(spelling, on=TODAY).id == "oslo"


def test_danish_municipality_by_its_number():
    assert rules.agreement_for_municipality("851", on=TODAY).id == "nordjylland"


def test_unknown_municipality_is_an_error_that_names_it():
    with pytest.raises(rules.UnknownMunicipality, match=r"municipality: .*'Bergen'"):
        rules.responsible_hospital("Bergen", on=TODAY)


def test_district_outside_the_municipality_is_an_error():
    with pytest.raises(rules.UnknownDistrict, match="district: 'Tromsdalen'"):
        rules.responsible_hospital("Oslo", "Tromsdalen", on=TODAY)


def test_region_nordjylland_covers_its_eleven_municipalities():
    agreement = rules.agreement_for_municipality("Aalborg", on=TODAY)
    assert len(agreement.municipalities) == 11
    assert agreement.time_zone == "Europe/Copenhagen"


def test_no_municipality_is_covered_by_two_agreements_at_once():
    seen: dict[str, str] = {}
    for agreement in rules.all_agreements():
        for municipality in agreement.municipalities:
            assert municipality.number not in seen, (municipality, seen.get(municipality.number))
            seen[municipality.number] = agreement.id


@given(st.sampled_from(OSLO.districts))
def test_exactly_grorud_stovner_and_alna_are_served_by_akershus(district):
    hospital = rules.responsible_hospital("Oslo", district, on=TODAY)
    expected = "ahus" if district in {"Grorud", "Stovner", "Alna"} else "ous"
    assert hospital.key == expected


@given(st.sampled_from(OSLO.districts), st.sampled_from(["upper", "lower", "casefold"]))
def test_the_answer_does_not_depend_on_how_the_district_is_typed(district, case):
    typed = getattr(district, case)()
    assert rules.responsible_hospital("Oslo", typed, on=TODAY) == rules.responsible_hospital(
        "Oslo", district, on=TODAY
    )
