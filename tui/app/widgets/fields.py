"""The field editor: label, input and error line. Each field kind's editor is a FieldEditor
subclass (tui/app/widgets/kinds.py). Each writes straight into the plan (validated by the plan
logic) and tells the wizard it changed, so autosave can follow."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, Select, Static, TextArea

from tui.app.widgets.cpr_guard import cpr_note, is_text_widget, offer_removal
from tui.app.widgets.milestones import MilestoneRow
from tui.core.dates import DateError
from tui.core.kinds import Kind, kind_of
from tui.core.plan import Plan, ValueRefused
from tui.core.templates import FieldSpec, ItemSpec


class FieldChanged(Message):
    def __init__(self, editor: FieldEditor) -> None:
        super().__init__()
        self.editor = editor


class FieldFocused(Message):
    def __init__(self, editor: FieldEditor) -> None:
        super().__init__()
        self.editor = editor


class FieldEditor(Vertical):
    """Label, the input widget for the field's kind, and a line for a Danish error message.

    This base edits one line of text; a kind that needs another input overrides compose_input
    and commit (and input_changed / input_done for the Input events it wants)."""

    DEFAULT_CSS = """
    FieldEditor { height: auto; margin-bottom: 1; }
    FieldEditor > .field-label { text-style: bold; width: 1fr; }
    FieldEditor > .field-error { color: $error; display: none; }
    FieldEditor.-invalid > .field-error { display: block; }
    FieldEditor.-cpr > .field-error { display: block; }
    FieldEditor.-cpr > Input, FieldEditor.-cpr > TextArea { border: tall $error; }
    FieldEditor.-invalid Input { border: tall $error; }
    FieldEditor TextArea { height: auto; min-height: 4; max-height: 14; }
    FieldEditor Input.date { width: 18; }  /* 10 characters, the cursor, padding and border */
    """

    def __init__(self, plan: Plan, item: ItemSpec, spec: FieldSpec) -> None:
        super().__init__(id=f"field--{item.id}--{spec.id}")
        self.plan = plan
        self.item = item
        self.spec = spec
        self.kind: Kind = kind_of(spec.kind)
        self.change_count = 0  # lets a caller that cannot wait for the message see a change
        self._cut_notice = False  # the field shows that a paste was cut to the limit
        self._error: str | None = None
        self._cpr_note: str | None = None  # text that looks like a CPR number: warned at once
        self._messages_shown: tuple[str | None, str | None] = (None, None)  # as composed: no message

    @property
    def key(self) -> tuple[str, str]:
        return (self.item.id, self.spec.id)

    def compose(self) -> ComposeResult:
        # Required, or required because the field it depends on is filled (the review asks for it).
        required = self.spec.required or bool(
            self.spec.required_if and self.plan.is_filled(self.item.id, self.spec.required_if))
        mark = " *" if required else ""
        yield Label(self.spec.label + mark, classes="field-label", markup=False)
        yield from self.compose_input()
        yield Static("", classes="field-error", markup=False)
        self._messages_shown = (None, None)  # composed again (changed elsewhere): the line is empty

    placeholder = ""  # shown in an empty input when the template gives none

    @classmethod
    def input_height(cls, value, width: int) -> int:
        """Lines the input takes for `value` at `width` columns (a stand-in is drawn this tall)."""
        return 3  # a one-line input with its border

    def compose_input(self) -> ComposeResult:
        yield Input(str(self.plan.value(*self.key)), placeholder=self.spec.placeholder or self.placeholder)

    def _changed(self) -> None:
        self.change_count += 1
        self.post_message(FieldChanged(self))

    def on_mount(self) -> None:
        if self.kind.holds_text:
            self.check_cpr(self.plan.value(*self.key))
        self.mounted()

    def mounted(self) -> None:
        """After the field is mounted (and checked for CPR numbers): a kind's own first step."""

    def focus_input(self, milestone_id: str | None = None, scroll: bool = True) -> None:
        """Focus the field's input (milestones: the named row's date, or the add button)."""
        for widget in self.query("Input, TextArea, Select, Button"):
            if widget.focusable:
                widget.focus(scroll_visible=scroll)
                return

    def show_error(self, message: str | None) -> None:
        self._error = message
        self._show_messages()

    def _show_messages(self) -> None:
        # Only a change is shown: each field reports its first value as it mounts, and an update
        # of the (empty) message line would make Textual lay the whole section out once more.
        if (self._error, self._cpr_note) == self._messages_shown:
            return
        self._messages_shown = (self._error, self._cpr_note)
        self.set_class(bool(self._error), "-invalid")
        self.set_class(bool(self._cpr_note), "-cpr")
        self.query_one(".field-error", Static).update("\n".join(m for m in (self._error, self._cpr_note) if m))

    def check_cpr(self, value) -> None:
        """Warn under the field, at once, while its answer holds a CPR-like number."""
        note = cpr_note(value)
        if note != self._cpr_note:
            self._cpr_note = note
            self._show_messages()

    def on_descendant_blur(self, event) -> None:
        """Leaving a text with a CPR-like number in it: offer to remove it."""
        widget = event.widget
        if not self.kind.holds_text or not is_text_widget(widget):
            return
        row = widget.parent if isinstance(widget.parent, MilestoneRow) else None
        offer_removal(self, widget, self.plan, (*self.key, row.milestone_id if row else None))

    def store(self, raw, *, keep_error: str | None = None, drafts_changed: bool = False) -> bool:
        before = self.plan.value(self.item.id, self.spec.id)
        limit = self.kind.text_limit
        if limit is not None and isinstance(raw, str) and len(raw) > limit:
            return self._store_cut(raw, limit)
        try:
            after = self.plan.set_value(self.item.id, self.spec.id, raw)
        except (ValueRefused, DateError) as exc:
            self.show_error(str(exc))
            if drafts_changed:
                self._changed()
            return False
        if after != before or not self._cut_notice:  # the notice of a cut paste stays until the next edit
            self._cut_notice = False
            self.show_error(keep_error)
        self.check_cpr(after)
        if after != before or drafts_changed:  # widgets also report their initial value; that is no change
            self._changed()
        return True

    def _store_cut(self, raw: str, limit: int) -> bool:
        """A paste longer than the field holds: the first `limit` characters are stored and shown,
        and the message says how much was left out (never a silent drop)."""
        kept = raw[:limit]
        self.plan.set_value(self.item.id, self.spec.id, kept)
        self._changed()
        widget = self.query_one("TextArea, Input")
        if isinstance(widget, TextArea):
            widget.load_text(kept)
        elif isinstance(widget, Input):
            widget.value = kept
        message = (f"Teksten var på {len(raw):,} tegn, men feltet har plads til {limit:,}. De første "
                   f"{limit:,} tegn er gemt; de sidste {len(raw) - limit:,} tegn er ikke kommet med."
                   ).replace(",", ".")
        self.show_error(message)
        self.notify(message, title="Teksten er for lang", severity="warning", timeout=15)
        self._cut_notice = True
        return True

    def commit(self) -> None:
        """Store what the field shows now, without waiting for the widget's Changed message (on
        quit or a closed terminal it may never be handled)."""
        self.store(self.query_one(Input).value)

    def on_descendant_focus(self) -> None:
        self.post_message(FieldFocused(self))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.input_changed(event)

    def input_changed(self, event: Input.Changed) -> None:
        """An Input in the field changed (at every keystroke)."""
        self.store(event.value)

    @on(Input.Blurred)
    @on(Input.Submitted)
    def _input_done(self, event: Input.Blurred | Input.Submitted) -> None:
        event.stop()
        self.input_done(event)

    def input_done(self, event: Input.Blurred | Input.Submitted) -> None:
        """The user left an Input of the field, or pressed Enter in it."""

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.store(event.text_area.text)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.store("" if event.value is Select.NULL else event.value)
