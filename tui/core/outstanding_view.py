"""The outstanding view: initiatives grouped by urgency with the notes beside them, filtered,
sorted and written out. Built from plans (tui/core/followup.py) or from what the summary cache
beside the database keeps of each plan (from_cached), so `implan outstanding` reads one small
file and imports none of the plan logic, the store or the templates.

No dataclasses here (plain classes and NamedTuples): importing them costs the command more than
the list it prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from tui.core.dates import format_date
from tui.core.enums import FindingKind, Group, Sort
from tui.core.initiatives import Initiative, Milestone
from tui.lean import NamedTuple

TYPE_CHECKING = False  # typing is not imported at run time: see tui/lean.py
if TYPE_CHECKING:
    from typing import Any

WEEK_DAYS = 7  # "Denne uge": today and the six days after it

# What the review calls a finding, said short enough to stand beside a row.
NOTE_LABELS = {
    FindingKind.NO_RESPONSIBLE: "mangler ansvarlig",
    FindingKind.NO_DEADLINE: "mangler deadline",
    FindingKind.NOT_SMART: "ikke SMART",
    FindingKind.GAP: "mangler initiativ",
    FindingKind.BAD_DATE: "ugyldig dato",
}
OVERDUE_MILESTONE_NOTE = "milepæl overskredet"
DECISION_KINDS = (FindingKind.GAP, FindingKind.NO_RESPONSIBLE, FindingKind.NO_DEADLINE)


def group_of(ini: Initiative, today: date) -> Group:
    if ini.closed:
        return Group.CLOSED
    if ini.deadline is None:
        return Group.NO_DATE
    if ini.deadline < today:
        return Group.OVERDUE
    if ini.deadline < today + timedelta(days=WEEK_DAYS):
        return Group.THIS_WEEK
    return Group.LATER


class Entry:
    """One initiative in the outstanding view, with its group and the findings beside it."""

    __slots__ = ("_search_text", "group", "initiative", "notes")

    def __init__(self, initiative: Initiative, group: Group, notes: tuple[str, ...] = ()) -> None:
        self.initiative, self.group, self.notes = initiative, group, notes
        self._search_text: str | None = None

    def search_text(self) -> str:
        """Built once: the filter searches every row at each keystroke."""
        if self._search_text is None:
            ini = self.initiative
            self._search_text = " ".join((ini.title, ini.responsible, ini.plan_title, ini.section_title,
                                          ini.item_title, ini.status_label, *self.notes)).casefold()
        return self._search_text

    def _fields(self) -> tuple[Initiative, Group, tuple[str, ...]]:
        return self.initiative, self.group, self.notes

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"Entry(initiative={self.initiative!r}, group={self.group!r}, notes={self.notes!r})"


def entry_for(ini: Initiative, notes: Iterable[str], today: date) -> Entry:
    """The initiative's row: `notes` are its findings' (which do not change with the date);
    an overdue milestone, no longer "next", is not to be lost from sight."""
    labels = list(notes)
    if ini.overdue_milestones(today):
        labels.append(OVERDUE_MILESTONE_NOTE)
    return Entry(ini, group_of(ini, today), tuple(dict.fromkeys(labels)))


class Decision(NamedTuple):
    """A finding that needs the group's decision but has no initiative row to stand beside."""
    plan_id: str
    plan_title: str
    finding: Any  # a tui.core.findings.Finding, or a CachedFinding with its fields


class CachedFinding(NamedTuple):
    """A Finding's fields as the summary cache keeps them (tui.core.findings.Finding)."""
    kind: FindingKind
    section_id: str
    item_id: str | None
    field_id: str | None
    message: str
    milestone_id: str | None = None

    @property
    def label(self) -> str:
        return self.kind.label


class Outstanding:
    def __init__(self, entries: list[Entry] | None = None, decisions: list[Decision] | None = None) -> None:
        self.entries: list[Entry] = [] if entries is None else entries
        self.decisions: list[Decision] = [] if decisions is None else decisions
        # The entries sorted, by sort name: a filter keystroke keeps the order and need not sort again.
        self._sorted: dict[str, list[Entry]] = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Outstanding) and (self.entries, self.decisions) == (other.entries, other.decisions)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"Outstanding(entries={self.entries!r}, decisions={self.decisions!r})"

    def sorted_entries(self, sort: str) -> list[Entry]:
        if sort not in self._sorted:
            self._sorted[sort] = sorted(self.entries, key=_sort_key(sort))
        return self._sorted[sort]

    def grouped(self) -> list[tuple[Group, list[Entry]]]:
        return [(g, [e for e in self.entries if e.group == g]) for g in Group
                if any(e.group == g for e in self.entries)]

    @property
    def overdue_count(self) -> int:
        return sum(1 for e in self.entries if e.group == Group.OVERDUE)


def select(
    outstanding: Outstanding,
    *,
    query: str = "",
    responsible: str | None = None,
    overdue_only: bool = False,
    due_within: int | None = None,
    include_closed: bool = False,
    sort: str = Sort.DEADLINE,
    today: date | None = None,
) -> Outstanding:
    """Filtered and sorted. `query`: every word must occur in the initiative, its responsible,
    plan, section, status or notes. `due_within`: deadline within so many days from today
    (overdue ones included: they are due already)."""
    words = query.casefold().split()
    wanted = responsible.casefold().strip() if responsible else None
    today = today or date.today()
    entries = []
    for entry in outstanding.sorted_entries(sort):  # a stable sort: filtering keeps its order
        ini = entry.initiative
        if entry.group == Group.CLOSED and not include_closed:
            continue
        if overdue_only and entry.group != Group.OVERDUE:
            continue
        if due_within is not None and (ini.deadline is None or ini.deadline > today + timedelta(days=due_within)
                                       or entry.group == Group.CLOSED):
            continue
        if wanted and wanted not in ini.responsible.casefold():
            continue
        if words:
            haystack = entry.search_text()
            if not all(w in haystack for w in words):
                continue
        entries.append(entry)
    decisions = [] if (overdue_only or due_within is not None or wanted) else [
        d for d in outstanding.decisions
        if all(w in f"{d.plan_title} {d.finding.message}".casefold() for w in words)]
    return Outstanding(entries, decisions)


def _by_deadline(e: Entry) -> tuple[bool, date]:
    return e.initiative.deadline is None, e.initiative.deadline or date.max


def _sort_key(sort: str) -> Callable[[Entry], tuple[Any, ...]]:
    """The key for a Sort (an unknown name sorts by deadline)."""
    if sort == Sort.RESPONSIBLE:
        return lambda e: (not e.initiative.responsible, e.initiative.responsible.casefold(), *_by_deadline(e))
    if sort == Sort.PLAN:
        return lambda e: (e.initiative.plan_title.casefold(), *_by_deadline(e), e.initiative.title)
    return lambda e: (*_by_deadline(e), e.initiative.plan_title, e.initiative.title)


# -- the summary cache's part ---------------------------------------------------------------------

def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def plan_record(rows: list[tuple[Initiative, tuple[str, ...]]], gaps: Iterable[Any]) -> dict[str, Any]:
    """What the cache keeps of a plan for the view (JSON): each initiative with its findings'
    notes, and the gap findings that have no row (tui.core.followup.plan_rows)."""
    return {"i": [[i.section_id, i.section_title, i.item_id, i.item_title, i.title, i.responsible, _iso(i.deadline),
                   str(i.status), [[m.id, m.text, _iso(m.date), m.done] for m in i.milestones],
                   i.responsible_field, i.deadline_field, i.status_field, i.milestones_field, list(notes)]
                  for i, notes in rows],
            "g": [[str(f.kind), f.section_id, f.item_id, f.field_id, f.message, f.milestone_id] for f in gaps]}


def responsibles_record(initiatives: Iterable[Initiative]) -> str:
    """Who is responsible for the plan's initiatives (closed ones too), as the cache keeps it:
    one string, the names casefolded and joined by NUL, which no argument can hold, so an
    argument occurs in it exactly when it occurs in one of the names (has_responsible)."""
    return "\0".join(sorted({i.responsible.casefold() for i in initiatives if i.responsible}))


def has_responsible(record: bytes, responsible: str | None) -> bool:
    """Whether select(responsible=...) may keep a row of the plan whose responsibles_record this is."""
    import json

    wanted = responsible.casefold().strip() if responsible else None
    return not wanted or wanted in json.loads(record)


class CachedPlan(NamedTuple):
    """A usable plan record as the summary cache describes it: `summary` is a PlanSummary's JSON
    and `place` where plan_record's record is in the rows file (tui/store/summary_cache.py);
    `missing` (no summary) says that the plan's template is not here, as Workspace.plans would."""
    id: str
    title: str
    created: str
    summary: dict[str, Any] | None
    place: list[int] | None
    who: list[int] | None  # where responsibles_record's record is
    missing: str | None

    def may_show(self, today: date, *, overdue_only: bool, due_within: int | None) -> bool:
        """False when select's date filters leave none of the plan's rows: a plan is read only when
        it may. (They leave no decision either: select drops them with each of these filters.)"""
        if self.summary is None:
            return False
        open_deadlines = self.summary["deadlines"]  # of the initiatives not closed, ISO dates
        if overdue_only and not any(d < today.isoformat() for d in open_deadlines):
            return False
        limit = (today + timedelta(days=due_within)).isoformat() if due_within is not None else None
        return limit is None or any(d <= limit for d in open_deadlines)


def cached_plans(doc: dict[str, Any]) -> list[CachedPlan] | None:
    """The usable plans of a cache (tui.core.summaries.usable_cache), oldest first as
    Workspace.plans orders them; None when an entry lacks what the view needs."""
    plans = []
    for entry in doc["records"].values():
        if "summary" in entry:
            s = entry["summary"]
            if not isinstance(entry.get("o"), list) or not isinstance(entry.get("w"), list):
                return None
            plans.append(CachedPlan(str(s["id"]), str(s["title"]), str(s["created"]), s, entry["o"], entry["w"],
                                    None))
        elif "missing" in entry:
            if "id" not in entry:
                return None
            plans.append(CachedPlan(str(entry["id"]), str(entry["title"]), str(entry["created"]), None, None, None,
                                    str(entry["missing"])))
    plans.sort(key=lambda p: p.created)
    return plans


def resolve_cached(plans: list[CachedPlan], ref: str) -> CachedPlan | None:
    """The one plan `ref` names, tried as Workspace.resolve tries it; None when it names none or
    several (Workspace.resolve then says which, in its own words)."""
    ref = ref.strip()
    if not ref:
        return None
    folded = ref.casefold()
    for test in (
        lambda p: p.id == ref,
        lambda p: len(ref) >= 4 and p.id.startswith(ref),
        lambda p: p.title.casefold() == folded,
        lambda p: folded in p.title.casefold(),
    ):
        hits = [p for p in plans if test(p)]
        if hits:
            return hits[0] if len(hits) == 1 else None
    return None


def from_cached(plans: Iterable[tuple[CachedPlan, bytes]], today: date) -> Outstanding:
    """The view of the plans, each with its record from the rows file, as build_outstanding
    builds it from Plans."""
    import json

    result = Outstanding()
    for plan, data in plans:
        record = json.loads(data)
        template_id = str(plan.summary["template_id"]) if plan.summary else ""
        for (section_id, section_title, item_id, item_title, title, responsible, deadline, status, milestones,
             responsible_field, deadline_field, status_field, milestones_field, notes) in record["i"]:
            ini = Initiative(plan.id, plan.title, template_id, section_id, section_title, item_id, item_title,
                             title, responsible, _day(deadline), status,
                             tuple(Milestone(m[0], m[1], _day(m[2]), m[3]) for m in milestones),
                             responsible_field, deadline_field, status_field, milestones_field)
            result.entries.append(entry_for(ini, notes, today))
        for kind, *rest in record["g"]:
            result.decisions.append(Decision(plan.id, plan.title, CachedFinding(FindingKind(kind), *rest)))
    return result


# -- text for the reader ---------------------------------------------------------------------------

def days_text(ini: Initiative, today: date) -> str:
    """'3 dage over', 'i dag', 'om 5 dage'."""
    left = ini.days_left(today)
    if left is None or ini.closed:
        return ""
    if left < 0:
        return "1 dag over" if left == -1 else f"{-left} dage over"
    if left == 0:
        return "i dag"
    return "i morgen" if left == 1 else f"om {left} dage"


def entry_row(entry: Entry, today: date, *, with_plan: bool) -> list[str]:
    ini = entry.initiative
    row = [ini.section_title, ini.title, ini.responsible or "–", format_date(ini.deadline) or "–",
           days_text(ini, today), ini.next_milestone_text(today) or "–", ini.status_label, ", ".join(entry.notes)]
    return ([ini.plan_title] if with_plan else []) + row


def short_plan_title(title: str) -> str:
    """A plan's title without the »Implementering af« most titles begin with, for a narrow
    column: »Signs of Safety i …« tells the plans apart, »Implementering …« on every row does not."""
    import re

    short = re.sub(r"^implementering(?:splan|en)?\s+(?:af|for|med)\s+", "", title, count=1, flags=re.IGNORECASE)
    return short[:1].upper() + short[1:] if short else title


ROW_HEADERS = ["Afsnit", "Initiativ", "Ansvarlig", "Deadline", "Frist", "Næste milepæl", "Status", "Bemærkning"]


def outstanding_markdown(view: Outstanding, today: date, *, title: str = "Udestående initiativer",
                         with_plan: bool = True) -> str:
    from tui.core.markdown_text import inline, table

    parts = [f"# {inline(title)}", f"Udskrevet {format_date(today)}."]
    headers = (["Plan"] if with_plan else []) + ROW_HEADERS
    if not view.entries and not view.decisions:
        parts.append("Ingen initiativer passer på udvalget.")
    for group, entries in view.grouped():
        parts.append(f"## {group.label} ({len(entries)})")
        parts.append(table(headers, [entry_row(e, today, with_plan=with_plan) for e in entries]))
    if view.decisions:
        parts.append(f"## Kræver beslutning ({len(view.decisions)})")
        parts.append("\n".join(f"- {inline(d.plan_title)}: {inline(d.finding.message)}" for d in view.decisions))
    return "\n\n".join(parts) + "\n"


def my_list_markdown(view: Outstanding, responsible: str, today: date) -> str:
    """One person's initiatives, ready to paste into an email: short lines, no wide tables."""
    from tui.core.markdown_text import inline

    mine = select(view, responsible=responsible, today=today)
    parts = [f"# Min liste: {inline(responsible)}", f"Udestående initiativer pr. {format_date(today)}."]
    if not mine.entries:
        parts.append(f"{inline(responsible)} har ingen udestående initiativer.")
    for group, entries in mine.grouped():
        lines = [f"## {group.label} ({len(entries)})"]
        bullets = []
        for entry in entries:
            ini = entry.initiative
            when = format_date(ini.deadline)
            facts = [f"deadline {when} ({days_text(ini, today)})" if when else "ingen deadline",
                     ini.status_label.lower()]
            nxt = ini.next_milestone_text(today)
            if nxt:
                facts.append(f"næste milepæl: {nxt}")
            bullets.append(f"- **{inline(ini.title)}** – {inline(', '.join(facts))}  \n"
                           f"  {inline(ini.plan_title)} · {inline(ini.section_title)}")
        lines.append("\n".join(bullets))
        parts.append("\n\n".join(lines))
    return "\n\n".join(parts) + "\n"
