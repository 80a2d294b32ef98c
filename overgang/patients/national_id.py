"""National identity numbers: Norwegian fødselsnummer, D-number and H-number; Danish CPR.

python-stdnum checks the check digits and the date; this module says which kind
of number it is and what it tells about birth date and sex.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cpr
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer


class IdKind(models.TextChoices):
    FODSELSNUMMER = "fnr", _("Norwegian national identity number")
    D_NUMBER = "dnr", _("Norwegian D-number")
    H_NUMBER = "hnr", _("Norwegian H-number")
    CPR = "cpr", _("Danish CPR number")


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class InvalidNationalId(ValueError):
    pass


@dataclass(frozen=True)
class NationalId:
    number: str
    kind: IdKind
    birth_date: datetime.date
    sex: Sex

    @property
    def country(self) -> str:
        return "DK" if self.kind == IdKind.CPR else "NO"

    def formatted(self) -> str:
        if self.kind == IdKind.CPR:
            return f"{self.number[:6]}-{self.number[6:]}"
        return f"{self.number[:6]} {self.number[6:]}"


def _digits(raw: str) -> str:
    return "".join(ch for ch in raw if ch not in " -.\t")


def parse(raw: str, *, country: str | None = None) -> NationalId:
    """Validate and read a national ID; `country` ("NO"/"DK") narrows which kinds are tried."""
    number = _digits(raw or "")
    if not number:
        raise InvalidNationalId(_("Enter a national identity number."))
    if not number.isdigit():
        raise InvalidNationalId(_("A national identity number has digits only."))
    if len(number) == 11 and country in (None, "NO"):
        return _norwegian(number)
    if len(number) == 10 and country in (None, "DK"):
        return _danish(number)
    if country == "NO":
        raise InvalidNationalId(_("A Norwegian national identity number has 11 digits."))
    if country == "DK":
        raise InvalidNationalId(_("A Danish CPR number has 10 digits."))
    raise InvalidNationalId(
        _("A national identity number has 11 digits (Norway) or 10 digits (Denmark, CPR).")
    )


def _norwegian(number: str) -> NationalId:
    try:
        fodselsnummer.validate(number)
        birth_date = fodselsnummer.get_birth_date(number)
    except StdnumError:
        raise InvalidNationalId(
            _("This is not a valid Norwegian national identity number: check the digits.")
        ) from None
    day, month = int(number[:2]), int(number[2:4])
    kind = IdKind.D_NUMBER if day > 40 else IdKind.H_NUMBER if month > 40 else IdKind.FODSELSNUMMER
    sex = Sex.MALE if fodselsnummer.get_gender(number) == "M" else Sex.FEMALE
    return NationalId(number=number, kind=kind, birth_date=birth_date, sex=sex)


def _danish(number: str) -> NationalId:
    try:
        cpr.validate(number)
        birth_date = cpr.get_birth_date(number)
    except StdnumError:
        raise InvalidNationalId(
            _("This is not a valid Danish CPR number: check the date and the digits.")
        ) from None
    sex = Sex.MALE if int(number[-1]) % 2 else Sex.FEMALE
    return NationalId(number=number, kind=IdKind.CPR, birth_date=birth_date, sex=sex)
