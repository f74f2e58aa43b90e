"""Textual widgets with the small behaviours a daily user expects of every list in implan (and of
every text: tui/app/widgets/text_area.py, kept apart so the home screen need not import TextArea)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable):
    """A table of rows: Home and End go to the first and the last row. (Textual's DataTable
    scrolls sideways on Home/End when the cursor is a row, and only Ctrl+Home/End move it.)"""

    BINDINGS = [
        Binding("home", "scroll_top", "Første række", id="table.first", show=False),
        Binding("end", "scroll_bottom", "Sidste række", id="table.last", show=False),
    ]
