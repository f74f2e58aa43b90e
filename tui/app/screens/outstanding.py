"""Udestående initiativer: what is overdue, due this week, later or undated, across one plan or
all plans. Filter as you type, sort, change status and tick off milestones in place."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static

from tui.app import memory, outstanding_data
from tui.app.messages import OpenDocument, OpenPlan, OpenTimeline
from tui.app.screens.choice import ChoiceScreen, MilestonesScreen
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.prompt import PromptScreen
from tui.app.theme import overdue_style
from tui.app.web import deliver
from tui.app.widgets.basics import FastRowTable
from tui.app.widgets.footer import FittingFooter
from tui.core import followup
from tui.core.dates import DateError, format_date, parse_date
from tui.core.enums import Group, Sort, Status
from tui.core.history import mark_meeting, since_last_meeting
from tui.core.ics import initiatives_to_ics
from tui.core.initiatives import (
    Initiative,
    answer_change,
    plan_initiatives,
    set_milestone_done,
    set_status,
    status_choices,
)
from tui.core.plan import Plan
from tui.core.refs import FieldRef
from tui.core.text import shorten
from tui.core.workspace import Workspace
from tui.fileio import atomic_write_text, describe_os_error, safe_filename
from tui.paths import export_dir, prepare_folder
from tui.store import StoreError

if TYPE_CHECKING:
    from tui.app.app import ImplanApp
GROUP_STYLE = {Group.OVERDUE: "bold red", Group.THIS_WEEK: "bold yellow", Group.LATER: "bold",
               Group.NO_DATE: "bold", Group.CLOSED: "bold dim"}
FILTER_DELAY = 0.05  # seconds of quiet typing before the list is filtered again
# Rows in the table: thousands make every keystroke wait; the filter finds the rest.
MAX_ROWS = 300


class OutstandingScreen(Screen[FieldRef | None]):
    """With `plan` set (opened from the wizard), Enter closes the screen with the FieldRef to
    show; from the plan list, Enter opens the plan at it. The store is read and changed in
    threads (a change waits for the database lock); the table is filled on the event loop."""

    if TYPE_CHECKING:
        app = getters.app(ImplanApp)  # for mypy: self.app is an ImplanApp

    CSS_PATH = "outstanding.tcss"
    BINDINGS = [
        Binding("enter", "open", "Åbn", id="outstanding.open", show=False),
        Binding("s", "status", "Status", id="outstanding.status"),
        Binding("m", "milestones", "Milepæle", id="outstanding.milestones"),
        # What the meeting needs fits the Footer at 80 columns; the status line names O and A, F1 lists all.
        Binding("o", "sort", "Sortér", id="outstanding.sort", show=False),
        Binding("a", "toggle_closed", "Afsluttede", id="outstanding.closed", show=False),
        Binding("t", "timeline", "Tidslinje", id="outstanding.timeline"),
        Binding("f", "meeting", "Møde", id="outstanding.meeting"),
        Binding("c", "since", "Siden sidst", id="outstanding.since"),
        Binding("g", "agenda", "Dagsorden", id="outstanding.agenda"),
        Binding("l", "my_list", "Min liste", id="outstanding.mylist", show=False),
        Binding("k", "calendar", "Kalender", id="outstanding.calendar", show=False),
        Binding("slash", "focus_filter", "Filtrér", id="outstanding.filter", show=False),
        Binding("escape", "back", "Tilbage", id="outstanding.back", show=False),
        Binding("ctrl+q", "app.quit", "Afslut", id="outstanding.quit", show=False, priority=True),
    ]

    def __init__(self, workspace: Workspace, plan: Plan | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.plan_id = plan.id if plan else None
        self.heading = plan.title if plan else "Alle planer"
        self.plans: dict[str, Plan] = {}  # read since the last reload (all plans: when an action needs one)
        self.sort = Sort.DEADLINE
        self.include_closed = False
        self.view = followup.Outstanding()
        self.shown = followup.Outstanding()
        self._rows: dict[str, object] = {}
        self._filter_timer: Timer | None = None
        self._filtered_at = 0.0  # time.monotonic() of the last filtering
        self._shown_texts: dict[str, str] = {}  # what #summary and #detail show
        self._last_select: tuple[tuple, followup.Outstanding, followup.Outstanding] = (("",), self.view, self.shown)
        # An entry's cells, made once for a layout (columns, widths, today): a keystroke in the
        # filter mostly shows rows it showed before.
        self._cell_cache: dict[int, tuple[followup.Entry, list]] = {}
        self._cells_for: tuple = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filtrér: ansvarlig, plan eller tekst … (/)", id="filter")
        yield Static("", id="summary", markup=False)
        yield FastRowTable(id="initiatives", cursor_type="row", zebra_stripes=False)
        yield Static("", id="detail")
        yield FittingFooter(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        self.title = "Udestående initiativer"
        self.sub_title = self.heading
        self.query_one(DataTable).focus()
        await self.reload()

    def on_resize(self) -> None:
        self.render_rows(keep=self.selected_key())

    # -- data --------------------------------------------------------------------------------------
    async def _read(self, today) -> outstanding_data.Read:
        return await asyncio.to_thread(outstanding_data.read_all, self.workspace, today, self.sort, self.plan_id)

    def on_unmount(self) -> None:
        memory.release()  # what outstanding_data.read_all froze is collected as usual again

    async def reload(self, keep: str | None = None) -> None:
        """Read the plans again (after a change), in a thread, and show them."""
        try:
            plans, view = await self._read(self.app.today)
        except Exception as exc:  # a Danish message from the store or lookup
            self.notify(str(exc), severity="error")
            plans, view = [], followup.Outstanding()
        if self.plan_id and plans:
            self.sub_title = plans[0].title
        self.plans = {plan.id: plan for plan in plans}
        self.view = view
        if self.is_mounted:
            self.render_rows(keep=keep)

    def filtered(self) -> followup.Outstanding:
        query = self.query_one("#filter", Input).value
        # Typing on at the end of the query only narrows what it found: select among those, not
        # among all 10 000 again (every word of the longer query holds a word of the shorter).
        asked = (query.casefold(), self.include_closed, self.sort)
        last, view, among = self._last_select
        narrows = view is self.view and last[0] and asked[0].startswith(last[0]) and last[1:] == asked[1:]
        shown = followup.select(among if narrows else self.view, query=query, include_closed=self.include_closed,
                                sort=self.sort, today=self.app.today)
        self._last_select = (asked, self.view, shown)
        return shown

    # -- the table ---------------------------------------------------------------------------------
    def render_rows(self, keep: str | None = None) -> None:
        table = self.query_one(FastRowTable)
        today = self.app.today
        self.shown = self.filtered()
        table.clear(columns=True)
        self._rows = {}
        widths = self._widths()
        order = ["Plan", "Afsnit", "Initiativ", "Ansvarlig", "Deadline", "Næste milepæl", "Status", "Bemærkning"]
        self.columns = [name for name in order if name in widths]
        for name in self.columns:
            table.add_column(name, width=widths[name], key=name)
        # All rows at once, in one frame: with FastRowTable 300 rows cost ~15 ms to put in, and a
        # second frame for the rest after the first would only make the result settle later.
        layout = (tuple(widths.items()), today, id(self.view), overdue_style(self.app))
        if layout != self._cells_for:
            self._cell_cache, self._cells_for = {}, layout
        for key, cells, payload in self._table_rows(widths, today):
            table.add_row(*cells, key=key)
            self._rows[key] = payload
        table.update_dimensions_now()
        self._restore_cursor(keep)
        self.describe()

    def _widths(self) -> dict[str, int]:
        """The columns shown and their widths."""
        all_plans = self.plan_id is None
        # Fits the terminal: the essential columns at their least, then optional columns while
        # there is room, then what is left to the initiative and its responsible.
        widths = {"Initiativ": 20, "Ansvarlig": 14, "Deadline": 10, "Status": 12}
        # An empty remarks column would only take room from the initiative and its owner.
        if any(e.notes for e in self.shown.entries):
            widths["Bemærkning"] = 11
        budget = max(0, self.size.width - 6) - sum(widths.values()) - 2 * len(widths)  # 6: scrollbar, edges
        # Across plans, which plan a row is in comes first (the list can be sorted by plan).
        optional = ([("Plan", 18)] if all_plans else []) + [("Næste milepæl", 22), ("Afsnit", 16)]
        for name, size in optional:
            if budget >= size + 2 + 12:
                widths[name] = size
                budget -= size + 2
        grow = min(budget // 3, 12)
        widths["Ansvarlig"] += grow
        widths["Initiativ"] += budget - grow
        return widths

    def _table_rows(self, widths: dict[str, int], today) -> Iterator[tuple[str, list, object]]:
        """The table's rows in order (key, cells, payload), made as they are put in."""
        blank = [""] * (len(self.columns) - 1)
        room = MAX_ROWS
        for group, entries in self.shown.grouped():
            if room <= 0:
                break
            style = overdue_style(self.app) if group == Group.OVERDUE else GROUP_STYLE[group]
            yield f"group:{group}", [Text(f"{group.label} ({len(entries)})", style=style), *blank], None
            for entry in entries[:room]:
                ini = entry.initiative
                cached = self._cell_cache.get(id(entry))
                if cached is None or cached[0] is not entry:
                    cached = self._cell_cache[id(entry)] = (entry, self._cells(entry, widths, today))
                yield f"ini:{ini.plan_id}:{ini.item_id}", cached[1], entry
            room -= len(entries)
        if room < 0:
            more = Text(f"… og {-room} mere – skriv i filteret for at indsnævre listen", style="italic")
            yield "group:more", [more, *blank], None
        if self.shown.decisions:
            label = Text(f"Kræver beslutning ({len(self.shown.decisions)})", style="bold magenta")
            yield "group:decisions", [label, *blank], None
            for index, decision in enumerate(self.shown.decisions):
                cells = {"Plan": decision.plan_title, "Initiativ": decision.finding.message,
                         "Bemærkning": "mangler initiativ"}
                yield (f"decision:{index}", [Text(shorten(cells.get(c, ""), widths[c])) for c in self.columns],
                       decision)

    def _cells(self, entry: followup.Entry, widths: dict[str, int], today) -> list:
        ini = entry.initiative
        overdue = entry.group == Group.OVERDUE
        values = {
            # »!« marks overdue also where colour does not show (NO_COLOR, a grey-scale print).
            # The column is narrow: the words that tell plans apart (the detail line has the whole title).
            "Plan": followup.short_plan_title(ini.plan_title), "Afsnit": ini.section_title,
            "Initiativ": ("! " if overdue else "") + ini.title,
            "Ansvarlig": ini.responsible or "–", "Deadline": format_date(ini.deadline) or "–",
            "Næste milepæl": ini.next_milestone_text(today) or "–", "Status": ini.status_label,
            "Bemærkning": ", ".join(entry.notes),
        }
        cells = []
        for name in self.columns:
            style = ""
            if overdue and name in ("Initiativ", "Deadline"):
                style = overdue_style(self.app)
            elif name == "Bemærkning":
                style = "yellow"
            elif entry.group == Group.CLOSED:
                style = "dim"
            cells.append(Text(shorten(values[name], widths[name]), style=style))
        return cells

    def _restore_cursor(self, keep: str | None) -> None:
        table = self.query_one(DataTable)
        keys = list(self._rows)
        if not keys:
            return
        target = keys.index(keep) if keep in self._rows else next(
            (i for i, k in enumerate(keys) if not k.startswith("group:")), 0)
        table.move_cursor(row=target, animate=False)

    def selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_entry(self) -> followup.Entry | None:
        payload = self._rows.get(self.selected_key() or "")
        return payload if isinstance(payload, followup.Entry) else None

    @on(DataTable.RowHighlighted)
    def describe(self) -> None:
        shown = self.shown
        parts = [f"{len(shown.entries)} initiativer" if len(shown.entries) != 1 else "1 initiativ"]
        if overdue := shown.overdue_count:
            parts.append(f"{overdue} overskredet")
        parts.append(f"sorteret efter {self.sort.label} (O)")
        parts.append("afsluttede vises (A)" if self.include_closed else "afsluttede skjult (A)")
        self._show("#summary", " · ".join(parts))
        entry = self.selected_entry()
        detail = ""
        if entry is not None:
            ini = entry.initiative
            bits = [ini.title, f"Ansvarlig: {ini.responsible or 'ingen'}",
                    f"Deadline: {format_date(ini.deadline) or 'ingen'}"
                    + (f" ({followup.days_text(ini, self.app.today)})" if ini.deadline else "")]
            nxt = ini.next_milestone_text(self.app.today)
            if nxt:
                bits.append(f"Næste milepæl: {nxt}")
            if self.plan_id is None:
                bits.append(f"Plan: {ini.plan_title}")
            detail = " · ".join(bits)
        elif isinstance(decision := self._rows.get(self.selected_key() or ""), followup.Decision):
            detail = f"{decision.plan_title}: {decision.finding.message} Enter går til spørgsmålet."
        self._show("#detail", detail)

    def _show(self, selector: str, text: str) -> None:
        """Updated only when it changes: each update is a frame more after a keystroke."""
        if self._shown_texts.get(selector) != text:
            self._shown_texts[selector] = text
            self.query_one(selector, Static).update(Text(text))

    # -- filtering ---------------------------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        """The first keystroke after a pause is shown at once; those that follow it quickly wait
        for a pause in the typing."""
        if self._filter_timer is not None:
            self._filter_timer.stop()
        if time.monotonic() - self._filtered_at >= FILTER_DELAY:
            self._filter_now()
        else:
            self._filter_timer = self.set_timer(FILTER_DELAY, self._filter_now)

    def _filter_now(self) -> None:
        self._filtered_at = time.monotonic()
        self.render_rows(keep=self.selected_key())

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one(DataTable).focus()

    def on_key(self, event) -> None:
        # Down from the filter goes to the list, as in a search box.
        if event.key == "down" and self.focused is self.query_one("#filter", Input):
            event.stop()
            self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        self.sort = self.sort.next()
        self.render_rows(keep=self.selected_key())
        self.notify(f"Sorteret efter {self.sort.label}.", timeout=2)

    def action_toggle_closed(self) -> None:
        self.include_closed = not self.include_closed
        self.render_rows(keep=self.selected_key())

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Letters belong to the filter while it has focus.
        return not isinstance(self.focused, Input) or action in ("back", "open")

    # -- opening -----------------------------------------------------------------------------------
    @on(DataTable.RowSelected)
    def row_chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        payload = self._rows.get(self.selected_key() or "")
        if isinstance(payload, followup.Entry):
            ini = payload.initiative
            # At the deadline: what a follow-up meeting usually changes (status is right below it).
            self.open_item(FieldRef(ini.plan_id, ini.section_id, ini.item_id, ini.deadline_field))
        elif isinstance(payload, followup.Decision):
            f = payload.finding
            self.open_item(FieldRef(payload.plan_id, f.section_id, f.item_id, f.field_id))

    def open_item(self, ref: FieldRef) -> None:
        if self.plan_id is not None:
            self.dismiss(ref)  # back to the plan's wizard, which shows the field
            return
        keep = self.selected_key()
        self.post_message(OpenPlan(ref.plan_id, at=ref, done=lambda _: self.reload(keep)))

    def action_back(self) -> None:
        if self.focused is self.query_one("#filter", Input) and self.query_one("#filter", Input).value:
            self.query_one("#filter", Input).value = ""
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)

    # -- changes in place --------------------------------------------------------------------------
    async def change_plan(self, plan_id: str, change, done_message: str = "") -> bool:
        """Apply a change to the stored plan (under the database lock, with history), in a thread:
        the lock can wait seconds for another window's save."""
        # Not refused while the plan is open in a wizard elsewhere: the change is made on the
        # stored plan under the database lock, and the wizard merges its own fields over it.
        try:
            await asyncio.to_thread(self.workspace.update, plan_id, change)
        except (StoreError, KeyError, ValueError) as exc:
            self.notify(str(exc), title="Ikke gemt", severity="error", timeout=10)
            return False
        await self.reload(keep=self.selected_key() if self.is_mounted else None)
        if done_message:
            self.notify(done_message, timeout=3)
        return True

    @staticmethod
    def _find(plan: Plan, item_id: str) -> Initiative:
        for ini in plan_initiatives(plan):
            if ini.item_id == item_id:
                return ini
        raise KeyError(item_id)

    @work
    async def action_status(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        ini = entry.initiative
        plan = self.plan_of(ini.plan_id)
        if plan is None:
            return
        status = await self.app.push_screen_wait(ChoiceScreen(
            f"Status for »{shorten(ini.title, 60)}«:", [(s.value, s.label) for s in status_choices(plan, ini)],
            ini.status))
        if status is None or status == ini.status:
            return
        # Where the status is the answer to one of the template's questions, the answer changes: ask.
        change = answer_change(plan, ini, status)
        if change is not None and not await self.app.push_screen_wait(ConfirmScreen(
                change.question_text(Status(status).label), "Ja, ændr svaret", "Nej")):
            self.notify("Intet er ændret.", timeout=3)
            return
        await self.change_plan(ini.plan_id, lambda plan: set_status(plan, self._find(plan, ini.item_id), status),
                               f"Status: {Status(status).label}. Gemt.")

    def action_milestones(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        ini = entry.initiative
        if not ini.milestones:
            self.notify("Initiativet har ingen milepæle. Tilføj dem i planen (Enter).", timeout=5)
            return
        rows = [(m.id, f"{format_date(m.date) or 'uden dato'}  {m.text}", m.done) for m in ini.milestones]

        async def toggle(milestone_id: str, done: bool) -> bool:
            return await self.change_plan(  # the dialog says it was saved (a toast would cover it)
                ini.plan_id, lambda plan: set_milestone_done(plan, self._find(plan, ini.item_id), milestone_id, done))

        self.app.push_screen(MilestonesScreen(
            f"Milepæle for »{shorten(ini.title, 50)}« – mellemrum markerer udført, Esc lukker", rows, toggle))

    # -- follow-up ---------------------------------------------------------------------------------
    def target_plan(self) -> Plan | None:
        """The plan a meeting, agenda or change list is for: this screen's, else the selected row's."""
        plan_id = self.plan_id
        if plan_id is None:
            entry = self.selected_entry()
            payload = self._rows.get(self.selected_key() or "")
            plan_id = entry.initiative.plan_id if entry else getattr(payload, "plan_id", None)
        if plan_id is None:
            self.notify("Vælg et initiativ i den plan, det gælder.", severity="warning")
            return None
        return self.plan_of(plan_id)

    def plan_of(self, plan_id: str) -> Plan | None:
        """The plan as it is stored now (one plan's record: read on the spot), kept until the next
        reload, which every change here makes."""
        if plan_id not in self.plans:
            try:
                self.plans[plan_id] = self.workspace.get(plan_id)
            except Exception:  # deleted, damaged or its template gone since the list was read
                self.notify("Planen findes ikke længere.", severity="error")
                return None
        return self.plans[plan_id]

    @work
    async def action_meeting(self) -> None:
        plan = self.target_plan()
        if plan is None:
            return
        answer = await self.app.push_screen_wait(PromptScreen(
            f"Markér opfølgningsmøde i »{shorten(plan.title, 50)}« i dag.\n"
            "Næste mødes dato (dd-mm-åååå), eller tom:", "", allow_empty=True))
        if answer is None:
            return
        try:
            next_date = parse_date(answer)
        except DateError as exc:
            self.notify(str(exc), title="Ikke markeret", severity="error", timeout=10)
            return
        when = f" Næste møde: {format_date(next_date)}." if next_date else ""
        await self.change_plan(plan.id, lambda p: mark_meeting(p, next_date=next_date),
                               f"Opfølgningsmøde markeret.{when} Ændringer herfra vises under »Siden sidst« (C).")

    def action_since(self) -> None:
        plan = self.target_plan()
        if plan is None:
            return
        since = since_last_meeting(plan, self.app.today)
        text = f"# {followup.since_heading(since)}\n\n{followup.since_markdown(since)}\n"
        self._show_document(text, f"Siden sidste opfølgning: {plan.title}",
                            f"siden-sidst-{plan.title}-{self.app.today.isoformat()}")

    def action_agenda(self) -> None:
        plan = self.target_plan()
        if plan is None:
            return
        self._show_document(followup.agenda_markdown(plan, self.app.today), f"Dagsorden: {plan.title}",
                            f"dagsorden-{plan.title}-{self.app.today.isoformat()}")

    @work
    async def action_my_list(self) -> None:
        entry = self.selected_entry()
        suggestion = entry.initiative.responsible if entry else ""
        name = await self.app.push_screen_wait(PromptScreen("Min liste for (navn eller del af navnet):", suggestion))
        if not name or not name.strip():
            return
        text = followup.my_list_markdown(self.view, name.strip(), self.app.today)
        self._show_document(text, f"Min liste: {name.strip()}", f"min-liste-{name.strip()}")

    def _show_document(self, markdown: str, heading: str, filename: str) -> None:
        self.post_message(OpenDocument(markdown, heading, filename))

    @work
    async def action_calendar(self) -> None:
        name = (self.sub_title or self.heading) if self.plan_id else "implan-deadlines"
        if self.app.is_web:  # a download in the user's browser, nothing on the server's disk
            ics = initiatives_to_ics([e.initiative for e in self.shown.entries], name=name)
            deliver(self.app, safe_filename(name) + ".ics", ics.encode("utf-8"))
            self.notify(f"Kalenderen hentes i browseren: {safe_filename(name)}.ics", timeout=10)
            return
        default = str(export_dir() / (safe_filename(name) + ".ics"))  # the documents folder
        path = await self.app.push_screen_wait(PromptScreen("Gem deadlines og milepæle som kalender (.ics):", default))
        if not path:
            return
        target = Path(path).expanduser()
        if not target.is_absolute():
            target = export_dir() / target
        try:
            prepare_folder(target)
            atomic_write_text(target, initiatives_to_ics([e.initiative for e in self.shown.entries], name=name),
                              mode=None)
        except OSError as exc:
            self.notify(describe_os_error(exc), title="Ikke gemt", severity="error")
            return
        self.notify(f"Skrevet: {target.resolve()}", timeout=10)

    def action_timeline(self) -> None:
        def opened(ref: FieldRef | None) -> None:
            if ref:
                self.open_item(ref)

        entries = [e.initiative for e in self.shown.entries]
        self.post_message(OpenTimeline(entries, self.sub_title or "", opened))
