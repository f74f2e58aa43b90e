"""Text that looks like a CPR number (a Danish personal identity number).

A plan is about an organisation, never about a citizen; but it is written by people who handle
children's cases all day, and a CPR number pasted into it by mistake must be caught. A CPR-like
number is six digits that form a real date (ddmmåå), then a hyphen, a space or nothing, then
four digits, and not part of a longer number. The modulus-11 check is not used: since 2007
numbers are issued that fail it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.core.plan import Plan
    from tui.core.templates import ItemSpec

# What may stand between the date and the last four digits: nothing, a hyphen (also the ones
# word processors put in: U+2010, U+2011, the en dash), a space or a no-break space.
_DASHES = "\\-\u2010\u2011\u2013"
_SEPARATOR = f"[{_DASHES} \u00a0]?"
# "Not part of a longer number": no digit right before or after, nor a digit joined by a hyphen,
# dot or slash (account numbers 1234-5678901234, case numbers 2024-012345, 1.234.567, dates).
_JOIN = f"[{_DASHES}./]"
_PATTERN = re.compile(
    rf"(?<!\d)(?<!\d{_JOIN})([0-9]{{2}})([0-9]{{2}})([0-9]{{2}})({_SEPARATOR})([0-9]{{4}})(?!\d)(?!{_JOIN}\d)"
)

_SIX_DIGITS = re.compile("[0-9]{6}")  # a quick look first: most text has no such run at all
_SPACES = (" ", "\u00a0")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

CPR_WARNING = "en plan må ikke indeholde personnumre"


@dataclass(frozen=True)
class CprMatch:
    start: int
    end: int
    text: str  # as written
    date: str  # ddmmåå

    @property
    def masked(self) -> str:
        """For messages: the date part only, the four digits never shown."""
        return f"{self.date}-XXXX"

    @property
    def key(self) -> str:
        """The same number written with or without its hyphen is one number."""
        return re.sub(r"\D", "", self.text)


def is_real_date(day: int, month: int, year: int) -> bool:
    """ddmmåå: a day that exists in that month in some century (29 February when åå % 4 == 0,
    which includes 00: 2000 was a leap year)."""
    if not 1 <= month <= 12 or day < 1:
        return False
    if month == 2 and day == 29:
        return year % 4 == 0
    return day <= _DAYS[month - 1]


def find_cpr(text: Any) -> list[CprMatch]:
    """Every CPR-like number in `text`, in order; [] for anything that is not a string."""
    if not isinstance(text, str) or len(text) < 10 or not _SIX_DIGITS.search(text):
        return []
    found = []
    for m in _PATTERN.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if is_real_date(day, month, year):
            found.append(CprMatch(m.start(), m.end(), m.group(0), m.group(1) + m.group(2) + m.group(3)))
    return found


def remove_cpr(text: str, keys: Iterable[str] | None = None) -> str:
    """`text` without its CPR-like numbers (only those whose key is in `keys`, when given). The
    space left behind is tidied: "Anna 010203-1234 ringer" becomes "Anna ringer"."""
    wanted = None if keys is None else set(keys)
    out = text
    for m in reversed(find_cpr(text)):
        if wanted is not None and m.key not in wanted:
            continue
        before, after = out[:m.start], out[m.end:]
        if before.endswith(_SPACES) and after.startswith(_SPACES):
            after = after[1:]
        elif before.endswith(_SPACES) and (not after or after[0] in ".,;:!?)\n"):
            before = before.rstrip(" \u00a0")
        elif (not before or before.endswith("\n")) and after.startswith(_SPACES):
            after = after.lstrip(" \u00a0")
        out = before + after
    return out


def mask_cpr(text: str) -> str:
    """`text` with each CPR-like number shown as "010203-XXXX": for messages that quote user text."""
    for m in reversed(find_cpr(text)):
        text = text[:m.start] + m.masked + text[m.end:]
    return text


def masked_list(matches: Iterable[CprMatch]) -> str:
    """"010203-XXXX" or "010203-XXXX og 020304-XXXX"; each number named once."""
    names = list(dict.fromkeys(m.masked for m in matches))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


# -- a whole plan ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CprHit:
    """A CPR-like number stored in a plan, and where: enough for the review to jump there."""
    match: CprMatch
    where: str  # Danish, e.g. "»Styrket faglighed«: Ansvarlig"
    section_id: str | None = None
    item_id: str | None = None
    field_id: str | None = None
    milestone_id: str | None = None

    @property
    def masked(self) -> str:
        return self.match.masked


# The field id a hit in an added item's own title carries: template field ids start with a letter or digit.
ITEM_TITLE = "-titel"


def _short(title: str, limit: int = 50) -> str:
    title = mask_cpr(" ".join(str(title).split()))
    return title if len(title) <= limit else title[:limit - 1].rstrip(" ,") + "…"


def plan_cpr_hits(plan: Plan) -> list[CprHit]:
    """Every CPR-like number in every text a plan stores: title, organisation, added sections and
    items, every answer (milestone texts too), drafts, meeting notes and the history."""
    return _PlanScan(plan).hits()


class _PlanScan:
    """One pass over a plan, in the order the wizard shows it, then what only the file holds."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.found: list[CprHit] = []
        answers = plan.data.get("answers")
        self.answers: dict[str, Any] = answers if isinstance(answers, dict) else {}
        self.drafts: dict[str, list[tuple[list[str], str]]] = {}
        for key, text in (plan.data.get("drafts") or {}).items():
            if isinstance(key, str) and isinstance(text, str):
                parts = key.split("/")
                self.drafts.setdefault(parts[0], []).append((parts, text))

    def scan(self, text: Any, where: str, *ids: str | None) -> None:
        for match in find_cpr(text):
            self.found.append(CprHit(match, where, *ids))

    def hits(self) -> list[CprHit]:
        data = self.plan.data
        self.scan(data.get("title"), "planens titel")
        self.scan(data.get("organisation"), "planens organisation")
        seen: set[str] = set()
        for section in self.plan.sections():
            if self.plan.is_added_section(section.id):
                self.scan(section.title, f"afsnittets titel (»{_short(section.title)}«)", section.id)
                self.scan(section.intro, f"introduktionen til afsnittet »{_short(section.title)}«", section.id)
            for item in self.plan.items(section):
                seen.add(item.id)
                self.item(section.id, item)
        # Stored but not shown anywhere in the wizard: still in the database and in a JSON export.
        for item_id, fields in self.answers.items():
            if item_id not in seen and isinstance(fields, dict):
                for text in (t for value in fields.values() for t in _texts(value)):
                    self.scan(text, "et gemt svar, der ikke hører til et felt i skabelonen")
        for meeting in _dicts(data.get("meetings")):
            self.scan(meeting.get("note"), "en note fra et opfølgningsmøde")
        for entry in _dicts(data.get("history")):
            for key in ("title", "from", "to", "text", "section"):
                self.scan(entry.get(key), "planens historik")
        return self.found

    def item(self, section_id: str, item: ItemSpec) -> None:
        stored = self.answers.get(item.id)
        stored = stored if isinstance(stored, dict) else {}
        if not (item.title and find_cpr(item.title)) and not stored and item.id not in self.drafts:
            return  # (most template items: nothing typed yet)
        itype = self.plan.item_type(item)
        name = _short(self.plan.item_title(item))
        if self.plan.is_added_item(item.id):
            self.scan(item.title, f"titlen på {itype.label.lower()} »{name}«", section_id, item.id, ITEM_TITLE)
        specs = [spec for spec in itype.fields if spec.id in stored]
        for spec in specs:
            value = stored[spec.id]
            if isinstance(value, list):
                for number, row in enumerate(value, start=1):
                    for text in _texts(row):
                        self.scan(text, f"»{name}«: {spec.label}, milepæl {number}", section_id, item.id, spec.id,
                                  row.get("id") if isinstance(row, dict) else None)
            else:
                for text in _texts(value):
                    self.scan(text, f"»{name}«: {spec.label}", section_id, item.id, spec.id)
        for field_id in set(stored) - {spec.id for spec in specs}:
            for text in _texts(stored[field_id]):
                self.scan(text, f"»{name}«: et gemt svar, der ikke hører til et felt i skabelonen",
                          section_id, item.id)
        for parts, text in self.drafts.get(item.id, ()):
            field = itype.field(parts[1]) if len(parts) > 1 else None
            label = field.label if field else parts[1] if len(parts) > 1 else ""
            self.scan(text, f"»{name}«: {label} (kladde)", section_id, item.id,
                      parts[1] if field else None, parts[2] if len(parts) > 2 else None)


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The dict entries of a stored list (meetings, history); nothing for a damaged value."""
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _texts(value: Any, depth: int = 0) -> list[str]:
    """Every string in a stored value, however nested (a hand-edited file); numbers as written."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, int) and not isinstance(value, bool):
        return [str(value)]
    if depth > 50:
        return []
    if isinstance(value, list):
        return [t for v in value for t in _texts(v, depth + 1)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v, depth + 1)]
    return []


def describe_hits(hits: list[CprHit], limit: int = 10) -> list[str]:
    """One Danish line per hit, for the CLI: "010203-XXXX i »Aktivitet«: Ansvarlig"."""
    lines = [f"{hit.masked} i {hit.where}" for hit in hits[:limit]]
    if len(hits) > limit:
        lines.append(f"… og {len(hits) - limit} steder mere")
    return lines
