"""Planer: every plan with template, progress, next deadline and overdue count."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tui.app.messages import OpenExport, OpenNewPlan, OpenOutstanding, OpenPlan
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.prompt import PromptScreen
from tui.app.widgets.basics import FastRowTable
from tui.app.widgets.footer import FittingFooter
from tui.core.dates import format_date
from tui.core.stamps import local_time_text as local_time
from tui.core.summaries import Overview, PlanSummary, ProgressFigures, cached_overview
from tui.core.text import shorten
from tui.paths import sample_plans_dir
from tui.store.recovery import discard_recovery, pending_recoveries

if TYPE_CHECKING:  # the first frame imports no plan logic (see HomeScreen.show_cached)
    from tui.app.app import ImplanApp
    from tui.core.plan import Plan
    from tui.core.workspace import Workspace


def plan_row(plan: PlanSummary, today: date) -> tuple[str, str, str, ProgressFigures, str, str]:
    """(id, title, template, progress, next deadline, overdue count) of one plan in the list."""
    overdue = plan.overdue_count(today)
    return (plan.id, plan.title, plan.template_title, plan.progress,
            format_date(plan.next_deadline(today)) or "–", str(overdue) if overdue else "–")


def progress_cell(progress: ProgressFigures, wide: bool) -> Text:
    """A bar of the sections done, then their count: '▰▰▰▰▰▱▱ 3 af 4 afsnit udfyldt' (one measure)."""
    width = 7
    done = progress.bar_cells(width)
    bar = (Text("▰" * done, style="green" if progress.complete else "bold")
           + Text("▱" * (width - done), style="dim"))
    label = progress.summary() if wide else f"{progress.sections_complete}/{progress.section_count}"
    return bar + Text(" " + label)


class PlanTable(FastRowTable):
    """The plan list. Its columns all have a fixed width: no cell is measured to size them (0.4 s
    for 1000 plans, before the first frame), and each visible cell is drawn without Rich's layout."""


class HomeScreen(Screen):
    if TYPE_CHECKING:
        app = getters.app(ImplanApp)  # for mypy: self.app is an ImplanApp

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("enter", "open", "Åbn", id="home.open", show=True),
        Binding("n", "new", "Ny plan", id="home.new"),
        # Kopiér, Omdøb and Importér are left out of the Footer so the rest fits 80 columns; F1 lists them.
        Binding("k", "duplicate", "Kopiér", id="home.duplicate", show=False),
        Binding("r", "rename", "Omdøb", id="home.rename", show=False),
        Binding("delete,d", "delete", "Slet", id="home.delete"),
        Binding("i", "import_plan", "Importér", id="home.import", show=False),
        Binding("x", "export", "Eksportér", id="home.export"),
        Binding("u,f9", "outstanding", "Udestående", id="home.outstanding"),
        Binding("e", "load_demo", "Eksempler", id="home.demo", show=False),
        Binding("q", "app.quit", "Afslut", id="home.quit", show=False),
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        # What the list shows, read once per change (a cache beside the database; no plan is built
        # until one is opened or exported), and the column layout it was last laid out for.
        self._plans: dict[str, PlanSummary] = {}
        self._overview: Overview | None = None
        self._rows: list[tuple[str, str, str, ProgressFigures, str, str]] = []
        self._laid_out_for: tuple[Any, ...] | None = None

    @property
    def workspace(self) -> Workspace | None:
        """The app's: it opens the database (ImplanApp.open_workspace)."""
        return self.app.workspace

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlanTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield Static("", id="status", markup=False)
        yield FittingFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Planer"
        # The list read from the cache (show_cached) goes into the first frame, not the one after.
        self.lay_out_once()

    def on_resize(self) -> None:
        # The same plans: only the columns may change, and often not even they.
        if self._columns_for(self._rows) != self._laid_out_for:
            self.lay_out(select=self.selected_plan_id())

    def show_cached(self) -> bool:
        """The plan list from the cache beside the database, before the database is opened (the
        first frame then waits for neither the plan logic nor the file); False when the cache does
        not describe the file as it is now, or names damaged plans (opening sets them aside)."""
        overview = cached_overview(self.db_path)
        if overview is None or overview.damaged or not overview.plans:
            return False
        self._show(overview)
        self.lay_out()
        return True

    def lay_out_once(self) -> None:
        """Lay the list out unless it has been (on mount, or by the screen's first resize)."""
        if self._rows and self._laid_out_for is None:
            self.lay_out()

    async def show_workspace(self, error: str = "") -> None:
        """Called by the app once the database is open (or could not be: `error`)."""
        if error:
            self.clear_list()
            self.set_status(error)
            return
        await self.load_plans()
        self.offer_recoveries_then_demo()

    def clear_list(self) -> None:
        """No plans shown (the database could not be opened after the list was shown from its cache)."""
        if self._rows:
            self._show(None)
            self.lay_out()

    @work
    async def offer_recoveries_then_demo(self) -> None:
        """Changes a crash, a full disk or a locked database kept from being saved last time are
        offered first; an empty database then offers the sample plans."""
        workspace = self.workspace
        if workspace is None:
            return
        for recovery in await asyncio.to_thread(pending_recoveries, workspace.store.path):
            title = recovery.title or "uden titel"
            reason = f"\nÅrsag: {recovery.reason}" if recovery.reason else ""
            stored = await asyncio.to_thread(workspace.store.get_plan, recovery.plan_id)
            how = ("De lægges ind over planen, som den er gemt nu; det, andre har gemt siden, bevares."
                   if stored is not None else
                   "Planen findes ikke længere i databasen og bliver lagt ind igen, som den så ud hos dig.")
            if not await self.app.push_screen_wait(ConfirmScreen(
                    f"Ændringer i planen »{title}« kunne ikke gemmes den {local_time(recovery.saved_at)}.{reason}"
                    f"\n\nDe ligger i {recovery.path}.\n\nVil du gendanne dem nu? {how}",
                    "Gendan", "Ikke nu")):
                continue
            try:
                plan = await asyncio.to_thread(workspace.recover, recovery)
            except Exception as exc:  # Danish message; the file stays for next time
                self.notify(str(exc), title="Ikke gendannet", severity="error", timeout=15)
                continue
            await asyncio.to_thread(discard_recovery, recovery)
            self.refresh_plans(plan.id)
            self.notify(f"Ændringerne i »{plan.title}« er gendannet.")
        overview = self._overview
        if overview is not None and not (overview.plans or overview.problems or overview.damaged):
            await self.ask_for_demo()

    async def ask_for_demo(self) -> None:
        if await self.app.push_screen_wait(ConfirmScreen(
                "Der er ingen planer endnu.\n\nVil du indlæse eksempelplanerne (én for hver skabelon), "
                "så du kan se, hvordan en god plan ser ud? Ellers opretter du en ny plan med tasten n.",
                "Indlæs eksempler", "Nej tak")):
            self.action_load_demo()

    def set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    # -- the list -----------------------------------------------------------------------------------
    def refresh_plans(self, select: str | None = None, quiet: bool = False) -> None:
        """Read the plans again in the background; a newer read replaces one still running."""
        self.run_worker(self.load_plans(select, quiet), group="plan-list", exclusive=True)

    async def load_plans(self, select: str | None = None, quiet: bool = False) -> None:
        """Read the plans in a thread, then fill the table (on the event loop)."""
        workspace = self.workspace
        if workspace is None:
            return
        overview = await asyncio.to_thread(workspace.overview)
        shown = self._rows
        self._show(overview)
        # The same rows as on screen (shown from the cache): the table, and where the cursor is, stay.
        if select is not None or self._rows != shown or self._laid_out_for is None:
            self.lay_out(select)
        # Udestående (u) reads the rows kept beside the database: brought up to date while the
        # list is looked at, from just after the frame that shows it (not slowing that frame).
        self.call_after_refresh(self._warm_rows, workspace)
        for problem in [] if quiet else overview.problems:
            self.notify(problem, title="Plan kan ikke vises", severity="warning", timeout=10)

    @staticmethod
    def _warm_rows(workspace: Workspace) -> None:
        from tui.app import outstanding_data  # imported after the first frame, as the screens are

        outstanding_data.warm(workspace)

    def _show(self, overview: Overview | None) -> None:
        """Keep what the list is to show of `overview` (None: nothing)."""
        today = self.app.today
        self._overview = overview
        plans = overview.plans if overview is not None else []
        self._plans = {plan.id: plan for plan in plans}
        self._rows = [plan_row(plan, today) for plan in plans]

    def _columns_for(self, rows: list[tuple[str, str, str, ProgressFigures, str, str]]) \
            -> tuple[int, bool, tuple[tuple[str, int], ...]]:
        """(title width, wide, the other columns) for this screen's width. The title takes what
        the other columns leave; on a narrow terminal the template column goes (the status line
        names it for the selected plan)."""
        available = (self.size.width or self.app.size.width) - 2 * 5 - 2  # the app's: not laid out yet
        wide = available >= 120
        progress_width = 8 + (len("10 af 10 afsnit udfyldt") if wide else len("10/10"))
        columns = [("Skabelon", max((len(r[2]) for r in rows), default=8)), ("Fremdrift", progress_width),
                   ("Næste deadline", 14), ("Overskredne", 11)]
        if available - sum(w for _, w in columns) < 30:
            columns.pop(0)
            available += 2
        return max(20, available - sum(w for _, w in columns)), wide, tuple(columns)

    def lay_out(self, select: str | None = None) -> None:
        """Fill the table from the plans read last, to fit the screen's width."""
        if not self.children:
            return  # not composed yet: show_cached runs before the screen is shown
        table = self.query_one(PlanTable)
        table.clear(columns=True)
        rows = self._rows
        self._laid_out_for = self._columns_for(rows)
        title_width, wide, columns = self._laid_out_for
        table.add_column("Titel", width=title_width, key="title")
        for label, width in columns:
            table.add_column(label, width=width, key=label)
        wanted = {label for label, _ in columns}
        labels = ("Skabelon", "Fremdrift", "Næste deadline", "Overskredne")
        # One Text for each distinct cell (the table only reads them): with 1000 plans, most rows
        # share their template, progress, deadline and count, and building them was half the time.
        texts: dict[Any, Text] = {}

        def text(value: str | ProgressFigures) -> Text:
            if value not in texts:
                texts[value] = Text(value) if isinstance(value, str) else progress_cell(value, wide)
            return texts[value]

        for plan_id, title, template, progress, deadline, overdue in rows:
            values: tuple[str | ProgressFigures, ...] = (template, progress, deadline, overdue)
            cells = [text(c) for label, c in zip(labels, values, strict=True) if label in wanted]
            table.add_row(Text(shorten(title, title_width)), *cells, key=plan_id)
        table.update_dimensions_now()  # the rows in this frame: not an empty list, then a redraw
        if select is not None:
            for row, (plan_id, *_) in enumerate(rows):
                if plan_id == select:
                    table.move_cursor(row=row)
        self.describe_selected()

    @on(DataTable.RowHighlighted)
    def describe_selected(self) -> None:
        plan_id = self.selected_plan_id()
        plan = self._plans.get(plan_id) if plan_id else None
        count = self.query_one(DataTable).row_count
        parts = [f"{count} plan" if count == 1 else f"{count} planer"]
        if plan is not None:
            parts.append(f"{plan.template_title}: {plan.progress.summary()}")
        parts.append(f"database: {self.db_path}")
        self.set_status(" · ".join(parts))

    def selected_plan_id(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    async def selected_plan(self) -> Plan | None:
        """The selected plan as stored now (read in a thread)."""
        plan_id = self.selected_plan_id()
        workspace = await self.app.ready_workspace()
        if workspace is None or plan_id is None:
            return None
        try:
            return await asyncio.to_thread(workspace.get, plan_id)
        except Exception as exc:  # shown, nothing changes
            self.notify(str(exc), severity="error")
            return None

    async def _in_thread(self, what, *args) -> Any:
        """Run a change to the store in a thread; None (and a Danish message shown) when it fails."""
        try:
            return await asyncio.to_thread(what, *args)
        except Exception as exc:  # the message is Danish and names the problem
            self.notify(str(exc), severity="error")
            return None

    # -- actions ------------------------------------------------------------------------------------
    @on(DataTable.RowSelected)
    def row_chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        plan_id = self.selected_plan_id()
        if plan_id is not None:
            self.open_plan(plan_id)

    def open_plan(self, plan_id: str) -> None:
        self.post_message(OpenPlan(plan_id, done=lambda pid: self.refresh_plans(pid)))

    def action_new(self) -> None:
        self.post_message(OpenNewPlan(done=self._create_plan))  # the app opens it once the database is open

    @work
    async def _create_plan(self, choice: tuple[str, str, str] | None) -> None:
        if not choice or self.workspace is None:
            return
        plan = await self._in_thread(self.workspace.create, *choice)
        if plan is not None:
            self.refresh_plans(plan.id)
            self.open_plan(plan.id)

    @work
    async def action_duplicate(self) -> None:
        plan = await self.selected_plan()
        if plan is None or self.workspace is None:
            return
        copy = await self._in_thread(self.workspace.duplicate, plan)
        if copy is not None:
            self.refresh_plans(copy.id)
            self.notify(f"Kopieret til »{copy.title}«.")

    @work
    async def action_rename(self) -> None:
        plan = await self.selected_plan()
        if plan is None or self.workspace is None:
            return
        title = await self.app.push_screen_wait(PromptScreen("Ny titel på planen:", plan.title))
        if not title:
            return
        if await self._in_thread(self.workspace.update, plan.id, lambda p: p.rename(title)) is None:
            return
        self.refresh_plans(plan.id)
        from tui.app.widgets.cpr_guard import cpr_note

        if note := cpr_note(title):
            self.notify(f"Titlen: {note}", title="Tjek titlen", severity="warning", timeout=10)

    @work
    async def action_delete(self) -> None:
        plan = await self.selected_plan()
        if plan is None or self.workspace is None:
            return
        if await self.app.push_screen_wait(ConfirmScreen(
                f"Vil du slette planen »{plan.title}«?\n\nDen kan hentes tilbage fra en sikkerhedskopi "
                "(implan restore).", "Slet", "Behold")):
            await asyncio.to_thread(self.workspace.delete, plan)
            self.refresh_plans()
            self.notify(f"»{plan.title}« er slettet.")

    @work
    async def action_import_plan(self) -> None:
        workspace = await self.app.ready_workspace()
        if workspace is None:
            return
        path = await self.app.push_screen_wait(PromptScreen("Sti til planfilen (.json), der skal importeres:"))
        if not path:
            return
        try:
            plan = await asyncio.to_thread(workspace.import_file, Path(path).expanduser(), as_copy=True)
        except Exception as exc:  # the message is Danish and names the problem
            self.notify(str(exc), title="Ikke importeret", severity="error", timeout=15)
            return
        self.refresh_plans(plan.id)
        self.notify(f"»{plan.title}« er importeret.")
        from tui.core.cpr import CPR_WARNING, plan_cpr_hits

        if hits := plan_cpr_hits(plan):
            self.notify(f"Planen har tekst, der ligner et CPR-nummer ({hits[0].masked} i {hits[0].where}"
                        f"{f' og {len(hits) - 1} steder mere' if len(hits) > 1 else ''}) – {CPR_WARNING}. "
                        "F2 i planen viser, hvor.", title="Tjek planen", severity="warning", timeout=15)

    @work
    async def action_export(self) -> None:
        # The list holds summaries only: the whole plan is read when it is exported.
        plan = await self.selected_plan()
        if plan is not None:
            self.post_message(OpenExport(plan))

    def action_outstanding(self) -> None:
        self.post_message(OpenOutstanding(done=lambda _: self.refresh_plans(self.selected_plan_id())))

    @work
    async def action_load_demo(self) -> None:
        workspace = await self.app.ready_workspace()
        if workspace is None:
            return
        try:
            added, skipped = await asyncio.to_thread(workspace.load_demo, sample_plans_dir(), self.app.today)
        except Exception as exc:  # shown to the user, nothing is lost
            self.notify(str(exc), title="Eksempelplanerne kunne ikke indlæses", severity="error")
            return
        self.refresh_plans()
        self.notify(f"{len(added)} eksempelplaner indlæst"
                    + (f", {len(skipped)} fandtes allerede." if skipped else "."))
