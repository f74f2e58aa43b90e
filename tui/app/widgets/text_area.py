"""The text area of every long answer in implan."""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.widgets import TextArea


class EndTextArea(TextArea):
    """A text area that, entered with text in it, puts the cursor after the text: what is
    written there is added to, not typed in front of. A click still places it where clicked
    (the click is handled after the focus); the terminal regaining focus moves nothing."""

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        if self.text and not event.from_app_focus:
            self.move_cursor(self.document.end)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The text's height wrapped at the width it is being laid out at. Textual's TextArea
        wraps only after its first layout, from its Resize event: every text area of a section
        then grows at once, and the section is laid out twice more (everything below moves)."""
        # Only before the first layout: from then on the Resize event wraps it, at the width
        # less a scrollbar when the text is longer than the area.
        if self.soft_wrap and width > 0 and not self.size:
            # As TextArea.wrap_width, which reads a region not laid out yet: 1 for the cursor at a line's end.
            wrap_width = max(0, width - self.gutter_width - 1)
            if wrap_width != self.wrapped_document._width:
                self.wrapped_document.wrap(wrap_width, tab_width=self.indent_width)
                self._line_cache.clear()
                # Set quietly: the layout asking is already under way.
                self.set_reactive(TextArea.virtual_size, Size(0, self.wrapped_document.height))
        return super().get_content_height(container, viewport, width)
