"""The timeline: months across, initiatives down, deadlines and milestones as marks, today marked.

One layout serves the TUI (styled), the CLI (plain text) and the Markdown export (a Mermaid
`gantt` block that GitHub, GitLab and Obsidian draw).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from tui.core.dates import format_date
from tui.core.enums import Status
from tui.core.initiatives import Initiative, by_deadline

MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MONTH_WIDTH = 6  # characters per month: about five days each

# What a cell shows; the TUI styles by kind, the plain text shows the character.
MARKS = {
    "span": "─",
    "deadline": "◆",
    "deadline-overdue": "◆",
    "deadline-done": "◇",
    "ms-open": "○",
    "ms-overdue": "○",
    "ms-done": "●",
    "today": "┊",
}


@dataclass(frozen=True)
class TimelineRow:
    initiative: Initiative
    cells: tuple[tuple[str, str], ...]  # (character, kind) along the whole track


@dataclass(frozen=True)
class Timeline:
    months: tuple[date, ...]  # the first day of each month shown
    rows: tuple[TimelineRow, ...]
    today_column: int | None
    month_width: int = MONTH_WIDTH

    @property
    def width(self) -> int:
        return len(self.months) * self.month_width

    def header_lines(self) -> tuple[str, str]:
        """The years (where a year starts, and at the left edge), then the month names."""
        years, names = "", ""
        for index, month in enumerate(self.months):
            year = str(month.year) if index == 0 or month.month == 1 else ""
            years += year.ljust(self.month_width)
            names += MONTHS[month.month - 1][: self.month_width - 1].ljust(self.month_width)
        return years, names


def _dates(ini: Initiative) -> list[date]:
    return [d for d in [ini.deadline, *(m.date for m in ini.milestones)] if d is not None]


def month_starts(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def column_of(day: date, months: list[date], width: int = MONTH_WIDTH) -> int | None:
    start = day.replace(day=1)
    try:
        index = months.index(start)
    except ValueError:
        return None
    days = calendar.monthrange(day.year, day.month)[1]
    return index * width + (day.day - 1) * width // days


def _column(day: date, months: list[date], width: int) -> int:
    """The column of a day inside the months shown (build_timeline spans every date it draws)."""
    column = column_of(day, months, width)
    assert column is not None
    return column


def build_timeline(initiatives: Iterable[Initiative], today: date, *, month_width: int = MONTH_WIDTH) -> Timeline:
    """Initiatives with at least one date, soonest deadline first; months from the earliest date
    (or today) to the latest (or today)."""
    dated = [i for i in by_deadline(initiatives) if _dates(i)]
    every = [d for i in dated for d in _dates(i)] + [today]
    months = month_starts(min(every), max(every))
    width = len(months) * month_width
    today_col = column_of(today, months, month_width)
    rows = []
    for ini in dated:
        track = [(" ", "")] * width
        if today_col is not None:
            track[today_col] = (MARKS["today"], "today")
        points = sorted(_dates(ini))
        first = _column(points[0], months, month_width)
        last = _column(points[-1], months, month_width)
        for col in range(first, last + 1):
            track[col] = (MARKS["span"], "span")
        for ms in ini.milestones:
            if ms.date is None:
                continue
            kind = "ms-done" if ms.done else ("ms-overdue" if ms.is_overdue(today) else "ms-open")
            track[_column(ms.date, months, month_width)] = (MARKS[kind], kind)
        if ini.deadline is not None:
            kind = "deadline-done" if ini.closed else ("deadline-overdue" if ini.is_overdue(today) else "deadline")
            track[_column(ini.deadline, months, month_width)] = (MARKS[kind], kind)
        rows.append(TimelineRow(ini, tuple(track)))
    return Timeline(tuple(months), tuple(rows), today_col, month_width)


def timeline_text(timeline: Timeline, label_width: int = 32) -> str:
    """Plain text for the CLI: a label column, then the track."""
    lines = [" " * label_width + " " + line.rstrip() for line in timeline.header_lines()]
    if timeline.today_column is not None:
        lines.append(" " * label_width + " " + " " * timeline.today_column + "▼ i dag")
    for row in timeline.rows:
        label = row.initiative.title
        label = label if len(label) <= label_width else label[: label_width - 1] + "…"
        lines.append(label.ljust(label_width) + " " + "".join(ch for ch, _ in row.cells).rstrip())
    lines.append("")
    lines.append("◆ deadline  ◇ afsluttet  ○ milepæl  ● milepæl udført  ┊ i dag")
    return "\n".join(lines) + "\n"


# -- Mermaid -----------------------------------------------------------------------------------------

_MERMAID_UNSAFE = re.compile(r"[:;#%`<>{}\[\]\"\\]")


def _mermaid_text(text: str, limit: int = 60) -> str:
    """A task or section name Mermaid cannot misread: no colons, semicolons, comments or markup."""
    text = " ".join(_MERMAID_UNSAFE.sub(" ", str(text)).split())
    text = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return text or "uden titel"


def mermaid_gantt(initiatives: Iterable[Initiative], today: date, title: str = "Tidslinje") -> str:
    """A ```mermaid gantt block: one task per dated initiative (from its first milestone to its
    deadline), milestones as milestone marks; overdue as crit, closed as done."""
    dated = [i for i in by_deadline(initiatives) if _dates(i)]
    if not dated:
        return ""
    lines = ["```mermaid", "gantt", f"    title {_mermaid_text(title)}", "    dateFormat YYYY-MM-DD",
             "    axisFormat %m-%Y"]
    sections: dict[str, list[Initiative]] = {}
    for ini in dated:
        sections.setdefault(ini.section_title, []).append(ini)
    counter = 0
    for section, items in sections.items():
        lines.append(f"    section {_mermaid_text(section, 40)}")
        for ini in items:
            counter += 1
            points = sorted(_dates(ini))
            start, end = points[0], ini.deadline or points[-1]
            dropped = ini.status == Status.DROPPED
            name = _mermaid_text(ini.title) + (" (udgået)" if dropped else "")
            tags = ["done"] if ini.closed and not dropped else (["crit"] if ini.is_overdue(today) else [])
            if end <= start:
                # Only one date: a mark on that day, not a bar with a start nobody wrote.
                lines.append(f"    {name} :{', '.join(['milestone', *tags, f't{counter}'])}, {end.isoformat()}, 0d")
            else:
                if not ini.closed and not ini.is_overdue(today) and start <= today <= end:
                    tags.append("active")
                lines.append(f"    {name} :{', '.join([*tags, f't{counter}'])}, {start.isoformat()}, {end.isoformat()}")
            for number, (ms, ms_date) in enumerate((m, m.date) for m in ini.milestones if m.date is not None):
                ms_tags = ["milestone", "done" if ms.done else ("crit" if ms.is_overdue(today) else "")]
                lines.append(f"    {_mermaid_text(ms.text or 'Milepæl')} :{', '.join(t for t in ms_tags if t)}, "
                             f"t{counter}m{number}, {ms_date.isoformat()}, 0d")
    lines.append("```")
    return "\n".join(lines)


def timeline_caption(timeline: Timeline) -> str:
    if not timeline.months:
        return ""
    last = timeline.months[-1]
    end = last.replace(day=calendar.monthrange(last.year, last.month)[1])
    return f"{format_date(timeline.months[0])} – {format_date(end)}"


# -- The timeline as a table (documents: Markdown, HTML, Word) ----------------------------------------

# A document's marks: the same shapes as the TUI's, and "!" so that overdue shows without colour.
GRID_LEGEND = "◆ deadline · ◇ deadline, afsluttet · ○ milepæl · ● milepæl nået · ! overskredet · ─ undervejs"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day in the period
    label: str


@dataclass(frozen=True)
class GridRow:
    initiative: Initiative
    cells: tuple[str, ...]  # one per period: its marks, "─" between the first and last date, or ""


@dataclass(frozen=True)
class TimelineGrid:
    unit: str  # "måneder", "kvartaler", "halvår" or "år": what a column is
    periods: tuple[Period, ...]
    rows: tuple[GridRow, ...]
    today_index: int | None  # the period today falls in

    def headers(self) -> list[str]:
        return [p.label + (" (i dag)" if i == self.today_index else "") for i, p in enumerate(self.periods)]

    def fits(self, max_columns: int) -> bool:
        return len(self.periods) <= max_columns

    def too_wide_note(self) -> str:
        """Why a document leaves the table out: dates so far apart that even years do not fit."""
        first, last = self.periods[0].start.year, self.periods[-1].end.year
        return (f"Tidslinjen er udeladt: datoerne spænder over {last - first + 1} år ({first}–{last}). "
                "Er en af dem en tastefejl, så ret den; tabellen ovenfor har alle datoer.")

    def caption(self) -> str:
        first, last = format_date(self.periods[0].start), format_date(self.periods[-1].end)
        return f"{self.unit.capitalize()} fra {first} til {last}."


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _periods(first: date, last: date, months_each: int) -> list[Period]:
    """Periods of `months_each` months aligned to the calendar (quarters start in jan, apr, jul, okt)."""
    start = first.replace(month=(first.month - 1) // months_each * months_each + 1, day=1)
    periods: list[Period] = []
    while start <= last:
        index = (start.month - 1) // months_each
        end_month = date(start.year, start.month + months_each - 1, 1)
        first_of_year = not periods or index == 0
        if months_each == 1:
            label = MONTHS[start.month - 1] + (f" {start.year}" if first_of_year else "")
        elif months_each == 12:
            label = str(start.year)
        else:
            name = "kvt." if months_each == 3 else "halvår"
            label = f"{index + 1}. {name}" + (f" {start.year}" if first_of_year else "")
        periods.append(Period(start, _month_end(end_month), label))
        start = (end_month + timedelta(days=32)).replace(day=1)
    return periods


_UNITS = ((1, "måneder"), (3, "kvartaler"), (6, "halvår"), (12, "år"))


def _marks(ini: Initiative, period: Period, today: date) -> str:
    marks = []
    for ms in sorted((m for m in ini.milestones if m.date is not None), key=lambda m: m.date or today):
        if ms.date is not None and period.start <= ms.date <= period.end:
            marks.append("●" if ms.done else ("○!" if ms.is_overdue(today) else "○"))
    if ini.deadline is not None and period.start <= ini.deadline <= period.end:
        marks.append("◇" if ini.closed else ("◆!" if ini.is_overdue(today) else "◆"))
    return " ".join(marks)


def timeline_grid(initiatives: Iterable[Initiative], today: date, max_columns: int = 12) -> TimelineGrid | None:
    """The dated initiatives, soonest deadline first, against months (or quarters, half-years or
    years: the smallest unit that fits in `max_columns`, else years however many; see `fits`)
    from the earliest date to the latest, today included. None when no initiative has a date."""
    dated = [i for i in by_deadline(initiatives) if _dates(i)]
    if not dated:
        return None
    every = [d for i in dated for d in _dates(i)] + [today]
    first, last = min(every), max(every)
    fitting = ((_periods(first, last, months), unit) for months, unit in _UNITS)
    periods, unit = next((f for f in fitting if len(f[0]) <= max_columns), (_periods(first, last, 12), "år"))
    rows = []
    for ini in dated:
        points = sorted(_dates(ini))
        cells = []
        for period in periods:
            marks = _marks(ini, period, today)
            between = points[0] < period.start and period.end < points[-1]
            cells.append(marks or ("─" if between else ""))
        rows.append(GridRow(ini, tuple(cells)))
    today_index = next((i for i, p in enumerate(periods) if p.start <= today <= p.end), None)
    return TimelineGrid(unit, tuple(periods), tuple(rows), today_index)
