"""Each field kind in the wizard: its editor (a FieldEditor subclass) and the help shown beside a
field the template gives no help for. FIELD_WIDGETS is keyed by the same FieldKind as the core's
KINDS (tui/core/kinds.py); a kind added there gets its entry here (README, "Add a field kind")."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Select, TextArea

from tui.app.widgets.fields import FieldEditor
from tui.app.widgets.milestones import MilestoneList, MilestoneRow
from tui.app.widgets.text_area import EndTextArea
from tui.core.dates import DateError, format_date
from tui.core.enums import Status
from tui.core.kinds import FieldKind
from tui.core.plan import Plan, split_milestone_dates
from tui.core.templates import FieldSpec, ItemSpec

NO_HELP = "Dette felt har ingen hjælpetekst."


class ResponsibleEditor(FieldEditor):
    placeholder = "Navn"


class LongTextEditor(FieldEditor):
    @classmethod
    def input_height(cls, value, width: int) -> int:
        room = max(10, width - 4)
        lines = sum(1 + len(line) // room for line in str(value).splitlines()) if value else 1
        return max(4, min(14, lines + 2))  # as the text area's min/max height in FieldEditor's CSS

    def compose_input(self) -> ComposeResult:
        area = EndTextArea(str(self.plan.value(*self.key)), soft_wrap=True, tab_behavior="focus",
                        placeholder=self.spec.placeholder)
        area.show_line_numbers = False
        yield area

    def commit(self) -> None:
        self.store(self.query_one(TextArea).text)


class ChoiceEditor(FieldEditor):
    """A choice from a list (Select): the scale's answers, or the statuses."""

    prompt = "Vælg svar"

    def choices(self) -> list[tuple[str | Content, str]]:
        scale = self.plan.template.scales[self.spec.scale or ""]
        return [(Content(c.label), c.id) for c in scale.choices]

    def compose_input(self) -> ComposeResult:
        value = self.plan.value(*self.key)
        yield Select(self.choices(), prompt=self.prompt, value=value if value else Select.NULL)

    def commit(self) -> None:
        value = self.query_one(Select).value
        self.store("" if value is Select.NULL else value)


class StatusEditor(ChoiceEditor):
    prompt = "Vælg status"

    def choices(self) -> list[tuple[str | Content, str]]:
        return [(status.label, status.value) for status in Status]


class DateEditor(FieldEditor):
    """Checked when the user leaves the field; a date that is not a date is kept as a draft
    (saved and flagged), never dropped, and the last valid date stays the answer."""

    def compose_input(self) -> ComposeResult:
        shown = self.plan.draft(*self.key) or format_date(self.plan.value(*self.key))
        yield Input(shown, placeholder="dd-mm-åååå", classes="date", max_length=40)

    def mounted(self) -> None:
        # A date kept from last time that is not a date: flagged at once, as when it was typed.
        if self.plan.draft(*self.key):
            self.commit()

    def commit(self) -> None:
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
            field.value = format_date(self.plan.value(*self.key))

    def input_changed(self, event: Input.Changed) -> None:
        pass  # dates are checked when the user leaves the field, not at every keystroke

    def input_done(self, event: Input.Blurred | Input.Submitted) -> None:
        self.commit()


class MilestonesEditor(FieldEditor):
    """Rows of done-flag, date and text. Every row is stored with its text and done flag; a date
    that is not a date is kept as a draft for its row and flagged."""

    @classmethod
    def input_height(cls, value, width: int) -> int:
        rows = len(value) if isinstance(value, list) else 0
        return (1 if rows else 0) + 2 * rows + 1  # the heading, a row and its margin each, the add button

    def compose_input(self) -> ComposeResult:
        value = self.plan.value(*self.key)
        drafts = {m["id"]: self.plan.draft(*self.key, m["id"]) for m in value if m.get("id")}
        yield MilestoneList(list(value), {k: v for k, v in drafts.items() if v})

    def mounted(self) -> None:
        if any(self.plan.draft(*self.key, m.get("id")) for m in self.plan.value(*self.key)):
            self.store_milestones()

    def focus_input(self, milestone_id: str | None = None, scroll: bool = True) -> None:
        for row in self.query(MilestoneRow) if milestone_id else ():
            if row.milestone_id == milestone_id:
                row.query_one(".ms-date", Input).focus(scroll_visible=scroll)
                return
        super().focus_input(milestone_id, scroll)

    def commit(self) -> None:
        self.store_milestones()

    def input_changed(self, event: Input.Changed) -> None:
        if event.input.has_class("ms-text"):
            self.store_milestones()

    def input_done(self, event: Input.Blurred | Input.Submitted) -> None:
        if event.input.has_class("ms-text"):
            if isinstance(event, Input.Blurred):
                event.input.cursor_position = 0  # show the start of a long text, not its end
        elif event.input.has_class("ms-date") and self.store_milestones():
            row = event.input.parent
            if isinstance(row, MilestoneRow) and not self.plan.draft(*self.key, row.milestone_id):
                stored = {m["id"]: m for m in self.plan.value(*self.key)}
                if row.milestone_id in stored:
                    event.input.value = format_date(stored[row.milestone_id]["date"])

    def store_milestones(self) -> bool:
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
    def _reordered(self, event: MilestoneList.Reordered) -> None:
        event.stop()
        self.store_milestones()

    @on(Button.Pressed, ".ms-add")
    async def _add_milestone(self, event: Button.Pressed) -> None:
        event.stop()
        await self.query_one(MilestoneList).add_row()

    @on(Button.Pressed, ".ms-remove")
    def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button.parent, MilestoneRow):
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


@dataclass(frozen=True)
class KindWidget:
    """A field kind in the wizard: the editor that edits it, and its help (None: NO_HELP)."""

    editor: type[FieldEditor]
    help: str | None = None


FIELD_WIDGETS: dict[FieldKind, KindWidget] = {
    FieldKind.SHORT_TEXT: KindWidget(FieldEditor),
    FieldKind.LONG_TEXT: KindWidget(LongTextEditor),
    FieldKind.SCALE: KindWidget(ChoiceEditor, "**Enter** åbner listen med svarmuligheder."),
    FieldKind.RESPONSIBLE: KindWidget(
        ResponsibleEditor, "En person eller en rolle. Oversigten over udestående kan filtreres på navnet, og "
                           "»Min liste« samler én persons initiativer."),
    FieldKind.DATE: KindWidget(
        DateEditor, "Skriv datoen som dd-mm-åååå, fx 01-03-2027. Den kontrolleres, når du forlader feltet; "
                    "en ugyldig dato bliver stående og bliver markeret."),
    FieldKind.MILESTONES: KindWidget(
        MilestonesEditor, "Hver milepæl har en dato og en tekst; sæt kryds, når den er nået. **Ctrl+↑/↓** "
                          "flytter en milepæl."),
    FieldKind.STATUS: KindWidget(
        StatusEditor, "Ikke startet, I gang, Gennemført eller Udgået. Status bruges i oversigten over "
                      "udestående initiativer (F9); gennemførte og udgåede tæller ikke som udestående. "
                      "**Enter** åbner listen."),
}


def field_editor(plan: Plan, item: ItemSpec, spec: FieldSpec) -> FieldEditor:
    """The editor for a field of the plan, by its kind."""
    return FIELD_WIDGETS[spec.kind].editor(plan, item, spec)


def kind_help(kind: str) -> str:
    """The help for a field of `kind` the template gives no help for."""
    found = FieldKind.of(kind)
    widget = FIELD_WIDGETS.get(found) if found else None
    return (widget.help if widget else None) or NO_HELP
