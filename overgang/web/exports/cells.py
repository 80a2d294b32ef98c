"""A cell's value as each format writes it: in the user's time zone, booleans in words,
and text that a spreadsheet would run as a formula made harmless."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from overgang.web.exports.table import Cell

# A spreadsheet takes a cell starting with one of these as a formula (and tab and carriage
# return let one hide behind them): patients' names and notes are typed by people, so such
# text gets a leading apostrophe, which spreadsheets show as text and do not run.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Characters XML 1.0 cannot hold: XLSX would be refused; a CSV reader gains nothing by them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def words(value: bool) -> str:
    return _("Yes") if value else _("No")


def local(value: datetime.datetime) -> datetime.datetime:
    """A moment in the user's time zone (the one the pages show), without its zone."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def safe_text(text: str) -> str:
    text = _CONTROL.sub("", text)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_cell(value: Cell) -> str:
    """CSV: dates YYYY-MM-DD, times YYYY-MM-DD HH:MM, decimals with a decimal comma (as the
    spreadsheets of Norway and Denmark read them), text guarded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return words(value)
    if isinstance(value, datetime.datetime):
        return local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return safe_text(str(value))


def xlsx_cell(value: Cell) -> str | int | float | Decimal | datetime.date | datetime.datetime:
    """XLSX: numbers and dates stay numbers and dates; text is guarded by the writer."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return words(value)
    if isinstance(value, datetime.datetime):
        return local(value)
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return _CONTROL.sub("", str(value))


def print_cell(value: Cell) -> str:
    """The print view: as the pages show values, in the user's language and time zone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return words(value)
    if isinstance(value, datetime.datetime):
        return formats.date_format(local(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, float | Decimal):
        return formats.number_format(value)
    return str(value)
