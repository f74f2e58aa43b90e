from __future__ import annotations

import asyncio
import contextlib
import getpass
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme, ThemeProvider
from textual.widgets.option_list import Option

from tui.app import memory
from tui.app.messages import (
    OpenDocument,
    OpenExport,
    OpenGuidance,
    OpenNewPlan,
    OpenOutstanding,
    OpenPlan,
    OpenReference,
    OpenReview,
    OpenTimeline,
)
from tui.app.screens import lazy as screens
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.home import HomeScreen
from tui.app.screens.prompt import PromptScreen
from tui.app.theme import DEFAULT_THEME, LEGIBLE_CSS, implan_theme
from tui.app.web import NAME_QUESTION, WebSession
from tui.app.wording import describe_error
from tui.fileio import describe_os_error, safe_filename
from tui.settings import save_setting, saved_theme
from tui.store.errors import DatabaseDamaged, DatabaseReadOnly, PlanBusy, StoreError

if TYPE_CHECKING:  # imported in the thread that opens the database (see ImplanApp.on_mount)
    from tui.core.plan import Plan
    from tui.core.workspace import Workspace

HANGUP_SIGNALS = tuple(s for s in (getattr(signal, "SIGHUP", None), signal.SIGTERM) if s is not None)

_KEY_NAMES = {"escape": "Esc", "enter": "Enter", "delete": "Delete", "pageup": "PgUp", "pagedown": "PgDn",
              "up": "↑", "down": "↓", "left": "←", "right": "→", "slash": "/", "space": "Mellemrum",
              "home": "Home", "end": "End", "tab": "Tab"}


def key_name(keys: str) -> str:
    """"ctrl+pagedown,d" -> "Ctrl+PgDn / D": one notation in the key list, as the README writes keys."""
    def one(key: str) -> str:
        *mods, base = key.split("+")
        name = _KEY_NAMES.get(base, base.upper() if len(base) <= 3 else base.capitalize())
        return "+".join([m.capitalize() for m in mods] + [name])
    return " / ".join(one(k.strip()) for k in keys.split(","))


def terminal_holder() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name known
        return ""
    return f"{user} i et andet implan-vindue"


def danish_select_overlay() -> None:
    """Textual's open Select shows "Dismiss menu" in the Footer; say it in Danish.

    Textual (8.2) offers no public way: the overlay class is private (textual.widgets._select),
    its Escape binding has no id for App.keymap to rebind, and Select composes the overlay
    itself. So the one binding is replaced here, once; tests/test_architecture.py fails if
    Textual changes the class or the binding this relies on."""
    from textual.widgets._select import SelectOverlay

    SelectOverlay.BINDINGS = [Binding("escape", "dismiss", "Luk listen")]
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()


def open_workspace(db_path: Path, *, write: bool) -> Workspace:
    """Workspace.open, importing the plan logic (in the thread that opens the database)."""
    from tui.core.workspace import Workspace

    return Workspace.open(db_path, write=write)


NO_MATCHES = "Ingen kommandoer passer på søgningen"


class DanishCommandPalette(CommandPalette):
    """Textual's command palette, with its "No matches found" said in Danish.

    Textual (8.2) builds that line inside CommandPalette._start_no_matches_countdown, with no
    way to change the text; this is that method with the Danish line. tests/test_architecture.py
    fails if Textual changes the method this replaces."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class ImplanApp(App):
    TITLE = "implan"
    CSS = LEGIBLE_CSS
    SUB_TITLE = "Implementeringsplaner"
    BINDINGS = [
        # Priority, so focus moves when the key arrives: without it, keys typed ahead of the
        # screen (one burst of "text Tab text Tab text", or a paste) are all handed to the field
        # that had focus before the Tab was handled, and land in one field.
        Binding("tab", "focus_next", "Næste felt", id="focus.next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Forrige felt", id="focus.previous", show=False, priority=True),
        Binding("ctrl+q", "quit", "Afslut", id="quit", priority=True),
        # Textual's own Ctrl+C only says (in English) to press Ctrl+Q; here it does the same.
        Binding("ctrl+c", "quit", "Afslut", id="quit.ctrl_c", show=False, priority=True),
        Binding("f1", "show_keys", "Taster", id="keys"),
        # Declared here so Textual does not add its English "palette" binding.
        Binding("ctrl+p", "command_palette", "Kommandoer", id="palette", show=False, priority=True,
                tooltip="Åbn kommandopaletten"),
    ]

    def __init__(self, db_path: Path, today: date | None = None, steady_cursor: bool = False) -> None:
        super().__init__()
        danish_select_overlay()
        self.register_theme(implan_theme())
        self.theme = DEFAULT_THEME
        self.db_path = db_path
        self.workspace: Workspace | None = None  # opened on mount; None when the database cannot be opened
        self.home = HomeScreen(db_path)
        self._tried_opening = asyncio.Event()  # set once the database has been opened, or failed to
        self._today = today
        # A blinking cursor is distracting for some users and makes screenshots differ by timing.
        self.steady_cursor = steady_cursor
        self.web: WebSession | None = None  # in a browser (implan serve), from on_mount
        theme = saved_theme()  # the one chosen last time (tui/settings.py)
        if theme in self.available_themes:
            self.theme = theme

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """As Textual's, but always plain text (Widget.notify passes markup=True whatever the
        caller wants): messages quote titles and answers users wrote, and »Plan [/]« would be a
        markup error, »[@click=…]« even a link that runs an action."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    @property
    def today(self) -> date:
        """The day overdue and upcoming are reckoned from; fixed in tests, else the real today."""
        return self._today or date.today()

    async def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        # A closed terminal (SIGHUP) or a logout/kill (SIGTERM) saves what is typed, as Ctrl+Q does.
        loop = asyncio.get_running_loop()
        for sig in HANGUP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._hang_up, sig)
        # The list as the cache beside the database has it, read before the screen is laid out:
        # then the database is opened after the first frame.
        if self.home.show_cached():
            # Pushed once the app's message loop runs: until on_mount is over, Textual holds its
            # start-up batch, and a screen laid out and drawn inside it is drawn for nothing; the
            # frame after it then only paints what changed since, not the list.
            self.call_later(self._show_home)
        else:
            await self.push_screen(self.home)
            await self.open_workspace()  # before the first frame: the plan list starts filled
            self._after_first_frame()

    def _show_home(self) -> None:
        self.push_screen(self.home)
        self.call_after_refresh(lambda: self.run_worker(self.open_workspace(), group="open-database"))
        self._after_first_frame()

    def _after_first_frame(self) -> None:
        """What the first frame does not wait for, in the order it is needed."""
        self.call_after_refresh(memory.started)
        self.call_after_refresh(self._read_stylesheets)
        self.call_after_refresh(self._import_screens)
        if self.is_web:
            self.web = WebSession(self, self._hang_up)
            self.web.start()
            self.push_screen(PromptScreen(NAME_QUESTION, allow_empty=True), callback=self.web.name_given)

    @property
    def holder(self) -> str:
        """Who this session is, in a colleague's message that the plan is open here."""
        return self.web.holder if self.web is not None else terminal_holder()

    def on_exit_app(self) -> None:
        """The server ends a browser session (tab closed, network gone) by asking it to quit:
        what is typed is saved and the plan let go, as Ctrl+Q does."""
        if self.web is not None:
            self._save_open_plans()
            self.web.exit_within_grace()

    async def ready_workspace(self) -> Workspace | None:
        """The workspace, once opening the database has been tried (home may show the list from
        its cache before): None when it could not be opened."""
        await self._tried_opening.wait()
        return self.workspace

    def _read_stylesheets(self) -> None:
        """Every screen's CSS file, read after the first frame (Textual parses it when it next
        styles a widget). A screen whose file is new to the stylesheet makes Textual parse all of
        the app's CSS again and restyle every widget: 0.1 s and more when the wizard first opens."""
        for path in screens.stylesheets():
            if not self.stylesheet.has_source(str(path)):
                self.stylesheet.read(path)

    def _import_screens(self) -> None:
        """After the first frame: the screens it did not need (see screens/lazy.py)."""
        self.run_worker(screens.import_screens, thread=True, exit_on_error=False)

    # -- the database ------------------------------------------------------------------------------
    async def open_workspace(self) -> None:
        """Open the database (in a thread) for the plan list; a damaged one offers its newest
        backup first."""
        try:
            await self._open_workspace()
        finally:
            self._tried_opening.set()

    async def _open_workspace(self) -> None:
        try:
            self.workspace = await asyncio.to_thread(open_workspace, self.db_path, write=True)
        except DatabaseDamaged as exc:
            self.home.clear_list()
            self.offer_restore(exc)
            return
        except DatabaseReadOnly as exc:
            # Shown, and the plans can still be read; every save says the same.
            self.notify(str(exc), title="Kun læsning", severity="error", timeout=20)
            try:
                self.workspace = await asyncio.to_thread(open_workspace, self.db_path, write=False)
            except StoreError as err:
                await self.home.show_workspace(describe_error(err))
                return
        except StoreError as exc:
            self.notify(describe_error(exc), severity="error", timeout=20)
            await self.home.show_workspace(describe_error(exc))
            return
        for problem in self.workspace.library.errors:
            self.notify(str(problem), title="Skabelon sprunget over", severity="warning", timeout=10)
        # notices() reads the whole file and checks every record: not on the event loop.
        for notice in await asyncio.to_thread(self.workspace.notices):
            self.notify(notice, title="Bemærk", severity="warning", timeout=30)
        await self.home.show_workspace()

    @work
    async def offer_restore(self, exc: DatabaseDamaged) -> None:
        question = describe_error(exc)
        if exc.newest_backup is not None:
            restore = await self.push_screen_wait(
                ConfirmScreen(question + "\n\nVil du gendanne den nyeste sikkerhedskopi?", "Gendan", "Start tom"))
            if restore:
                backup = exc.newest_backup
                await asyncio.to_thread(lambda: open_workspace(self.db_path, write=False).store.restore(backup))
        else:
            await self.push_screen_wait(ConfirmScreen(question, "OK", "Afslut"))
        await self.open_workspace()

    # -- navigation: every screen is opened here ----------------------------------------------------
    def when_open(self, then: Callable[[Workspace], object]) -> None:
        """`then(workspace)` now when the database is open, else once it is (not at all when it
        cannot be opened): a key pressed on the list shown from its cache waits for the database."""
        if self._tried_opening.is_set():
            if self.workspace is not None:
                then(self.workspace)
            return

        async def later() -> None:
            workspace = await self.ready_workspace()
            if workspace is not None:
                then(workspace)

        self.run_worker(later(), group="when-open")

    def on_open_plan(self, message: OpenPlan) -> None:
        self.when_open(lambda workspace: self._open_plan(workspace, message))

    def _open_plan(self, workspace: Workspace, message: OpenPlan) -> None:
        """The plan in the wizard (at `message.at`), holding its edit lock while it is open."""
        # On the event loop: the edit lock never waits (it is refused at once when the plan is open
        # elsewhere), and it is released by the thread that took it.
        try:
            plan = workspace.get(message.plan_id)
            lock = workspace.store.edit_lock(plan.id, plan.title, self.holder)
        except PlanBusy as exc:
            self.offer_reading(plan, exc)
            return
        except Exception as exc:  # Danish message: missing plan
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.push_screen(screens.WizardScreen(workspace, plan, lock, at=message.at), callback=message.done)

    @work
    async def offer_reading(self, plan: Plan, busy: PlanBusy) -> None:
        """A plan open elsewhere can still be read (and exported) here, not changed."""
        if await self.push_screen_wait(ConfirmScreen(
                f"{busy}\n\nDu kan læse planen imens – og eksportere den – men ikke ændre den.",
                "Læs planen", "Tilbage")):
            who = f" – åben hos {busy.holder}" if busy.holder else ""
            self.push_screen(screens.ExportScreen(plan, heading=f"Kun læsning: {plan.title}{who}"))

    def on_open_new_plan(self, message: OpenNewPlan) -> None:
        self.when_open(lambda workspace: self.push_screen(screens.NewPlanScreen(workspace.library),
                                                          callback=message.done))

    def on_open_outstanding(self, message: OpenOutstanding) -> None:
        self.when_open(lambda workspace: self.push_screen(screens.OutstandingScreen(workspace, message.plan),
                                                          callback=message.done))

    def on_open_review(self, message: OpenReview) -> None:
        self.push_screen(screens.ReviewScreen(message.plan), callback=message.done)

    def on_open_export(self, message: OpenExport) -> None:
        self.push_screen(screens.ExportScreen(message.plan))

    def on_open_document(self, message: OpenDocument) -> None:
        self.push_screen(screens.ExportScreen(markdown=message.markdown, heading=message.heading,
                                      filename=safe_filename(message.filename)))

    def on_open_timeline(self, message: OpenTimeline) -> None:
        self.push_screen(screens.TimelineScreen(message.initiatives, message.heading), callback=message.done)

    def on_open_guidance(self, message: OpenGuidance) -> None:
        self.push_screen(screens.GuidanceScreen(message.plan))

    def on_open_reference(self, message: OpenReference) -> None:
        self.push_screen(screens.ReferenceScreen(message.template, message.section), callback=message.done)

    def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in HANGUP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)

    def _hang_up(self, sig: int) -> None:
        """Save at once, not after queued messages: with the terminal gone, Textual's output
        thread stops, and a few frames later the event loop blocks on writing to it."""
        messages = self._save_open_plans()
        if messages:
            with contextlib.suppress(Exception):
                sys.stderr.write("\n\n".join(messages) + "\n")
        # Shutting down may hang on a terminal that is no longer there; the plans are saved.
        threading.Timer(3.0, os._exit, (128 + sig,)).start()
        self.exit(return_code=128 + sig)

    def on_descendant_focus(self, event) -> None:
        if self.steady_cursor and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def action_show_keys(self) -> None:
        if screens.is_a(self.screen, "KeysScreen"):
            return
        keys = []
        seen = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.id and binding.description and active.enabled and binding.id not in seen:
                seen.add(binding.id)
                keys.append((key_name(binding.key), binding.description))
        self.push_screen(screens.KeysScreen(keys))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(DanishCommandPalette(id="--command-palette", placeholder="Søg efter en kommando …"))

    def action_change_theme(self) -> None:
        self.push_screen(DanishCommandPalette(providers=[ThemeProvider], placeholder="Søg efter et farvetema …"))

    def _remember_theme(self, theme: Theme) -> None:
        """The theme chosen is the one the next start opens with (saved in a thread)."""
        self.run_worker(lambda: self._save_theme(theme.name), thread=True, group="settings")

    def _save_theme(self, name: str) -> None:
        try:
            save_setting("theme", name)
        except OSError as exc:  # the theme still changes; it is only not remembered
            with contextlib.suppress(RuntimeError):  # the app is closing
                self.call_from_thread(self.notify, f"Farvetemaet kunne ikke huskes: {describe_os_error(exc)}",
                                      severity="warning")

    async def action_quit(self) -> None:
        """Whatever is typed is written before the app closes; the app always closes. What could
        not be written is in a recovery file, and the message after exit says where."""
        messages = self._save_open_plans()
        self.exit(message="\n\n".join(messages) if messages else None)

    def _save_open_plans(self) -> list[str]:
        return [message for screen in self.screen_stack
                if screens.is_a(screen, "WizardScreen") and (message := screen.save_and_release())]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's own palette entries are English; ours say the same in Danish.
        yield SystemCommand("Farvetema", "Skift farvetema (huskes til næste gang)", self.action_change_theme)
        yield SystemCommand("Taster", "Vis oversigten over taster", self.action_show_keys)
        yield SystemCommand("Afslut", "Gem og afslut implan", self.action_quit)
        if screens.is_a(screen, "WizardScreen"):
            for section in screen.sections:
                yield SystemCommand(f"Gå til afsnit: {section.heading}", "Vis afsnittet i guiden",
                                    lambda s=section.id: screen.run_worker(screen.goto_section(s)))
            yield SystemCommand("Gennemgang", "Se hvad planen mangler", screen.action_review)
            yield SystemCommand("Eksportér", "Vis planen, og gem den som Word, HTML eller Markdown",
                                screen.action_export)
            yield SystemCommand("Udestående initiativer", "Planens initiativer: overskredet, denne uge, senere",
                                screen.action_outstanding)
            if screen.check_action("guidance", ()):
                yield SystemCommand("Vejledning til planen", "Skabelonens vejledning til hele planen",
                                    screen.action_guidance)
            if screen.can_add_reference():
                yield SystemCommand(screen.plan.template.reference_use.title,
                                    "Læs forslagene og tilføj et i dette afsnit", screen.action_reference)
            if screen.current_section.added_items is not None:
                yield SystemCommand(screen.current_section.added_items.add_label, "Tilføj i dette afsnit",
                                    lambda: screen.run_worker(screen.action_add_item()))
        if screens.is_a(screen, "OutstandingScreen"):
            yield SystemCommand("Markér opfølgningsmøde", "Registrér et møde i den valgte plan i dag",
                                screen.action_meeting)
            yield SystemCommand("Siden sidste opfølgning", "Hvad er ændret siden sidste møde", screen.action_since)
            yield SystemCommand("Dagsorden", "Dagsorden til opfølgningsmødet (Markdown)", screen.action_agenda)
            yield SystemCommand("Min liste", "Én ansvarligs initiativer, klar til en mail", screen.action_my_list)
            yield SystemCommand("Tidslinje", "Måneder hen ad, initiativer ned ad", screen.action_timeline)
            yield SystemCommand("Kalender (.ics)", "Deadlines og milepæle som kalenderfil", screen.action_calendar)
