"""Dates as users write them (dd-mm-åååå or ISO) and as plans store them (ISO)."""

from __future__ import annotations

import re
from datetime import date

_DANISH = re.compile(r"^\s*(\d{1,2})[-./](\d{1,2})[-./](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class DateError(ValueError):
    """A date the user typed that we cannot accept; str() is a Danish message."""


def parse_date(text: str) -> date | None:
    """Parse `dd-mm-åååå` (also with . or /) or ISO `åååå-mm-dd`. Empty text means no date."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise DateError(f"Datoen skal være tekst, ikke {type(text).__name__}.")
    if not text.strip():
        return None
    if m := _DANISH.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise DateError(
            f"»{shown}« er ikke en dato. Skriv datoen som dd-mm-åååå, fx 01-03-2027."
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(
            f"Datoen {day:02d}-{month:02d}-{year:04d} findes ikke i kalenderen."
        ) from None


def to_iso(text: str) -> str:
    """Normalise user input to the stored form: ISO, or "" for no date."""
    parsed = parse_date(text)
    return parsed.isoformat() if parsed else ""


def from_iso(value: str | None) -> date | None:
    """Read a stored date. Tolerates the user form too, so hand-edited files still load."""
    try:
        return parse_date(value or "")
    except DateError:
        return None


def format_date(value: date | str | None) -> str:
    """Show a date the Danish way: dd-mm-åååå. Unreadable stored text is shown as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        parsed = from_iso(value)
        if parsed is None:
            return value
        value = parsed
    return value.strftime("%d-%m-%Y")
