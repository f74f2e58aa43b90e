"""One item (activity, question, milestone) with its fields; added items can be renamed, moved, removed."""

from __future__ import annotations

import textwrap

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from tui.app.widgets.cpr_guard import cpr_note, offer_removal
from tui.app.widgets.kinds import FIELD_WIDGETS, field_editor
from tui.core.cpr import ITEM_TITLE
from tui.core.plan import Plan
from tui.core.templates import ItemSpec


class ItemAction(Message):
    def __init__(self, item_id: str, action: str) -> None:
        super().__init__()
        self.item_id = item_id
        self.action = action


class ItemTitleChanged(Message):
    def __init__(self, item_id: str) -> None:
        super().__init__()
        self.item_id = item_id


def item_border_title(plan: Plan, item: ItemSpec, number: int) -> Content:
    label = plan.item_type(item).label
    # A template's question can be long; the border would cut it, so it is written out below.
    return Content(f"{label} {number}: {plan.item_title(item)}" if plan.is_added_item(item.id) else f"{label} {number}")


def wrapped_lines(text: str, width: int) -> int:
    return len(textwrap.wrap(text, max(10, width))) or 1


def estimated_height(plan: Plan, item: ItemSpec, width: int) -> int:
    """About the lines an ItemEditor for `item` takes at `width` columns, margins included."""
    inner = width - 4  # border and padding
    lines = 3  # border and the margin below
    if plan.is_added_item(item.id):
        lines += 1 + 3 + 1  # the title's label and input, the buttons
    else:
        lines += wrapped_lines(plan.item_title(item), inner) + 1
    if item.note:
        lines += wrapped_lines(item.note, inner) + 1
    for spec in plan.item_type(item).fields:
        editor = FIELD_WIDGETS[spec.kind].editor
        lines += 2 + editor.input_height(plan.value(item.id, spec.id), inner)  # label, input, margin
    return lines


class ItemStub(Widget, can_focus=True):
    """Stands in for an item's editor while it is out of sight: one widget instead of some fifty,
    about as tall as the editor. The wizard puts the editor in its place when the stub scrolls
    into view or gets focus (Tab)."""

    DEFAULT_CSS = """
    ItemStub { border: round $primary 50%; padding: 0 1; margin-bottom: 1; color: $accent; text-style: bold; }
    """

    def __init__(self, plan: Plan, item: ItemSpec, number: int, height: int) -> None:
        super().__init__(id=f"stub--{item.id}")
        self.plan = plan
        self.item = item
        self.number = number
        self.styles.height = height
        self.border_title = item_border_title(plan, item, number)
        self.revealing = False  # its editor is being mounted

    def render(self) -> Content:
        return Content("" if self.plan.is_added_item(self.item.id) else self.plan.item_title(self.item))


class ItemEditor(Vertical):
    DEFAULT_CSS = """
    ItemEditor { height: auto; border: round $primary 50%; padding: 0 1; margin-bottom: 1; }
    ItemEditor:focus-within { border: round $accent; }
    ItemEditor .item-note { color: $text-muted; text-style: italic; margin-bottom: 1; }
    ItemEditor .item-tools { height: auto; }
    ItemEditor .item-tools Button { min-width: 5; width: auto; margin-right: 2; }
    ItemEditor .item-title-label { text-style: bold; }
    ItemEditor .item-title-cpr { color: $error; display: none; }
    ItemEditor.-cpr .item-title-cpr { display: block; }
    ItemEditor .item-heading { text-style: bold; color: $accent; width: 1fr; margin-bottom: 1; }
    """

    def __init__(self, plan: Plan, item: ItemSpec, number: int) -> None:
        super().__init__(id=f"item--{item.id}")
        self.plan = plan
        self.item = item
        self.number = number
        self.added = plan.is_added_item(item.id)

    def compose(self) -> ComposeResult:
        itype = self.plan.item_type(self.item)
        self.border_title = item_border_title(self.plan, self.item, self.number)
        if not self.added:
            yield Static(self.plan.item_title(self.item), classes="item-heading", markup=False)
        if self.added:
            yield Label("Titel *", classes="item-title-label")
            yield Input(self.item.title, placeholder=f"Titel på {itype.label.lower()}", classes="item-title",
                        max_length=300)
            yield Static("", classes="item-title-cpr", markup=False)
        if self.item.note:
            # Templates write the note as Markdown emphasis; it is shown in italics already.
            yield Static(self.item.note.strip().strip("*_").strip(), classes="item-note", markup=False)
        for spec in itype.fields:
            yield field_editor(self.plan, self.item, spec)
        if self.added:
            # Last, so Tab goes from the title straight on to the fields.
            with Horizontal(classes="item-tools"):
                yield Button("↑ Flyt op", classes="item-up", compact=True)
                yield Button("↓ Flyt ned", classes="item-down", compact=True)
                yield Button("✕ Fjern", classes="item-remove", variant="error", compact=True)

    def on_mount(self) -> None:
        if self.added:
            self.check_cpr()

    def check_cpr(self) -> None:
        """A title that looks like it holds a CPR number is warned about under it, at once."""
        note = cpr_note(self._title())
        self.set_class(bool(note), "-cpr")
        self.query_one(".item-title-cpr", Static).update(note or "")

    def _title(self) -> str:
        for entry in self.plan.data["added_items"]:
            if entry.get("id") == self.item.id:
                return entry.get("title", "")
        return ""

    def on_descendant_blur(self, event) -> None:
        if event.widget.has_class("item-title"):
            offer_removal(self, event.widget, self.plan, (self.item.id, ITEM_TITLE))

    def on_input_changed(self, event: Input.Changed) -> None:
        if not event.input.has_class("item-title"):
            return
        event.stop()
        renamed = self.plan.rename_item(self.item.id, event.value)
        self.check_cpr()
        if not renamed:
            return  # the input reports its initial value on mount; that is no change to save
        itype = self.plan.item_type(self.item)
        title = event.value.strip() or f"{itype.label} uden titel"
        self.border_title = Content(f"{itype.label} {self.number}: {title}")
        self.post_message(ItemTitleChanged(self.item.id))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        for cls, action in (("item-up", "up"), ("item-down", "down"), ("item-remove", "remove")):
            if event.button.has_class(cls):
                event.stop()
                self.post_message(ItemAction(self.item.id, action))
