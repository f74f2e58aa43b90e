"""Deadlines and milestones as an iCalendar file (RFC 5545) to import into Outlook, Google or Apple.

All-day events; the UID of each event is stable (plan, item, milestone), so importing the file
again updates the events instead of adding them twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from tui.core.initiatives import Initiative

PRODID = "-//implan//Implementeringsplaner//DA"
UID_DOMAIN = "implan.local"


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, line breaks."""
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(ch for ch in text if ch == "\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F))


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _uid(*parts: str) -> str:
    return "-".join(p.replace("@", "_") for p in parts if p) + "@" + UID_DOMAIN


def _event(uid: str, day: date, summary: str, description: str, stamp: str, done: bool) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        "TRANSP:TRANSPARENT",  # a deadline does not make anyone busy all day
        "CATEGORIES:implan",
    ]
    if done:
        lines.append("STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def initiatives_to_ics(initiatives: Iterable[Initiative], *, name: str = "implan",
                       now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    for ini in initiatives:
        who = f"Ansvarlig: {ini.responsible}" if ini.responsible else "Ingen ansvarlig"
        where = f"Plan: {ini.plan_title}\nAfsnit: {ini.section_title}"
        if ini.deadline is not None:
            mark = "✓ " if ini.closed else ""
            lines += _event(_uid(ini.plan_id, ini.item_id, "deadline"), ini.deadline,
                            f"{mark}Deadline: {ini.title}", f"{who}\nStatus: {ini.status_label}\n{where}",
                            stamp, ini.closed)
        for ms in ini.milestones:
            if ms.date is None:
                continue
            mark = "✓ " if ms.done else ""
            lines += _event(_uid(ini.plan_id, ini.item_id, ms.id or ms.text), ms.date,
                            f"{mark}Milepæl: {ms.text or ini.title}",
                            f"Initiativ: {ini.title}\n{who}\n{'Udført' if ms.done else 'Ikke udført'}\n{where}",
                            stamp, ms.done)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
