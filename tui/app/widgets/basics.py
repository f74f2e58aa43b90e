"""Textual widgets with the small behaviours a daily user expects of every list in implan (and of
every text: tui/app/widgets/text_area.py, kept apart so the home screen need not import TextArea)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._types import SegmentLines
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class RowTable(DataTable):
    """A table of rows: Home and End go to the first and the last row. (Textual's DataTable
    scrolls sideways on Home/End when the cursor is a row, and only Ctrl+Home/End move it.)"""

    BINDINGS = [
        Binding("home", "scroll_top", "Første række", id="table.first", show=False),
        Binding("end", "scroll_bottom", "Sidste række", id="table.last", show=False),
    ]


class FastRowTable(RowTable):
    """A RowTable for hundreds of one-line rows in columns of fixed width (home, Udestående). DataTable
    measures every cell of every new row (for auto-width columns) and renders each visible cell
    through Rich's Padding and console.render_lines: ~0.2 ms a cell, 50 ms a screenful at every
    filter keystroke. Here a fixed-width table skips the measuring, and a plain Text that fits its
    cell is made into the same segments directly; anything else is rendered as DataTable does.
    (Private DataTable methods: tests compare both renderings on the Textual versions we test.
    Under another whose internals differ, the first error turns the shortcuts off for good.)"""

    shortcuts = True
    _INTERNALS_DIFFER = (AttributeError, TypeError, KeyError, IndexError, ValueError)

    def update_dimensions_now(self) -> None:
        """Size the table for the rows just added in this frame, not the next (DataTable does it
        when idle: the scrollbar would be drawn in a frame of its own)."""
        if not FastRowTable.shortcuts:
            return
        try:
            if self._require_update_dimensions:
                self._require_update_dimensions = False
                new_rows = self._new_rows.copy()
                self._new_rows.clear()
                self._update_dimensions(new_rows)
        except self._INTERNALS_DIFFER:
            FastRowTable.shortcuts = False

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        if FastRowTable.shortcuts:
            try:
                if self._fixed_dimensions(new_rows):
                    return
            except self._INTERNALS_DIFFER:
                FastRowTable.shortcuts = False
        super()._update_dimensions(new_rows)

    def _fixed_dimensions(self, new_rows: Iterable[RowKey]) -> bool:
        """Sized without measuring a cell, where every column has a fixed width; else False."""
        rows = self.rows
        if self.fixed_rows or any(column.auto_width for column in self.columns.values()) or any(
                (row := rows.get(key)) is not None and (row.label is not None or row.auto_height)
                for key in new_rows):
            return False
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header)
        return True

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> SegmentLines:
        if FastRowTable.shortcuts:
            try:
                lines = self._plain_cell(row_index, column_index, base_style, width, cursor, hover)
            except self._INTERNALS_DIFFER:
                FastRowTable.shortcuts, lines = False, None
            if lines is not None:
                return lines
        return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)

    def _plain_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                    cursor: bool, hover: bool) -> SegmentLines | None:
        """The cell's one line, or None where DataTable's own rendering is needed."""
        if row_index < 0 or column_index < 0 or row_index < self.fixed_rows or column_index < self.fixed_columns:
            return None
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        row = self.rows.get(row_key) if row_key is not None else None
        if row_key is None or column_key is None or row is None or row.height != 1:
            return None
        cells = self._get_row_renderables(row_index).cells
        cell = cells[column_index] if column_index < len(cells) else None
        pad = self.cell_padding
        if type(cell) is not Text or cell.justify not in (None, "default", "left") \
                or "\n" in cell.plain or "\t" in cell.plain:
            return None
        room = width - 2 * pad
        used = cell_len(cell.plain)
        if used > room:
            return None
        key = (row_key, column_key, base_style, cursor, hover,
               self._show_hover_cursor, self._update_count, self._pseudo_class_state)
        cached = self._cell_render_cache.get(key)
        if cached is not None:
            return cached
        component, post = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component
        plain_style = pre + post
        line = [Segment(" " * pad, plain_style)] if pad else []
        if cell.spans:  # a bar of styled parts (home's progress): Text's own segments, styled alike
            line += [Segment(part.text, pre + part.style + post)
                     for part in cell.render(self.app.console)]
        else:
            line.append(Segment(cell.plain, pre + self.app.console.get_style(cell.style) + post))
        if used < room:
            line.append(Segment(" " * (room - used), plain_style))
        if pad:
            line.append(Segment(" " * pad, plain_style))
        self._cell_render_cache[key] = lines = [line]
        return lines

