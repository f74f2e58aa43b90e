"""The text area of every long answer in implan."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea


class EndTextArea(TextArea):
    """A text area that, entered with text in it, puts the cursor after the text: what is
    written there is added to, not typed in front of. A click still places it where clicked
    (the click is handled after the focus); the terminal regaining focus moves nothing."""

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        if self.text and not event.from_app_focus:
            self.move_cursor(self.document.end)
