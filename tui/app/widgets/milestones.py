"""The milestone list: rows of done-flag, date and text; add, remove and reorder by keyboard."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Static

from tui.app.widgets.tickbox import TickBox
from tui.core.dates import format_date
from tui.core.plan import new_id


class MilestoneRow(Horizontal):
    # One line per milestone (compact widgets): a list of ten still fits on a 24-line screen.
    DEFAULT_CSS = """
    MilestoneRow { height: 1; margin-bottom: 1; }
    MilestoneRow Checkbox { width: 5; margin-right: 1; }
    MilestoneRow Input.ms-date { width: 12; margin-right: 1; }
    MilestoneRow Input.ms-text { width: 1fr; margin-right: 1; }
    MilestoneRow Button { min-width: 3; width: 3; }
    MilestoneRow.-invalid Input.ms-date { background: $error 30%; }
    """
    BINDINGS = [
        # Not in the Footer (no room at 80 columns); F1 lists them.
        Binding("ctrl+up", "move(-1)", "Flyt milepæl op", id="milestone.up", show=False),
        Binding("ctrl+down", "move(1)", "Flyt milepæl ned", id="milestone.down", show=False),
    ]

    def __init__(self, row: dict, draft_date: str | None = None) -> None:
        super().__init__()
        self.milestone_id = row.get("id") or new_id("m-")
        self.row = row
        self.draft_date = draft_date

    def compose(self) -> ComposeResult:
        yield TickBox("", value=bool(self.row.get("done")), tooltip="Nået", compact=True)
        yield Input(self.draft_date or format_date(self.row.get("date")), placeholder="dd-mm-åååå",
                    classes="ms-date", max_length=40, compact=True)
        yield Input(self.row.get("text", ""), placeholder="Hvad skal være nået?", classes="ms-text", compact=True)
        yield Button("✕", classes="ms-remove", tooltip="Fjern milepælen", compact=True)

    def data(self) -> dict:
        return {
            "id": self.milestone_id,
            "done": self.query_one(Checkbox).value,
            "date": self.query_one(".ms-date", Input).value,
            "text": self.query_one(".ms-text", Input).value,
        }

    def action_move(self, delta: int) -> None:
        parent = self.parent
        assert isinstance(parent, Widget)  # a row is always mounted in its list
        rows = list(parent.query_children(MilestoneRow))
        index = rows.index(self)
        target = index + delta
        if 0 <= target < len(rows):
            if delta < 0:
                parent.move_child(self, before=rows[target])
            else:
                parent.move_child(self, after=rows[target])
            parent.post_message(MilestoneList.Reordered())


class MilestoneList(Vertical):
    DEFAULT_CSS = """
    MilestoneList { height: auto; }
    MilestoneList .ms-heading { color: $text-muted; height: 1; }
    """

    class Reordered(Message):
        pass

    def __init__(self, rows: list[dict], draft_dates: dict[str, str] | None = None) -> None:
        super().__init__()
        self.initial = rows
        self.draft_dates = draft_dates or {}

    def compose(self) -> ComposeResult:
        yield Static("Nået  Dato          Hvad skal være nået?", classes="ms-heading")
        for row in self.initial:
            yield MilestoneRow(row, self.draft_dates.get(row.get("id", "")))
        yield Button("+ Tilføj milepæl", classes="ms-add", compact=True)

    def on_mount(self) -> None:
        self.sync_heading()

    def sync_heading(self) -> None:
        """The column heading only when there are rows under it."""
        self.query_one(".ms-heading").display = bool(self.query_children(MilestoneRow))

    def rows(self) -> list[dict]:
        return [row.data() for row in self.query_children(MilestoneRow)]

    async def add_row(self) -> None:
        row = MilestoneRow({})
        await self.mount(row, before=self.query_one(".ms-add"))
        self.sync_heading()
        row.query_one(".ms-date", Input).focus()
