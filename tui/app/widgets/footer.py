"""A Footer that fits its width: keys that do not fit are left out whole, never cut in half."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS_SHOWN = ("show_keys", "app.show_keys")  # F1 lists every key, so it is never the one left out


class FittingFooter(Footer):
    """As Textual's Footer, but in a narrow terminal the keys at the end are dropped until the
    rest fit, F1 kept: »f9 Ud« cut by the edge helps no one, and F1 shows them all."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        if len(keys) != len(widgets):  # grouped keys: leave Textual's layout alone
            yield from widgets
            return
        room = self.size.width or self.app.size.width
        self._composed_for = room  # the first resize (to this width) composes nothing again
        extra = 2 if self.compact else 4  # the space between key and text, and after the text

        def width(key: FooterKey) -> int:
            return len(key.key_display) + len(key.description) + extra

        kept = list(keys)
        droppable = [k for k in reversed(keys) if k.action not in ALWAYS_SHOWN]
        while sum(width(k) for k in kept) > room and droppable:
            kept.remove(droppable.pop(0))
        self.styles.grid_size_columns = len(kept)
        yield from kept

    _composed_for = 0  # the width the keys were chosen for

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._composed_for:
            self._composed_for = event.size.width
            self.refresh(recompose=True)
