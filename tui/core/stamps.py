"""Timestamps as stored (ISO 8601 in UTC) and as shown (the user's own clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime


def now_utc() -> datetime:
    return datetime.now(UTC)


def utc_stamp(at: datetime | None = None, timespec: str = "seconds") -> str:
    """`at` (default now) as stored: ISO 8601 in UTC, e.g. 2027-03-01T09:30:00+00:00."""
    return (at or now_utc()).astimezone(UTC).isoformat(timespec=timespec)


def parse_stamp(text: object) -> datetime | None:
    """A stored timestamp, or None for one that is not; one without a zone is read as UTC."""
    if not isinstance(text, str):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def local_date(stamp: object) -> date | None:
    """A stored timestamp as the day it was on the user's clock."""
    parsed = parse_stamp(stamp)
    return parsed.astimezone().date() if parsed else None


def local_time_text(stamp: object) -> str:
    """A stored timestamp on the user's clock, in Danish: 01-03-2027 kl. 10:30 (or as given)."""
    parsed = parse_stamp(stamp)
    return parsed.astimezone().strftime("%d-%m-%Y kl. %H:%M") if parsed else str(stamp)
