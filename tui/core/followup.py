"""Following up a plan: outstanding initiatives grouped by urgency, the notes that belong beside
them, the meeting agenda and one person's list. Read by the TUI screen and the CLI alike.

The view itself and what writes it out need no plan: they are in tui/core/outstanding_view.py
(for `implan outstanding`, which reads the summary cache) and are this module's names too."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from tui.core.dates import format_date
from tui.core.enums import FindingKind, Group
from tui.core.findings import Finding, item_findings, plan_findings
from tui.core.history import SinceMeeting, since_last_meeting
from tui.core.initiatives import Initiative, plan_initiatives
from tui.core.markdown_text import inline, table
from tui.core.outstanding_view import (
    DECISION_KINDS,
    NOTE_LABELS,
    OVERDUE_MILESTONE_NOTE,
    ROW_HEADERS,
    WEEK_DAYS,
    Decision,
    Entry,
    Outstanding,
    days_text,
    entry_for,
    entry_row,
    group_of,
    my_list_markdown,
    outstanding_markdown,
    plan_record,
    select,
    short_plan_title,
)
from tui.core.outstanding_view import _sort_key as _sort_key
from tui.core.plan import Plan

__all__ = [  # with the view's names from outstanding_view
    "DECISION_KINDS",
    "DEFAULT_MEETING_INTERVAL",
    "NOTE_LABELS",
    "OVERDUE_MILESTONE_NOTE",
    "ROW_HEADERS",
    "SINCE_GROUPS",
    "WEEK_DAYS",
    "Decision",
    "Entry",
    "Outstanding",
    "agenda_markdown",
    "build_outstanding",
    "days_text",
    "entry_for",
    "entry_row",
    "group_of",
    "my_list_markdown",
    "outstanding_markdown",
    "outstanding_record",
    "plan_record",
    "plan_rows",
    "select",
    "short_plan_title",
    "since_heading",
    "since_lines",
    "since_markdown",
]


def plan_rows(plan: Plan, initiatives: list[Initiative] | None = None
              ) -> tuple[list[tuple[Initiative, tuple[str, ...]]], list[Finding]]:
    """Each initiative of the plan with the notes of its findings (which do not change with the
    date), and the gaps that have no row."""
    initiatives = plan_initiatives(plan) if initiatives is None else initiatives
    # The notes and decisions are of NOTE_LABELS' kinds only: no CPR scan, no unanswered fields.
    findings = item_findings(plan, initiatives, unanswered=False)
    by_item: dict[str, list[str]] = {}
    for finding in findings:
        if finding.item_id and finding.kind in NOTE_LABELS:
            by_item.setdefault(finding.item_id, []).append(NOTE_LABELS[finding.kind])
    rows = {ini.item_id for ini in initiatives}
    gaps = [f for f in findings if f.kind == FindingKind.GAP and f.item_id not in rows]
    return [(ini, tuple(by_item.get(ini.item_id, ()))) for ini in initiatives], gaps


def outstanding_record(plan: Plan, initiatives: list[Initiative] | None = None) -> dict[str, Any]:
    """What the summary cache keeps of the plan for `implan outstanding` (outstanding_view.from_cached)."""
    return plan_record(*plan_rows(plan, initiatives))


def build_outstanding(plans: Iterable[Plan], today: date) -> Outstanding:
    """Every initiative of the plans, grouped, with notes; and the gaps that have no row."""
    result = Outstanding()
    for plan in plans:
        rows, gaps = plan_rows(plan)
        result.entries += [entry_for(ini, notes, today) for ini, notes in rows]
        result.decisions += [Decision(plan.id, plan.title, finding) for finding in gaps]
    return result


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
