"""A checkbox whose mark differs in shape, not only in colour: ✓ ticked, empty unticked."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """Textual's Checkbox shows the same »X« in both states, told apart by its colour alone
    (unticked it is 1.4:1 against its box): unreadable without colour, and easily misread."""

    DEFAULT_CSS = """
    /* Focused, the box itself lights up: a milestone's box has no label to show the cursor on. */
    TickBox:focus > .toggle--button { background: $block-cursor-background; color: $block-cursor-foreground; }
    """

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual reads the mark from here
        return "✓" if self.value else " "
