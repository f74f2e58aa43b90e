"""One editor per field kind. Each writes straight into the plan (validated by the plan logic)
and tells the wizard it changed, so autosave can follow."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from tui.app.widgets.cpr_guard import cpr_note, is_text_widget, offer_removal
from tui.app.widgets.milestones import MilestoneList, MilestoneRow

from tui.core.dates import DateError, format_date
from tui.core.plan import STATUSES, TEXT_LIMITS, Plan, ValueRefused, split_milestone_dates
from tui.core.templates import FieldSpec, ItemSpec


class FieldChanged(Message):
    def __init__(self, editor: "FieldEditor") -> None:
        super().__init__()
        self.editor = editor


class FieldFocused(Message):
    def __init__(self, editor: "FieldEditor") -> None:
        super().__init__()
        self.editor = editor


class FieldEditor(Vertical):
    """Label, the input widget for the field's kind, and a line for a Danish error message."""

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
        self.change_count = 0  # lets a caller that cannot wait for the message see a change
        self._cut_notice = False  # the field shows that a paste was cut to the limit
        self._error: str | None = None
        self._cpr_note: str | None = None  # text that looks like a CPR number: warned at once

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

    def compose_input(self) -> ComposeResult:
        value = self.plan.value(self.item.id, self.spec.id)
        kind = self.spec.kind
        if kind == "long_text":
            area = TextArea(str(value), soft_wrap=True, tab_behavior="focus", placeholder=self.spec.placeholder)
            area.show_line_numbers = False
            yield area
        elif kind == "milestones":
            drafts = {m["id"]: self.plan.draft(self.item.id, self.spec.id, m["id"]) for m in value if m.get("id")}
            yield MilestoneList(list(value), {k: v for k, v in drafts.items() if v})
        elif kind == "date":
            shown = self.plan.draft(self.item.id, self.spec.id) or format_date(value)
            yield Input(shown, placeholder="dd-mm-åååå", classes="date", max_length=40)
        elif kind == "scale":
            scale = self.plan.template.scales[self.spec.scale or ""]
            yield Select([(Content(c.label), c.id) for c in scale.choices], prompt="Vælg svar",
                         value=value if value else Select.NULL)
        elif kind == "status":
            yield Select([(label, key) for key, label in STATUSES.items()], prompt="Vælg status",
                         value=value if value else Select.NULL)
        else:
            yield Input(str(value), placeholder=self.spec.placeholder or ("Navn" if kind == "responsible" else ""))

    def _changed(self) -> None:
        self.change_count += 1
        self.post_message(FieldChanged(self))

    def on_mount(self) -> None:
        if self.spec.kind in ("short_text", "responsible", "long_text", "milestones"):
            self.check_cpr(self.plan.value(*self.key))
        # A date kept from last time that is not a date: flagged at once, as when it was typed.
        if self.spec.kind == "date" and self.plan.draft(self.item.id, self.spec.id):
            self.commit()
        elif self.spec.kind == "milestones" and any(
                self.plan.draft(self.item.id, self.spec.id, m.get("id")) for m in self.plan.value(*self.key)):
            self.store_milestones()

    def focus_input(self, milestone_id: str | None = None, scroll: bool = True) -> None:
        """Focus the field's input; for milestones the named row's date (or the add button)."""
        if milestone_id:
            for row in self.query(MilestoneRow):
                if row.milestone_id == milestone_id:
                    row.query_one(".ms-date", Input).focus(scroll_visible=scroll)
                    return
        for widget in self.query("Input, TextArea, Select, Button"):
            if widget.focusable:
                widget.focus(scroll_visible=scroll)
                return

    def show_error(self, message: str | None) -> None:
        self._error = message
        self._show_messages()

    def _show_messages(self) -> None:
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
        if self.spec.kind in ("date", "scale", "status") or not is_text_widget(widget):
            return
        row = widget.parent if isinstance(widget.parent, MilestoneRow) else None
        offer_removal(self, widget, self.plan, (*self.key, row.milestone_id if row else None))

    def store(self, raw, *, keep_error: str | None = None, drafts_changed: bool = False) -> bool:
        before = self.plan.value(self.item.id, self.spec.id)
        limit = TEXT_LIMITS.get(self.spec.kind)
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
        widget = self.query_one(TextArea if self.spec.kind == "long_text" else Input)
        if isinstance(widget, TextArea):
            widget.load_text(kept)
        else:
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
        quit or a closed terminal it may never be handled). A date that is not a date is kept as
        a draft (saved and flagged), never dropped; the last valid date stays the answer."""
        if self.spec.kind == "date":
            field = self.query_one(Input)
            typed = field.value
            try:
                self.plan.normalise(self.spec, typed)
            except DateError as exc:
                changed = self.plan.set_draft(self.item.id, self.spec.id, typed)
                self.show_error(str(exc))
                if changed:
                    self._changed()
                return
            changed = self.plan.set_draft(self.item.id, self.spec.id, None)
            if self.store(typed, drafts_changed=changed):
                field.value = format_date(self.plan.value(self.item.id, self.spec.id))
        elif self.spec.kind == "milestones":
            self.store_milestones()
        elif self.spec.kind == "long_text":
            self.store(self.query_one(TextArea).text)
        elif self.spec.kind in ("scale", "status"):
            value = self.query_one(Select).value
            self.store("" if value is Select.NULL else value)
        else:
            self.store(self.query_one(Input).value)

    def on_descendant_focus(self) -> None:
        self.post_message(FieldFocused(self))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.spec.kind == "milestones":
            if event.input.has_class("ms-text"):
                self.store_milestones()
            return
        if self.spec.kind == "date":
            return  # dates are checked when the user leaves the field, not at every keystroke
        self.store(event.value)

    @on(Input.Blurred)
    @on(Input.Submitted)
    def _input_done(self, event) -> None:
        event.stop()
        if self.spec.kind == "date":
            self.commit()
        elif self.spec.kind == "milestones" and event.input.has_class("ms-text"):
            if isinstance(event, Input.Blurred):
                event.input.cursor_position = 0  # show the start of a long text, not its end
        elif self.spec.kind == "milestones" and event.input.has_class("ms-date"):
            if self.store_milestones():
                row = event.input.parent
                if isinstance(row, MilestoneRow) and not self.plan.draft(*self.key, row.milestone_id):
                    stored = {m["id"]: m for m in self.plan.value(self.item.id, self.spec.id)}
                    if row.milestone_id in stored:
                        event.input.value = format_date(stored[row.milestone_id]["date"])

    def store_milestones(self) -> bool:
        """Every row is stored with its text and done flag; a date that is not a date is kept as
        a draft for its row and flagged."""
        milestone_list = self.query_one(MilestoneList)
        rows, bad, error = split_milestone_dates(milestone_list.rows())
        changed = False
        for row in rows:
            changed |= self.plan.set_draft(self.item.id, self.spec.id, bad.get(row["id"]), row["id"])
        changed |= self.plan.drop_milestone_drafts(self.item.id, self.spec.id, {row["id"] for row in rows})
        for widget in milestone_list.query(MilestoneRow):
            widget.set_class(widget.milestone_id in bad, "-invalid")
        return self.store(rows, keep_error=error, drafts_changed=changed)

    @on(Checkbox.Changed)
    def _done_toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.store_milestones()

    @on(MilestoneList.Reordered)
    def _reordered(self, event) -> None:
        event.stop()
        self.store_milestones()

    @on(Button.Pressed, ".ms-add")
    async def _add_milestone(self, event: Button.Pressed) -> None:
        event.stop()
        await self.query_one(MilestoneList).add_row()

    @on(Button.Pressed, ".ms-remove")
    def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._remove_milestone(event.button.parent)

    @work
    async def _remove_milestone(self, row: MilestoneRow) -> None:
        from tui.app.screens.confirm import ConfirmScreen

        data = row.data()
        if (data["text"] or data["date"]).strip():  # an empty row goes without asking
            what = f"»{data['text'].strip()}«" if data["text"].strip() else f"milepælen {data['date'].strip()}"
            if not await self.app.push_screen_wait(ConfirmScreen(f"Vil du fjerne {what}?", "Fjern", "Behold")):
                return
        await row.remove()
        self.query_one(MilestoneList).sync_heading()
        self.store_milestones()

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.store(event.text_area.text)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.store("" if event.value is Select.NULL else event.value)
