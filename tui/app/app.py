from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.app.screens.home import HomeScreen


class ImplanApp(App):
    TITLE = "implan"
    SUB_TITLE = "Implementeringsplaner"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Afslut", id="quit", priority=True),
        Binding("f1", "toggle_keys", "Taster", id="keys"),
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.db_path))

    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    async def action_quit(self) -> None:
        """Whatever is typed is written before the app closes."""
        from tui.app.screens.wizard import WizardScreen

        for screen in self.screen_stack:
            if isinstance(screen, WizardScreen) and not screen.save_and_release():
                return
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's own palette entries are English; ours say the same in Danish.
        yield SystemCommand("Tema", "Skift farvetema", self.action_change_theme)
        yield SystemCommand("Taster", "Vis eller skjul oversigten over taster", self.action_toggle_keys)
        yield SystemCommand("Afslut", "Gem og afslut implan", self.action_quit)
        from tui.app.screens.wizard import WizardScreen

        if isinstance(screen, WizardScreen):
            for section in screen.sections:
                yield SystemCommand(f"Gå til afsnit: {section.heading}", "Vis afsnittet i guiden",
                                    lambda s=section.id: screen.run_worker(screen.goto_section(s)))
            yield SystemCommand("Gennemgang", "Se hvad planen mangler", screen.action_review)
            yield SystemCommand("Eksportér", "Vis og gem planen som Markdown eller HTML", screen.action_export)
            if screen.current_section.added_items is not None:
                yield SystemCommand(screen.current_section.added_items.add_label, "Tilføj i dette afsnit",
                                    lambda: screen.run_worker(screen.action_add_item()))
