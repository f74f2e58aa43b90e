"""What changed in a plan, and when: the follow-up history and the meetings it is read against.

Every save compares the initiatives before and after (the derived view, never a second copy of
the answers) and appends what moved: status, deadline, responsible, milestones, initiatives that
came or went. A follow-up meeting is a point in that history; "since the last meeting" is the
history after it, folded so that a field changed three times reads as one change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tui.core.dates import format_date, from_iso
from tui.core.enums import CLOSED_STATUSES, HistoryKind, Status
from tui.core.initiatives import Initiative, plan_initiatives
from tui.core.plan import Plan, clean_text, new_id
from tui.core.stamps import now_utc, utc_stamp
from tui.core.stamps import parse_stamp as _parse_stamp

MAX_HISTORY = 2000  # entries per plan; the oldest go first, never those since the last meeting
MAX_MEETINGS = 200
# Typing a name or changing a status back and forth within this pause is one change, not many.
COALESCE = timedelta(minutes=15)

# The follow-up changes; CONFLICT (the other version of a field two people changed) is not one.
CHANGE_KINDS = tuple(k for k in HistoryKind if k.is_change)
# Kinds that change a value (from → to), and kinds that add or remove a whole thing.
_VALUE_CHANGES = (HistoryKind.STATUS, HistoryKind.DEADLINE, HistoryKind.RESPONSIBLE, HistoryKind.MILESTONE_DONE,
                  HistoryKind.MILESTONE_DATE)
_ADD_OR_REMOVE = (HistoryKind.NEW, HistoryKind.REMOVED, HistoryKind.MILESTONE_ADDED, HistoryKind.MILESTONE_REMOVED)


def _stamp(at: datetime) -> str:
    # Microseconds: a change made in the same second as the meeting is still after it.
    return utc_stamp(at, timespec="microseconds")


# -- recording -----------------------------------------------------------------------------------

def _state(initiatives: Iterable[Initiative]) -> dict[str, Initiative]:
    return {i.item_id: i for i in initiatives}


def _entry(at: datetime, kind: str, ini: Initiative, old: Any = None, new: Any = None,
           milestone: str | None = None, text: str = "") -> dict[str, Any]:
    from tui.core.cpr import mask_cpr

    # A CPR-like number typed by mistake is removed from the plan, but the history cannot be
    # edited: it never keeps one (010203-XXXX instead).
    def masked(value: Any) -> Any:
        return mask_cpr(value) if isinstance(value, str) else value

    entry = {"at": _stamp(at), "kind": kind, "item": ini.item_id, "section": masked(ini.section_title),
             "title": masked(ini.title), "from": masked(old), "to": masked(new)}
    if milestone is not None:
        entry["milestone"] = milestone
        entry["text"] = masked(text)
    return entry


def diff_initiatives(before: Iterable[Initiative], after: Iterable[Initiative], at: datetime) -> list[dict[str, Any]]:
    """The history entries that turn `before` into `after`."""
    old, new = _state(before), _state(after)
    entries: list[dict[str, Any]] = []
    for item_id, ini in new.items():
        prev = old.get(item_id)
        if prev is None:
            entries.append(_entry(at, HistoryKind.NEW, ini, None, ini.status))
            continue
        if prev.status != ini.status:
            entries.append(_entry(at, HistoryKind.STATUS, ini, prev.status, ini.status))
        if prev.deadline != ini.deadline:
            entries.append(_entry(at, HistoryKind.DEADLINE, ini, _iso(prev.deadline), _iso(ini.deadline)))
        if prev.responsible != ini.responsible:
            entries.append(_entry(at, HistoryKind.RESPONSIBLE, ini, prev.responsible, ini.responsible))
        old_ms = {m.id: m for m in prev.milestones}
        new_ms = {m.id: m for m in ini.milestones}
        for mid, ms in new_ms.items():
            was = old_ms.get(mid)
            if was is None:
                entries.append(_entry(at, HistoryKind.MILESTONE_ADDED, ini, None, _iso(ms.date), mid, ms.text))
                continue
            if was.done != ms.done:
                entries.append(_entry(at, HistoryKind.MILESTONE_DONE, ini, was.done, ms.done, mid, ms.text))
            if was.date != ms.date:
                entries.append(_entry(at, HistoryKind.MILESTONE_DATE, ini, _iso(was.date), _iso(ms.date), mid, ms.text))
        for mid, was in old_ms.items():
            if mid not in new_ms:
                entries.append(_entry(at, HistoryKind.MILESTONE_REMOVED, ini, _iso(was.date), None, mid, was.text))
    for item_id, prev in old.items():
        if item_id not in new:
            entries.append(_entry(at, HistoryKind.REMOVED, prev, prev.status, None))
    return entries


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def conflict_entry(field: str, title: str, item: str, value: str, at: datetime | None = None) -> dict[str, Any]:
    """The other version of a field both an editor and someone else changed: kept, never lost."""
    return {"at": _stamp(at or now_utc()), "kind": HistoryKind.CONFLICT, "item": item, "field": field, "title": title,
            "value": value}


def record_changes(before: Plan, after: Plan, at: datetime | None = None) -> list[dict[str, Any]]:
    """Append to `after`'s history what changed since `before` (the stored version); returns the
    entries added. The history written is always the stored one plus these: an editor's copy of
    the plan never carries history of its own."""
    at = at or now_utc()
    history = [dict(e) for e in before.data.get("history", [])]
    added = diff_initiatives(plan_initiatives(before), plan_initiatives(after), at)
    since = last_meeting_stamp(after.data.get("meetings", []))
    for entry in added:
        _append(history, entry, since, at)
    after.data["history"] = _bounded(history, since)
    return added


def _key(entry: dict[str, Any]) -> tuple[Any, Any, Any]:
    return entry.get("kind"), entry.get("item"), entry.get("milestone")


def _append(history: list[dict[str, Any]], entry: dict[str, Any], since: datetime | None, at: datetime) -> None:
    if entry["kind"] in _VALUE_CHANGES:
        for index in range(len(history) - 1, -1, -1):
            prev = history[index]
            when = _parse_stamp(prev.get("at", ""))
            if when is None or at - when > COALESCE or (since is not None and when <= since):
                break
            if _key(prev) == _key(entry):
                merged = dict(entry, **{"from": prev.get("from")})
                del history[index]
                if merged["from"] != merged["to"]:
                    history.append(merged)
                return
    history.append(entry)


def _bounded(history: list[dict[str, Any]], since: datetime | None) -> list[dict[str, Any]]:
    excess = len(history) - MAX_HISTORY
    if excess <= 0:
        return history
    # Drop the oldest, but keep what the next follow-up meeting must be told.
    droppable = [i for i, e in enumerate(history)
                 if since is None or (_parse_stamp(e.get("at", "")) or since) <= since][:excess]
    dropped = set(droppable)
    return [e for i, e in enumerate(history) if i not in dropped]


# -- meetings --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Meeting:
    id: str
    at: datetime
    note: str
    next_date: date | None

    @property
    def day(self) -> date:
        return self.at.astimezone().date()


def meetings(plan: Plan) -> list[Meeting]:
    found = []
    for entry in plan.data.get("meetings", []):
        at = _parse_stamp(entry.get("at", ""))
        if at is not None:
            found.append(Meeting(entry.get("id", ""), at, entry.get("note", ""), from_iso(entry.get("next"))))
    return sorted(found, key=lambda m: m.at)


def last_meeting(plan: Plan) -> Meeting | None:
    found = meetings(plan)
    return found[-1] if found else None


def last_meeting_stamp(entries: list[dict[str, Any]]) -> datetime | None:
    stamps = [s for s in (_parse_stamp(e.get("at", "")) for e in entries) if s is not None]
    return max(stamps) if stamps else None


def mark_meeting(plan: Plan, note: str = "", next_date: date | None = None, at: datetime | None = None) -> Meeting:
    """Record a follow-up meeting: the point "since the last meeting" is reckoned from."""
    at = at or now_utc()
    entry = {"id": new_id("mt-"), "at": _stamp(at), "note": clean_text(note, single_line=True, limit=300).strip()}
    if next_date:
        entry["next"] = next_date.isoformat()
    entries = plan.data.setdefault("meetings", [])
    entries.append(entry)
    del entries[:-MAX_MEETINGS]
    return Meeting(entry["id"], at, entry["note"], next_date)


# -- reading ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One folded change since a point in time, ready to show."""
    kind: str
    item_id: str
    section: str
    title: str
    old: Any
    new: Any
    at: datetime
    milestone_id: str | None = None
    milestone_text: str = ""

    @property
    def completed(self) -> bool:
        return ((self.kind == HistoryKind.STATUS and self.new in CLOSED_STATUSES)
                or (self.kind == HistoryKind.MILESTONE_DONE and bool(self.new)))

    def describe(self) -> str:
        """Danish, one line: what happened to what."""
        name = f"»{self.title}«"
        ms = f"milepælen »{self.milestone_text}«" if self.milestone_text else "en milepæl"
        if self.kind == HistoryKind.NEW:
            return f"{name} er nyt initiativ"
        if self.kind == HistoryKind.REMOVED:
            return f"{name} er fjernet"
        if self.kind == HistoryKind.STATUS:
            return f"{name}: status {_status(self.old)} → {_status(self.new)}"
        if self.kind == HistoryKind.DEADLINE:
            return f"{name}: deadline {_day(self.old)} → {_day(self.new)}"
        if self.kind == HistoryKind.RESPONSIBLE:
            return f"{name}: ansvarlig {self.old or 'ingen'} → {self.new or 'ingen'}"
        if self.kind == HistoryKind.MILESTONE_DONE:
            return f"{name}: {ms} er {'udført' if self.new else 'ikke længere udført'}"
        if self.kind == HistoryKind.MILESTONE_DATE:
            return f"{name}: {ms} flyttet {_day(self.old)} → {_day(self.new)}"
        if self.kind == HistoryKind.MILESTONE_ADDED:
            return f"{name}: ny milepæl »{self.milestone_text}«" + (f" ({_day(self.new)})" if self.new else "")
        if self.kind == HistoryKind.MILESTONE_REMOVED:
            return f"{name}: {ms} er fjernet"
        return f"{name}: ændret"


def _status(value: Any) -> str:
    known = Status.of(value)
    return known.label if known else "ingen"


def _day(value: Any) -> str:
    return format_date(value) if value else "ingen"


def changes_since(plan: Plan, since: datetime | None) -> list[Change]:
    """The history after `since` (everything when None), each field's changes folded into one,
    changes that were undone left out, and an initiative that is new shown once, as new."""
    current = {i.item_id: i for i in plan_initiatives(plan)}
    folded: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    for entry in plan.data.get("history", []):
        at = _parse_stamp(entry.get("at", ""))
        if at is None or entry.get("kind") not in CHANGE_KINDS or (since is not None and at <= since):
            continue
        key = _key(entry)
        if key in folded:
            folded[key] = dict(entry, **{"from": folded[key].get("from")})
        else:
            folded[key] = dict(entry)
    new_items = {e["item"] for e in folded.values() if e["kind"] == HistoryKind.NEW}
    removed_items = {e["item"] for e in folded.values() if e["kind"] == HistoryKind.REMOVED}
    result = []
    for entry in folded.values():
        kind, item = entry["kind"], entry["item"]
        if item in new_items and item in removed_items:
            continue  # came and went between two meetings
        if kind not in (HistoryKind.NEW, HistoryKind.REMOVED) and (item in new_items or item in removed_items):
            continue
        if kind == HistoryKind.NEW and item not in current:
            continue
        if kind not in _ADD_OR_REMOVE and entry.get("from") == entry.get("to"):
            continue
        ini = current.get(item)
        at = _parse_stamp(entry["at"])
        if at is None:  # (never: only entries with a time were folded)
            continue
        result.append(Change(
            kind=kind, item_id=item, section=ini.section_title if ini else entry.get("section", ""),
            title=ini.title if ini else entry.get("title", ""), old=entry.get("from"), new=entry.get("to"),
            at=at, milestone_id=entry.get("milestone"),
            milestone_text=entry.get("text", ""),
        ))
    return sorted(result, key=lambda c: c.at)


@dataclass(frozen=True)
class SinceMeeting:
    """What the group is told at the start of a follow-up meeting."""
    meeting: Meeting | None
    completed: list[Change]
    moved: list[Change]
    new: list[Change]
    other: list[Change]
    new_overdue: list[Initiative]

    @property
    def changes(self) -> list[Change]:
        return self.completed + self.moved + self.new + self.other

    def is_empty(self) -> bool:
        return not (self.changes or self.new_overdue)


def since_last_meeting(plan: Plan, today: date) -> SinceMeeting:
    meeting = last_meeting(plan)
    changes = changes_since(plan, meeting.at if meeting else None)
    completed = [c for c in changes if c.completed]
    moved = [c for c in changes if c.kind == HistoryKind.DEADLINE]
    new = [c for c in changes if c.kind == HistoryKind.NEW]
    other = [c for c in changes if c not in completed and c not in moved and c not in new]
    # Overdue now, but not at the meeting: the deadline fell in between.
    start = meeting.day if meeting else None
    new_overdue = [i for i in plan_initiatives(plan) if i.is_overdue(today) and start is not None
                   and i.deadline is not None and i.deadline >= start]
    return SinceMeeting(meeting, completed, moved, new, other, new_overdue)


def clean_history(entries: Any) -> list[dict[str, Any]]:
    """History from a file (an import, an old database): only well-formed entries, texts cleaned."""
    result = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("kind") not in (*CHANGE_KINDS, HistoryKind.CONFLICT) \
                or not isinstance(entry.get("item"), str):
            continue
        if _parse_stamp(entry.get("at", "")) is None:
            continue
        clean = {"at": entry["at"], "kind": entry["kind"], "item": entry["item"][:100]}
        for key in ("section", "title", "text", "field"):
            if isinstance(entry.get(key), str):
                clean[key] = clean_text(entry[key], single_line=True, limit=2000)
        if isinstance(entry.get("value"), str):
            clean["value"] = clean_text(entry["value"])
        for key in ("from", "to"):
            value = entry.get(key)
            clean[key] = value if isinstance(value, (bool, type(None))) else clean_text(str(value), single_line=True,
                                                                                      limit=2000)
        if isinstance(entry.get("milestone"), str):
            clean["milestone"] = entry["milestone"][:100]
        result.append(clean)
    return result[-MAX_HISTORY:]


def clean_meetings(entries: Any) -> list[dict[str, Any]]:
    result = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or _parse_stamp(entry.get("at", "")) is None:
            continue
        clean = {"id": str(entry.get("id") or new_id("mt-"))[:100], "at": entry["at"],
                 "note": clean_text(str(entry.get("note", "")), single_line=True, limit=300).strip()}
        next_date = from_iso(entry.get("next"))
        if next_date:
            clean["next"] = next_date.isoformat()
        result.append(clean)
    return result[-MAX_MEETINGS:]
