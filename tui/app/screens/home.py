"""Planer: every plan with template, progress, next deadline and overdue count."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.prompt import PromptScreen
from tui.core.dates import format_date
from tui.core.initiatives import next_deadline, overdue_count, plan_initiatives
from tui.core.plan import Plan
from tui.core.stamps import local_time_text as local_time
from tui.core.workspace import Workspace
from tui.paths import sample_plans_dir
from tui.store import DatabaseDamaged, DatabaseReadOnly, StoreError
from tui.store.recovery import discard_recovery, pending_recoveries


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def progress_cell(progress, wide: bool) -> Text:
    """A bar of the filled fields, then the sections done: '▰▰▰▰▱▱▱ 3 af 4 afsnit udfyldt'."""
    width = 7
    done = round(progress.fraction * width)
    if done == width and progress.percent < 100:
        done = width - 1
    bar = Text("▰" * done, style="green" if progress.percent == 100 else "bold") + Text("▱" * (width - done), style="dim")
    sections = len(progress.sections)
    label = progress.summary() if wide else f"{progress.sections_complete}/{sections}"
    return bar + Text(" " + label)


class HomeScreen(Screen):
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
        Binding("u", "outstanding", "Udestående", id="home.outstanding"),
        Binding("e", "load_demo", "Eksempler", id="home.demo", show=False),
        Binding("q", "app.quit", "Afslut", id="home.quit", show=False),
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.workspace: Workspace | None = None
        self._plans: dict[str, Plan] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield Static("", id="status", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Planer"
        self.open_workspace()

    def on_resize(self) -> None:
        self.refresh_plans(select=self.selected_plan_id(), quiet=True)

    def open_workspace(self) -> None:
        try:
            self.workspace = Workspace.open(self.db_path, write=True)
        except DatabaseDamaged as exc:
            self.offer_restore(exc)
            return
        except DatabaseReadOnly as exc:
            # Shown, and the plans can still be read; every save says the same.
            self.notify(str(exc), title="Kun læsning", severity="error", timeout=20)
            try:
                self.workspace = Workspace.open(self.db_path, write=False)
            except StoreError as err:
                self.set_status(str(err))
                return
        except StoreError as exc:
            self.set_status(str(exc))
            self.notify(str(exc), severity="error", timeout=20)
            return
        for err in self.workspace.library.errors:
            self.notify(str(err), title="Skabelon sprunget over", severity="warning", timeout=10)
        for notice in self.workspace.notices():
            self.notify(notice, title="Bemærk", severity="warning", timeout=30)
        self.refresh_plans()
        self.offer_recoveries_then_demo()

    @work
    async def offer_recoveries_then_demo(self) -> None:
        """Changes a crash, a full disk or a locked database kept from being saved last time are
        offered first; an empty database then offers the sample plans."""
        workspace = self.workspace
        if workspace is None:
            return
        for recovery in pending_recoveries(workspace.store.path):
            title = recovery.title or "uden titel"
            reason = f"\nÅrsag: {recovery.reason}" if recovery.reason else ""
            how = ("De lægges ind over planen, som den er gemt nu; det, andre har gemt siden, bevares."
                   if workspace.store.get_plan(recovery.plan_id) is not None else
                   "Planen findes ikke længere i databasen og bliver lagt ind igen, som den så ud hos dig.")
            if not await self.app.push_screen_wait(ConfirmScreen(
                    f"Ændringer i planen »{title}« kunne ikke gemmes den {local_time(recovery.saved_at)}.{reason}"
                    f"\n\nDe ligger i {recovery.path}.\n\nVil du gendanne dem nu? {how}",
                    "Gendan", "Ikke nu")):
                continue
            try:
                plan = workspace.recover(recovery)
            except Exception as exc:  # noqa: BLE001 - Danish message; the file stays for next time
                self.notify(str(exc), title="Ikke gendannet", severity="error", timeout=15)
                continue
            discard_recovery(recovery)
            self.refresh_plans(plan.id)
            self.notify(f"Ændringerne i »{plan.title}« er gendannet.")
        if not workspace.store.list_plans():
            await self.ask_for_demo()

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

    async def ask_for_demo(self) -> None:
        if await self.app.push_screen_wait(ConfirmScreen(
                "Der er ingen planer endnu.\n\nVil du indlæse eksempelplanerne (én for hver skabelon), "
                "så du kan se, hvordan en god plan ser ud? Ellers opretter du en ny plan med tasten n.",
                "Indlæs eksempler", "Nej tak")):
            self.action_load_demo()

    def set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def refresh_plans(self, select: str | None = None, quiet: bool = False) -> None:
        if self.workspace is None:
            return
        table = self.query_one(DataTable)
        table.clear(columns=True)
        today = self.app.today
        plans = self.workspace.plans()
        self._plans = {plan.id: plan for plan in plans}
        rows = []
        for plan in plans:
            progress = plan.progress()
            inits = plan_initiatives(plan)
            overdue = overdue_count(inits, today)
            rows.append((plan.id, plan.title, plan.template.short_title, progress,
                         format_date(next_deadline(inits, today)) or "–", str(overdue) if overdue else "–"))
        # The title takes what the other columns leave; on a narrow terminal the template
        # column goes (the status line names it for the selected plan).
        available = self.size.width - 2 * 5 - 2
        wide = available >= 120
        progress_width = 8 + (len("10 af 10 afsnit udfyldt") if wide else len("10/10"))
        columns = [("Skabelon", max((len(r[2]) for r in rows), default=8)), ("Fremdrift", progress_width),
                   ("Næste deadline", 14), ("Overskredne", 11)]
        if available - sum(w for _, w in columns) < 30:
            columns.pop(0)
            available += 2
        title_width = max(20, available - sum(w for _, w in columns))
        table.add_column("Titel", width=title_width, key="title")
        for label, width in columns:
            table.add_column(label, width=width, key=label)
        wanted = {label for label, _ in columns}
        for plan_id, title, template, progress, *rest in rows:
            rest = [template, progress_cell(progress, wide), *rest]
            cells = [c for label, c in zip(("Skabelon", "Fremdrift", "Næste deadline", "Overskredne"), rest)
                     if label in wanted]
            table.add_row(Text(shorten(title, title_width)), *[Text(c) if isinstance(c, str) else c for c in cells],
                          key=plan_id)
        for problem in [] if quiet else self.workspace.problems:
            self.notify(problem, title="Plan kan ikke vises", severity="warning", timeout=10)
        if select is not None:
            for row, plan in enumerate(plans):
                if plan.id == select:
                    table.move_cursor(row=row)
        self.describe_selected()

    @on(DataTable.RowHighlighted)
    def describe_selected(self) -> None:
        plan_id = self.selected_plan_id()
        plan = self._plans.get(plan_id) if plan_id else None
        count = self.query_one(DataTable).row_count
        parts = [f"{count} plan" if count == 1 else f"{count} planer"]
        if plan is not None:
            parts.append(f"{plan.template.short_title}: {plan.progress().summary()}")
        parts.append(f"database: {self.db_path}")
        self.set_status(" · ".join(parts))

    def selected_plan_id(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

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
        from tui.app.widgets.cpr_guard import cpr_note

        if note := cpr_note(title):
            self.notify(f"Titlen: {note}", title="Tjek titlen", severity="warning", timeout=10)

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
        from tui.core.cpr import CPR_WARNING, plan_cpr_hits

        if hits := plan_cpr_hits(plan):
            self.notify(f"Planen har tekst, der ligner et CPR-nummer ({hits[0].masked} i {hits[0].where}"
                        f"{f' og {len(hits) - 1} steder mere' if len(hits) > 1 else ''}) – {CPR_WARNING}. "
                        "F2 i planen viser, hvor.", title="Tjek planen", severity="warning", timeout=15)

    def action_export(self) -> None:
        from tui.app.screens.export import ExportScreen

        plan = self.selected_plan()
        if plan is not None:
            self.app.push_screen(ExportScreen(plan))

    def action_outstanding(self) -> None:
        from tui.app.screens.outstanding import OutstandingScreen

        if self.workspace is None:
            return
        self.app.push_screen(OutstandingScreen(self.workspace),
                             callback=lambda _: self.refresh_plans(self.selected_plan_id()))

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
