"""Ask for one line of text in a modal; dismisses with the text, or None when cancelled."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class PromptScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical {
        width: 70; max-width: 100%; height: auto; border: thick $accent; background: $surface; padding: 1 2;
    }
    PromptScreen .hint { color: $text-muted; }
    PromptScreen Label { width: 1fr; }  /* a long question wraps instead of being cut */
    """
    BINDINGS = [Binding("escape", "cancel", "Fortryd", id="prompt.cancel")]

    def __init__(self, question: str, value: str = "", hint: str = "Enter: OK · Esc: fortryd",
                 allow_empty: bool = False) -> None:
        super().__init__()
        self.allow_empty = allow_empty  # then Enter on an empty line answers "" (Esc still None)
        self.question = question
        self.value = value
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            yield Input(self.value, max_length=1000)
            yield Static(self.hint, classes="hint", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(value if value or self.allow_empty else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
