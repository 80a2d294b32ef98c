"""What people type to find a patient, folded and read: names, birth dates, national IDs.

Pure Python (no Django): the patient model stores the folded keys of each name, and the
searches fold what was typed the same way, so that an index on the keys answers them.

Folding makes the spellings people use for the same name equal: case, accents ("é" is
"e"), the Nordic letters and their ASCII spellings ("Øystein", "Oystein" and "Oeystein";
"Kjær" and "Kjaer"; "Åse" and "Aase"), punctuation ("Andreassen, Sindre"). It is a key to
compare by, never shown.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {
        "æ": "ae",
        "ø": "o",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "ı": "i",
    }
)
# The ASCII spellings of å and ø ("Aase", "Oeystein") fold to what å and ø fold to. Applied
# to every name, so "Joensen" is "jonsen" too: a few more matches, never a lost one.
_DOUBLE_A = re.compile(r"a{2,}")
_O_E = re.compile(r"oe+")
# Apostrophes go ("O'Neill" is "oneill"), other punctuation separates words.
_APOSTROPHES = re.compile(r"['’`´]")
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """The search form of `text`: lower-case ASCII-like words, one space between them.

    Idempotent, and the same for the accented and the ASCII spelling of a name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Casefolding again: NFKD can give back capitals (e.g. from compatibility forms).
    letters = _APOSTROPHES.sub("", bare.casefold().translate(_LETTERS))
    words = _NOT_WORD.sub(" ", letters).split()
    return _O_E.sub("o", _DOUBLE_A.sub("a", " ".join(words)))


def family_name(name: str) -> str:
    """The last word of a full name ("Kari Nordmann" → "Nordmann")."""
    parts = name.split()
    return parts[-1] if parts else ""


def given_names(name: str) -> str:
    """What comes before the family name ("Kari Anne Nordmann" → "Kari Anne")."""
    family = family_name(name)
    return name[: len(name) - len(family)].strip() if family else ""


def name_keys(name: str) -> tuple[str, str]:
    """The two keys a patient is found by: the name as written ("kari nordmann") and family
    name first ("nordmann kari"), as lists show it ("Nordmann, Kari")."""
    given = given_names(name)
    reversed_name = f"{family_name(name)} {given}" if given else name
    return fold(name), fold(reversed_name)


# Birth dates as people in Norway and Denmark write them (2.3.1955, 02.03.1955, 02/03/1955,
# 02-03-1955) and as ISO 8601 (1955-03-02). A two-digit year is left out: which century?
_DAY_FIRST = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ID_SEPARATORS = re.compile(r"[\s-]+")
NATIONAL_ID_DIGITS = 11  # Norway; a Danish CPR number has 10
# A requisition's or a stay's number: the database's ids stay far below this.
LONGEST_NUMBER = 9


@dataclass(frozen=True)
class Query:
    """What a search text asks for. At most one of `national_id`, `birth_date` and
    `name` is set; `problem` says why nothing can be searched for (empty when it can)."""

    text: str
    national_id: str = ""  # digits: a whole national ID or its start
    birth_date: datetime.date | None = None
    name: str = ""  # folded: the start of a name, given or family name first
    number: int | None = None  # a requisition's or stay's number, when the text is one
    problem: str = ""  # "empty", "bad-date", "too-many-digits", "nothing-to-search"

    @property
    def searches(self) -> bool:
        return not self.problem


def _date(year: str, month: str, day: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse(text: str) -> Query:
    """Read a search: a national ID (or its first digits, spaces and a hyphen allowed), a
    date of birth, a number, or the start of a name."""
    stripped = " ".join(text.split())
    if not stripped:
        return Query(text, problem="empty")
    if found := _DAY_FIRST.fullmatch(stripped):
        day, month, year = found.groups()
        return _dated(text, _date(year, month, day))
    if found := _YEAR_FIRST.fullmatch(stripped):
        year, month, day = found.groups()
        return _dated(text, _date(year, month, day))
    digits = _ID_SEPARATORS.sub("", stripped.removeprefix("#"))
    if digits.isascii() and digits.isdigit():
        number = int(digits) if len(digits) <= LONGEST_NUMBER else None
        if len(digits) > NATIONAL_ID_DIGITS:
            return Query(text, number=number, problem="too-many-digits")
        return Query(text, national_id=digits, number=number)
    name = fold(stripped)
    if not name:
        return Query(text, problem="nothing-to-search")
    return Query(text, name=name)


def _dated(text: str, day: datetime.date | None) -> Query:
    return Query(text, birth_date=day) if day else Query(text, problem="bad-date")
