"""Following up a plan: outstanding initiatives grouped by urgency, the notes that belong beside
them, the meeting agenda and one person's list. Read by the TUI screen and the CLI alike."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from tui.core.dates import format_date
from tui.core.enums import FindingKind, Group, Sort
from tui.core.findings import Finding, item_findings, plan_findings
from tui.core.history import SinceMeeting, since_last_meeting
from tui.core.initiatives import Initiative, plan_initiatives
from tui.core.markdown_text import inline, table
from tui.core.plan import Plan

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


@dataclass(frozen=True)
class Entry:
    """One initiative in the outstanding view, with its group and the findings beside it."""
    initiative: Initiative
    group: Group
    notes: tuple[str, ...] = ()

    def search_text(self) -> str:
        return self._search_text

    @cached_property
    def _search_text(self) -> str:
        """Built once: the filter searches every row at each keystroke."""
        ini = self.initiative
        return " ".join((ini.title, ini.responsible, ini.plan_title, ini.section_title, ini.item_title,
                         ini.status_label, *self.notes)).casefold()


@dataclass(frozen=True)
class Decision:
    """A finding that needs the group's decision but has no initiative row to stand beside."""
    plan_id: str
    plan_title: str
    finding: Finding


@dataclass
class Outstanding:
    entries: list[Entry] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    # The entries sorted, by sort name: a filter keystroke keeps the order and need not sort again.
    _sorted: dict[str, list[Entry]] = field(default_factory=dict, repr=False, compare=False)

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


def build_outstanding(plans: Iterable[Plan], today: date) -> Outstanding:
    """Every initiative of the plans, grouped, with notes; and the gaps that have no row."""
    result = Outstanding()
    for plan in plans:
        initiatives = plan_initiatives(plan)
        # The notes and decisions are of NOTE_LABELS' kinds only: no CPR scan, no unanswered fields.
        findings = item_findings(plan, initiatives, unanswered=False)
        by_item: dict[str, list[Finding]] = {}
        for finding in findings:
            if finding.item_id and finding.kind in NOTE_LABELS:
                by_item.setdefault(finding.item_id, []).append(finding)
        rows = set()
        for ini in initiatives:
            rows.add(ini.item_id)
            labels = [NOTE_LABELS[f.kind] for f in by_item.get(ini.item_id, [])]
            if ini.overdue_milestones(today):  # not "next" any more, and not to be lost from sight
                labels.append(OVERDUE_MILESTONE_NOTE)
            notes = tuple(dict.fromkeys(labels))
            result.entries.append(Entry(ini, group_of(ini, today), notes))
        for finding in findings:
            if finding.kind == FindingKind.GAP and finding.item_id not in rows:
                result.decisions.append(Decision(plan.id, plan.title, finding))
    return result


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


_TITLE_FILLER = re.compile(r"^implementering(?:splan|en)?\s+(?:af|for|med)\s+", re.IGNORECASE)


def short_plan_title(title: str) -> str:
    """A plan's title without the »Implementering af« most titles begin with, for a narrow
    column: »Signs of Safety i …« tells the plans apart, »Implementering …« on every row does not."""
    short = _TITLE_FILLER.sub("", title, count=1)
    return short[:1].upper() + short[1:] if short else title


ROW_HEADERS = ["Afsnit", "Initiativ", "Ansvarlig", "Deadline", "Frist", "Næste milepæl", "Status", "Bemærkning"]


def outstanding_markdown(view: Outstanding, today: date, *, title: str = "Udestående initiativer",
                         with_plan: bool = True) -> str:
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


# -- the meeting agenda ----------------------------------------------------------------------------

DEFAULT_MEETING_INTERVAL = 14  # days, when no next meeting is set


def agenda_markdown(plan: Plan, today: date, next_meeting: date | None = None) -> str:
    since = since_last_meeting(plan, today)
    if next_meeting is None:
        planned = since.meeting.next_date if since.meeting else None
        next_meeting = planned if planned and planned > today else today + timedelta(days=DEFAULT_MEETING_INTERVAL)
    view = build_outstanding([plan], today)
    parts = [f"# Dagsorden: opfølgning på {inline(plan.title)}"]
    facts = [["Møde", format_date(today)],
             ["Sidste opfølgningsmøde", format_date(since.meeting.day) if since.meeting else "Intet endnu"],
             ["Næste møde", format_date(next_meeting)]]
    if plan.organisation:
        facts.insert(0, ["Organisation", plan.organisation])
    parts.append(table(["", ""], facts))

    overdue = [e for e in view.entries if e.group == Group.OVERDUE]
    parts.append(f"## 1. Overskredne initiativer ({len(overdue)})")
    if not overdue:
        parts.append("Ingen initiativer har overskredet deadline.")
    by_person: dict[str, list[Entry]] = {}
    for entry in sorted(overdue, key=lambda e: e.initiative.deadline or date.max):
        by_person.setdefault(entry.initiative.responsible or "Uden ansvarlig", []).append(entry)
    for person in sorted(by_person, key=lambda p: (p == "Uden ansvarlig", p.casefold())):
        parts.append(f"### {inline(person)}")
        parts.append(table(["Initiativ", "Afsnit", "Deadline", "Over", "Næste milepæl"], [
            [e.initiative.title, e.initiative.section_title, format_date(e.initiative.deadline),
             days_text(e.initiative, today), e.initiative.next_milestone_text(today) or "–"]
            for e in by_person[person]]))

    due = [e for e in select(view, sort="deadline", today=today).entries
           if e.group != Group.OVERDUE and e.initiative.deadline and e.initiative.deadline <= next_meeting]
    parts.append(f"## 2. Forfalder inden næste møde ({len(due)})")
    if due:
        parts.append(table(["Initiativ", "Ansvarlig", "Deadline", "Status", "Næste milepæl"], [
            [e.initiative.title, e.initiative.responsible or "–", format_date(e.initiative.deadline),
             e.initiative.status_label, e.initiative.next_milestone_text(today) or "–"] for e in due]))
    else:
        parts.append(f"Intet forfalder før {format_date(next_meeting)}.")

    parts.append("## 3. " + since_heading(since))
    parts.append(since_markdown(since))

    decisions = [f for f in plan_findings(plan) if f.kind in DECISION_KINDS]
    parts.append(f"## 4. Til beslutning ({len(decisions)})")
    parts.append("\n".join(f"- **{f.label}:** {inline(f.message)}" for f in decisions)
                 if decisions else "Ingen punkter kræver beslutning.")
    return "\n\n".join(parts) + "\n"


def since_heading(since: SinceMeeting) -> str:
    if since.meeting is None:
        return "Ændringer (intet opfølgningsmøde endnu)"
    return f"Ændringer siden sidste opfølgning ({format_date(since.meeting.day)})"


SINCE_GROUPS = (("completed", "Gennemført"), ("moved", "Flyttede deadlines"), ("new", "Nye initiativer"),
                ("other", "Andre ændringer"))


def since_lines(since: SinceMeeting) -> list[tuple[str, list[str]]]:
    """The groups of "since the last meeting", each a heading and its lines (plain text)."""
    groups = [(label, [c.describe() for c in getattr(since, name)]) for name, label in SINCE_GROUPS]
    groups.insert(3, ("Nye overskredne", [
        f"»{i.title}« ({i.responsible or 'uden ansvarlig'}): deadline {format_date(i.deadline)}"
        for i in since.new_overdue]))
    return [(label, lines) for label, lines in groups if lines]


def since_markdown(since: SinceMeeting) -> str:
    groups = since_lines(since)
    if not groups:
        return "Intet er ændret siden sidste opfølgning."
    return "\n\n".join(f"**{label}**\n\n" + "\n".join(f"- {inline(line)}" for line in lines)
                       for label, lines in groups)
