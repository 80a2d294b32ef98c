"""Where the demo patients live: municipality, district and a relative weight."""

from __future__ import annotations

OSLO_DISTRICTS = {
    "Gamle Oslo": 4,
    "Grünerløkka": 4,
    "Sagene": 3,
    "St. Hanshaugen": 3,
    "Frogner": 12,
    "Ullern": 3,
    "Vestre Aker": 3,
    "Nordre Aker": 3,
    "Bjerke": 3,
    "Grorud": 4,
    "Stovner": 10,
    "Alna": 4,
    "Østensjø": 4,
    "Nordstrand": 3,
    "Søndre Nordstrand": 3,
}

# (municipality, district, weight); weights add up to about 200.
HOMES: tuple[tuple[str, str, int], ...] = (
    *(("Oslo", district, weight) for district, weight in OSLO_DISTRICTS.items()),
    ("Tromsø", "", 22),
    ("Harstad", "", 6),
    ("Narvik", "", 4),
    ("Senja", "", 3),
    ("Balsfjord", "", 2),
    ("Lyngen", "", 2),
    ("Levanger", "", 16),
    ("Verdal", "", 8),
    ("Steinkjer", "", 7),
    ("Stjørdal", "", 5),
    ("Namsos", "", 3),
    ("Inderøy", "", 2),
    ("Aalborg", "", 22),
    ("Hjørring", "", 5),
    ("Frederikshavn", "", 4),
    ("Rebild", "", 3),
    ("Jammerbugt", "", 3),
    ("Thisted", "", 2),
    ("Læsø", "", 1),
)
