"""Planer: every plan with template, progress, next deadline and overdue count."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.prompt import PromptScreen
from tui.core.dates import format_date
from tui.core.initiatives import plan_initiatives
from tui.core.plan import Plan
from tui.core.workspace import Workspace
from tui.paths import sample_plans_dir
from tui.store import DatabaseDamaged, StoreError


class HomeScreen(Screen):
    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("enter", "open", "Åbn", id="home.open", show=True),
        Binding("n", "new", "Ny plan", id="home.new"),
        Binding("k", "duplicate", "Kopiér", id="home.duplicate"),
        Binding("r", "rename", "Omdøb", id="home.rename"),
        Binding("delete,d", "delete", "Slet", id="home.delete"),
        Binding("i", "import_plan", "Importér", id="home.import"),
        Binding("x", "export", "Eksportér", id="home.export"),
        Binding("e", "load_demo", "Eksempler", id="home.demo", show=False),
        Binding("q", "app.quit", "Afslut", id="home.quit"),
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.workspace: Workspace | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Planer"
        table = self.query_one(DataTable)
        table.add_columns("Titel", "Skabelon", "Fremdrift", "Næste deadline", "Overskredne")
        self.open_workspace()

    def open_workspace(self) -> None:
        try:
            self.workspace = Workspace.open(self.db_path, write=True)
        except DatabaseDamaged as exc:
            self.offer_restore(exc)
            return
        except StoreError as exc:
            self.set_status(str(exc))
            self.notify(str(exc), severity="error", timeout=20)
            return
        for err in self.workspace.library.errors:
            self.notify(str(err), title="Skabelon sprunget over", severity="warning", timeout=10)
        self.refresh_plans()
        if not self.workspace.store.list_plans():
            self.ask_for_demo()

    @work
    async def offer_restore(self, exc: DatabaseDamaged) -> None:
        question = "\n".join(line for line in str(exc).splitlines() if not line.startswith("Gendan den med"))
        if exc.newest_backup is not None:
            restore = await self.app.push_screen_wait(
                ConfirmScreen(question + "\n\nVil du gendanne den nyeste sikkerhedskopi?", "Gendan", "Start tom"))
            if restore:
                Workspace.open(self.db_path, write=False).store.restore(exc.newest_backup)
        else:
            await self.app.push_screen_wait(ConfirmScreen(question, "OK", "Afslut"))
        self.open_workspace()

    @work
    async def ask_for_demo(self) -> None:
        if await self.app.push_screen_wait(ConfirmScreen(
                "Der er ingen planer endnu.\n\nVil du indlæse eksempelplanerne (én for hver skabelon), "
                "så du kan se, hvordan en god plan ser ud? Ellers opretter du en ny plan med N.",
                "Indlæs eksempler", "Nej tak")):
            self.action_load_demo()

    def set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def refresh_plans(self, select: str | None = None) -> None:
        if self.workspace is None:
            return
        table = self.query_one(DataTable)
        table.clear()
        today = self.app.today
        plans = self.workspace.plans()
        for plan in plans:
            progress = plan.progress()
            inits = plan_initiatives(plan)
            upcoming = sorted(i.deadline for i in inits if not i.closed and i.deadline and i.deadline >= today)
            overdue = sum(1 for i in inits if i.is_overdue(today))
            table.add_row(plan.title, plan.template.short_title, f"{progress.summary()} ({progress.percent} %)",
                          format_date(upcoming[0]) if upcoming else "–", str(overdue) if overdue else "–",
                          key=plan.id)
        for problem in self.workspace.problems:
            self.notify(problem, title="Plan kan ikke vises", severity="warning", timeout=10)
        count = f"{len(plans)} plan" if len(plans) == 1 else f"{len(plans)} planer"
        self.set_status(f"{count} · database: {self.db_path}")
        if select is not None:
            for row, plan in enumerate(plans):
                if plan.id == select:
                    table.move_cursor(row=row)

    def selected_plan(self) -> Plan | None:
        table = self.query_one(DataTable)
        if self.workspace is None or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        try:
            return self.workspace.get(key)
        except Exception as exc:  # noqa: BLE001 - shown, nothing changes
            self.notify(str(exc), severity="error")
            return None

    @on(DataTable.RowSelected)
    def row_chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        plan = self.selected_plan()
        if plan is not None:
            self.open_plan(plan)

    def open_plan(self, plan: Plan) -> None:
        from tui.app.screens.wizard import WizardScreen

        try:
            lock = self.workspace.store.edit_lock(plan.id, plan.title)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.app.push_screen(WizardScreen(self.workspace, plan, lock), callback=lambda pid: self.refresh_plans(pid))

    @work
    async def action_new(self) -> None:
        from tui.app.screens.new_plan import NewPlanScreen

        if self.workspace is None:
            return
        choice = await self.app.push_screen_wait(NewPlanScreen(self.workspace.library))
        if not choice:
            return
        template_id, title, organisation = choice
        try:
            plan = self.workspace.create(template_id, title, organisation)
        except Exception as exc:  # noqa: BLE001
            self.notify(str(exc), severity="error")
            return
        self.refresh_plans(plan.id)
        self.open_plan(plan)

    def action_duplicate(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        copy = self.workspace.duplicate(plan)
        self.refresh_plans(copy.id)
        self.notify(f"Kopieret til »{copy.title}«.")

    @work
    async def action_rename(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        title = await self.app.push_screen_wait(PromptScreen("Ny titel på planen:", plan.title))
        if not title:
            return
        try:
            self.workspace.update(plan.id, lambda p: p.rename(title))
        except Exception as exc:  # noqa: BLE001
            self.notify(str(exc), severity="error")
            return
        self.refresh_plans(plan.id)

    @work
    async def action_delete(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        if await self.app.push_screen_wait(ConfirmScreen(
                f"Vil du slette planen »{plan.title}«?\n\nDen kan hentes tilbage fra en sikkerhedskopi "
                "(implan restore).", "Slet", "Behold")):
            self.workspace.delete(plan)
            self.refresh_plans()
            self.notify(f"»{plan.title}« er slettet.")

    @work
    async def action_import_plan(self) -> None:
        if self.workspace is None:
            return
        path = await self.app.push_screen_wait(PromptScreen("Sti til planfilen (.json), der skal importeres:"))
        if not path:
            return
        try:
            plan = self.workspace.import_file(Path(path).expanduser(), as_copy=True)
        except Exception as exc:  # noqa: BLE001 - the message is Danish and names the problem
            self.notify(str(exc), title="Ikke importeret", severity="error", timeout=15)
            return
        self.refresh_plans(plan.id)
        self.notify(f"»{plan.title}« er importeret.")

    def action_export(self) -> None:
        from tui.app.screens.export import ExportScreen

        plan = self.selected_plan()
        if plan is not None:
            self.app.push_screen(ExportScreen(plan))

    def action_load_demo(self) -> None:
        if self.workspace is None:
            return
        try:
            added, skipped = self.workspace.load_demo(sample_plans_dir(), self.app.today)
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing is lost
            self.notify(str(exc), title="Eksempelplanerne kunne ikke indlæses", severity="error")
            return
        self.refresh_plans()
        self.notify(f"{len(added)} eksempelplaner indlæst" + (f", {len(skipped)} fandtes allerede." if skipped else "."))
