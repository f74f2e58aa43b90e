"""Planer: every plan with template, progress, next deadline and overdue count."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tui.app.screens.confirm import ConfirmScreen
from tui.core.dates import format_date
from tui.core.initiatives import plan_initiatives
from tui.core.workspace import Workspace
from tui.paths import sample_plans_dir
from tui.store import DatabaseDamaged, StoreError


class HomeScreen(Screen):
    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("e", "load_demo", "Eksempelplaner", id="home.demo"),
        Binding("g", "refresh", "Genindlæs", id="home.refresh"),
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
            return
        for err in self.workspace.library.errors:
            self.notify(str(err), title="Skabelon sprunget over", severity="warning", timeout=10)
        self.refresh_plans()
        if not self.workspace.store.list_plans():
            self.ask_for_demo()

    @work
    async def offer_restore(self, exc: DatabaseDamaged) -> None:
        question = str(exc).replace("Gendan den med: implan restore", "").strip()
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
                "så du kan se, hvordan en god plan ser ud?", "Indlæs eksempler", "Nej tak")):
            self.action_load_demo()

    def set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def refresh_plans(self) -> None:
        if self.workspace is None:
            return
        table = self.query_one(DataTable)
        table.clear()
        today = date.today()
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

    def action_refresh(self) -> None:
        self.refresh_plans()

    def action_load_demo(self) -> None:
        if self.workspace is None:
            return
        try:
            added, skipped = self.workspace.load_demo(sample_plans_dir(), date.today())
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing is lost
            self.notify(str(exc), title="Eksempelplanerne kunne ikke indlæses", severity="error")
            return
        self.refresh_plans()
        self.notify(f"{len(added)} eksempelplaner indlæst" + (f", {len(skipped)} fandtes allerede." if skipped else "."))
