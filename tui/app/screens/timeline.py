"""Tidslinje: months across, initiatives down; the initiative column stays while months scroll."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tui.app.theme import overdue_style
from tui.app.widgets.basics import RowTable
from tui.app.widgets.footer import FittingFooter
from tui.core.dates import format_date
from tui.core.initiatives import Initiative
from tui.core.refs import FieldRef
from tui.core.timeline import MONTHS, build_timeline, timeline_caption

if TYPE_CHECKING:
    from tui.app.app import ImplanApp

KIND_STYLE = {
    "span": "dim",
    "deadline": "bold",
    "deadline-overdue": "bold red",
    "deadline-done": "green",
    "ms-open": "",
    "ms-overdue": "red",
    "ms-done": "green",
    "today": "bold yellow",
}
LEGEND = "◆ deadline  ◇ afsluttet  ○ milepæl  ● udført  ┊ i dag  · ! og rødt er overskredet"


class TimelineScreen(Screen[FieldRef | None]):
    """Enter closes the screen with the FieldRef of the chosen initiative (its item)."""

    if TYPE_CHECKING:
        app = getters.app(ImplanApp)  # for mypy: self.app is an ImplanApp

    DEFAULT_CSS = """
    TimelineScreen #timeline { height: 1fr; }
    TimelineScreen #legend { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "open", "Åbn", id="timeline.open", show=False),
        Binding("home", "today", "I dag", id="timeline.today"),
        Binding("escape", "back", "Tilbage", id="timeline.back"),
    ]

    def __init__(self, initiatives: list[Initiative], heading: str) -> None:
        super().__init__()
        self.initiatives = initiatives
        self.heading = heading
        self._rows: dict[str, Initiative] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield RowTable(id="timeline", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="legend", markup=False)
        yield FittingFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Tidslinje"
        self.sub_title = self.heading
        today = self.app.today
        timeline = build_timeline(self.initiatives, today)
        self.months = list(timeline.months)
        self.month_width = timeline.month_width
        table = self.query_one(DataTable)
        table.fixed_columns = 1
        label_width = 30 if self.size.width >= 80 else 20
        table.add_column(" Initiativ", width=label_width, key="label")
        width = timeline.month_width
        for index, month in enumerate(timeline.months):
            # January carries the year instead of its name: six characters hold no more.
            name = str(month.year) if month.month == 1 else MONTHS[month.month - 1]
            table.add_column(Text(name, style="bold yellow" if (month.year, month.month) == (today.year, today.month)
                                  else ""), width=width, key=f"m{index}")
        for row in timeline.rows:
            ini = row.initiative
            title = ini.title if len(ini.title) <= label_width - 2 else ini.title[: label_width - 3] + "…"
            overdue = ini.is_overdue(today)
            style = overdue_style(self.app) if overdue else ("dim" if ini.closed else "")
            # »!« marks overdue also where colour does not show (NO_COLOR, a grey-scale print).
            cells: list = [Text(("!" if overdue else " ") + title, style=style)]
            for index in range(len(timeline.months)):
                chunk = row.cells[index * width:(index + 1) * width]
                text = Text(no_wrap=True, overflow="crop")  # wrapping would eat leading blanks
                for char, kind in chunk:
                    text.append(char, style=KIND_STYLE.get(kind, ""))
                cells.append(text)
            key = f"{ini.plan_id}:{ini.item_id}"
            table.add_row(*cells, key=key)
            self._rows[key] = ini
        caption = timeline_caption(timeline)
        missing = len(self.initiatives) - len(timeline.rows)
        extra = f" · {missing} uden datoer vises ikke" if missing else ""
        self.query_one("#legend", Static).update(f"{LEGEND}\n{caption} · i dag {format_date(today)}{extra}")
        table.focus()
        self.call_after_refresh(self.action_today)

    def action_today(self) -> None:
        """Scroll so that today's month is in view, with two months of the past before it."""
        table = self.query_one(DataTable)
        today = self.app.today
        wanted = today.replace(day=1)
        if wanted not in self.months:
            return
        first = max(0, self.months.index(wanted) - 2)
        table.scroll_to(x=first * self.month_width, animate=False)

    @on(DataTable.RowSelected)
    def row_chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        ini = self._rows.get(key or "")
        if ini is not None:
            self.dismiss(FieldRef(ini.plan_id, ini.section_id, ini.item_id))

    def action_back(self) -> None:
        self.dismiss(None)
