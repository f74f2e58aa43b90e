"""Ticks whose mark differs in shape, not only in colour: ✓ ticked, empty unticked."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist


def mark(ticked: bool) -> str:
    return "✓" if ticked else " "


class TickBox(Checkbox):
    """Textual's Checkbox shows the same »X« in both states, told apart by its colour alone
    (unticked it is 1.4:1 against its box): unreadable without colour, and easily misread."""

    DEFAULT_CSS = """
    /* Focused, the box itself lights up: a milestone's box has no label to show the cursor on. */
    TickBox:focus > .toggle--button { background: $block-cursor-background; color: $block-cursor-foreground; }
    """

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual reads the mark from here
        return mark(self.value)


class TickList(SelectionList[str]):
    """A SelectionList with TickBox's marks: Textual draws the same »X« before every option,
    ticked or not, in two colours."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        # Textual draws [left side, mark, right side, space, prompt…]; anything else is left as it is.
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        segments[1] = Segment(mark(selection.value in self.selected), segments[1].style)
        return Strip(segments, strip.cell_length)
