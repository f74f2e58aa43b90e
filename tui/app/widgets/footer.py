"""A Footer that makes its keys only when they change, and fits them to its width."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS_SHOWN = ("show_keys", "app.show_keys")  # F1 lists every key, so it is never the one left out


class FittingFooter(Footer):
    """Two changes to Textual's Footer:

    - It makes its keys again only when they would differ, and only while its screen is shown.
      Textual's makes them each time the screen publishes its bindings: on every focus change,
      and when a screen is covered or uncovered. Each time costs a layout and a frame, and a
      covered screen's frame is painted again on top of the screen in front (five frames more
      while the wizard opens). It also has its keys in its first frame, not one frame later.
    - In a narrow terminal the keys at the end are dropped until the rest fit, F1 kept:
      »f9 Ud« cut by the edge helps no one, and F1 shows them all.
    """

    _composed_from: tuple | None = None  # what the keys on screen are (or are about to be) made from

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_reactive(Footer._bindings_ready, True)

    def _keys_wanted(self) -> tuple:
        """Everything the keys are made from: Footer.compose's bindings, and the width."""
        shown = tuple((binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                       binding.group, enabled, tooltip)
                      for _, binding, enabled, tooltip in self.screen.active_bindings.values() if binding.show)
        return shown, self.show_command_palette, self.compact, self._room()

    def _room(self) -> int:
        return self.size.width or self.app.size.width

    def bindings_changed(self, screen: Screen) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)  # Textual's own: composes nothing now
            return
        if not screen.is_current:
            return  # asked again when the screen is uncovered
        wanted = self._keys_wanted()
        if wanted != self._composed_from:
            self._composed_from = wanted
            super().bindings_changed(screen)

    def on_resize(self, event: Resize) -> None:
        # The first resize (to the width composed for) makes nothing again.
        if self._composed_from is not None and self._keys_wanted() != self._composed_from:
            self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        self._composed_from = self._keys_wanted()
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        if len(keys) != len(widgets):  # grouped keys: leave Textual's layout alone
            yield from widgets
            return
        room = self._room()
        extra = 2 if self.compact else 4  # the space between key and text, and after the text

        def width(key: FooterKey) -> int:
            return len(key.key_display) + len(key.description) + extra

        kept = list(keys)
        droppable = [k for k in reversed(keys) if k.action not in ALWAYS_SHOWN]
        while sum(width(k) for k in kept) > room and droppable:
            kept.remove(droppable.pop(0))
        self.styles.grid_size_columns = len(kept)
        yield from kept
