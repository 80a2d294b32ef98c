import datetime
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from overgang.demo.people import danish_id, norwegian_id
from overgang.patients.national_id import IdKind, InvalidNationalId, Sex, parse


def test_fodselsnummer_gives_birth_date_and_sex():
    found = parse("151086 95088")
    assert found.kind == IdKind.FODSELSNUMMER
    assert found.birth_date == datetime.date(1986, 10, 15)
    assert found.sex == Sex.FEMALE
    assert found.formatted() == "151086 95088"


def test_d_number_is_recognised_and_its_birth_day_corrected():
    number = norwegian_id(random.Random(4), d_number=True)
    found = parse(number)
    assert found.kind == IdKind.D_NUMBER
    assert found.birth_date.day == int(number[:2]) - 40


def test_h_number_is_recognised():
    # 15 Oct 1986 with 40 added to the month, check digits recomputed.
    from stdnum.no import fodselsnummer

    stem = "155086950"
    first = fodselsnummer.calc_check_digit1(stem)
    number = stem + first + fodselsnummer.calc_check_digit2(stem + first)
    found = parse(number)
    assert found.kind == IdKind.H_NUMBER
    assert found.birth_date == datetime.date(1986, 10, 15)


def test_danish_cpr_gives_birth_date_and_sex():
    found = parse("010170-1239")
    assert found.kind == IdKind.CPR
    assert found.birth_date == datetime.date(1970, 1, 1)
    assert found.sex == Sex.MALE
    assert found.formatted() == "010170-1239"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("15108695077", "check the digits"),
        ("3210869508", "check the date"),  # ten digits: read as a CPR number, day 32
        ("123", "11 digits"),
        ("15108A95088", "digits only"),
        ("", "Enter"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(number, message):
    with pytest.raises(InvalidNationalId, match=message):
        parse(number)


def test_country_of_the_address_decides_which_kind_is_accepted():
    with pytest.raises(InvalidNationalId, match="Danish CPR number has 10 digits"):
        parse("15108695088", country="DK")
    with pytest.raises(InvalidNationalId, match="Norwegian national identity number has 11"):
        parse("0101701239", country="NO")


@given(st.integers(min_value=0, max_value=2**32), st.booleans())
def test_generated_norwegian_numbers_are_valid_and_keep_their_birth_date(seed, d_number):
    number = norwegian_id(random.Random(seed), d_number=d_number)
    found = parse(number)
    day = int(number[:2]) - (40 if d_number else 0)
    assert found.birth_date.day == day
    assert found.birth_date.strftime("%m%y") == number[2:6]
    assert found.sex == (Sex.MALE if int(number[8]) % 2 else Sex.FEMALE)


@given(st.integers(min_value=0, max_value=2**32))
def test_generated_cpr_numbers_have_a_valid_check_digit(seed):
    number = danish_id(random.Random(seed))
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    assert sum(w * int(d) for w, d in zip(weights, number, strict=True)) % 11 == 0
    assert parse(number).birth_date.strftime("%d%m%y") == number[:6]
