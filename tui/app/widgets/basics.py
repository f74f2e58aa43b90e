"""Textual widgets with the small behaviours a daily user expects of every list and text in implan."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import DataTable, TextArea


class RowTable(DataTable):
    """A table of rows: Home and End go to the first and the last row. (Textual's DataTable
    scrolls sideways on Home/End when the cursor is a row, and only Ctrl+Home/End move it.)"""

    BINDINGS = [
        Binding("home", "scroll_top", "Første række", id="table.first", show=False),
        Binding("end", "scroll_bottom", "Sidste række", id="table.last", show=False),
    ]


class EndTextArea(TextArea):
    """A text area that, entered with text in it, puts the cursor after the text: what is
    written there is added to, not typed in front of. A click still places it where clicked
    (the click is handled after the focus); the terminal regaining focus moves nothing."""

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        if self.text and not event.from_app_focus:
            self.move_cursor(self.document.end)
