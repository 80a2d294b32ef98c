"""Fictitious people: names, addresses and national IDs with valid check digits.

The numbers are made up from a seeded random generator, so the same seed gives
the same people; the names are common first and family names put together at random.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from stdnum.no import fodselsnummer

from overgang import clock

NORWEGIAN_GIVEN = [
    "Kari",
    "Ingrid",
    "Anne",
    "Liv",
    "Solveig",
    "Astrid",
    "Marit",
    "Berit",
    "Randi",
    "Inger",
    "Hilde",
    "Nina",
    "Silje",
    "Ida",
    "Nora",
    "Emma",
    "Sofie",
    "Ola",
    "Per",
    "Jan",
    "Bjørn",
    "Knut",
    "Arne",
    "Lars",
    "Svein",
    "Tor",
    "Odd",
    "Geir",
    "Hans",
    "Magnus",
    "Jonas",
    "Emil",
    "Sindre",
    "Eirik",
    "Håkon",
    "Øystein",
    "Aslak",
    "Sigrid",
    "Turid",
    "Gunnhild",
    "Ragnhild",
    "Åse",
]
NORWEGIAN_FAMILY = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Nordmann",
    "Aasen",
    "Øvrebø",
    "Brekke",
    "Fjeld",
    "Vik",
    "Sæther",
    "Rønning",
    "Ødegård",
]
DANISH_GIVEN = [
    "Anne",
    "Kirsten",
    "Mette",
    "Hanne",
    "Helle",
    "Susanne",
    "Lone",
    "Camilla",
    "Marianne",
    "Karen",
    "Ida",
    "Freja",
    "Emma",
    "Sofie",
    "Peter",
    "Jens",
    "Lars",
    "Henrik",
    "Søren",
    "Niels",
    "Michael",
    "Jørgen",
    "Thomas",
    "Rasmus",
    "Mads",
    "Anders",
    "Morten",
    "Christian",
    "Frederik",
    "Mikkel",
    "Bodil",
    "Inge",
    "Grethe",
    "Poul",
    "Erik",
    "Kaj",
]
DANISH_FAMILY = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Knudsen",
    "Mikkelsen",
    "Jakobsen",
    "Frederiksen",
    "Laursen",
    "Dahl",
    "Holm",
    "Schmidt",
    "Skov",
    "Bech",
    "Kjær",
    "Lund",
    "Vestergaard",
    "Østergaard",
    "Damgaard",
]
NORWEGIAN_STREETS = [
    "Storgata",
    "Kirkeveien",
    "Skogveien",
    "Parkveien",
    "Elvegata",
    "Fjellveien",
    "Solbakken",
    "Bakkegata",
    "Nordre",
    "gate",
    "Strandveien",
    "Lia",
    "Granveien",
    "Bjørkeveien",
    "Sjøgata",
    "Havnegata",
    "Tunveien",
]
DANISH_STREETS = [
    "Vestergade",
    "Østergade",
    "Algade",
    "Boulevarden",
    "Skolevej",
    "Kirkevej",
    "Møllevej",
    "Bøgevej",
    "Egevej",
    "Strandvejen",
    "Hobrovej",
    "Nørregade",
    "Søndergade",
    "Parkvej",
]
LANGUAGES = ("arabisk", "polsk", "somali", "tigrinja", "urdu", "engelsk", "samisk")


@dataclass(frozen=True)
class Person:
    national_id: str
    name: str
    address: str
    interpreter_language: str


def _birth_date(rng: random.Random) -> datetime.date:
    # Mostly older people: they are the ones who borrow most aids.
    age = min(104, max(1, int(rng.gauss(72, 15))))
    year = clock.today().year - age
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def norwegian_id(rng: random.Random, *, d_number: bool = False) -> str:
    """An 11-digit fødselsnummer (or D-number) whose two check digits are right."""
    while True:
        born = _birth_date(rng)
        # The individual number tells the century: 000–499 for 1900–1999, 500–999 after.
        individual = rng.randrange(0, 500) if born.year < 2000 else rng.randrange(500, 1000)
        day = born.day + (40 if d_number else 0)
        stem = f"{day:02d}{born.month:02d}{born.year % 100:02d}{individual:03d}"
        first = fodselsnummer.calc_check_digit1(stem)
        if first == "10":
            continue
        second = fodselsnummer.calc_check_digit2(stem + first)
        if second == "10":
            continue
        return stem + first + second


CPR_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def danish_id(rng: random.Random) -> str:
    """A 10-digit CPR number with a consistent century digit and the old modulus-11 check."""
    while True:
        born = _birth_date(rng)
        # The seventh digit tells the century: 0–3 for 1900–1999, 4 for 2000–2036.
        century_digit = rng.randrange(0, 4) if born.year < 2000 else 4
        stem = f"{born:%d%m%y}{century_digit}{rng.randrange(0, 100):02d}"
        for last in range(10):
            number = f"{stem}{last}"
            if sum(w * int(d) for w, d in zip(CPR_WEIGHTS, number, strict=True)) % 11 == 0:
                return number


def person(rng: random.Random, *, country: str) -> Person:
    if country == "DK":
        given, family, streets = DANISH_GIVEN, DANISH_FAMILY, DANISH_STREETS
        national_id = danish_id(rng)
    else:
        given, family, streets = NORWEGIAN_GIVEN, NORWEGIAN_FAMILY, NORWEGIAN_STREETS
        national_id = norwegian_id(rng, d_number=rng.random() < 0.03)
    name = f"{rng.choice(given)} {rng.choice(family)}"
    address = f"{rng.choice(streets)} {rng.randrange(1, 120)}"
    language = rng.choice(LANGUAGES) if rng.random() < 0.06 else ""
    return Person(
        national_id=national_id, name=name, address=address, interpreter_language=language
    )
