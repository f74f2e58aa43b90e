from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from tui.app.screens.home import HomeScreen


class ImplanApp(App):
    TITLE = "implan"
    SUB_TITLE = "Implementeringsplaner"
    BINDINGS = [Binding("ctrl+q", "quit", "Afslut", id="quit", priority=True)]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.db_path))
