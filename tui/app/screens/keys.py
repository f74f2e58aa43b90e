"""F1: every key that works here, in Danish (Textual's own key panel speaks English)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

GENERAL_KEYS = [
    ("Tab / Shift+Tab", "næste / forrige felt"),
    ("Enter", "vælg, åbn eller bekræft"),
    ("Esc", "tilbage eller fortryd"),
    ("Ctrl+P", "kommandopaletten: søg efter en kommando"),
    ("Ctrl+Q", "gem og afslut"),
    ("Ctrl+↑ / Ctrl+↓", "flyt en milepæl op eller ned (når du står i den)"),
    ("Mellemrum", "sæt eller fjern flueben (udført)"),
    ("Home / End", "første / sidste række i en liste"),
]


class KeysScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > VerticalScroll { width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("escape,f1,q", "close", "Luk", id="keys.close")]

    def __init__(self, screen_keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.screen_keys = screen_keys

    def compose(self) -> ComposeResult:
        lines = ["[b]Taster på denne skærm[/b]", ""]
        lines += [f"  [b]{key:<18}[/b] {what}" for key, what in self.screen_keys]
        lines += ["", "[b]Altid[/b]", ""]
        lines += [f"  [b]{key:<18}[/b] {what}" for key, what in GENERAL_KEYS]
        lines += ["", "[dim]Esc eller F1 lukker denne oversigt.[/dim]"]
        with VerticalScroll():
            yield Static("\n".join(lines))

    def action_close(self) -> None:
        self.dismiss(None)
