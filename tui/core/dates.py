"""Dates as users write them (dd-mm-åååå or ISO) and as plans store them (ISO).

Only ASCII digits are read (Python's \\d and int() would take Arabic-Indic or fullwidth digits
too), the year has four digits, and a date lies between 01-01-1900 and 31-12-2200: a plan's dates
are within a working life, and every calculation on them (a timeline's months, a calendar's next
day) stays far from the ends of what Python's dates can hold.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from tui.core.text import quote

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2200, 12, 31)

# The same separator twice: 01-03-2027, 01.03.2027 or 01/03/2027. (Patterns, compiled by re when
# first used: a command that parses no date does not pay for them.)
_DANISH = r"^([0-9]{1,2})([-./])([0-9]{1,2})\2([0-9]{4})$"
_ISO = r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$"


class DateError(ValueError):
    """A date the user typed that we cannot accept; str() is a Danish message."""


def _range_text() -> str:
    return f"{MIN_DATE.strftime('%d-%m-%Y')} til {MAX_DATE.strftime('%d-%m-%Y')}"


def parse_date(text: str) -> date | None:
    """Parse `dd-mm-åååå` (also with . or /) or ISO `åååå-mm-dd`. Empty text means no date."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise DateError(f"Datoen skal være tekst, ikke {type(text).__name__}.")
    stripped = text.strip()
    if not stripped:
        return None
    if m := re.match(_DANISH, stripped, re.ASCII):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    elif m := re.match(_ISO, stripped, re.ASCII):
        year, month, day = (int(g) for g in m.groups())
    elif any(ch.isdigit() and not ch.isascii() for ch in stripped):
        raise DateError(
            f"»{quote(stripped, 40)}« er skrevet med andre cifre end 0-9. "
            "Skriv datoen som dd-mm-åååå med almindelige cifre, fx 01-03-2027."
        )
    else:
        raise DateError(
            f"»{quote(stripped, 40)}« er ikke en dato. Skriv datoen som dd-mm-åååå, fx 01-03-2027."
        )
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise DateError(
            f"Datoen {day:02d}-{month:02d}-{year:04d} findes ikke i kalenderen."
        ) from None
    if not MIN_DATE <= parsed <= MAX_DATE:
        raise DateError(
            f"Datoen {day:02d}-{month:02d}-{year:04d} ligger uden for det tidsrum, implan regner med: "
            f"fra {_range_text()}."
        )
    return parsed


def to_iso(text: str) -> str:
    """Normalise user input to the stored form: ISO, or "" for no date."""
    parsed = parse_date(text)
    return parsed.isoformat() if parsed else ""


def from_iso(value: str | None) -> date | None:
    """Read a stored date. Tolerates the user form too, so hand-edited files still load; a stored
    text that is no date in the range above (a database from before the range, a hand edit) reads
    as no date, and the review flags it, so nothing downstream meets a date it cannot handle."""
    if isinstance(value, str):
        return _stored_date(value)
    try:
        return parse_date(value or "")
    except DateError:
        return None


@lru_cache(maxsize=8192)
def _stored_date(text: str) -> date | None:
    """A plan's dates repeat (every view reads them all again), and a date is immutable."""
    try:
        return parse_date(text)
    except DateError:
        return None


def format_date(value: date | str | None) -> str:
    """Show a date the Danish way: dd-mm-åååå. Unreadable stored text is shown as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        parsed = from_iso(value)
        if parsed is None:
            return quote(value, 40)  # shown for what it is, but never raw (a hand-edited file)
        value = parsed
    if value.year < 1000:  # strftime does not pad the year; the f-string below would
        return value.strftime("%d-%m-%Y")
    return f"{value.day:02d}-{value.month:02d}-{value.year}"  # as strftime, at a tenth of its cost
